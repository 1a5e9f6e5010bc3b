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
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/rule"
)

// AsOf is the date fixtures are judged at, so date-based rules are stable.
var AsOf = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

var wantRE = regexp.MustCompile(`(//|#)\s*want\s+(.+)$`)

// Expectation is one annotated verdict.
type Expectation struct {
	File   string // relative to the fixture directory
	Line   int
	RuleID string
	Status rule.Status
}

func (e Expectation) String() string {
	return fmt.Sprintf("%s:%d: %s %s", e.File, e.Line, e.Status, e.RuleID)
}

// ParseAnnotations reads the expectations of one fixture and returns the
// bytes to feed to the front-end (annotations blanked in JSON files).
func ParseAnnotations(name string, data []byte) ([]Expectation, []byte) {
	var exps []Expectation
	isJSON := strings.HasSuffix(name, ".json")
	lines := bytes.Split(data, []byte("\n"))
	for i, ln := range lines {
		m := wantRE.FindSubmatchIndex(ln)
		if m == nil {
			continue
		}
		for _, tok := range strings.Fields(string(ln[m[4]:m[5]])) {
			st := rule.StatusFail
			switch tok[0] {
			case '?':
				st, tok = rule.StatusUnknown, tok[1:]
			case '+':
				st, tok = rule.StatusPass, tok[1:]
			}
			exps = append(exps, Expectation{File: name, Line: i + 1, RuleID: tok, Status: st})
		}
		if isJSON {
			for j := m[0]; j < m[1]; j++ {
				ln[j] = ' '
			}
		}
	}
	return exps, bytes.Join(lines, []byte("\n"))
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
	var exps []Expectation
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		e, clean := ParseAnnotations(rel, data)
		exps = append(exps, e...)
		dst := filepath.Join(tmp, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, clean, 0o644)
	})
	if err != nil {
		t.Fatalf("reading fixtures: %v", err)
	}
	// Files directly in dir form one scan; each subdirectory is a scan of
	// its own, so fixtures that must not see each other's resources (one
	// graph per scan) can sit side by side.
	var results []rule.Result
	groups, err := scanGroups(tmp)
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

	type key struct {
		file string
		line int
		id   string
		st   rule.Status
	}
	want := map[key]int{}
	var checked []Expectation
	for _, e := range exps {
		if !ids[e.RuleID] {
			continue
		}
		want[key{e.File, e.Line, e.RuleID, e.Status}]++
		checked = append(checked, e)
	}
	got := map[key]int{}
	msgs := map[key]string{}
	for _, r := range results {
		if r.Resource == nil {
			t.Errorf("%s: %s", r.Rule.ID, r.Message)
			continue
		}
		f := strings.TrimPrefix(r.Range.File, filepath.ToSlash(tmp)+"/")
		k := key{f, r.Range.Line, r.Rule.ID, r.Status}
		got[k]++
		msgs[k] = r.Resource.Address + " " + r.Path + ": " + r.Message
	}
	var problems []string
	for k, n := range got {
		if want[k] < n {
			problems = append(problems, fmt.Sprintf("%s:%d: unexpected %s %s (%s)", k.file, k.line, k.st, k.id, msgs[k]))
		}
	}
	for k, n := range want {
		if got[k] < n {
			problems = append(problems, fmt.Sprintf("%s:%d: missing %s %s", k.file, k.line, k.st, k.id))
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
	return checked
}

func scanGroups(dir string) ([][]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var top []string
	var groups [][]string
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() {
			groups = append(groups, []string{p})
		} else {
			top = append(top, p)
		}
	}
	if len(top) > 0 {
		groups = append(groups, top)
	}
	return groups, nil
}
