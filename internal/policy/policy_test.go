package policy_test

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/builtin"
	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/policy"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/scan"
)

func builtinIDs() map[string]bool {
	ids := map[string]bool{}
	for _, r := range builtin.All() {
		ids[r.ID] = true
	}
	return ids
}

func load(t *testing.T, opts policy.Options, paths ...string) *policy.Set {
	t.Helper()
	if opts.BuiltinIDs == nil {
		opts.BuiltinIDs = builtinIDs()
	}
	return policy.Load(paths, opts)
}

func evaluate(t *testing.T, s *policy.Set, inputs ...string) policy.Output {
	t.Helper()
	return evaluateWith(t, s, nil, inputs...)
}

// evaluateWith evaluates with print() output going to w.
func evaluateWith(t *testing.T, s *policy.Set, w io.Writer, inputs ...string) policy.Output {
	t.Helper()
	loaded := frontend.Load(inputs, frontend.Options{KeepDocuments: s.NeedsDocuments()})
	for _, d := range loaded.Diags {
		if d.Severity == diag.Error {
			t.Fatalf("input: %v", d)
		}
	}
	docs := scan.PolicyDocuments(loaded.Documents)
	return s.Evaluate(context.Background(), policy.Env{Graph: loaded.Graph, Documents: docs, Print: w})
}

// fails renders the failed results as "ID address file:line message".
func fails(out policy.Output) []string {
	var got []string
	for _, r := range out.Results {
		if r.Status == rule.StatusFail {
			got = append(got, fmt.Sprintf("%s %s %s:%d %s", r.Rule.ID, r.Resource.Address, r.Range.File, r.Range.Line, r.Message))
		}
	}
	sort.Strings(got)
	return got
}

func noDiags(t *testing.T, ds diag.List) {
	t.Helper()
	for _, d := range ds {
		t.Errorf("unexpected diagnostic: %v", d)
	}
}

func same(t *testing.T, got, want []string) {
	t.Helper()
	got = append([]string(nil), got...)
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// The rule of Snyk's EKS hardening post, with only a selector added, finds
// the public endpoint of the example's cluster, at the cluster's place in the plan.
func TestSeedRuleWithSelector(t *testing.T) {
	s := load(t, policy.Options{}, "testdata/seed")
	noDiags(t, s.Diags)
	if len(s.Policies) != 1 || s.Policies[0].Shape != policy.Resource || s.Policies[0].Rule.ID != "play.deny" {
		t.Fatalf("policies: %+v", s.Policies)
	}
	out := evaluate(t, s, "../../examples/seed-eks")
	noDiags(t, out.Diags)
	same(t, fails(out), []string{
		"play.deny module.eks.aws_eks_cluster.this[0] ../../examples/seed-eks/tfplan.json:933 The public endpoint is enabled on the cluster",
	})
	var passes int
	for _, r := range out.Results {
		if r.Status == rule.StatusPass {
			passes++
		}
	}
	if passes != 0 {
		t.Errorf("%d passes; the seed has one cluster, which fails", passes)
	}

	// The same rule on a private cluster passes.
	g := graph.New()
	g.Add(&graph.Resource{Type: "aws_eks_cluster", Mode: graph.Managed, Name: "c", Address: "aws_eks_cluster.c",
		Attrs: graph.NewMap(map[string]*graph.Value{"vpc_config": graph.NewList(graph.NewMap(map[string]*graph.Value{
			"endpoint_public_access": graph.NewBool(false)}))})})
	out = s.Evaluate(context.Background(), policy.Env{Graph: g})
	if len(out.Results) != 1 || out.Results[0].Status != rule.StatusPass {
		t.Errorf("private cluster: %+v", out.Results)
	}
}

// The three example policies, one per input shape, on their fixtures.
func TestExamplePolicies(t *testing.T) {
	s := load(t, policy.Options{}, "../../examples/policies")
	noDiags(t, s.Diags)
	shapes := map[string]policy.Shape{}
	for _, p := range s.Policies {
		shapes[p.Rule.ID] = p.Shape
	}
	want := map[string]policy.Shape{"main.deny": policy.Raw, "main.warn": policy.Raw, "ORG-EKS-001": policy.Resource, "ORG-EKS-002": policy.Graph}
	if fmt.Sprint(shapes) != fmt.Sprint(want) {
		t.Errorf("shapes %v, want %v", shapes, want)
	}
	out := evaluate(t, s, "../../examples/policies/testdata")
	noDiags(t, out.Diags)
	const tf = "../../examples/policies/testdata/terraform/main.tf"
	const k8s = "../../examples/policies/testdata/k8s/reports.yaml"
	same(t, fails(out), []string{
		"ORG-EKS-001 aws_eks_cluster.analytics " + tf + ":39 missing tags: cost-center",
		"ORG-EKS-001 aws_eks_node_group.batch " + tf + ":62 missing tags: cost-center, owner",
		"ORG-EKS-002 aws_eks_node_group.batch " + tf + ":65 node group aws_eks_node_group.batch runs with aws_iam_role.cluster, the IAM role of cluster aws_eks_cluster.analytics",
		"main.deny Deployment/reports/report-api " + k8s + `:30 Deployment report-api: container "log-shipper" has no readinessProbe`,
		"main.warn Deployment/reports/report-worker " + k8s + ":33 Deployment report-worker has no team label",
	})
	for _, r := range out.Results {
		if r.Rule.ID == "main.warn" && r.Rule.Severity != rule.Low || r.Rule.ID == "main.deny" && r.Rule.Severity != rule.High {
			t.Errorf("%s has severity %v; conftest's warn defaults to low, deny to high", r.Rule.ID, r.Rule.Severity)
		}
		if r.Rule.ID == "main.deny" && r.Status == rule.StatusFail && r.Path != "spec.template.spec.containers.1" {
			t.Errorf("main.deny path %q", r.Path)
		}
	}
}

// Nothing that reaches the network, files or the environment compiles;
// each refusal names the call's file:line:col, and the other policies
// still load.
func TestSandbox(t *testing.T) {
	s := load(t, policy.Options{}, "testdata/sandbox")
	want := map[string]string{
		"testdata/sandbox/http.rego:6:10":   "http.send",
		"testdata/sandbox/dns.rego:6:11":    "net.lookup_ip_addr",
		"testdata/sandbox/env.rego:6:9":     "opa.runtime",
		"testdata/sandbox/schema.rego:6:13": "json.match_schema",
		"testdata/sandbox/paths.rego:6:12":  "graph.reachable_paths",
	}
	got := map[string]string{}
	for _, d := range s.Diags {
		pos := fmt.Sprintf("%s:%d:%d", d.File, d.Line, d.Column)
		if d.Severity != diag.Error || !strings.Contains(d.Detail, "undefined function") {
			t.Errorf("unexpected diagnostic %v", d)
			continue
		}
		got[pos] = strings.TrimPrefix(d.Detail, "undefined function ")
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("refused calls:\n got %v\nwant %v", got, want)
	}
	if len(s.Policies) != 1 || s.Policies[0].Rule.ID != "GOOD-001" {
		t.Fatalf("the good policy should still load: %+v", s.Policies)
	}
	out := evaluate(t, s, "../../examples/seed-eks")
	noDiags(t, out.Diags)
	same(t, fails(out), []string{"GOOD-001 module.eks.aws_eks_cluster.this[0] ../../examples/seed-eks/tfplan.json:933 public CIDR"})
}

func boundsDiag(t *testing.T, out policy.Output, id, want string) {
	t.Helper()
	for _, d := range out.Diags {
		if strings.Contains(d.Summary, "policy "+id+" failed") {
			if !strings.Contains(d.Detail, want) {
				t.Errorf("%s: detail %q, want it to say %q", id, d.Detail, want)
			}
			if d.File == "" || d.Line == 0 {
				t.Errorf("%s: diagnostic has no position: %v", id, d)
			}
			return
		}
	}
	t.Errorf("no diagnostic for %s in %v", id, out.Diags)
}

func TestTimeBound(t *testing.T) {
	s := load(t, policy.Options{Limits: policy.Limits{Timeout: time.Second}}, "testdata/bounds/slow.rego", "testdata/bounds/fine.rego")
	noDiags(t, s.Diags)
	start := time.Now()
	out := evaluate(t, s, "../../examples/seed-eks")
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s; the bound is 1s", d)
	}
	boundsDiag(t, out, "SLOW-001", "time bound exceeded")
	same(t, fails(out), []string{"FINE-001 module.eks.aws_eks_cluster.this[0] ../../examples/seed-eks/tfplan.json:933 cluster seen"})
}

func TestMemoryBound(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates until the bound trips")
	}
	s := load(t, policy.Options{Limits: policy.Limits{Memory: 256 << 20, Timeout: 60 * time.Second}},
		"testdata/bounds/repeat.rego", "testdata/bounds/grow.rego", "testdata/bounds/regex.rego", "testdata/bounds/fine.rego")
	noDiags(t, s.Diags)
	out := evaluate(t, s, "../../examples/seed-eks")
	boundsDiag(t, out, "BIG-001", "numbers.range would build more than")
	boundsDiag(t, out, "RX-001", "regex.replace would build more than")
	boundsDiag(t, out, "GROW-001", "memory bound exceeded")
	// A policy evaluated at the same time is not blamed.
	same(t, fails(out), []string{"FINE-001 module.eks.aws_eks_cluster.this[0] ../../examples/seed-eks/tfplan.json:933 cluster seen"})
	if len(out.Diags) != 3 {
		t.Errorf("diagnostics: %v", out.Diags)
	}
}

func TestMetadata(t *testing.T) {
	s := load(t, policy.Options{}, "testdata/meta")
	var diags []string
	for _, d := range s.Diags {
		diags = append(diags, fmt.Sprintf("%s:%d %s", d.File, d.Line, d.Summary))
	}
	same(t, diags, []string{
		"testdata/meta/bad_severity.rego:5 invalid policy metadata",
		"testdata/meta/disagree.rego:13 policy metadata disagrees between definitions of one rule",
		"testdata/meta/taken.rego:8 policy id is taken by a built-in rule",
	})
	var got []string
	for _, p := range s.Policies {
		got = append(got, fmt.Sprintf("%s|%s|%s|%s|%v", p.Rule.ID, p.Rule.Title, p.Rule.Severity, p.Shape, p.Types))
	}
	same(t, got, []string{
		"ORG-K8S-001|Named and ranked|critical|resource|[k8s:*]",
		"meta.deny|Package title|high|resource|[k8s:*]",
		"meta.violation_obj|Package title|high|resource|[k8s:*]",
		"meta.warn|Package title|low|resource|[k8s:*]",
	})
	out := evaluate(t, s, "../../examples/policies/testdata/k8s")
	noDiags(t, out.Diags)
	var msgs []string
	for _, r := range fails(out) {
		if strings.Contains(r, "report-api") {
			msgs = append(msgs, r)
		}
	}
	const at = " Deployment/reports/report-api ../../examples/policies/testdata/k8s/reports.yaml:6 "
	same(t, msgs, []string{"ORG-K8S-001" + at + "x", "meta.deny" + at + "plain", "meta.violation_obj" + at + "v", "meta.warn" + at + "w"})
}

func TestRegoVersions(t *testing.T) {
	s := load(t, policy.Options{}, "testdata/versions")
	if len(s.Diags) != 1 || s.Diags[0].File != "testdata/versions/broken.rego" || s.Diags[0].Line != 5 {
		t.Errorf("auto: want one error at broken.rego:5, got %v", s.Diags)
	}
	var ids []string
	for _, p := range s.Policies {
		ids = append(ids, p.Rule.ID)
	}
	same(t, ids, []string{"future.deny", "new.deny", "objrule.deny", "old.deny"})
	// Each reads as its author meant: v0 sets (future.keywords included)
	// and v1's contains give sets; v1's deny[msg] if gives an object
	// whose keys are the messages.
	pod := graph.NewMap(map[string]*graph.Value{"kind": graph.NewString("Pod"),
		"spec": graph.NewMap(map[string]*graph.Value{"containers": graph.NewList(graph.NewMap(map[string]*graph.Value{"name": graph.NewString("c")}))})})
	pod.Range = graph.Range{File: "pod.yaml", Line: 1}
	out := s.Evaluate(context.Background(), policy.Env{Graph: graph.New(), Documents: []policy.Document{{File: "pod.yaml", Kind: "kubernetes", Value: pod}}})
	noDiags(t, out.Diags)
	same(t, fails(out), []string{"future.deny pod.yaml pod.yaml:1 future c", "new.deny pod.yaml pod.yaml:1 new style",
		"objrule.deny pod.yaml pod.yaml:1 object style", "old.deny pod.yaml pod.yaml:1 old style"})

	s = load(t, policy.Options{RegoVersion: "v1"}, "testdata/versions/v0.rego")
	if len(s.Diags) == 0 || s.Diags[0].Line != 3 || len(s.Policies) != 0 {
		t.Errorf("forced v1 must refuse v0 syntax at v0.rego:3: %v", s.Diags)
	}
	s = load(t, policy.Options{RegoVersion: "v0"}, "testdata/versions/v1.rego")
	if len(s.Diags) == 0 || len(s.Policies) != 0 {
		t.Errorf("forced v0 must refuse v1 syntax: %v", s.Diags)
	}
}

// conftest's exception rule waives a rule for the inputs it names.
func TestConftestException(t *testing.T) {
	s := load(t, policy.Options{}, "testdata/exception")
	noDiags(t, s.Diags)
	g := graph.New()
	pod := func(name string, line int) policy.Document {
		v := graph.NewMap(map[string]*graph.Value{
			"kind":     graph.NewString("Pod"),
			"metadata": graph.NewMap(map[string]*graph.Value{"name": graph.NewString(name)}),
			"spec": graph.NewMap(map[string]*graph.Value{"containers": graph.NewList(graph.NewMap(map[string]*graph.Value{
				"name": graph.NewString("c"), "image": graph.NewString("busybox:latest")}))}),
		})
		v.Range = graph.Range{File: "pods.yaml", Line: int32(line)}
		return policy.Document{File: "pods.yaml", Kind: "kubernetes", Value: v}
	}
	out := s.Evaluate(context.Background(), policy.Env{Graph: g, Documents: []policy.Document{pod("web", 1), pod("debug", 10)}})
	noDiags(t, out.Diags)
	same(t, fails(out), []string{"main.deny_latest_tag pods.yaml pods.yaml:1 c uses :latest"})
	if len(out.Excepted) != 1 || out.Excepted[0].Result.Range.Line != 10 || out.Excepted[0].At.Line != 11 ||
		out.Excepted[0].At.File != "testdata/exception/policy.rego" {
		t.Errorf("excepted: %+v", out.Excepted)
	}
}

func TestRunTests(t *testing.T) {
	s := load(t, policy.Options{}, "../../examples/policies")
	res, err := s.RunTests(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 10 {
		t.Errorf("%d tests, want 10", len(res))
	}
	for _, r := range res {
		if r.Status != "pass" {
			t.Errorf("%s: %s %s", r.Name, r.Status, r.Detail)
		}
	}

	s = load(t, policy.Options{}, "testdata/failtests")
	res, err = s.RunTests(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res {
		got = append(got, fmt.Sprintf("%s %s %s:%d", r.Status, r.Name, r.File, r.Line))
		if r.Name == "data.ft.test_fails" && !strings.Contains(r.Output, "input was") {
			t.Errorf("print output not captured: %q", r.Output)
		}
		if r.Name == "data.ft.test_errs" && r.Detail != "failed at testdata/failtests/p_test.rego:15: 1 / 0" {
			t.Errorf("failing expression: %q", r.Detail)
		}
	}
	same(t, got, []string{
		"pass data.ft.test_passes testdata/failtests/p_test.rego:5",
		"fail data.ft.test_fails testdata/failtests/p_test.rego:9",
		"fail data.ft.test_errs testdata/failtests/p_test.rego:14",
	})
	res, _ = s.RunTests(context.Background(), "passes")
	if len(res) != 1 {
		t.Errorf("filter: %d tests", len(res))
	}
}

// Raw policies see each format as conftest parses it, and a path into a
// file of many resources lands on the resource written there.
func TestRawDocumentShapes(t *testing.T) {
	s := load(t, policy.Options{}, "testdata/rawshapes")
	noDiags(t, s.Diags)
	const dir = "../builtin/testdata/EKS-001"
	out := evaluate(t, s, dir+"/hcl", dir+"/cfn", "../../examples/seed-eks")
	noDiags(t, out.Diags)
	var got []string
	for _, r := range out.Results {
		if r.Status == rule.StatusFail {
			file := strings.TrimPrefix(strings.TrimPrefix(r.Range.File, dir+"/"), "../../examples/")
			got = append(got, fmt.Sprintf("%s %s %s:%d %s", r.Rule.ID, r.Resource.Address, file, r.Range.Line, r.Message))
		}
	}
	same(t, got, []string{
		"main.deny Public cfn/template.yaml:20 cfn Public",
		"main.deny aws_eks_cluster.public hcl/main.tf:5 hcl public",
		"main.deny module.eks.aws_eks_cluster.this[0] seed-eks/tfplan.json:962 plan module.eks.aws_eks_cluster.this[0]",
		"main.warn ../builtin/testdata/EKS-001/cfn/template.yaml cfn/template.yaml:1 cfn This0 takes a parameter",
	})
}

// Two messages of one policy on one resource, with no path to tell them
// apart, still get fingerprints of their own.
func TestDistinctFingerprints(t *testing.T) {
	s := load(t, policy.Options{}, "testdata/dups")
	noDiags(t, s.Diags)
	out := evaluate(t, s, "../../examples/policies/testdata/k8s")
	noDiags(t, out.Diags)
	prints := map[string]string{}
	for _, r := range out.Results {
		if r.Status != rule.StatusFail {
			continue
		}
		f := finding.FromResult(r)
		if other, ok := prints[f.Fingerprint]; ok {
			t.Errorf("%q and %q on %s share a fingerprint", other, r.Message, r.Resource.Address)
		}
		prints[f.Fingerprint] = r.Message
	}
	if len(prints) != 4 {
		t.Errorf("%d distinct findings, want 2 messages on 2 Deployments", len(prints))
	}
}

// A policy that errs on every input says so a few times with the input,
// then counts the rest.
func TestPolicyErrorsAreCapped(t *testing.T) {
	s := load(t, policy.Options{}, "testdata/errs")
	noDiags(t, s.Diags)
	out := evaluate(t, s, "../../examples/shop/k8s")
	var got []string
	for _, d := range out.Diags {
		if d.File != "testdata/errs/conflict.rego" || d.Line != 15 {
			t.Errorf("diagnostic not at the policy: %v", d)
		}
		got = append(got, d.Summary)
	}
	if len(got) != 4 || !strings.HasPrefix(got[3], "policy ERR-001 failed on ") || !strings.HasSuffix(got[3], " more inputs") ||
		!strings.Contains(out.Diags[0].Detail, "conflicting values") {
		t.Errorf("diagnostics: %v", out.Diags)
	}
}

// Policies written for conftest (package main, no metadata, v0 or v1) run
// unchanged over Terraform and multi-document YAML.
func TestConftestPoliciesRunUnchanged(t *testing.T) {
	s := load(t, policy.Options{}, "testdata/conftest/policy")
	noDiags(t, s.Diags)
	out := evaluate(t, s, "testdata/conftest/terraform", "testdata/conftest/k8s", "testdata/conftest/values")
	noDiags(t, out.Diags)
	same(t, fails(out), []string{
		"main.deny testdata/conftest/values/values.yaml testdata/conftest/values/values.yaml:4 values pin the image to latest",
		"main.deny Deployment/default/web testdata/conftest/k8s/app.yaml:1 web must set runAsNonRoot",
		"main.deny testdata/conftest/terraform/main.tf testdata/conftest/terraform/main.tf:1 listener public serves plain HTTP",
		"main.deny testdata/conftest/terraform/main.tf testdata/conftest/terraform/main.tf:1 rule ssh opens ingress to the internet",
		"main.warn Service/default/web testdata/conftest/k8s/app.yaml:25 web is exposed through a load balancer",
	})
}
