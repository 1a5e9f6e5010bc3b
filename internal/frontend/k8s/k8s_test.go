package k8s

import (
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
)

const rendered = `---
# Source: shop/templates/ns.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
# Source: shop/templates/deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:latest
          securityContext:
            privileged: true
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: sa
      namespace: shop
  - apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: widgets.example.com
---
just: a config file
`

func TestParse(t *testing.T) {
	objs, diags := Parse([]byte(rendered), "all.yaml")
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	g := graph.New()
	Load(g, objs, "all.yaml", "")
	var addrs []string
	for _, r := range g.Resources() {
		addrs = append(addrs, r.Type+" "+r.Address)
	}
	want := "k8s:Namespace Namespace/shop|k8s:Deployment Deployment/default/web|k8s:ServiceAccount ServiceAccount/shop/sa|" +
		"k8s:CustomResourceDefinition CustomResourceDefinition/widgets.example.com"
	if got := strings.Join(addrs, "|"); got != want {
		t.Fatalf("objects\n got %s\nwant %s", got, want)
	}
	d := g.ByAddress("Deployment/default/web")[0]
	if d.Range.Line != 9 || len(d.Module) != 1 || d.Module[0].Name != "helm:shop/templates/deploy.yaml" {
		t.Errorf("deployment at %d, module %v", d.Range.Line, d.Module)
	}
	if v := d.Get("spec.template.spec.containers.0.securityContext.privileged"); v == nil || !v.Bool || v.Range.Line != 20 {
		t.Errorf("nested value and its line: %+v", v)
	}
	if d.Get("metadata.namespace").Str != "default" {
		t.Error("a namespaced object without namespace lands in default")
	}
}

func TestErrors(t *testing.T) {
	_, diags := Parse([]byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n"), "bad.yaml")
	if len(diags) != 1 || diags[0].File != "bad.yaml" || diags[0].Line == 0 || diags[0].Severity != diag.Error {
		t.Errorf("want a positioned YAML error, got %v", diags)
	}
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n" +
		"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nkind: Pod\napiVersion: v1\n"
	if _, diags := Parse([]byte(bomb), "bomb.yaml"); len(diags) == 0 {
		t.Error("an alias bomb must stop with an error")
	}
}
