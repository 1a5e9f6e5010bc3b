//go:build unix

package frontend

import (
	"errors"
	"os"
	"runtime/debug"
	"syscall"
)

// mapFile maps size bytes of f read-only. The pages belong to the file,
// not to the Go heap: the collector neither scans them nor counts them
// when it sizes the heap, which it lets grow to twice what it holds, and
// the kernel drops them once unmap is called.
func mapFile(f *os.File, size int64) (data []byte, unmap func(), ok bool) {
	if size <= 0 || int64(int(size)) != size {
		return nil, nil, false
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil, false
	}
	return data, func() { _ = syscall.Munmap(data) }, true
}

// readFaults runs read, which reads a mapped file, and turns a fault on
// its pages (the file cut short while mapped) into an error. Any other
// panic goes on.
func readFaults(read func()) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if e := recover(); e != nil {
			if _, fault := e.(interface{ Addr() uintptr }); fault {
				err = errors.New("the file changed while it was read")
				return
			}
			panic(e)
		}
	}()
	read()
	return nil
}
