//go:build unix

// CPU time is read with getrusage, which Windows lacks: these benchmarks
// run where the reference machine does.

package frontend

import (
	"bytes"
	"encoding/json"
	"syscall"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

// BenchmarkMarkSecretsPlan10k is marking the secrets of a 10,000-resource
// plan kept for raw policies: its resources by type, the document as
// written, and the collection of what was marked for masking.
func BenchmarkMarkSecretsPlan10k(b *testing.B) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, plangen.Generate(10000)); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.ReportAllocs()
	b.ResetTimer()
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		res := &Result{Graph: graph.New(), keepDocs: true, rawOnly: true}
		res.loadBytes("plan.json", data, true)
		if res.Graph.Len() != 10000 || len(res.Documents) != 1 {
			b.Fatalf("%d resources, %d documents", res.Graph.Len(), len(res.Documents))
		}
		b.StartTimer()
		start := cpuTime()
		markSecrets(res)
		cpu += cpuTime() - start
	}
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
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
