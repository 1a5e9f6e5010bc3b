package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/render"
	"github.com/eksguard/eksguard/internal/report"
)

const example = "../../examples/seed-eks"

func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

func scanJSON(t *testing.T, args ...string) (int, *report.Report) {
	t.Helper()
	code, out, stderr := run(t, "", append([]string{"scan", "--format", "json", "--as-of", "2026-11-22"}, args...)...)
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("JSON output does not parse: %v\nstderr: %s\n%s", err, stderr, out)
	}
	return code, &r
}

// TestSeedExample is the acceptance check of the bundled example: the six
// issues the scanner in Snyk's EKS hardening post reported are all found, and the gate fails.
func TestSeedExample(t *testing.T) {
	code, r := scanJSON(t, example)
	if code != ExitGate {
		t.Errorf("exit status = %d, want %d", code, ExitGate)
	}
	type want struct{ rule, resource, path string }
	wants := []want{
		{"EKS-002", "module.eks.aws_eks_cluster.this[0]", "vpc_config.public_access_cidrs"},
		{"NODE-003", "module.eks.aws_launch_configuration.workers[0]", "root_block_device.encrypted"},
		{"NET-001", "module.vpc.aws_subnet.public[0]", "map_public_ip_on_launch"},
		{"NET-001", "module.vpc.aws_subnet.public[1]", "map_public_ip_on_launch"},
		{"NET-001", "module.vpc.aws_subnet.public[2]", "map_public_ip_on_launch"},
		{"EKS-006", "module.eks.aws_eks_cluster.this[0]", "enabled_cluster_log_types"},
	}
	for _, w := range wants {
		found := false
		for _, f := range r.Findings {
			if f.RuleID == w.rule && f.Resource == w.resource && f.Path == w.path {
				found = true
				if f.File != "../../examples/seed-eks/tfplan.json" || f.Line == 0 {
					t.Errorf("%s on %s: location %s:%d, want a line in the example plan", w.rule, w.resource, f.File, f.Line)
				}
			}
		}
		if !found {
			t.Errorf("missing finding %s on %s at %s", w.rule, w.resource, w.path)
		}
	}
	// Beyond the post's six, every verdict on the example is asserted, so a
	// rule that starts flagging or missing something here is noticed.
	exact := []want{
		// Logging is on but the plan declares no /aws/eks/<cluster>/cluster
		// log group: EKS creates it, never expiring and without a KMS key.
		{"AUD-005", "module.eks.aws_eks_cluster.this[0]", "enabled_cluster_log_types"},
		{"AUD-006", "module.eks.aws_eks_cluster.this[0]", "enabled_cluster_log_types"},
		{"EKS-001", "module.eks.aws_eks_cluster.this[0]", "vpc_config.endpoint_public_access"},
		{"EKS-002", "module.eks.aws_eks_cluster.this[0]", "vpc_config.public_access_cidrs"},
		{"EKS-004", "aws_kms_key.eks", "enable_key_rotation"},
		{"EKS-006", "module.eks.aws_eks_cluster.this[0]", "enabled_cluster_log_types"},
		{"EKS-007", "module.eks.aws_eks_cluster.this[0]", ""},
		{"EKS-008", "module.eks.aws_eks_cluster.this[0]", ""},
		{"EKS-010", "module.eks.aws_eks_cluster.this[0]", "version"},
		{"EKS-013", "module.eks.aws_iam_role_policy_attachment.workers_AmazonEKS_CNI_Policy[0]", "policy_arn"},
		{"NET-001", "module.vpc.aws_subnet.public[0]", "map_public_ip_on_launch"},
		{"NET-001", "module.vpc.aws_subnet.public[1]", "map_public_ip_on_launch"},
		{"NET-001", "module.vpc.aws_subnet.public[2]", "map_public_ip_on_launch"},
		{"NET-005", "module.vpc.aws_vpc.this[0]", ""}, // no flow log
		// The module of the plan does not adopt the default security
		// group: AWS's rules stay.
		{"NET-006", "module.vpc.aws_vpc.this[0]", ""},
		{"NODE-001", "module.eks.aws_launch_configuration.workers[0]", "metadata_options.http_tokens"},
		{"NODE-003", "module.eks.aws_launch_configuration.workers[0]", "root_block_device.encrypted"},
		{"NODE-006", "module.eks.aws_autoscaling_group.workers[0]", "tag"},
		// The plan shows the key's default policy as known after apply.
		{"?DATA-020", "aws_kms_key.eks", "policy"},
		{"?NODE-002", "module.eks.aws_launch_configuration.workers[0]", "metadata_options.http_put_response_hop_limit"},
	}
	var got []want
	for _, f := range r.Findings {
		got = append(got, want{f.RuleID, f.Resource, f.Path})
	}
	for _, f := range r.Unknowns {
		got = append(got, want{"?" + f.RuleID, f.Resource, f.Path})
	}
	if len(got) != len(exact) {
		t.Errorf("got %d verdicts, want %d:\n%v", len(got), len(exact), got)
	} else {
		for i := range exact {
			if got[i] != exact[i] {
				t.Errorf("verdict %d = %v, want %v", i, got[i], exact[i])
			}
		}
	}
}

func TestTextOutputShape(t *testing.T) {
	code, out, _ := run(t, "", "scan", "--as-of", "2026-11-22", example)
	if code != ExitGate {
		t.Errorf("exit = %d", code)
	}
	for _, s := range []string{
		"introduced by module.eks > aws_eks_cluster.this[0] > vpc_config > public_access_cidrs",
		"[High Severity] [EKS-002] in EKS",
		"../../examples/seed-eks/tfplan.json:",
		"Summary:",
		"Gate: FAILED",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("text output lacks %q\n%s", s, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour codes written to a non-terminal")
	}
}

func TestDeterministicOutput(t *testing.T) {
	_, a, _ := run(t, "", "scan", "--format", "json", "--as-of", "2026-11-22", example)
	_, b, _ := run(t, "", "scan", "--format", "json", "--as-of", "2026-11-22", example)
	if a != b {
		t.Fatal("two runs over the same input gave different bytes")
	}
}

func TestMalformedInputStillScansOthers(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(filepath.Join(example, "tfplan.json"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "a-good.json"), good, 0o644)
	os.WriteFile(filepath.Join(dir, "b-truncated.json"), good[:len(good)/2], 0o644)
	// The good plan fails the gate: 1 wins over the input error's 2.
	code, r := scanJSON(t, dir)
	if code != ExitGate {
		t.Errorf("exit = %d, want 1: the gate failed on the plan that was read", code)
	}
	if code, _, _ := run(t, "", "scan", "--fail-on", "none", dir); code != ExitInput {
		t.Errorf("--fail-on none: exit = %d, want 2 for an unreadable input", code)
	}
	if len(r.Errors) != 1 || !strings.HasSuffix(r.Errors[0].File, "b-truncated.json") || r.Errors[0].Line == 0 {
		t.Errorf("want one error naming b-truncated.json with a line, got %+v", r.Errors)
	}
	if len(r.Findings) == 0 {
		t.Error("the good plan was not scanned")
	}
}

func TestFailOnAndOutputs(t *testing.T) {
	if code, _, _ := run(t, "", "scan", "--fail-on", "none", example); code != ExitOK {
		t.Errorf("--fail-on none: exit %d", code)
	}
	if code, _, _ := run(t, "", "scan", "--fail-on", "low", example); code != ExitGate {
		t.Errorf("--fail-on low: exit %d", code)
	}
	if code, _, _ := run(t, "", "scan", "--fail-on", "bogus", example); code != ExitUsage {
		t.Errorf("--fail-on bogus: exit %d", code)
	}
	file := filepath.Join(t.TempDir(), "out.json")
	code, out, _ := run(t, "", "scan", example, "--format", "text", "--format", "json="+file)
	if code != ExitGate || !strings.Contains(out, "Summary:") {
		t.Errorf("text to stdout missing (exit %d)", code)
	}
	data, err := os.ReadFile(file)
	if err != nil || !json.Valid(data) {
		t.Errorf("json=%s not written as JSON: %v", file, err)
	}
}

func TestStdin(t *testing.T) {
	data, _ := os.ReadFile(filepath.Join(example, "tfplan.json"))
	code, out, _ := run(t, string(data), "scan", "--format", "json", "-")
	if code != ExitGate || !strings.Contains(out, `"<stdin>"`) {
		t.Errorf("stdin scan: exit %d", code)
	}
}

func TestRulesCommand(t *testing.T) {
	code, out, _ := run(t, "", "rules")
	if code != 0 || !strings.Contains(out, "EKS-001") {
		t.Errorf("rules list: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "", "rules", "eks-001")
	if code != 0 || !strings.Contains(out, "How to fix") || !strings.Contains(out, "References") {
		t.Errorf("rules EKS-001: exit %d\n%s", code, out)
	}
	if code, _, _ := run(t, "", "rules", "NOPE-1"); code != ExitUsage {
		t.Errorf("unknown rule id: exit %d", code)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"frobnicate"}, {"scan"}, {"scan", "--format", "xml", "."}, {"scan", "--as-of", "yesterday", "."}} {
		if code, _, _ := run(t, "", args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want 3", args, code)
		}
	}
	if code, _, stderr := run(t, "", "scan", "does-not-exist.json"); code != ExitInput || stderr != "" {
		t.Errorf("missing input: exit %d", code)
	}
}

// TestJSONFieldsDocumented keeps docs/json-report.md in step with the
// output: every key the report writes must be documented.
func TestJSONFieldsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/json-report.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good, _ := os.ReadFile(filepath.Join(example, "tfplan.json"))
	os.WriteFile(filepath.Join(dir, "plan.json"), good, 0o644)
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte("{"), 0o644)
	os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name":"x"}`), 0o644)
	// The incomplete fixture fills summary.incomplete, so its keys are
	// checked too.
	_, out, _ := run(t, "", "scan", "--format", "json", dir, incompleteFixture)
	var v any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	var walk func(any, bool)
	walk = func(v any, free bool) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if !free {
					keys[k] = true
				}
				// Maps keyed by severity are documented by their values.
				walk(e, strings.HasSuffix(k, "by_severity"))
			}
		case []any:
			for _, e := range x {
				walk(e, false)
			}
		}
	}
	walk(v, false)
	for k := range keys {
		if !strings.Contains(string(doc), "`"+k+"`") {
			t.Errorf("JSON report field %q is not documented in docs/json-report.md", k)
		}
	}
}

// TestPlatformExample scans the 34-file Terraform platform in
// examples/eks-platform (root module, network/iam/cluster/node-group/
// karpenter modules, tfvars, count, for_each, dynamic blocks) and asserts
// every verdict that is not a pass.
func TestPlatformExample(t *testing.T) {
	code, r := scanJSON(t, "--admin-principal", "arn:aws:iam::*:role/platform-admin", "../../examples/eks-platform")
	if code != ExitGate || len(r.Errors) != 0 {
		t.Fatalf("exit %d, errors %v", code, r.Errors)
	}
	want := []string{
		"fail EKS-001 module.cluster.aws_eks_cluster.this vpc_config.endpoint_public_access modules/cluster/main.tf:11",
		`fail EKS-009 module.cluster.aws_eks_access_policy_association.admin["ci"] principal_arn modules/cluster/access.tf:17`,
		"fail EKS-010 module.cluster.aws_eks_cluster.this version modules/cluster/main.tf:3",
		"fail EKS-012 module.cluster.aws_eks_addon.vpc_cni configuration_values modules/cluster/addons.tf:4",
		`fail EKS-013 module.iam.aws_iam_role_policy_attachment.node["AmazonEKS_CNI_Policy"] policy_arn modules/iam/node.tf:23`,
		"fail IAM-011 module.iam.aws_iam_role.admin assume_role_policy modules/iam/admin.tf:8",
		"fail IAM-012 module.iam.aws_iam_role.admin assume_role_policy modules/iam/admin.tf:8",
		"fail IAM-013 module.iam.aws_iam_role.ci assume_role_policy modules/iam/ci.tf:8",
		"fail NET-001 module.network.aws_subnet.public[0] map_public_ip_on_launch modules/network/subnets.tf:18",
		"fail NET-001 module.network.aws_subnet.public[1] map_public_ip_on_launch modules/network/subnets.tf:18",
		"fail NET-001 module.network.aws_subnet.public[2] map_public_ip_on_launch modules/network/subnets.tf:18",
		"fail NET-002 module.network.aws_security_group.bastion ingress.cidr_blocks modules/network/security.tf:26",
		"fail NET-005 module.network.aws_vpc.this  modules/network/main.tf:1",
		"fail NET-006 module.network.aws_vpc.this  modules/network/main.tf:1",
		`fail NODE-001 module.node_group["batch"].aws_launch_template.this metadata_options.http_tokens modules/node-group/launch_template.tf:7`,
		"fail NODE-002 module.karpenter.kubernetes_manifest.default_nodeclass.manifest spec.metadataOptions.httpPutResponseHopLimit modules/karpenter/main.tf:11",
		"unknown IAM-010 module.iam.aws_iam_role.admin assume_role_policy modules/iam/admin.tf:8",
	}
	var got []string
	for _, f := range append(r.Findings, r.Unknowns...) {
		got = append(got, fmt.Sprintf("%s %s %s %s %s:%d", f.Status, f.RuleID, f.Resource, f.Path,
			strings.TrimPrefix(f.File, "../../examples/eks-platform/"), f.Line))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("verdicts\n got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A finding inside a module names the module block that called it.
	for _, f := range r.Findings {
		if f.RuleID == "NODE-001" && (len(f.ModuleCalls) != 1 || f.ModuleCalls[0].Line != 28) {
			t.Errorf("NODE-001 call chain locations %+v, want main.tf:28", f.ModuleCalls)
		}
	}
}

// TestShopExample scans a directory that mixes formats as a platform
// repository does (helm-rendered manifests, Terraform, CloudFormation) in one
// run, and asserts every finding and unknown exactly. The example's
// manifests are hardened except for the deviations written into them on
// purpose; each line below is one of those.
func TestShopExample(t *testing.T) {
	const dir = "../../examples/shop/"
	code, r := scanJSON(t, dir)
	if code != ExitGate || len(r.Errors) != 0 || len(r.Notices) != 0 {
		t.Fatalf("exit %d, errors %v, notices %v", code, r.Errors, r.Notices)
	}
	kinds := map[string]int{}
	for _, in := range r.Inputs {
		kinds[in.Kind]++
	}
	if kinds["kubernetes"] != 8 || kinds["terraform"] != 1 || kinds["cloudformation"] != 1 {
		t.Errorf("inputs by kind %v, want 8 manifest files, 1 Terraform module, 1 CloudFormation template", kinds)
	}
	want := []string{
		"fail EKS-013 NodeRole.ManagedPolicyArns[2] cloudformation/nodegroup.yaml:30",
		"fail IAM-014 aws_iam_role.ci_runner terraform/main.tf:82",
		"fail K8S-001 Deployment/ci-runners/runner k8s/ci-runners.yaml:47",
		"fail K8S-001 Pod/default/debug-shell k8s/debug-pod.yaml:4",
		"fail K8S-001 Namespace/checkout k8s/platform.yaml:16",
		"fail K8S-002 Namespace/data k8s/platform.yaml:26",
		"fail K8S-003 Deployment/ci-runners/runner k8s/ci-runners.yaml:47",
		"fail K8S-003 Pod/default/debug-shell k8s/debug-pod.yaml:4",
		"fail K8S-003 Namespace/observability k8s/platform.yaml:34",
		"fail K8S-004 Deployment/ci-runners/runner k8s/ci-runners.yaml:47",
		"fail K8S-004 Pod/default/debug-shell k8s/debug-pod.yaml:4",
		"fail K8S-004 Namespace/checkout k8s/platform.yaml:16",
		"fail K8S-005 Namespace/data k8s/platform.yaml:27",
		"fail K8S-005 Namespace/observability k8s/platform.yaml:37",
		"fail K8S-006 Pod/default/debug-shell k8s/debug-pod.yaml:4",
		"fail K8S-010 Deployment/ci-runners/runner k8s/ci-runners.yaml:75",
		"fail K8S-011 DaemonSet/observability/node-exporter k8s/observability.yaml:66",
		"fail K8S-012 DaemonSet/observability/node-exporter k8s/observability.yaml:58",
		"fail K8S-013 Deployment/ci-runners/runner k8s/ci-runners.yaml:85",
		"fail K8S-013 DaemonSet/observability/node-exporter k8s/observability.yaml:71",
		"fail K8S-013 DaemonSet/observability/fluent-bit k8s/observability.yaml:128",
		"fail K8S-014 Deployment/ci-runners/runner k8s/ci-runners.yaml:85",
		"fail K8S-015 Deployment/ci-runners/runner k8s/ci-runners.yaml:74",
		"fail K8S-015 Pod/default/debug-shell k8s/debug-pod.yaml:8",
		"fail K8S-016 Deployment/ci-runners/runner k8s/ci-runners.yaml:78",
		"fail K8S-017 Deployment/ci-runners/runner k8s/ci-runners.yaml:75",
		"fail K8S-017 Pod/default/debug-shell k8s/debug-pod.yaml:8",
		"fail K8S-018 Job/batch/backfill k8s/batch.yaml:98",
		"fail K8S-018 Deployment/ci-runners/runner k8s/ci-runners.yaml:74",
		"fail K8S-018 Pod/default/debug-shell k8s/debug-pod.yaml:8",
		"fail K8S-018 StatefulSet/storefront/search k8s/storefront.yaml:185",
		"fail K8S-019 Deployment/ci-runners/runner k8s/ci-runners.yaml:74",
		"fail K8S-019 Pod/default/debug-shell k8s/debug-pod.yaml:8",
		"fail K8S-020 Deployment/ci-runners/runner k8s/ci-runners.yaml:74",
		"fail K8S-020 StatefulSet/data/postgres k8s/data.yaml:57",
		"fail K8S-020 Pod/default/debug-shell k8s/debug-pod.yaml:8",
		"fail K8S-021 Pod/default/debug-shell k8s/debug-pod.yaml:8",
		"fail K8S-022 StatefulSet/data/redis k8s/data.yaml:95",
		"fail K8S-022 Pod/default/debug-shell k8s/debug-pod.yaml:9",
		"fail K8S-023 Deployment/ci-runners/runner k8s/ci-runners.yaml:67",
		"fail K8S-023 StatefulSet/data/redis k8s/data.yaml:95",
		"fail K8S-023 Pod/default/debug-shell k8s/debug-pod.yaml:9",
		"fail K8S-023 StatefulSet/storefront/search k8s/storefront.yaml:173",
		"fail K8S-024 CronJob/batch/cleanup k8s/batch.yaml:135",
		"fail K8S-024 Deployment/ci-runners/runner k8s/ci-runners.yaml:64",
		"fail K8S-024 Pod/default/debug-shell k8s/debug-pod.yaml:6",
		"fail K8S-025 Deployment/checkout/payment-gateway k8s/checkout.yaml:123",
		"fail K8S-026 Deployment/checkout/checkout-api k8s/checkout.yaml:68",
		"fail K8S-030 ConfigMap/kube-system/aws-auth k8s/platform.yaml:498",
		"fail K8S-031 ClusterRoleBinding/oncall-admin k8s/platform.yaml:446",
		"fail K8S-032 Role/ci-runners/runner k8s/ci-runners.yaml:24",
		"fail K8S-033 ClusterRole/release-manager k8s/platform.yaml:463",
		"fail K8S-034 ClusterRole/oncall-debug k8s/platform.yaml:429",
		"fail K8S-035 ServiceAccount/checkout/checkout k8s/checkout.yaml:9",
		"unknown K8S-005 Deployment/ci-runners/runner k8s/ci-runners.yaml:47",
		"unknown K8S-005 Pod/default/debug-shell k8s/debug-pod.yaml:4",
		"unknown K8S-035 ServiceAccount/platform/cert-manager k8s/platform.yaml:576",
	}
	var got []string
	for _, f := range append(r.Findings, r.Unknowns...) {
		got = append(got, fmt.Sprintf("%s %s %s %s:%d", f.Status, f.RuleID, f.Resource, strings.TrimPrefix(f.File, dir), f.Line))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("verdicts\n got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A finding in helm output names the chart template it came from.
	for _, f := range r.Findings {
		if f.RuleID == "K8S-023" && f.Resource == "StatefulSet/storefront/search" &&
			(len(f.IntroducedBy) == 0 || f.IntroducedBy[0] != "helm:storefront/templates/search.yaml") {
			t.Errorf("introduced by %v, want the chart template first", f.IntroducedBy)
		}
	}
}

// TestK8sNamespaceFlag: objects that name no namespace land in the one
// given, as kubectl apply -n would place them.
func TestK8sNamespaceFlag(t *testing.T) {
	const pod = "../../examples/shop/k8s/debug-pod.yaml"
	for _, tc := range []struct {
		args     []string
		resource string
		k8s006   string
	}{
		{nil, "Pod/default/debug-shell", "fail"},
		{[]string{"--k8s-namespace", "tools"}, "Pod/tools/debug-shell", ""},
	} {
		_, r := scanJSON(t, append(tc.args, pod)...)
		got := ""
		for _, f := range r.Findings {
			if f.Resource != tc.resource {
				t.Errorf("%v: finding on %s, want %s", tc.args, f.Resource, tc.resource)
			}
			if f.RuleID == "K8S-006" {
				got = f.Status
			}
		}
		if got != tc.k8s006 {
			t.Errorf("%v: K8S-006 %q, want %q", tc.args, got, tc.k8s006)
		}
	}
}

// TestDataPlatformExample asserts every finding on the data-platform
// example exactly. Each is a deviation written into it on purpose; the
// settings linked by literal bucket name, the for_each lake buckets in a
// module, the redirecting listener and the rotated keys must all pass.
func TestDataPlatformExample(t *testing.T) {
	const dir = "../../examples/data-platform/"
	code, r := scanJSON(t, dir)
	if code != ExitGate || len(r.Errors) != 0 {
		t.Fatalf("exit %d, errors %v", code, r.Errors)
	}
	want := []string{
		"fail DATA-001 aws_s3_bucket_acl.website acl website.tf:8",
		"fail DATA-002 aws_s3_bucket_policy.website policy website.tf:15",
		"fail DATA-003 aws_s3_bucket.website  website.tf:2",
		"fail DATA-004 aws_s3_bucket_server_side_encryption_configuration.logs rule.apply_server_side_encryption_by_default.sse_algorithm lake.tf:28",
		"fail DATA-004 module.zone[\"exports\"].aws_s3_bucket_server_side_encryption_configuration.this rule.apply_server_side_encryption_by_default.sse_algorithm modules/bucket/main.tf:36",
		"fail DATA-004 aws_s3_bucket.website  website.tf:2",
		"fail DATA-005 aws_s3_bucket.logs  lake.tf:12",
		"fail DATA-005 aws_s3_bucket_policy.website policy website.tf:13",
		"fail DATA-010 aws_secretsmanager_secret.vendor_api  secrets.tf:8",
		"fail DATA-020 aws_kms_key_policy.shared policy kms.tf:41",
		"fail DATA-021 aws_kms_key.legacy  kms.tf:19",
		"fail DATA-030 aws_cloudfront_distribution.reports default_cache_behavior website.tf:65",
		"fail DATA-031 aws_cloudfront_distribution.website default_cache_behavior.viewer_protocol_policy website.tf:33",
		"fail DATA-040 aws_ecr_repository.this[\"legacy-ui\"] image_scanning_configuration.scan_on_push ecr.tf:7",
		"fail DATA-041 aws_ecr_repository.this[\"legacy-ui\"] image_tag_mutability ecr.tf:4",
		"fail DATA-050 aws_secretsmanager_secret_version.vendor_api secret_string secrets.tf:14",
		"fail DATA-050 aws_lambda_function.ingest environment.0.variables.AWS_ACCESS_KEY_ID secrets.tf:37",
		"fail NET-004 aws_network_acl_rule.sandbox_ssh cidr_block network.tf:40",
		"fail NET-005 aws_vpc.sandbox  network.tf:12",
		"fail NET-006 aws_default_security_group.sandbox ingress network.tf:22",
		"fail NET-007 aws_lb_listener.internal_jobs protocol network.tf:93",
		"fail NET-008 aws_lb.api  network.tf:51",
	}
	var got []string
	for _, f := range append(r.Findings, r.Unknowns...) {
		got = append(got, fmt.Sprintf("%s %s %s %s %s:%d", f.Status, f.RuleID, f.Resource, f.Path, strings.TrimPrefix(f.File, dir), f.Line))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("verdicts\n got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Secret values never reach the report.
	for _, f := range r.Findings {
		for _, secret := range []string{"sk_live_4eC39HqLyjWDarjtT1zdp7dcM2xq", "AKIAQ3EGRKT7ZVXW5N2M"} {
			if strings.Contains(f.Message, secret) || strings.Contains(f.Remediation, secret) {
				t.Errorf("%s leaks a secret value: %s", f.RuleID, f.Message)
			}
		}
	}
}

const incompleteFixture = "testdata/incomplete"

// TestIncompleteScan: a module call that is not downloaded is named, with
// its module block's file:line, in every output a reader looks at, and
// --fail-on-incomplete turns it into exit status 2 after the reports are
// written. Without the flag the gate alone decides the status.
func TestIncompleteScan(t *testing.T) {
	code, r := scanJSON(t, incompleteFixture)
	if code != ExitOK || !r.Gate.Passed {
		t.Errorf("without --fail-on-incomplete: exit %d, gate passed %v; want the gate's 0", code, r.Gate.Passed)
	}
	want := report.UnreadCall{Call: "module.vpc", Source: "terraform-aws-modules/vpc/aws",
		File: filepath.Join(incompleteFixture, "main.tf"), Line: 3,
		Reason: "not downloaded: run terraform init, or scan with --download-modules"}
	if len(r.Summary.Incomplete) != 1 || r.Summary.Incomplete[0] != want {
		t.Errorf("summary.incomplete = %+v, want [%+v]", r.Summary.Incomplete, want)
	}

	code, out, _ := run(t, "", "scan", "--as-of", "2026-11-22", incompleteFixture)
	if code != ExitOK {
		t.Errorf("text: exit %d", code)
	}
	for _, s := range []string{
		"Gate: passed",
		"incomplete: 1 module call not read (its resources were not checked)",
		"module.vpc (terraform-aws-modules/vpc/aws) " + want.File + ":3: not downloaded",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("text output lacks %q\n%s", s, out)
		}
	}
	if strings.Contains(out, "Input problems") {
		t.Errorf("the unread call is listed twice:\n%s", out)
	}

	dir := t.TempDir()
	sarif, js := filepath.Join(dir, "out.sarif"), filepath.Join(dir, "out.json")
	code, out, stderr := run(t, "", "scan", "--fail-on-incomplete", "--format", "text", "--format", "sarif="+sarif,
		"--format", "json="+js, incompleteFixture)
	if code != ExitInput {
		t.Errorf("--fail-on-incomplete: exit %d, want %d", code, ExitInput)
	}
	if !strings.Contains(out, "incomplete: 1 module call") || !strings.Contains(stderr, "--fail-on-incomplete: 1 module call not read") {
		t.Errorf("--fail-on-incomplete: stdout\n%s\nstderr\n%s", out, stderr)
	}
	if data, err := os.ReadFile(js); err != nil || !strings.Contains(string(data), `"call": "module.vpc"`) {
		t.Errorf("JSON report not written before exiting 2: %v", err)
	}
	data, err := os.ReadFile(sarif)
	if err != nil {
		t.Fatalf("SARIF report not written before exiting 2: %v", err)
	}
	var log struct {
		Runs []struct {
			Invocations []struct {
				ExecutionSuccessful        bool `json:"executionSuccessful"`
				ToolExecutionNotifications []struct {
					Descriptor struct{ ID string }
					Level      string
					Message    struct{ Text string }
					Locations  []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string }
							Region           struct{ StartLine int }
						}
					}
				} `json:"toolExecutionNotifications"`
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Invocations) != 1 || len(log.Runs[0].Invocations[0].ToolExecutionNotifications) != 1 {
		t.Fatalf("want one invocation with one notification:\n%s", data)
	}
	inv := log.Runs[0].Invocations[0]
	n := inv.ToolExecutionNotifications[0]
	if !inv.ExecutionSuccessful || n.Descriptor.ID != render.IncompleteID || n.Level != "warning" ||
		!strings.Contains(n.Message.Text, "module.vpc") || !strings.Contains(n.Message.Text, "not downloaded") ||
		len(n.Locations) != 1 || n.Locations[0].PhysicalLocation.ArtifactLocation.URI != "testdata/incomplete/main.tf" ||
		n.Locations[0].PhysicalLocation.Region.StartLine != 3 {
		t.Errorf("notification: %+v (executionSuccessful %v)", n, inv.ExecutionSuccessful)
	}

	// The flag fails the run even with the gate disabled, and changes
	// nothing on a complete scan.
	if code, _, _ := run(t, "", "scan", "--fail-on-incomplete", "--fail-on", "none", incompleteFixture); code != ExitInput {
		t.Errorf("--fail-on-incomplete --fail-on none: exit %d, want %d", code, ExitInput)
	}
	code, r = scanJSON(t, "--fail-on-incomplete", example)
	if code != ExitGate || r.Summary.Incomplete == nil || len(r.Summary.Incomplete) != 0 {
		t.Errorf("complete scan with --fail-on-incomplete: exit %d, incomplete %#v; want %d and []", code, r.Summary.Incomplete, ExitGate)
	}
	_, out, _ = run(t, "", "scan", "--format", "json", example)
	if !strings.Contains(out, `"incomplete": []`) {
		t.Error(`a complete scan's JSON lacks "incomplete": []`)
	}
}

// TestBaselineCreateIncomplete: recording a baseline from an incomplete
// scan is allowed (the missing findings are gated as new later) but not
// silent.
func TestBaselineCreateIncomplete(t *testing.T) {
	out := filepath.Join(t.TempDir(), "b.json")
	code, _, stderr := run(t, "", "baseline", "create", "--output", out, incompleteFixture)
	if code != ExitOK || !strings.Contains(stderr, "incomplete: 1 module call not read") || !strings.Contains(stderr, "module.vpc") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// TestRegistryStyleExample: a platform written as the registry modules are
// (optional() defaults through two module levels, for_each over maps of
// objects, count from optional booleans, dynamic policy statements) gives
// the verdicts Terraform's values imply, and nothing is unknown.
func TestRegistryStyleExample(t *testing.T) {
	code, r := scanJSON(t, "../../examples/registry-style")
	if code != ExitGate || len(r.Errors) != 0 || len(r.Unknowns) != 0 {
		t.Fatalf("exit %d, errors %v, unknowns %v", code, r.Errors, r.Unknowns)
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.Status+" "+f.RuleID+" "+f.Resource+" "+f.Path)
	}
	want := []string{
		`fail EKS-007 module.platform.aws_eks_cluster.this[0] access_config`,
		`fail NODE-001 module.platform.module.node_group["legacy"].aws_launch_template.this metadata_options.http_tokens`,
	}
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	// Verdicts that hang on defaults Terraform applies: secrets encrypted
	// by the optional() default, IMDSv2 and hop limit 1 from the second
	// module's defaults, the key policy's principals derived.
	passes := map[string]int{"EKS-003": 1, "NODE-001": 1, "NODE-002": 2, "EKS-001": 1, "DATA-020": 1, "AUD-006": 1, "EKS-006": 1}
	for id, n := range passes {
		if v := r.RuleVerdicts[id]; v.Pass != n || v.Fail+v.Unknown != map[string]int{"NODE-001": 1}[id] {
			t.Errorf("%s: %+v, want %d passes", id, v, n)
		}
	}
}
