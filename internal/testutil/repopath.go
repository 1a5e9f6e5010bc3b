package testutil

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// RepoRoot returns the repository root: the nearest directory above the
// test's working directory that holds go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = up
	}
}

var (
	// webURL is an absolute address: not a path into the repository.
	webURL = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://\S+`)
	// pathLike is a run of path segments joined by slashes.
	pathLike = regexp.MustCompile(`[~./]*[A-Za-z0-9_][A-Za-z0-9_.~-]*(?:/[A-Za-z0-9_.~-]+)+/?`)
	// fileExt is the extension of a file name (rules.md, plan.json, x.tf).
	fileExt = regexp.MustCompile(`\.[A-Za-z][A-Za-z0-9]{0,7}$`)
)

// MissingRepoPaths returns the paths that text names as files of the
// repository under root but that do not exist there: anything under a
// seeds/ directory (the sources rules were once drawn from, never part of
// the repository), and every relative path whose last segment has a file
// extension. Absolute addresses (https://...) and host paths (/var/run/...,
// ~/.aws/config) are not repository paths and are left alone.
func MissingRepoPaths(root, text string) []string {
	var out []string
	text = webURL.ReplaceAllString(text, " ")
	for _, p := range pathLike.FindAllString(text, -1) {
		if strings.HasPrefix(p, "/") || strings.HasPrefix(p, "~") {
			continue
		}
		clean := strings.TrimPrefix(strings.TrimSuffix(p, "/"), "./")
		if !strings.Contains("/"+clean, "/seeds/") && !fileExt.MatchString(clean) {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(clean))); err != nil {
			out = append(out, p)
		}
	}
	return out
}

// MissingRepoURL returns u when it is not an absolute address and names a
// path that does not exist in the repository under root ("" otherwise).
func MissingRepoURL(root, u string) string {
	if u == "" {
		return ""
	}
	if pu, err := url.Parse(u); err == nil && pu.Scheme != "" {
		return ""
	}
	p := u
	if i := strings.IndexAny(p, "#?"); i >= 0 {
		p = p[:i]
	}
	p = strings.TrimPrefix(strings.TrimPrefix(p, "./"), "/")
	if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(p))); err != nil || p == "" {
		return u
	}
	return ""
}
