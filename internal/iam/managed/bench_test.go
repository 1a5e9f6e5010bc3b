package managed

import (
	"runtime"
	"testing"
)

// BenchmarkFirstLookup is the cost of the first Document call of a
// process: inflating and indexing the index, then the document's block.
func BenchmarkFirstLookup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		d, err := parse(compressed)
		if err != nil {
			b.Fatal(err)
		}
		docs, err := d.byKey["AmazonEKSComputePolicy"].load()
		if err != nil || docs["AmazonEKSComputePolicy"].doc == "" {
			b.Fatal("AmazonEKSComputePolicy missing", err)
		}
	}
}

// BenchmarkLoadAll is the cost of inflating every block, as a scan that
// looked up a policy in each would.
func BenchmarkLoadAll(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		d, err := parse(compressed)
		if err != nil {
			b.Fatal(err)
		}
		for _, k := range d.keys {
			if _, err := d.byKey[k].load(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkLookup is the cost of every later call.
func BenchmarkLookup(b *testing.B) {
	get()
	for b.Loop() {
		if _, _, ok := Document("service-role/AmazonEC2RoleforSSM"); !ok {
			b.Fatal("missing")
		}
	}
}

// TestResidentCost logs the heap the loaded data keeps (run with -v):
// the index with one block, and with every block.
func TestResidentCost(t *testing.T) {
	var base, one, all runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&base)
	d, err := parse(compressed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.byKey["AmazonEKSComputePolicy"].load(); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&one)
	blocks := map[*block]bool{}
	for _, k := range d.keys {
		blocks[d.byKey[k]] = true
		if _, err := d.byKey[k].load(); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&all)
	t.Logf("%d policies in %d blocks; heap in use: +%d KiB with the index and one block, +%d KiB with every block",
		len(d.keys), len(blocks), (one.HeapInuse-base.HeapInuse)/1024, (all.HeapInuse-base.HeapInuse)/1024)
	runtime.KeepAlive(d)
}
