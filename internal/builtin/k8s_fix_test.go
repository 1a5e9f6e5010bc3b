package builtin

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/rule"
)

// TestNamespaceFixesApply checks that the fixes written for missing
// namespace objects are ready to apply: adding them to the scanned
// manifests resolves the very findings they were written for.
func TestNamespaceFixesApply(t *testing.T) {
	const src = "../../examples/shop/k8s"
	rules := []*rule.Rule{ByID("K8S-001"), ByID("K8S-002"), ByID("K8S-003"), ByID("K8S-004")}
	before := rule.Run(rules, frontend.Load([]string{src}, frontend.Options{}).Graph, fixtureConfig())

	dir := t.TempDir()
	var fixed []string
	n := 0
	for _, r := range before {
		if r.Status != rule.StatusFail {
			continue
		}
		if r.Fix == "" {
			t.Errorf("%s on %s: no fix written for a missing object", r.Rule.ID, r.Resource.Address)
			continue
		}
		n++
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("fix-%02d.yaml", n)), []byte(r.Fix), 0o644); err != nil {
			t.Fatal(err)
		}
		fixed = append(fixed, r.Rule.ID+" "+r.Resource.Address)
	}
	if n < 8 {
		t.Fatalf("only %d fixes; the example lacks more namespace objects than that", n)
	}
	res := frontend.Load([]string{src, dir}, frontend.Options{})
	for _, d := range res.Diags {
		t.Errorf("a fix does not load: %s", d)
	}
	failedBefore := map[string]bool{}
	for _, r := range before {
		if r.Status == rule.StatusFail {
			failedBefore[r.Rule.ID+" "+r.Resource.Address] = true
		}
	}
	after := map[string]rule.Status{}
	for _, r := range rule.Run(rules, res.Graph, fixtureConfig()) {
		k := r.Rule.ID + " " + r.Resource.Address
		after[k] = r.Status
		// A fix must not break something else: denying egress without
		// allowing DNS would.
		if r.Status == rule.StatusFail && !failedBefore[k] {
			t.Errorf("%s fails only after the fixes were applied: %s", k, r.Message)
		}
	}
	for _, k := range fixed {
		if after[k] != rule.StatusPass {
			t.Errorf("%s: %s after applying its fix, want pass", k, after[k])
		}
	}
	t.Logf("applied %d fixes: %s", n, strings.Join(fixed, "; "))
}
