package finding

import (
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

func TestFingerprintIgnoresLinesAndMessages(t *testing.T) {
	r := &rule.Rule{ID: "EKS-002", Title: "t", Severity: rule.High}
	res := &graph.Resource{Type: "aws_eks_cluster", Address: "module.eks.aws_eks_cluster.this[0]", ModulePath: "module.eks",
		Module: []graph.ModuleCall{{Name: "module.eks"}}, Attrs: graph.NewMap(nil)}
	a := FromResult(rule.Result{Rule: r, Status: rule.StatusFail, Resource: res, Path: "vpc_config",
		Range: graph.Range{File: "infra/plan.json", Line: 10}, Message: "one"})
	b := FromResult(rule.Result{Rule: r, Status: rule.StatusFail, Resource: res, Path: "vpc_config",
		Range: graph.Range{File: "infra/plan.json", Line: 99}, Message: "two"})
	if a.Fingerprint != b.Fingerprint {
		t.Error("fingerprint changed with line and message")
	}
	c := FromResult(rule.Result{Rule: r, Status: rule.StatusFail, Resource: res, Path: "vpc_config.public_access_cidrs",
		Range: graph.Range{File: "infra/plan.json", Line: 10}})
	if a.Fingerprint == c.Fingerprint {
		t.Error("different attributes share a fingerprint")
	}
	if got := a.IntroducedBy; len(got) != 3 || got[0] != "module.eks" || got[1] != "aws_eks_cluster.this[0]" || got[2] != "vpc_config" {
		t.Errorf("introduced by = %v", got)
	}
}

// TestFingerprintPinned: the fingerprint of a finding whose address is
// unique is what eksguard gave before resources sharing an address were
// told apart (values computed then), so existing baselines keep matching;
// a source makes it another one.
func TestFingerprintPinned(t *testing.T) {
	for _, tc := range []struct{ rule, addr, path, file, want string }{
		{"EKS-002", "module.eks.aws_eks_cluster.this[0]", "vpc_config", "infra/plan.json", "1cf423312e12636e79c3884b74c5d71d"},
		{"K8S-018", "Deployment/default/web", "spec.template.spec.containers.0", "k8s/web.yaml", "3b028fbe6e13015efd0a8640a803f02b"},
		{"DATA-003", "Bucket", "", "cfn/a.yaml", "458de542fe5c9329ed984d29c9a40ee4"},
		{"K8S-022", "Deployment/default/web", "spec.template.spec.containers.0.image", "k8s/web.yaml", "f95985fe22e8431186f7e631b78ef666"},
	} {
		if got := Fingerprint(tc.rule, tc.addr, tc.path, tc.file); got != tc.want {
			t.Errorf("Fingerprint(%s, %s, %s, %s) = %s, want %s", tc.rule, tc.addr, tc.path, tc.file, got, tc.want)
		}
		if got := FingerprintIn(tc.rule, tc.addr, tc.path, tc.file, ""); got != tc.want {
			t.Errorf("FingerprintIn without a source = %s, want %s", got, tc.want)
		}
		a := FingerprintIn(tc.rule, tc.addr, tc.path, tc.file, "a.yaml")
		b := FingerprintIn(tc.rule, tc.addr, tc.path, tc.file, "b.yaml")
		if a == tc.want || b == tc.want || a == b {
			t.Errorf("%s %s: sources a.yaml and b.yaml give %s and %s beside %s; want three fingerprints", tc.rule, tc.addr, a, b, tc.want)
		}
	}
}

// TestSources: only resources whose address another resource of the same
// directory shares get a source, the file that declares them (or the root
// module file calling their module), relative to their directory.
func TestSources(t *testing.T) {
	g := graph.New()
	add := func(addr, file string, calls ...string) *graph.Resource {
		r := &graph.Resource{Type: "t", Mode: graph.Managed, Name: addr, Address: addr, Attrs: graph.NewMap(nil),
			Range: graph.Range{File: file, Line: 1}}
		for _, c := range calls {
			r.Module = append(r.Module, graph.ModuleCall{Name: "module.x", Range: graph.Range{File: c, Line: 3}})
		}
		g.Add(r)
		return r
	}
	bucketA := add("Bucket", "cfn/a.yaml")
	bucketB := add("Bucket", "cfn/b.yaml")
	logs := add("Logs", "cfn/a.yaml")
	other := add("Bucket", "other/a.yaml")
	dupA := add("Deployment/default/web", "k8s/all.yaml")
	dupB := add("Deployment/default/web", "k8s/all.yaml")
	// The same file, written another way.
	dupC := add("Deployment/default/web", "k8s/./all.yaml")
	dev := add("module.x.aws_s3_bucket.this", "modules/x/main.tf", "envs/dev/main.tf")
	prod := add("module.x.aws_s3_bucket.this", "modules/x/main.tf", "envs/prod/main.tf")
	got := Sources(g)
	want := map[*graph.Resource]string{
		bucketA: "a.yaml", bucketB: "b.yaml",
		dev: "../../envs/dev/main.tf", prod: "../../envs/prod/main.tf",
	}
	for r, w := range want {
		if got[r] != w {
			t.Errorf("%s in %s: source %q, want %q", r.Address, r.Range.File, got[r], w)
		}
	}
	for _, r := range []*graph.Resource{logs, other, dupA, dupB, dupC} {
		if s, ok := got[r]; ok {
			t.Errorf("%s in %s: source %q, want none (its address tells it apart, or nothing does)", r.Address, r.Range.File, s)
		}
	}
}
