package policy

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/rule/fixture"
)

// Loader reads input paths into a graph and, when docs is set, their raw
// documents: the front-ends, passed in so this package stays apart from
// them.
type Loader func(paths []string, docs bool) (*graph.Graph, []Document, diag.List)

// FixtureResult is the check of one directory of annotated fixtures.
type FixtureResult struct {
	Dir string
	// Checked counts the annotations of custom policies met or not.
	Checked int
	// Problems are "file:line: missing fail ID" and "file:line:
	// unexpected fail ID (...)", sorted.
	Problems []string
}

// CheckFixtures scans the files of dir, annotated as the built-in rules'
// fixtures are (`# want ID`, `# want +ID`), with the policies: every
// annotated verdict must be produced, and every failure of a custom policy
// must be annotated. Passes are checked where annotated.
func (s *Set) CheckFixtures(ctx context.Context, dir string, load Loader) (FixtureResult, error) {
	out := FixtureResult{Dir: dir}
	tmp, err := os.MkdirTemp("", "eksguard-fixtures-")
	if err != nil {
		return out, err
	}
	defer os.RemoveAll(tmp)
	exps, err := fixture.Prepare(dir, tmp)
	if err != nil {
		return out, err
	}
	groups, err := fixture.Groups(tmp)
	if err != nil {
		return out, err
	}
	ids := map[string]bool{}
	for _, p := range s.Policies {
		ids[p.Rule.ID] = true
	}
	var results []rule.Result
	for _, grp := range groups {
		g, docs, diags := load(grp, s.NeedsDocuments())
		// Fixtures are read from a copy; name the originals.
		local := func(s string) string { return strings.ReplaceAll(s, filepath.ToSlash(tmp)+"/", "") }
		for _, d := range diags {
			if d.Severity == diag.Error {
				out.Problems = append(out.Problems, "input: "+local(d.String()))
			}
		}
		o := s.Evaluate(ctx, Env{Graph: g, Documents: docs})
		for _, d := range o.Diags {
			out.Problems = append(out.Problems, "policy: "+local(d.String()))
		}
		results = append(results, o.Results...)
	}
	checked, problems := fixture.Compare(exps, results, ids, tmp, false)
	out.Checked = len(checked)
	out.Problems = append(out.Problems, problems...)
	return out, nil
}
