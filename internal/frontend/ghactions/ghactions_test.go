package ghactions

import (
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
)

const deploy = `name: deploy
on:
  push:
    branches: [main]
permissions:
  id-token: write
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::111122223333:role/deploy
          aws-region: eu-west-1
`

func TestParse(t *testing.T) {
	g := graph.New()
	ok, diags := Parse(g, []byte(deploy), "repo/.github/workflows/deploy.yml")
	if !ok || len(diags) > 0 {
		t.Fatalf("ok %v, diags %v", ok, diags)
	}
	r := g.Resources()[0]
	if r.Type != Type || r.Address != ".github/workflows/deploy.yml" || r.Name != "deploy.yml" || r.Origin != Origin {
		t.Errorf("resource %s %s %s", r.Type, r.Address, r.Name)
	}
	// yaml.v3 resolves a plain on as the string "on", not YAML 1.1's true,
	// and yamlpos keeps keys as written.
	if on := r.Get("on"); on == nil || on.Kind != graph.Map || r.Attrs.Map.Get("true") != nil {
		t.Errorf("the trigger block must sit at key on: %v", r.Attrs.Keys())
	}
	v := r.Get("jobs.deploy.steps.1.with.role-to-assume")
	if v == nil || v.Str != "arn:aws:iam::111122223333:role/deploy" || v.Range.Line != 15 {
		t.Errorf("role-to-assume: %+v", v)
	}
	if v := r.Get("permissions.id-token"); v == nil || v.Str != "write" || v.Range.Line != 6 {
		t.Errorf("permissions: %+v", v)
	}
}

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		file, data string
		want       bool
	}{
		{"ci.yml", "on: push\njobs:\n  a: {runs-on: x}\n", true},
		{"ci.yml", "'on': push\njobs: {a: {}}\n", true},
		{"ci.yml", "jobs: {a: {}}\n", false},
		{".github/workflows/ci.yaml", "jobs: {a: {}}\n", true},
		{".github/workflows/sub/ci.yaml", "jobs: {a: {}}\n", false},
		{".github/workflows/ci.yml", "on: push\njobs: [a]\n", false},
		{"ci.yml", "apiVersion: v1\nkind: Pod\n", false},
		{"ci.yml", "on: push\njobs: {}\n---\non: push\njobs: {}\n", false},
	} {
		ok, _ := Parse(graph.New(), []byte(c.data), c.file)
		if ok != c.want {
			t.Errorf("%s %q: workflow %v, want %v", c.file, c.data, ok, c.want)
		}
	}
	for _, c := range []struct {
		p    string
		want bool
	}{
		{".github/workflows/a.yml", true}, {"x/.github/workflows/a.YAML", true}, {".github/workflows/a.json", false},
		{"github/workflows/a.yml", false}, {"x.github/workflows/a.yml", false},
	} {
		if IsWorkflowPath(c.p) != c.want {
			t.Errorf("IsWorkflowPath(%s) != %v", c.p, c.want)
		}
	}
}
