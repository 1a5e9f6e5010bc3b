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
// has mapped already plus maxMemory and 256 MiB. The Go runtime reserves
// far more address space than it uses (over 1 GB at start), so the limit
// is relative; the slack covers heap arenas (64 MiB each) and the
// collector's metadata, so that a heap growing step by step meets the
// watchdog, which counts what is in use, first. The limit is for one
// large allocation: the runtime's statistics, which the watchdog reads,
// wait until an allocation is complete, its memory touched, and one of
// 2 GB would fill memory before the watchdog sees it; the limit refuses
// it at once (the child dies "out of memory" without touching it).
// Failing to read or set it leaves the watchdog alone.
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
	lim := uint64(pages*int64(os.Getpagesize()) + maxMemory + 256<<20)
	_ = syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: lim, Max: lim})
}
