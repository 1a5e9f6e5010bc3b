//go:build unix

package frontend

import (
	"os"
	"path/filepath"
	"testing"
)

// A mapped file cut short faults on the pages past its new end: the read
// gets an error instead of the process crashing.
func TestMappedFileCutShort(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plan.json")
	size := 4 * os.Getpagesize()
	if err := os.WriteFile(path, make([]byte, size), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	data, unmap, ok := mapFile(f, int64(size))
	f.Close()
	if !ok {
		t.Fatal("not mapped")
	}
	defer unmap()
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	var sum byte
	err = readFaults(func() {
		for _, b := range data {
			sum += b
		}
	})
	if err == nil {
		t.Fatal("reading past the end of a truncated mapping gave no error")
	}
	// Any other panic is not taken for a fault.
	defer func() {
		if recover() == nil {
			t.Error("a panic that is not a fault was swallowed")
		}
	}()
	_ = readFaults(func() { panic("not a fault") })
}
