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
