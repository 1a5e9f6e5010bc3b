// Package ruletest runs rules over fixture files annotated inline with the
// verdicts they must produce, like golang.org/x/tools/go/analysis/analysistest.
//
// An annotation is a comment on the line a verdict must be reported at:
//
//	"endpoint_public_access": true,   // want EKS-001
//	endpoint_public_access = true     # want EKS-001
//
// "RULE" expects a failure, "?RULE" an unknown and "+RULE" a pass. Several
// may share a line. Every verdict of the rules under test must be
// annotated, and every annotation must be met, so a fixture proves both
// what is flagged and what stays clean. JSON has no comments: the harness
// blanks the annotation before the file is parsed, keeping line numbers.
//
// The files directly in a fixture directory are scanned together, as one
// graph; each subdirectory is scanned on its own.
package ruletest

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/rule/fixture"
)

// AsOf is the date fixtures are judged at, so date-based rules are stable.
var AsOf = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

// Expectation is one annotated verdict.
type Expectation = fixture.Expectation

// ParseAnnotations reads the expectations of one fixture and returns the
// bytes to feed to the front-end (annotations blanked in JSON files).
func ParseAnnotations(name string, data []byte) ([]Expectation, []byte) {
	return fixture.Parse(name, data)
}

// Run loads every file of dir, runs the rules and compares their verdicts
// with the annotations. It returns the expectations it checked.
func Run(t testing.TB, dir string, cfg *rule.Config, rules ...*rule.Rule) []Expectation {
	t.Helper()
	if cfg == nil {
		cfg = &rule.Config{}
	}
	if cfg.AsOf.IsZero() {
		cfg.AsOf = AsOf
	}
	ids := map[string]bool{}
	for _, r := range rules {
		ids[r.ID] = true
	}
	tmp := t.TempDir()
	exps, err := fixture.Prepare(dir, tmp)
	if err != nil {
		t.Fatalf("reading fixtures: %v", err)
	}
	var results []rule.Result
	groups, err := fixture.Groups(tmp)
	if err != nil {
		t.Fatalf("reading fixtures: %v", err)
	}
	for _, grp := range groups {
		res := frontend.Load(grp, frontend.Options{})
		for _, d := range res.Diags {
			t.Errorf("fixture diagnostic: %s", strings.ReplaceAll(d.String(), filepath.ToSlash(tmp)+"/", ""))
		}
		results = append(results, rule.Run(rules, res.Graph, cfg)...)
	}
	checked, problems := fixture.Compare(exps, results, ids, tmp, true)
	for _, p := range problems {
		t.Error(p)
	}
	return checked
}
