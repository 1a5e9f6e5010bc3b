package frontend

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl"
	"github.com/eksguard/eksguard/internal/graph"
)

// mapPlanToSource points the resources read from plan files at the .tf
// lines that declare them, when the configuration sits beside the plan. A
// plan's own lines mean little to a reader; the source is what gets
// edited. The HCL is evaluated only to find positions: the plan's values
// stay authoritative. It returns the managed resources the .tf files
// declare that no plan resource stands for (by configuration address),
// which are therefore not checked.
func (res *Result) mapPlanToSource(tfDir string, planFiles []string, opts Options) (absent []string) {
	src := graph.New()
	tfhcl.LoadDir(src, tfDir, res.tfOptions(opts, tfDir))
	byAddr := map[string]*graph.Resource{}
	byCfg := map[string]*graph.Resource{}
	for _, r := range src.Resources() {
		byAddr[r.Address] = r
		k := graph.StripInstanceKeys(r.ModulePath) + "|" + r.ConfigAddr
		if _, ok := byCfg[k]; !ok {
			byCfg[k] = r
		}
	}
	inPlan := map[string]bool{}
	for _, p := range planFiles {
		inPlan[p] = true
	}
	planned := map[string]bool{}
	for _, r := range res.Graph.Resources() {
		if !inPlan[r.Range.File] {
			continue
		}
		k := graph.StripInstanceKeys(r.ModulePath) + "|" + r.ConfigAddr
		planned[k] = true
		h := byAddr[r.Address]
		if h == nil {
			h = byCfg[k]
		}
		if h == nil {
			continue
		}
		copyRanges(r.Attrs, h.Attrs, h.Range, 0)
		r.Range = h.Range
		if len(h.Module) == len(r.Module) && len(r.Module) > 0 {
			// The plan front-end shares one call chain among the
			// resources of a module instance: written anew, not in place.
			mods := slices.Clone(r.Module)
			for i := range mods {
				mods[i].Range = h.Module[i].Range
			}
			r.Module = mods
		}
	}
	seen := map[string]bool{}
	for _, r := range src.Resources() {
		k := graph.StripInstanceKeys(r.ModulePath) + "|" + r.ConfigAddr
		if r.Mode != graph.Managed || planned[k] || seen[k] {
			continue
		}
		seen[k] = true
		absent = append(absent, graph.StripInstanceKeys(r.Address))
	}
	sort.Strings(absent)
	return absent
}

// planBesideNotice says, for a directory holding both .tf files and plan
// JSON, that the plan was checked and the .tf files only placed its
// findings.
func planBesideNotice(dir string, planFiles []string) diag.Diagnostic {
	names := make([]string, len(planFiles))
	for i, p := range planFiles {
		names[i] = filepath.Base(filepath.FromSlash(p))
	}
	sort.Strings(names)
	what := "the plan " + names[0] + " is checked"
	if len(names) > 1 {
		what = "the plans " + strings.Join(names, ", ") + " are checked"
	}
	return diag.Diagnostic{Severity: diag.Notice, File: filepath.ToSlash(dir),
		Summary: filepath.ToSlash(dir) + ": " + what + diag.PlanBeside,
		Detail: "a plan is the configuration as Terraform evaluated it, with the variables, modules and data sources it was " +
			"made with; the .tf files are read only to place its findings at their lines, since reading both would report " +
			"each resource twice. Scan the directory without the plan to check the .tf files as they are now"}
}

// notInPlanNotice names the resources the .tf files of dir declare that no
// plan resource stands for; ok is false when there are none.
func notInPlanNotice(dir string, absent []string) (d diag.Diagnostic, ok bool) {
	if len(absent) == 0 {
		return d, false
	}
	shown, more := absent, ""
	if len(shown) > 10 {
		shown, more = shown[:10], fmt.Sprintf(" and %d more", len(absent)-10)
	}
	n := "1 resource the .tf files declare is"
	if len(absent) > 1 {
		n = fmt.Sprintf("%d resources the .tf files declare are", len(absent))
	}
	return diag.Diagnostic{Severity: diag.Notice, File: filepath.ToSlash(dir),
		Summary: filepath.ToSlash(dir) + ": " + n + diag.NotInPlan,
		Detail: strings.Join(shown, ", ") + more + ": the plan was made with other variables (a count or for_each " +
			"that came to nothing), or before the .tf files changed"}, true
}

// copyRanges gives every plan value the range of the matching source
// value; values the source does not set (computed, defaulted) get the
// resource's range.
func copyRanges(plan, src *graph.Value, fallback graph.Range, depth int) {
	if plan == nil || depth > 64 {
		return
	}
	if src != nil && src.Range.Line > 0 {
		plan.Range = src.Range
	} else {
		plan.Range = fallback
	}
	switch plan.Kind {
	case graph.Map:
		for k, v := range plan.Map.All() {
			var s *graph.Value
			if src != nil && src.Kind == graph.Map {
				s = src.Map.Get(k)
			}
			copyRanges(v, s, plan.Range, depth+1)
		}
	case graph.List:
		for i, v := range plan.List {
			var s *graph.Value
			if src != nil && src.Kind == graph.List && i < len(src.List) {
				s = src.List[i]
			}
			copyRanges(v, s, plan.Range, depth+1)
		}
	}
}

func planDirs(files []File) map[string][]string {
	out := map[string][]string{}
	for _, f := range files {
		if f.Kind == KindTerraformPlan && f.Path != "<stdin>" {
			d := filepath.Clean(filepath.Dir(filepath.FromSlash(f.Path)))
			out[d] = append(out[d], f.Path)
		}
	}
	return out
}
