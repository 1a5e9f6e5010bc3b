package frontend

import (
	"path/filepath"

	"github.com/eksguard/eksguard/internal/frontend/tfhcl"
	"github.com/eksguard/eksguard/internal/graph"
)

// mapPlanToSource points the resources read from plan files at the .tf
// lines that declare them, when the configuration sits beside the plan. A
// plan's own lines mean little to a reader; the source is what gets
// edited. The HCL is evaluated only to find positions: the plan's values
// stay authoritative.
func (res *Result) mapPlanToSource(tfDir string, planFiles []string, opts Options) {
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
	for _, r := range res.Graph.Resources() {
		if !inPlan[r.Range.File] {
			continue
		}
		h := byAddr[r.Address]
		if h == nil {
			h = byCfg[graph.StripInstanceKeys(r.ModulePath)+"|"+r.ConfigAddr]
		}
		if h == nil {
			continue
		}
		copyRanges(r.Attrs, h.Attrs, h.Range, 0)
		r.Range = h.Range
		if len(h.Module) == len(r.Module) {
			for i := range r.Module {
				r.Module[i].Range = h.Module[i].Range
			}
		}
	}
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
		for k, v := range plan.Map {
			var s *graph.Value
			if src != nil && src.Kind == graph.Map {
				s = src.Map[k]
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
