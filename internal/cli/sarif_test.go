package cli

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

const exceptionsFixture = "testdata/exceptions"

type sarifResultView struct {
	RuleID       string `json:"ruleId"`
	Suppressions []struct {
		Kind, Status, Justification string
	} `json:"suppressions"`
	BaselineState string         `json:"baselineState"`
	Properties    map[string]any `json:"properties"`
	Locations     []struct {
		PhysicalLocation struct {
			Region struct{ StartLine int } `json:"region"`
		} `json:"physicalLocation"`
		LogicalLocations []struct{ FullyQualifiedName string } `json:"logicalLocations"`
	} `json:"locations"`
}

func sarifResults(t *testing.T, args ...string) map[string]sarifResultView {
	t.Helper()
	_, out, stderr := run(t, "", append([]string{"scan", "-f", "sarif"}, args...)...)
	var log struct {
		Runs []struct{ Results []sarifResultView } `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("SARIF does not parse: %v\n%s", err, stderr)
	}
	byResource := map[string]sarifResultView{}
	for _, r := range log.Runs[0].Results {
		if len(r.Locations) > 0 && len(r.Locations[0].LogicalLocations) > 0 {
			byResource[r.RuleID+" "+r.Locations[0].LogicalLocations[0].FullyQualifiedName] = r
		}
	}
	return byResource
}

// TestSARIFSuppressionsAndBaseline: suppressed findings stay in the SARIF
// with suppressions[] (inSource for a comment, external for the
// configuration file; accepted, with the reason), so code scanning shows
// them dismissed rather than fixed; with a baseline, its findings are
// unchanged and the others new.
func TestSARIFSuppressionsAndBaseline(t *testing.T) {
	const rule = "DATA-011 aws_secretsmanager_secret_policy."
	rs := sarifResults(t, exceptionsFixture)
	for name, want := range map[string]struct{ kind, why string }{
		"inline":     {"inSource", `read by the vendor's account only, reviewed in SEC-7 (testdata/exceptions/main.tf:6)`},
		"configured": {"external", "a break-glass secret, reviewed in SEC-9 (testdata/exceptions/.eksguard.yaml:3)"},
	} {
		r, ok := rs[rule+name]
		if !ok || len(r.Suppressions) != 1 || r.Suppressions[0].Kind != want.kind || r.Suppressions[0].Status != "accepted" ||
			r.Suppressions[0].Justification != want.why {
			t.Errorf("%s: %+v", name, r)
		}
		// Critical: the gate still counts it, and the result says so.
		if r.Properties["eksguard/gated"] != true {
			t.Errorf("%s: properties %v", name, r.Properties)
		}
	}
	if r := rs[rule+"known"]; len(r.Suppressions) != 0 || r.BaselineState != "" {
		t.Errorf("an active finding without a baseline: %+v", r)
	}

	b := filepath.Join(t.TempDir(), "b.json")
	if code, _, stderr := run(t, "", "baseline", "create", "-o", b, exceptionsFixture); code != ExitOK {
		t.Fatalf("baseline create: exit %d: %s", code, stderr)
	}
	rs = sarifResults(t, "--baseline", b, exceptionsFixture, example)
	if r := rs[rule+"known"]; r.BaselineState != "unchanged" || len(r.Suppressions) != 0 {
		t.Errorf("a baselined finding: %+v", r)
	}
	if r := rs["EKS-002 module.eks.aws_eks_cluster.this[0]"]; r.BaselineState != "new" {
		t.Errorf("a new finding: %+v", r)
	}
	if r := rs[rule+"inline"]; len(r.Suppressions) != 1 || r.BaselineState != "" {
		t.Errorf("a suppressed finding with a baseline: %+v", r)
	}
}
