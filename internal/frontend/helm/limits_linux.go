package helm

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// childSysProcAttr kills the child should the parent die first, so no
// renderer outlives the scan that started it.
func childSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// limitAddressSpace limits the address space of this process to what it
// has mapped already plus twice maxMemory and 256 MiB. The Go runtime
// reserves far more address space than it uses (over 1 GB at start, heap
// arenas of 64 MiB, never unmapped), so the limit is relative and loose:
// the watchdog, which counts what is in use, stops a heap that grows
// first, and the limit refuses outright a single allocation too large to
// wait for the watchdog (the child then dies "out of memory" before
// touching it). Failing to read or set it leaves the watchdog alone.
func limitAddressSpace(maxMemory int64) {
	if raceEnabled {
		return
	}
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return
	}
	f, _, _ := bytes.Cut(data, []byte(" "))
	pages, err := strconv.ParseInt(string(f), 10, 64)
	if err != nil || pages <= 0 {
		return
	}
	lim := uint64(pages*int64(os.Getpagesize()) + 2*maxMemory + 256<<20)
	_ = syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: lim, Max: lim})
}
