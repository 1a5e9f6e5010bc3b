// Command eksguard checks AWS EKS platform code (Terraform, CloudFormation,
// Kubernetes manifests, IAM policies, CI workflows) against hardening
// practice before anything is deployed. See README.md.
package main

//go:generate sh -c "go run . rules --format markdown > ../../docs/rules.md"
//go:generate sh -c "go run . iam methods --format markdown | go run ../../internal/docsection/cmd/docsection -name methods ../../docs/iam-paths.md"
//go:generate sh -c "go run . flags --format markdown | go run ../../internal/docsection/cmd/docsection -name flags ../../README.md"

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/eksguard/eksguard/internal/cli"
	"github.com/eksguard/eksguard/internal/frontend/helm"
)

func main() {
	// The heap profiler samples an allocation every 512 KiB by default,
	// taking its stack each time; only EKSGUARD_MEMPROFILE reads what it
	// records. Its records (a hash table of stacks) and the unwinding
	// tables its stack walks read cost a scan 3-4 MB of memory.
	if os.Getenv("EKSGUARD_MEMPROFILE") == "" {
		runtime.MemProfileRate = 0
	}
	// The scan renders each Helm chart in a child process, this
	// executable started again: that child renders and exits here.
	helm.ServeIfWorker()
	isTTY := false
	if fi, err := os.Stdout.Stat(); err == nil {
		isTTY = fi.Mode()&os.ModeCharDevice != 0
	}
	errTTY := false
	if fi, err := os.Stderr.Stat(); err == nil {
		errTTY = fi.Mode()&os.ModeCharDevice != 0
	}
	stop := profile()
	code := cli.Main(os.Args[1:], cli.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		IsTTY: isTTY, StderrTTY: errTTY, Getenv: os.Getenv,
	})
	stop()
	os.Exit(code)
}

// profile starts the profiles the environment asks for, for measuring a
// whole run (docs/performance.md): EKSGUARD_CPUPROFILE=FILE writes a CPU
// profile, EKSGUARD_MEMPROFILE=FILE a heap profile taken at the end. They
// are variables rather than flags so the command line, its documentation
// and the configuration file stay about scanning; no flag is named
// cpuprofile, so the configuration's EKSGUARD_<FLAG> reading never sees them.
func profile() (stop func()) {
	cpu, mem := os.Getenv("EKSGUARD_CPUPROFILE"), os.Getenv("EKSGUARD_MEMPROFILE")
	var f *os.File
	if cpu != "" {
		var err error
		if f, err = os.Create(cpu); err != nil {
			fmt.Fprintln(os.Stderr, "eksguard: EKSGUARD_CPUPROFILE:", err)
		} else if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "eksguard: EKSGUARD_CPUPROFILE:", err)
			f.Close()
			f = nil
		}
	}
	return func() {
		if f != nil {
			pprof.StopCPUProfile()
			f.Close()
		}
		if mem == "" {
			return
		}
		m, err := os.Create(mem)
		if err != nil {
			fmt.Fprintln(os.Stderr, "eksguard: EKSGUARD_MEMPROFILE:", err)
			return
		}
		defer m.Close()
		runtime.GC()
		if err := pprof.WriteHeapProfile(m); err != nil {
			fmt.Fprintln(os.Stderr, "eksguard: EKSGUARD_MEMPROFILE:", err)
		}
	}
}
