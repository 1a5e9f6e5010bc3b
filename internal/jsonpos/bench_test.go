//go:build unix

// CPU time is read with getrusage, which Windows lacks: these benchmarks
// run where the reference machine does.

package jsonpos

import (
	"bytes"
	"encoding/json"
	"syscall"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

// BenchmarkParsePlan10k parses a 10,000-resource plan with positions, on
// one line as terraform show -json writes it and indented, as raw policies
// read it (ParseWhole).
func BenchmarkParsePlan10k(b *testing.B) {
	pretty := plangen.Generate(10000)
	var compact bytes.Buffer
	if err := json.Compact(&compact, pretty); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
	}{{"compact", compact.Bytes()}, {"indented", pretty}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			start := cpuTime()
			for i := 0; i < b.N; i++ {
				if _, err := ParseWhole(c.data, "plan.json"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the process's user and system time: on a shared machine the
// wall time says more of the load than of the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
