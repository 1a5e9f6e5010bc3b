// Package policy runs custom Rego policies (OPA's Go SDK) beside the
// built-in rules. A policy reads one of three inputs, chosen by its METADATA:
// a raw parsed input document (conftest's model, the default, so conftest
// policies run unchanged), one resource's attributes selected by type, or
// the whole resource graph in its documented JSON form. Its deny, violation
// and warn results become findings that go through the same gate,
// suppressions and outputs as the built-in rules.
//
// Policies are compiled once per run against a reduced set of built-ins:
// nothing that reaches the network, the file system or the process
// environment compiles, and each evaluation is bounded in time and memory.
package policy

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

// Shape is the input a policy is evaluated against.
type Shape int

const (
	// Raw: each parsed input document, as conftest gives it.
	Raw Shape = iota
	// Resource: one resource's attributes, for each resource whose type
	// the selector names.
	Resource
	// Graph: the whole graph (docs/graph-schema.md), once per run.
	Graph
)

func (s Shape) String() string {
	switch s {
	case Resource:
		return "resource"
	case Graph:
		return "graph"
	}
	return "raw"
}

// Policy is one result rule (deny, violation or warn, optionally suffixed
// _name) of one package: the unit that has an id and yields findings.
type Policy struct {
	// Rule carries the id, title, severity and documentation findings
	// are reported under.
	Rule *rule.Rule
	// Package is the Rego package without "data." (main, play).
	Package string
	// Name is the rule name (deny, warn_public_endpoint).
	Name string
	// Kind is deny, violation or warn.
	Kind  string
	Shape Shape
	// Types are resource type globs for Shape Resource (empty: all).
	Types []string
	// At is where the rule is written.
	At graph.Range
	// query is data.<package>.<name>.
	query string
	// exception is the conftest exception name ("" when the package has
	// no exception rule), exceptionAt where that rule is written.
	exception   string
	exceptionAt graph.Range
}

// Options configure loading and evaluation.
type Options struct {
	// RegoVersion is "v0", "v1" or "" (each file is read as v1, and as v0
	// when it is not valid v1, so deny[msg] { ... } rules such as the one in Snyk's EKS hardening post load).
	RegoVersion string
	// Limits bound each evaluation; zero fields take defaults.
	Limits Limits
	// BuiltinIDs are the ids custom policies must not reuse.
	BuiltinIDs map[string]bool
}

// Set is the compiled policies of a run.
type Set struct {
	Policies []*Policy
	// Diags are the problems met loading: files that do not parse or
	// compile are left out and named here with file:line:col.
	Diags    diag.List
	compiler *ast.Compiler
	modules  map[string]*ast.Module
	opts     Options
	// keys and wholeInput are what inputKeys found, once.
	keysOnce   sync.Once
	keys       map[string]bool
	wholeInput bool
}

// resultRule is conftest's naming of result rules.
var resultRule = regexp.MustCompile(`^(deny|violation|warn)(_[a-zA-Z0-9]+)*$`)

// idPattern keeps ids usable in suppression comments and file names.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]*$`)

// Load reads every .rego file under paths (files or directories), parses
// and compiles them once. Files that fail are reported and left out; the
// rest still load.
func Load(paths []string, opts Options) *Set {
	s := &Set{opts: opts, modules: map[string]*ast.Module{}}
	files := s.find(paths)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			s.Diags = append(s.Diags, diag.Diagnostic{Severity: diag.Error, File: f, Summary: "cannot read policy", Detail: err.Error()})
			continue
		}
		m, diags := parseModule(f, string(data), opts.RegoVersion)
		s.Diags = append(s.Diags, diags...)
		if m != nil {
			s.modules[f] = m
		}
	}
	s.compile()
	s.collect()
	return s
}

// find lists the .rego files under paths in a stable order.
func (s *Set) find(paths []string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		p = filepath.ToSlash(filepath.Clean(p))
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			s.Diags = append(s.Diags, diag.Diagnostic{Severity: diag.Error, File: root, Summary: "cannot read policy directory", Detail: unwrapPathErr(err)})
			continue
		}
		if !info.IsDir() {
			add(root)
			continue
		}
		var found []string
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				s.Diags = append(s.Diags, diag.Diagnostic{Severity: diag.Error, File: p, Summary: "cannot read policy directory", Detail: unwrapPathErr(err)})
				return nil
			}
			if d.IsDir() {
				if p != root && (d.Name() == ".git" || d.Name() == "node_modules") {
					return fs.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(p, ".rego") {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			s.Diags = append(s.Diags, diag.Diagnostic{Severity: diag.Error, File: root, Summary: "cannot walk policy directory", Detail: err.Error()})
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
		if len(found) == 0 {
			s.Diags = append(s.Diags, diag.Diagnostic{Severity: diag.Warning, File: root, Summary: "no .rego files in policy directory"})
		}
	}
	return out
}

func unwrapPathErr(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// parseModule parses one file. Without a forced version, a file that is not
// valid Rego v1 but is valid v0 is read as v0: the two differ in syntax
// (v1 requires if and contains), and a file valid in both means the same
// in both.
func parseModule(file, src, version string) (*ast.Module, diag.List) {
	popts := ast.ParserOptions{ProcessAnnotation: true, Capabilities: capabilities()}
	switch version {
	case "v0":
		popts.RegoVersion = ast.RegoV0
	default:
		popts.RegoVersion = ast.RegoV1
	}
	var m *ast.Module
	var err error
	if version == "" && strings.Contains(src, "future.keywords") {
		// future.keywords is how v0 files borrowed v1 keywords, and such a
		// file can be valid v1 with another meaning (deny[msg] if {...}
		// is a set in v0, an object in v1): it was written for v0.
		popts.RegoVersion = ast.RegoV0
		if m, err = ast.ParseModuleWithOpts(file, src, popts); err == nil {
			return m, nil
		}
		popts.RegoVersion = ast.RegoV1
	}
	m, err = ast.ParseModuleWithOpts(file, src, popts)
	if err != nil && version == "" {
		popts.RegoVersion = ast.RegoV0
		if m0, err0 := ast.ParseModuleWithOpts(file, src, popts); err0 == nil {
			m, err = m0, nil
		}
	}
	if err != nil {
		return nil, astDiags(err, file, "policy does not parse")
	}
	if m == nil {
		return nil, diag.List{{Severity: diag.Warning, File: file, Summary: "empty policy file"}}
	}
	return m, nil
}

// astDiags turns OPA errors into positioned diagnostics.
func astDiags(err error, file, summary string) diag.List {
	var out diag.List
	if errs, ok := err.(ast.Errors); ok {
		for _, e := range errs {
			d := diag.Diagnostic{Severity: diag.Error, File: file, Summary: summary, Detail: e.Message}
			if e.Location != nil {
				if e.Location.File != "" {
					d.File = e.Location.File
				}
				d.Line, d.Column = e.Location.Row, e.Location.Col
			}
			out = append(out, d)
		}
		return out
	}
	return diag.List{{Severity: diag.Error, File: file, Summary: summary, Detail: err.Error()}}
}

// compile compiles the parsed modules. A module with errors is dropped and
// the rest compiled again, so one broken file costs only itself (and what
// imports it).
func (s *Set) compile() {
	for len(s.modules) > 0 {
		c := ast.NewCompiler().
			WithCapabilities(capabilities()).
			WithEnablePrintStatements(true)
		c.Compile(s.modules)
		if !c.Failed() {
			s.compiler = c
			return
		}
		bad := map[string]bool{}
		for _, e := range c.Errors {
			file := ""
			if e.Location != nil {
				file = e.Location.File
			}
			d := diag.Diagnostic{Severity: diag.Error, File: file, Summary: "policy does not compile", Detail: e.Message}
			if e.Location != nil {
				d.Line, d.Column = e.Location.Row, e.Location.Col
			}
			if _, ok := s.modules[file]; ok {
				bad[file] = true
			}
			s.Diags = append(s.Diags, d)
		}
		if len(bad) == 0 {
			// Errors that name no loaded file cannot be pinned on one;
			// nothing can be evaluated safely.
			s.modules = map[string]*ast.Module{}
			return
		}
		for f := range bad {
			delete(s.modules, f)
		}
	}
}

// collect finds the result rules of the compiled modules and reads their
// metadata.
func (s *Set) collect() {
	if s.compiler == nil {
		return
	}
	as := s.compiler.GetAnnotationSet()
	type key struct{ pkg, name string }
	byKey := map[key]*Policy{}
	metaOf := map[key]*meta{}
	var order []key
	files := make([]string, 0, len(s.modules))
	for f := range s.modules {
		files = append(files, f)
	}
	sort.Strings(files)
	exceptions := map[string]graph.Range{}
	disagree := map[key]bool{}
	for _, f := range files {
		m := s.compiler.Modules[f]
		pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
		for _, r := range m.Rules {
			// deny, and deny[msg] (a set in v0, an object keyed by msg
			// when v1 reads deny[msg] if): either is queried whole.
			ref := r.Head.Ref()
			if len(ref) == 0 || len(ref) > 2 {
				continue
			}
			head, ok := ref[0].Value.(ast.Var)
			if !ok {
				continue
			}
			name := string(head)
			if name == "exception" {
				if _, ok := exceptions[pkg]; !ok {
					exceptions[pkg] = locRange(r.Location)
				}
				continue
			}
			if !resultRule.MatchString(name) {
				continue
			}
			k := key{pkg, name}
			md, err := readMeta(as.Chain(r))
			if err != nil {
				s.Diags = append(s.Diags, *err)
				continue
			}
			if prev, ok := metaOf[k]; ok {
				if derr := prev.merge(md, r.Location); derr != nil {
					// Findings could not be told apart between the two
					// ids; the rule is left out rather than misreported.
					s.Diags = append(s.Diags, *derr)
					disagree[k] = true
				}
				continue
			}
			metaOf[k] = md
			p := &Policy{Package: pkg, Name: name, Kind: kindOf(name), query: "data." + pkg + "." + name,
				At: locRange(r.Location)}
			byKey[k] = p
			order = append(order, k)
		}
	}
	ids := map[string]*Policy{}
	for _, k := range order {
		if disagree[k] {
			continue
		}
		p, md := byKey[k], metaOf[k]
		if at, ok := exceptions[p.Package]; ok {
			p.exception = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(p.Name, "violation_"), "deny_"), "warn_")
			p.exceptionAt = at
		}
		if err := md.apply(p); err != nil {
			s.Diags = append(s.Diags, *err)
			continue
		}
		if s.opts.BuiltinIDs[p.Rule.ID] {
			s.Diags = append(s.Diags, diag.Diagnostic{Severity: diag.Error, File: p.At.File, Line: int(p.At.Line),
				Summary: "policy id is taken by a built-in rule", Detail: p.Rule.ID + ": give the policy its own custom.id"})
			continue
		}
		if other, ok := ids[p.Rule.ID]; ok {
			s.Diags = append(s.Diags, diag.Diagnostic{Severity: diag.Error, File: p.At.File, Line: int(p.At.Line),
				Summary: "policy id used twice", Detail: fmt.Sprintf("%s is also the id of %s at %s:%d", p.Rule.ID, other.query, other.At.File, other.At.Line)})
			continue
		}
		ids[p.Rule.ID] = p
		s.Policies = append(s.Policies, p)
	}
	sort.SliceStable(s.Policies, func(i, j int) bool { return s.Policies[i].Rule.ID < s.Policies[j].Rule.ID })
}

func kindOf(name string) string {
	for _, k := range []string{"deny", "violation", "warn"} {
		if name == k || strings.HasPrefix(name, k+"_") {
			return k
		}
	}
	return "deny"
}

// NeedsDocuments reports whether a policy reads raw documents, which the
// front-ends then keep.
func (s *Set) NeedsDocuments() bool {
	if s == nil {
		return false
	}
	for _, p := range s.Policies {
		if p.Shape == Raw {
			return true
		}
	}
	return false
}

// RawOnly reports whether the set holds policies and every one reads raw
// documents, so that a scan running them and no built-in rule need not
// build what only resource and graph policies read.
func (s *Set) RawOnly() bool {
	if s == nil || len(s.Policies) == 0 {
		return false
	}
	for _, p := range s.Policies {
		if p.Shape != Raw {
			return false
		}
	}
	return true
}

// Modules returns the compiled modules by file, for the test runner.
func (s *Set) Modules() map[string]*ast.Module { return s.modules }
