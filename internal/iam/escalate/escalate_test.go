package escalate

import (
	"strings"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/iam"

	"github.com/eksguard/eksguard/internal/frontend"
)

func analyzeDir(t *testing.T, dir string) *Analysis {
	t.Helper()
	res := frontend.Load([]string{dir}, frontend.Options{})
	for _, d := range res.Diags {
		t.Fatalf("load: %s", d)
	}
	// Fixtures are judged at a fixed date, as rules are, so date
	// conditions decide.
	return Analyze(res.Graph, Config{Now: fixtureNow})
}

var fixtureNow = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

// TestStatedAccount: once the account is stated, a trust naming the
// principal's full ARN is certain, and so is the path through it.
func TestStatedAccount(t *testing.T) {
	res := frontend.Load([]string{"testdata/basic"}, frontend.Options{})
	iam.SetAccount(res.Graph, "111122223333")
	a := Analyze(res.Graph, Config{})
	var got []string
	for _, p := range a.Paths {
		got = append(got, p.String()+" "+p.Certain.String())
	}
	want := "role ci -[iam:CreatePolicyVersion]-> administrator true\n" +
		"user dev -[sts:AssumeRole]-> role ci -[iam:CreatePolicyVersion]-> administrator true"
	if strings.Join(got, "\n") != want {
		t.Errorf("paths:\n%s", strings.Join(got, "\n"))
	}
}

// One graph analysed with two settings gives two analyses; the same
// settings give the shared one.
func TestAnalyzeKeyedBySettings(t *testing.T) {
	res := frontend.Load([]string{"testdata/basic"}, frontend.Options{})
	plain := Analyze(res.Graph, Config{Now: fixtureNow})
	if Analyze(res.Graph, Config{Now: fixtureNow}) != plain {
		t.Error("same settings analysed twice")
	}
	jewel := Analyze(res.Graph, Config{Now: fixtureNow, CrownJewels: []string{"arn:aws:iam::*:role/ci"}})
	if jewel == plain {
		t.Fatal("other crown jewels got the analysis made without them")
	}
	if Analyze(res.Graph, Config{Now: fixtureNow.Add(24 * time.Hour)}) == plain {
		t.Error("another date got the analysis made for the first")
	}
}
