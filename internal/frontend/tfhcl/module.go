package tfhcl

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl/hclguard"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// moduleDef is the parsed (not evaluated) content of one module directory.
type moduleDef struct {
	dir       string
	vars      map[string]*varDef
	locals    map[string]*hclsyntax.Attribute
	resources []*resDef // resource and data blocks, in file order
	resByKey  map[string]*resDef
	// resTypes are the managed resource types the module declares: a
	// reference's root names one of them or nothing.
	resTypes   map[string]bool
	calls      []*hclsyntax.Block // module blocks
	callByName map[string]*hclsyntax.Block
	providers  []*hclsyntax.Block // provider blocks, in file order
	outputs    map[string]*hclsyntax.Block
	// outputNames are the outputs' names in order, the order they are
	// evaluated in (attrsInOrder says why it is fixed).
	outputNames []string
	// attrNames are the attribute names the module's expressions traverse
	// anywhere (x.arn, each.value.name, [*].id): the computed attributes a
	// resource's value must offer, as unknowns, so a reference to one is an
	// unknown with its reason rather than an evaluation error.
	attrNames []string
	attrSet   map[string]bool
	// funcs are the functions the module calls, with the first call and
	// the count, for the notice about those eksguard cannot evaluate.
	funcs map[string]*funcUse
	// files are the .tf and .tf.json files read, in lexical order.
	files []string
	// backend: a terraform block configures a backend or HCP Terraform
	// (cloud), which Terraform reads only in a root module.
	backend bool
}

// resDef is a resource or data block with what its evaluation needs.
type resDef struct {
	b *hclsyntax.Block
	// key is the configuration address: aws_iam_role.this or
	// data.aws_iam_policy_document.assume.
	key string
	// refs are the references of every expression in the block, so its
	// context holds exactly what it reads.
	refs []hcl.Traversal
}

type funcUse struct {
	first hcl.Range
	n     int
}

// parseModule reads every .tf file of dir. Files that do not parse are
// reported and skipped; the rest of the module is still read. A module
// read before from the same files is returned as it was built.
func (c *Cache) parseModule(dir string) (*moduleDef, diag.List) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return newModuleDef(dir), diag.List{{Severity: diag.Error, File: dir, Summary: "cannot read module", Detail: err.Error()}}
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".tf") || strings.HasSuffix(e.Name(), ".tf.json")) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	// Every file is read and hashed, so a cached module is only reused
	// when its files are byte for byte the ones it was built from.
	files := make([]dirFile, len(names))
	srcs := make([][]byte, len(names))
	for i, n := range names {
		p := filepath.ToSlash(filepath.Join(dir, n))
		files[i].key.path = p
		src, err := os.ReadFile(p)
		if err != nil {
			files[i].err = err.Error()
			continue
		}
		src = bytes.TrimPrefix(src, utf8BOM)
		files[i].key.sum = sha256.Sum256(src)
		srcs[i] = src
	}
	keep := c.keeps(dir)
	if keep {
		if pd := c.dirs[dir]; pd != nil && sameFiles(pd.files, files) {
			return pd.def, pd.diags
		}
	}
	m, diags := c.buildModule(dir, files, srcs)
	if keep {
		c.dirs[dir] = &parsedDir{files: files, def: m, diags: diags}
	}
	return m, diags
}

func newModuleDef(dir string) *moduleDef {
	return &moduleDef{dir: dir, vars: map[string]*varDef{}, locals: map[string]*hclsyntax.Attribute{},
		outputs: map[string]*hclsyntax.Block{}, resByKey: map[string]*resDef{}, resTypes: map[string]bool{},
		callByName: map[string]*hclsyntax.Block{}, funcs: map[string]*funcUse{}}
}

// buildModule reads a module's declarations from its files' parses.
func (c *Cache) buildModule(dir string, files []dirFile, srcs [][]byte) (*moduleDef, diag.List) {
	m := newModuleDef(dir)
	var diags diag.List
	attrs := map[string]bool{}
	for i, f := range files {
		p := f.key.path
		m.files = append(m.files, p)
		if f.err != "" {
			diags = append(diags, diag.Diagnostic{Severity: diag.Error, File: p, Summary: "cannot read", Detail: f.err})
			continue
		}
		src := srcs[i]
		if binary(src) {
			// One diagnostic, not one per token the parser would trip on.
			diags = append(diags, diag.Diagnostic{Severity: diag.Error, File: p, Summary: "not a text file",
				Detail: "it holds NUL bytes or is not UTF-8; it is not read"})
			continue
		}
		pf := c.file(p, src)
		if pf.deep != nil {
			diags = append(diags, *pf.deep)
			continue
		}
		diags = append(diags, fromHCL(pf.hd)...)
		if pf.body == nil || (!isJSONConfig(p) && pf.hd.HasErrors()) {
			continue
		}
		body := pf.body
		m.scanExprs(body, attrs)
		for _, b := range body.Blocks {
			switch b.Type {
			case "variable":
				if len(b.Labels) == 1 {
					vd, d := parseVariable(b)
					diags = append(diags, d...)
					m.vars[b.Labels[0]] = vd
				}
			case "locals":
				for name, a := range b.Body.Attributes {
					m.locals[name] = a
				}
			case "resource", "data":
				if len(b.Labels) == 2 {
					key := b.Labels[0] + "." + b.Labels[1]
					if b.Type == "data" {
						key = "data." + key
					} else {
						m.resTypes[b.Labels[0]] = true
					}
					rd := &resDef{b: b, key: key, refs: bodyTraversals(b.Body, resourceMeta)}
					m.resources = append(m.resources, rd)
					m.resByKey[key] = rd
				}
			case "module":
				if len(b.Labels) == 1 {
					m.calls = append(m.calls, b)
					m.callByName[b.Labels[0]] = b
				}
			case "output":
				if len(b.Labels) == 1 {
					m.outputs[b.Labels[0]] = b
				}
			case "provider":
				if len(b.Labels) == 1 {
					m.providers = append(m.providers, b)
				}
			case "terraform":
				for _, nb := range b.Body.Blocks {
					if nb.Type == "backend" || nb.Type == "cloud" {
						m.backend = true
					}
				}
			}
		}
	}
	for a := range attrs {
		m.attrNames = append(m.attrNames, a)
	}
	for n := range m.outputs {
		m.outputNames = append(m.outputNames, n)
	}
	sort.Strings(m.outputNames)
	sort.Strings(m.attrNames)
	m.attrSet = attrs
	return m, diags
}

// traversed reports whether some expression of the module steps into an
// attribute or block of that name.
func (m *moduleDef) traversed(name string) bool { return m.attrSet[name] }

// bodyTraversals lists the references of every expression in a body and
// its nested blocks, skipping the meta-arguments Terraform does not
// evaluate as values (lifecycle, provisioner, depends_on) but keeping
// count and for_each.
func bodyTraversals(body *hclsyntax.Body, skip map[string]bool) []hcl.Traversal {
	var out []hcl.Traversal
	for _, a := range attrsInOrder(body) {
		if skip[a.Name] && a.Name != "count" && a.Name != "for_each" {
			continue
		}
		out = append(out, a.Expr.Variables()...)
	}
	for _, b := range body.Blocks {
		if skip[b.Type] {
			continue
		}
		out = append(out, bodyTraversals(b.Body, nil)...)
	}
	return out
}

// attrsInOrder lists a body's attributes as they are written. What is
// evaluated first, and so the order of the diagnostics evaluation gives
// (two modules not read, a cycle named from one end), then does not change
// from run to run with Go's map order.
func attrsInOrder(body *hclsyntax.Body) []*hclsyntax.Attribute {
	attrs := make([]*hclsyntax.Attribute, 0, len(body.Attributes))
	for _, a := range body.Attributes {
		attrs = append(attrs, a)
	}
	sort.Slice(attrs, func(i, j int) bool {
		// A .tf.json body's ranges carry lines and columns, not bytes.
		a, b := attrs[i].SrcRange.Start, attrs[j].SrcRange.Start
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return attrs[i].Name < attrs[j].Name
	})
	return attrs
}

// scanExprs records the attribute names traversed and the functions
// called in every expression of body.
func (m *moduleDef) scanExprs(body *hclsyntax.Body, attrs map[string]bool) {
	steps := func(tr hcl.Traversal) {
		for _, t := range tr {
			if a, ok := t.(hcl.TraverseAttr); ok {
				attrs[a.Name] = true
			}
		}
	}
	visit := func(n hclsyntax.Node) hcl.Diagnostics {
		switch e := n.(type) {
		case *hclsyntax.ScopeTraversalExpr:
			// The steps that may read a resource's attribute: after the
			// name of a resource (aws_x.y.arn), of a data source, of an
			// output, or inside a value that may hold a resource
			// (var.x.arn, each.value.arn); not the names of variables,
			// locals and outputs themselves.
			skip := 2
			switch e.Traversal.RootName() {
			case "data", "module", "resource":
				skip = 3
			case "path", "terraform", "count":
				skip = len(e.Traversal)
			}
			if len(e.Traversal) > skip {
				steps(e.Traversal[skip:])
			}
		case *hclsyntax.RelativeTraversalExpr:
			steps(e.Traversal)
		case *hclsyntax.FunctionCallExpr:
			u := m.funcs[e.Name]
			if u == nil {
				u = &funcUse{first: e.NameRange}
				m.funcs[e.Name] = u
			}
			u.n++
		}
		return nil
	}
	for _, b := range body.Blocks {
		if b.Type != "variable" {
			_ = hclsyntax.VisitAll(b, visit)
			continue
		}
		// A type constraint's list(string) is not a function call.
		for name, a := range b.Body.Attributes {
			if name != "type" {
				_ = hclsyntax.VisitAll(a, visit)
			}
		}
		for _, vb := range b.Body.Blocks {
			_ = hclsyntax.VisitAll(vb, visit)
		}
	}
}

// fromHCL keeps HCL's diagnostics with their positions: errors as errors,
// and its warnings (a deprecated form, say) as warnings.
func fromHCL(hd hcl.Diagnostics) diag.List {
	var out diag.List
	for _, d := range hd {
		sev := diag.Error
		if d.Severity != hcl.DiagError {
			sev = diag.Warning
		}
		x := diag.Diagnostic{Severity: sev, Summary: d.Summary, Detail: d.Detail}
		if d.Subject != nil {
			x.File, x.Line, x.Column = d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column
		}
		out = append(out, x)
	}
	return out
}

// literalSource returns a module block's source when it is a literal.
func literalSource(b *hclsyntax.Block) string { return literalAttr(b, "source") }

func isLocalSource(s string) bool {
	return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../")
}

// DirInfo is what choosing the root modules needs to know of a directory,
// read from its parse alone (nothing is evaluated).
type DirInfo struct {
	// Calls are the directories it calls as local modules.
	Calls []string
	// Required are its variables with no default, ordered by file and
	// line: a root module needs a value given for each.
	Required []Variable
	// Backend tells that a terraform block configures a backend or HCP
	// Terraform (cloud), which Terraform reads only in a root module.
	Backend bool
	// Provider tells that a provider block configures a provider: sets
	// something other than alias. An empty block or one naming only an
	// alias is a proxy configuration block, how a module declares a
	// provider it receives.
	Provider bool
	// FirstFile is its first .tf or .tf.json file in lexical order.
	FirstFile string
}

// Variable is a variable block's name and position.
type Variable struct {
	Name         string
	File         string
	Line, Column int
}

// DirInfo parses the module in dir for DirInfo (the parse is kept for its
// evaluation); what does not parse is left out (the evaluation reports
// it).
func (c *Cache) DirInfo(dir string) DirInfo {
	m, _ := c.parseModule(dir)
	info := DirInfo{Backend: m.backend}
	for _, p := range m.providers {
		_, alias := p.Body.Attributes["alias"]
		if len(p.Body.Blocks) > 0 || len(p.Body.Attributes) > 0 && (!alias || len(p.Body.Attributes) > 1) {
			info.Provider = true
		}
	}
	if len(m.files) > 0 {
		info.FirstFile = m.files[0]
	}
	for _, c := range m.calls {
		if s := literalSource(c); isLocalSource(s) {
			info.Calls = append(info.Calls, filepath.Clean(filepath.Join(dir, s)))
		}
	}
	for name, vd := range m.vars {
		if !vd.hasDefault {
			r := vd.b.TypeRange
			info.Required = append(info.Required, Variable{Name: name, File: r.Filename, Line: r.Start.Line, Column: r.Start.Column})
		}
	}
	sort.Slice(info.Required, func(i, j int) bool {
		a, b := info.Required[i], info.Required[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Name < b.Name
	})
	return info
}

// parseConfig parses HCL native syntax, refusing first a file from which
// the recursive parser would build a tree deep enough to overflow the
// stack, which kills the process rather than panicking.
func parseConfig(src []byte, file string) (*hcl.File, hcl.Diagnostics, *diag.Diagnostic) {
	f, hd, r := hclguard.ParseConfig(src, file, hcl.InitialPos)
	if r != nil {
		return nil, nil, &diag.Diagnostic{Severity: diag.Error, File: file, Line: r.Pos.Line, Column: r.Pos.Column,
			Summary: r.Summary(), Detail: r.Detail("the file")}
	}
	return f, hd, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// binary tells a file that is not text: a NUL byte, or bytes that are not
// UTF-8, in its first 8 KiB (a truncated last character aside).
func binary(src []byte) bool {
	head := src
	if len(head) > 8192 {
		head = head[:8192]
		for i := 0; i < utf8.UTFMax && len(head) > 0 && !utf8.Valid(head); i++ {
			head = head[:len(head)-1]
		}
	}
	return bytes.IndexByte(head, 0) >= 0 || !utf8.Valid(head)
}
