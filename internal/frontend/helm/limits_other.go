//go:build !linux

package helm

import "syscall"

// childSysProcAttr: outside Linux there is no parent-death signal; a
// child whose parent died stops itself at the time bound (watchdog).
func childSysProcAttr() *syscall.SysProcAttr { return nil }

// limitAddressSpace: macOS does not enforce RLIMIT_AS and Windows has no
// rlimits; the watchdog and the Go memory limit bound the renderer there.
func limitAddressSpace(int64) {}
