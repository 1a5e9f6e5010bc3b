package policy_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/policy"
	"github.com/eksguard/eksguard/internal/scan"
	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

// benchTypes are the resource types plangen writes, so every selector
// policy has about a thousand resources to judge in a 10,000-resource plan.
var benchTypes = []string{"aws_eks_cluster", "aws_eks_node_group", "aws_launch_template", "aws_subnet",
	"aws_security_group", "aws_security_group_rule", "aws_iam_role", "aws_iam_role_policy_attachment", "aws_kms_key"}

// resourceChecks are bodies of typical attribute checks; %s is replaced by
// nothing, they read input as one resource's attributes.
var resourceChecks = []string{
	`not input.tags.owner`,
	`input.name == "forbidden"`,
	`startswith(object.get(input, "name", ""), "tmp-")`,
	`some k, _ in object.get(input, "tags", {}); lower(k) == "secret"`,
	`input.map_public_ip_on_launch == true`,
	`input.enable_key_rotation == false`,
	`some c in object.get(input, "enabled_cluster_log_types", []); not c in {"api", "audit", "authenticator", "controllerManager", "scheduler"}`,
	`regex.match("^10\\.2[0-9]\\.", object.get(input, "cidr_block", ""))`,
}

// writeBenchPolicies writes 50 policies: 40 over one resource (the three
// shapes' common case), 8 conftest-style over the raw plan and 2 over the
// whole graph.
func writeBenchPolicies(dir string) error {
	n := 0
	write := func(name, src string) error {
		n++
		return os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644)
	}
	for i := 0; i < 40; i++ {
		src := fmt.Sprintf(`# METADATA
# title: bench resource policy %d
# custom:
#   id: BENCH-R%02d
#   severity: low
#   selector:
#     type: %s
package bench.r%d

import rego.v1

deny contains msg if {
	%s
	msg := "resource check %d"
}
`, i, i, benchTypes[i%len(benchTypes)], i, resourceChecks[i%len(resourceChecks)], i)
		if err := write(fmt.Sprintf("r%02d.rego", i), src); err != nil {
			return err
		}
	}
	for i := 0; i < 8; i++ {
		src := fmt.Sprintf(`package bench.raw%d

import rego.v1

deny contains msg if {
	some rc in input.resource_changes
	rc.type == %q
	rc.change.after.name == "forbidden-%d"
	msg := sprintf("%%s is forbidden", [rc.address])
}
`, i, benchTypes[i%len(benchTypes)], i)
		if err := write(fmt.Sprintf("raw%d.rego", i), src); err != nil {
			return err
		}
	}
	graphSrc := []string{`# METADATA
# custom:
#   id: BENCH-G0
#   input: graph
package bench.g0

import rego.v1

clusters := {r.id | some r in input.resources; r.type == "aws_eks_cluster"}

with_cluster := {e.from_id | some e in input.edges; e.attribute == "cluster_name"; clusters[e.to_id]}

deny contains {"msg": "node group names no scanned cluster", "resource": r.id} if {
	some r in input.resources
	r.type == "aws_eks_node_group"
	not with_cluster[r.id]
}
`, `# METADATA
# custom:
#   id: BENCH-G1
#   input: graph
package bench.g1

import rego.v1

roles := {r.id | some r in input.resources; r.type == "aws_iam_role"}

attached := {e.to_id | some e in input.edges; e.attribute == "role"; roles[e.to_id]}

deny contains {"msg": "role without attachment", "resource": id} if {
	some id in roles
	not attached[id]
}
`}
	for i, src := range graphSrc {
		if err := write(fmt.Sprintf("g%d.rego", i), src); err != nil {
			return err
		}
	}
	if n != 50 {
		return fmt.Errorf("wrote %d policies", n)
	}
	return nil
}

// BenchmarkPolicies50x10k evaluates 50 custom policies over a
// 10,000-resource plan: every (policy, input) pair, with the inputs built
// from the graph. Loading the plan is measured apart (see the builtin
// package's BenchmarkLoadPlan10k).
func BenchmarkPolicies50x10k(b *testing.B) {
	dir := b.TempDir()
	if keep := os.Getenv("EKSGUARD_BENCH_POLICIES"); keep != "" {
		// Keep the generated policies to time the whole command on them.
		dir = keep
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
	}
	if err := writeBenchPolicies(dir); err != nil {
		b.Fatal(err)
	}
	plan := filepath.Join(b.TempDir(), "plan.json")
	if err := os.WriteFile(plan, plangen.Generate(10000), 0o644); err != nil {
		b.Fatal(err)
	}
	s := policy.Load([]string{dir}, policy.Options{})
	if len(s.Diags) > 0 || len(s.Policies) != 50 {
		b.Fatalf("%d policies, diags %v", len(s.Policies), s.Diags)
	}
	loaded := frontend.Load([]string{plan}, frontend.Options{KeepDocuments: true})
	docs := scan.PolicyDocuments(loaded.Documents)
	env := policy.Env{Graph: loaded.Graph, Documents: docs}
	b.ResetTimer()
	var out policy.Output
	for i := 0; i < b.N; i++ {
		out = s.Evaluate(context.Background(), env)
	}
	b.StopTimer()
	if len(out.Diags) > 0 {
		b.Fatalf("diags: %v", out.Diags)
	}
	b.ReportMetric(float64(len(out.Results)), "verdicts")
}

// BenchmarkPolicyCompile50 is loading and compiling the 50 policies.
func BenchmarkPolicyCompile50(b *testing.B) {
	dir := b.TempDir()
	if err := writeBenchPolicies(dir); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := policy.Load([]string{dir}, policy.Options{})
		if len(s.Policies) != 50 {
			b.Fatalf("%d policies: %v", len(s.Policies), s.Diags)
		}
	}
}
