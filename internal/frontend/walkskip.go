package frontend

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// DefaultSkipDirs are the names of the directories a walk never enters
// unless Options.SkipDirNames says otherwise: version control, installed
// dependencies and Terraform's module cache (read through module calls,
// never as inputs of their own).
var DefaultSkipDirs = []string{".git", "node_modules", ".terraform", "vendor"}

// ownFiles are eksguard's own files (its configuration, the default
// baseline): a walk of a repository meets them, and they are not inputs.
var ownFiles = map[string]bool{".eksguard.yaml": true, ".eksguard-baseline.json": true}

// skipper decides what a directory walk leaves out.
type skipper struct {
	names map[string]bool
	dirs  []string
	files []string
}

func newSkipper(o Options) *skipper {
	s := &skipper{names: map[string]bool{}, dirs: o.SkipDirs, files: o.SkipFiles}
	names := o.SkipDirNames
	if names == nil {
		names = DefaultSkipDirs
	}
	for _, n := range names {
		s.names[n] = true
	}
	return s
}

// dir tells whether the walk of root leaves out the directory at path.
func (s *skipper) dir(root, path string) bool {
	if s.names[filepath.Base(path)] {
		return true
	}
	return matchAny(s.dirs, root, path)
}

// file tells whether the walk of root leaves out the file at path.
func (s *skipper) file(root, path string) bool {
	return ownFiles[filepath.Base(path)] || matchAny(s.files, root, path)
}

// matchAny matches ** globs against a path as the walk met it and
// relative to the PATH walked, both with forward slashes: infra/legacy
// and **/testdata/** read as the user wrote them whether the PATH was .
// or ./infra.
func matchAny(globs []string, root, path string) bool {
	if len(globs) == 0 {
		return false
	}
	full := filepath.ToSlash(filepath.Clean(path))
	rel := full
	if r, err := filepath.Rel(root, path); err == nil {
		rel = filepath.ToSlash(r)
	}
	for _, g := range globs {
		g = strings.TrimSuffix(filepath.ToSlash(g), "/")
		if m, _ := doublestar.Match(g, rel); m {
			return true
		}
		if m, _ := doublestar.Match(strings.TrimPrefix(g, "./"), full); m {
			return true
		}
	}
	return false
}

// ValidGlob tells whether a --skip-dirs or --skip-files pattern parses.
func ValidGlob(g string) bool { return doublestar.ValidatePattern(filepath.ToSlash(g)) }

// claimsKind tells whether a file met in a walk that does not parse says,
// in its text, that it is meant to be an input of a kind eksguard reads:
// then it is a broken input (an error); otherwise it is some other
// JSON-like or YAML-like file (a JSONC tsconfig.json, a template) and the
// walk only notes it.
func claimsKind(name string, data []byte) bool {
	has := func(s string) bool { return bytes.Contains(data, []byte(s)) }
	switch {
	case has(`"format_version"`) && (has(`"planned_values"`) || has(`"resource_changes"`) || has(`"terraform_version"`)):
		return true // a Terraform plan
	case has("AWSTemplateFormatVersion") || has("AWS::"):
		return true // CloudFormation
	case has("apiVersion") && has("kind"):
		return true // Kubernetes
	case has(`"Statement"`):
		return true // an IAM policy
	case strings.Contains(filepath.ToSlash(name), ".github/workflows/"):
		return true
	case has(`"runs"`) && has("sarif"), has(`"SchemaVersion"`) && has(`"Results"`):
		return true // SARIF, Trivy
	}
	return false
}
