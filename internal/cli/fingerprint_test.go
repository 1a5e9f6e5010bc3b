package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/eksguard/eksguard/internal/baseline"
)

// fingerprintFixture holds, in one directory each, two manifests that both
// declare Deployment default/web beside one that alone declares
// Deployment default/api, and two CloudFormation templates that both have
// a Bucket beside a Logs bucket only one has.
const fingerprintFixture = "testdata/fingerprints"

// pinnedFingerprints are fingerprints eksguard gave these findings before
// resources sharing an address were told apart (scanned as
// testdata/fingerprints from this directory): their addresses are unique
// in their directories, so they must not change, or existing baselines
// would stop matching.
var pinnedFingerprints = map[string]string{
	"DATA-003 Logs":                  "a3b7cca40842c11cc92b96c1134526e4",
	"DATA-004 Logs":                  "b0d00b6354abb09f8cf02b85caf123a2",
	"DATA-005 Logs":                  "3b98ba95fb1d0cbbb157bb910e62cc5c",
	"K8S-001 Deployment/default/api": "3dd32d4a43493096d77ac5674f5cacf3",
	"K8S-018 Deployment/default/api": "9846390442590b548d096141c0589974",
	"K8S-022 Deployment/default/api": "78a1a160db419cdf197636854b30d77a",
	"K8S-024 Deployment/default/api": "dd99aea497d5ee561cfd74c9c6cc00ab",
	"K8S-005 Deployment/default/api": "f9fa18b27c381fbe042982c1b37961d2",
	"K8S-023 Deployment/default/api": "8350baab762d72a52dca4eb54f326d93",
	"K8S-019 Deployment/default/api": "f38db9e4271ea93552b1b10c8d7b0559",
	"K8S-020 Deployment/default/api": "4e525ca3f21e822283d1044519e1e1be",
	"K8S-021 Deployment/default/api": "08e6b75488cd7073142cd39ff5239cb3",
	"K8S-017 Deployment/default/api": "21c33ad2204bccc75f888b4487407d42",
	"K8S-015 Deployment/default/api": "cdfa44586c641c52a97ab0a18a4f99c5",
	"K8S-003 Deployment/default/api": "757e041b89cd82528605426475945a9c",
	"K8S-004 Deployment/default/api": "aa120f4402257d64c1f7cec54b253860",
	"K8S-006 Deployment/default/api": "a16a96923ff41202b234c57182324ee6",
}

// pinnedUnknown is the pinned verdict that is unknown, not a failure: a
// baseline holds failures only.
const pinnedUnknown = "K8S-005 Deployment/default/api"

// TestFingerprintsOfSharedAddresses: findings on resources whose address
// another resource of the same directory shares (Bucket in two templates,
// Deployment default/web in two manifests) get fingerprints of their own,
// so a baseline entry for one does not hide the other; findings on
// resources whose address is unique keep the fingerprints they had.
func TestFingerprintsOfSharedAddresses(t *testing.T) {
	_, r := scanJSON(t, "--fail-on", "none", fingerprintFixture)
	all := append(r.Findings, r.Unknowns...)
	seen := map[string]string{}
	byKey := map[string][]string{}
	pinned := 0
	for _, f := range all {
		if prev, dup := seen[f.Fingerprint]; dup {
			t.Errorf("%s %s in %s shares fingerprint %s with %s", f.RuleID, f.Resource, f.File, f.Fingerprint, prev)
		}
		seen[f.Fingerprint] = f.RuleID + " " + f.Resource + " in " + f.File
		k := f.RuleID + " " + f.Resource
		if want, ok := pinnedFingerprints[k]; ok {
			pinned++
			if f.Fingerprint != want {
				t.Errorf("%s: fingerprint %s, want %s as before", k, f.Fingerprint, want)
			}
		}
		byKey[k] = append(byKey[k], f.File)
	}
	if pinned != len(pinnedFingerprints) {
		t.Errorf("%d of the %d pinned findings found", pinned, len(pinnedFingerprints))
	}
	for _, k := range []string{"DATA-003 Bucket", "DATA-005 Bucket", "K8S-018 Deployment/default/web", "K8S-022 Deployment/default/web"} {
		if files := byKey[k]; len(files) != 2 {
			t.Errorf("%s: found in %v, want both files", k, files)
		}
	}
}

// TestBaselineWithSharedAddresses: a baseline written before resources
// sharing an address were told apart still matches the findings whose
// address is unique; a baseline created now matches every finding, and one
// holding only one of two resources sharing an address leaves the other
// gated.
func TestBaselineWithSharedAddresses(t *testing.T) {
	dir := t.TempDir()
	// An older baseline: the pinned fingerprints.
	var old baseline.File
	old.SchemaVersion, old.Created = baseline.SchemaVersion, "2026-01-01"
	for k, fp := range pinnedFingerprints {
		if k != pinnedUnknown {
			old.Findings = append(old.Findings, baseline.Entry{Fingerprint: fp, RuleID: k})
		}
	}
	oldPath := filepath.Join(dir, "old.json")
	if err := old.Write(oldPath); err != nil {
		t.Fatal(err)
	}
	_, r := scanJSON(t, "--fail-on", "none", "--baseline", oldPath, fingerprintFixture)
	if len(r.Baselined) != len(old.Findings) || len(r.Fixed) != 0 {
		t.Errorf("older baseline: %d baselined, %d fixed; want %d and 0", len(r.Baselined), len(r.Fixed), len(old.Findings))
	}
	for _, f := range r.Baselined {
		if _, ok := pinnedFingerprints[f.RuleID+" "+f.Resource]; !ok {
			t.Errorf("older baseline covers %s %s in %s", f.RuleID, f.Resource, f.File)
		}
	}

	newPath := filepath.Join(dir, "new.json")
	if code, _, errOut := run(t, "", "baseline", "create", "--output", newPath, fingerprintFixture); code != ExitOK {
		t.Fatalf("baseline create: exit %d: %s", code, errOut)
	}
	code, r := scanJSON(t, "--baseline", newPath, fingerprintFixture)
	if code != ExitOK || len(r.Findings) != 0 || len(r.Fixed) != 0 || len(r.Baselined) == 0 {
		t.Errorf("new baseline: exit %d, %d findings gated, %d fixed, %d baselined; want every finding baselined",
			code, len(r.Findings), len(r.Fixed), len(r.Baselined))
	}

	// Keep in the baseline only the web-a.yaml copy of Deployment
	// default/web: the web-b.yaml copy's findings are gated.
	data, err := os.ReadFile(newPath)
	if err != nil {
		t.Fatal(err)
	}
	var b baseline.File
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatal(err)
	}
	var kept []baseline.Entry
	for _, e := range b.Findings {
		if filepath.Base(e.File) != "web-b.yaml" {
			kept = append(kept, e)
		}
	}
	b.Findings = kept
	partPath := filepath.Join(dir, "part.json")
	if err := b.Write(partPath); err != nil {
		t.Fatal(err)
	}
	_, r = scanJSON(t, "--fail-on", "none", "--baseline", partPath, fingerprintFixture)
	var gated []string
	for _, f := range r.Findings {
		gated = append(gated, filepath.Base(f.File))
	}
	sort.Strings(gated)
	if len(gated) == 0 {
		t.Fatal("the web-b.yaml findings are hidden by the web-a.yaml entries")
	}
	for _, g := range gated {
		if g != "web-b.yaml" {
			t.Errorf("a finding of %s is not baselined: gated %v", g, gated)
			break
		}
	}
}
