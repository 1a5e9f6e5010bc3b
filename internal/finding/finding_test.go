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
