package testutil

import "testing"

// ReportCPU starts counting the CPU time (user and system, every thread)
// the process spends; the function it returns reports it per operation as
// cpu-ns/op. On a machine shared with other work, wall time per operation
// swings with the load, CPU time far less, so benchstat can still tell a
// change. Where the operating system does not say, nothing is reported.
func ReportCPU(b *testing.B) (stop func()) {
	start, ok := processCPU()
	return func() {
		end, ok2 := processCPU()
		if ok && ok2 && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	}
}
