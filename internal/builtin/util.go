package builtin

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/secret"
)

// containsString reports whether list holds s.
func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// firstPresent returns the first dotted path whose value is present in r,
// so a verdict points at the most precise line that exists.
func firstPresent(r *graph.Resource, paths ...string) string {
	for _, p := range paths {
		if v := r.Get(p); v != nil {
			return p
		}
	}
	return ""
}

// globMatch matches s against a pattern where * is any run of characters,
// '/' and ':' included, as ARN patterns need.
func globMatch(pattern, s string) bool { return simpleGlob(pattern, s) }

func simpleGlob(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i := 1; i < len(parts)-1; i++ {
		j := strings.Index(s, parts[i])
		if j < 0 {
			return false
		}
		s = s[j+len(parts[i]):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

// decodeUserData returns user data as text, decoding base64 when it is.
func decodeUserData(s string) string { return secret.DecodeUserData(s) }

// deployDir is the directory of the deployment a resource is part of: its
// root module's for Terraform (where its outermost module call, or the
// resource itself, is written) and its own file's for a manifest or
// template. A scan of a repository holding several root modules (one per
// environment or example) reads them into one graph; rules that relate
// resources other than by reference use it to keep each to its own.
func deployDir(r *graph.Resource) string {
	f := r.Range.File
	if len(r.Module) > 0 && r.Module[0].Range.File != "" {
		f = r.Module[0].Range.File
	}
	return path.Dir(filepath.ToSlash(f))
}

// dirWithin reports whether dir is root or lies below it.
func dirWithin(dir, root string) bool {
	if root == "." {
		return dir != ".." && !strings.HasPrefix(dir, "../") && !path.IsAbs(dir)
	}
	return dir == root || strings.HasPrefix(dir, root+"/")
}

// nearestDir is the deepest of dirs that dir lies within, "" when none.
func nearestDir(dir string, dirs map[string]bool) string {
	best := ""
	for d := range dirs {
		if dirWithin(dir, d) && (best == "" || len(d) > len(best)) {
			best = d
		}
	}
	return best
}

type rootDirsKey struct{}

// rootDirs are the directories of the Terraform root modules (and plans)
// of a scan.
func rootDirs(g *graph.Graph) map[string]bool {
	return graph.Memo(g, rootDirsKey{}, func() map[string]bool {
		dirs := map[string]bool{}
		for _, r := range g.Resources() {
			if r.RootModule {
				dirs[deployDir(r)] = true
			}
		}
		return dirs
	})
}

type nsUnitsKey struct{}

// nsUnits gives every object the namespace-wide rules read its deployment
// unit: the directory of its Terraform root module, or for a manifest,
// chart or template the nearest root module directory its file lies in.
// "" is the unit of files outside every root module (and of every file in
// a scan with no Terraform): those may be applied to any cluster, beside
// any root's objects. Computed once per directory: the rules relate each
// namespace to each of its objects, and a scan may hold many roots.
func nsUnits(g *graph.Graph) map[*graph.Resource]string {
	return graph.Memo(g, nsUnitsKey{}, func() map[*graph.Resource]string {
		out := map[*graph.Resource]string{}
		var objs []*graph.Resource
		for _, types := range [][]string{graph.WorkloadTypes, namespaceTypes, netpolTypes, nsQuotaTypes, nsLimitRangeTypes} {
			objs = append(objs, g.OfType(types...)...)
		}
		if len(objs) == 0 {
			return out
		}
		roots := rootDirs(g)
		if len(roots) == 0 {
			return out
		}
		byDir := map[string]string{}
		for _, r := range objs {
			if r.RootModule {
				out[r] = deployDir(r)
				continue
			}
			d := deployDir(r)
			u, ok := byDir[d]
			if !ok {
				u = nearestDir(d, roots)
				byDir[d] = u
			}
			out[r] = u
		}
		return out
	})
}

// sameUnit reports whether objects of units a and b may be applied to one
// cluster: two root modules (one per example or environment) are taken to
// deploy apart, and what lies outside every root module may go with any.
func sameUnit(a, b string) bool { return a == "" || b == "" || a == b }
