//go:build unix

// CPU time is read with getrusage, which Windows lacks: these benchmarks
// run where the reference machine does.

package policy_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/builtin"
	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/policy"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/rule/ruletest"
	"github.com/eksguard/eksguard/internal/scan"
	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

// conftestPlanPolicy is a conftest policy of the usual kind: package main,
// deny rules over the raw plan (docs/performance.md compares conftest with
// it).
const conftestPlanPolicy = `package main

import rego.v1

deny contains msg if {
	some rc in input.resource_changes
	rc.type == "aws_s3_bucket"
	not rc.change.after.server_side_encryption_configuration
	msg := sprintf("bucket %s has no encryption", [rc.address])
}

deny contains msg if {
	some rc in input.resource_changes
	rc.type == "aws_eks_cluster"
	rc.change.after.vpc_config[_].endpoint_public_access == true
	msg := sprintf("cluster %s has a public endpoint", [rc.address])
}
`

// writeCompactPlan writes a generated plan on one line, as terraform show
// -json writes it.
func writeCompactPlan(tb testing.TB, dir string, n int) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, plangen.Generate(n)); err != nil {
		tb.Fatal(err)
	}
	p := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// policyOnlyOptions are the scan options of `eksguard scan --policy DIR
// --rule main.deny PLAN`: the conftest policy alone, every built-in rule
// left out.
func policyOnlyOptions(tb testing.TB, polDir, plan string) scan.Options {
	tb.Helper()
	s := policy.Load([]string{polDir}, policy.Options{BuiltinIDs: builtinIDs()})
	if len(s.Diags) > 0 || len(s.Policies) != 1 {
		tb.Fatalf("%d policies, diags %v", len(s.Policies), s.Diags)
	}
	all := builtin.All()
	for _, p := range s.Policies {
		all = append(all, p.Rule)
	}
	disabled, err := scan.Select(all, scan.Selection{Enable: []string{"main.deny"}, EnableSource: "--rule"})
	if err != nil {
		tb.Fatal(err)
	}
	return scan.Options{Paths: []string{plan}, Config: rule.Config{AsOf: ruletest.AsOf}, Policies: s, Disabled: disabled}
}

// BenchmarkPolicyOnly10k is `eksguard scan --policy DIR --rule main.deny`
// over a 10,000-resource plan: a conftest policy and nothing else, the
// run docs/performance.md compares with conftest test.
func BenchmarkPolicyOnly10k(b *testing.B) {
	polDir := b.TempDir()
	if err := os.WriteFile(filepath.Join(polDir, "plan.rego"), []byte(conftestPlanPolicy), 0o644); err != nil {
		b.Fatal(err)
	}
	plan := writeCompactPlan(b, b.TempDir(), 10000)
	b.ReportAllocs()
	b.ResetTimer()
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		// Select trims the set it is given: load it afresh each time.
		b.StopTimer()
		o := policyOnlyOptions(b, polDir, plan)
		b.StartTimer()
		start := cpuTime()
		r := scan.Run(o)
		cpu += cpuTime() - start
		if r.Summary.Failed != 500 || len(r.Errors) > 0 {
			b.Fatalf("%d failed, errors %v", r.Summary.Failed, r.Errors)
		}
	}
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkRawValue10k is building the input of raw policies from a
// 10,000-resource plan: the parsed document turned into a Rego value.
func BenchmarkRawValue10k(b *testing.B) {
	plan := writeCompactPlan(b, b.TempDir(), 10000)
	loaded := frontend.Load([]string{plan}, frontend.Options{KeepDocuments: true})
	if len(loaded.Documents) != 1 {
		b.Fatalf("%d documents", len(loaded.Documents))
	}
	doc := loaded.Documents[0].Value
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		policy.Value(doc)
	}
	reportCPU(b, start)
}

// cpuTime is the process's user and system time so far: on a shared
// machine the wall time of a benchmark says more of the load than of the
// code, so the benchmarks report CPU time per operation too (GC workers
// included).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per operation since start.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}
