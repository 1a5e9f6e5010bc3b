package policy_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/eksguard/eksguard/internal/policy"
	"github.com/eksguard/eksguard/internal/rule"
)

// compactCopy writes src on one line, as terraform show -json writes a
// plan, into dir.
func compactCopy(t *testing.T, src, dir string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, filepath.Base(src))
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A plan written on one line, as Terraform writes it: a finding with a
// path into a resource's change lands on that resource, and one without a
// path on the plan file, not on whichever resource starts on line 1.
func TestOneLinePlanPlacement(t *testing.T) {
	dir := t.TempDir()
	plan := compactCopy(t, "../../examples/seed-eks/tfplan.json", dir)
	pol := filepath.Join(dir, "pol")
	if err := os.Mkdir(pol, 0o755); err != nil {
		t.Fatal(err)
	}
	src := `package main

import rego.v1

deny contains {"msg": sprintf("path %s", [rc.address]), "path": ["resource_changes", i, "change", "after", "vpc_config", 0, "endpoint_public_access"]} if {
	some i, rc in input.resource_changes
	rc.type == "aws_eks_cluster"
}

deny contains sprintf("message %s", [rc.address]) if {
	some rc in input.resource_changes
	rc.type == "aws_eks_cluster"
}
`
	if err := os.WriteFile(filepath.Join(pol, "p.rego"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s := load(t, policy.Options{}, pol)
	noDiags(t, s.Diags)
	out := evaluate(t, s, plan)
	noDiags(t, out.Diags)
	same(t, fails(out), []string{
		"main.deny module.eks.aws_eks_cluster.this[0] " + plan + ":1 path module.eks.aws_eks_cluster.this[0]",
		"main.deny " + plan + " " + plan + ":1 message module.eks.aws_eks_cluster.this[0]",
	})
	for _, r := range out.Results {
		if r.Status == rule.StatusFail && r.Resource.Type == "file" && r.Resource.Origin != "terraform-plan" {
			t.Errorf("file finding of origin %q", r.Resource.Origin)
		}
	}
}

// The input of raw policies leaves out top-level keys no policy reads, but
// what a policy reads is there, and all of it is when one reads the input
// whole.
func TestRawInputKeys(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "cm.yaml")
	if err := os.WriteFile(doc, []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: \"1\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(name, src string) string {
		d := filepath.Join(dir, name)
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "p.rego"), []byte("package "+name+"\n\nimport rego.v1\n\n"+src+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return d
	}
	part := write("part", `deny contains sprintf("%s %s %d", [input.kind, input.data.x, count(object.keys(input.data))]) if input.metadata.name == "a"`)
	entire := write("entire", `deny contains sprintf("%d keys", [count(input)]) if input.kind == "ConfigMap"`)
	for _, c := range []struct {
		dirs []string
		want []string
	}{
		{[]string{part}, []string{"part.deny ConfigMap 1 1"}},
		{[]string{part, entire}, []string{"part.deny ConfigMap 1 1", "entire.deny 4 keys"}},
	} {
		s := load(t, policy.Options{}, c.dirs...)
		noDiags(t, s.Diags)
		out := evaluate(t, s, doc)
		noDiags(t, out.Diags)
		var got []string
		for _, r := range out.Results {
			if r.Status == rule.StatusFail {
				got = append(got, r.Rule.ID+" "+r.Message)
			}
		}
		same(t, got, c.want)
	}
}
