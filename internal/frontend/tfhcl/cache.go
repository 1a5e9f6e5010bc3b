package tfhcl

import (
	"crypto/sha256"
	"path/filepath"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Cache keeps what one run parsed of Terraform files, so each file is
// lexed and parsed once however many readers want it: choosing the root
// modules (DirInfo), every root module evaluated (Options.Cache), every
// call and instance of a module they share, the variables files, and the
// documents raw policies read (RawFile). A typical repository has a root
// module that each of its examples calls: without the cache, its files
// were parsed once per example, plus once to list its calls.
//
// Entries are keyed by path and a SHA-256 of the content, so a file that
// changed between two reads is parsed again, never taken for the old one.
// The path is part of the key because every position in a parse names its
// file. What is shared is never changed after parsing: the evaluator only
// reads syntax trees (hclsyntax bodies and expressions are not mutated by
// evaluation) and moduleDef, built from them, is complete when cached.
//
// What terraform init installed under a root module's .terraform
// directory is read by that root module alone, whose loader keeps each
// module it reads for all the module's calls and instances; it is not
// cached, as keeping it for the rest of the run would only hold memory
// (it is most of what a repository of examples parses).
//
// A Cache is for one goroutine. A nil *Cache keeps nothing: every call
// parses.
type Cache struct {
	files map[fileKey]*parsedFile
	dirs  map[string]*parsedDir
	vars  map[fileKey]*parsedVars
	// parsed counts the files parsed, for the tests.
	parsed int
	// installed keeps, while one root module is read, the first parse of
	// each distinct content of a .tf file under its .terraform directory;
	// other copies of the file are rebased from it. terraform init copies
	// a module wherever it is called, so one root's installed modules hold
	// the same files many times (an example of terraform-aws-eks: 275
	// files, 104 distinct).
	installed map[contentKey]installedFile
	// kept finds a file kept for the run by its content. An installed
	// file with the content of one is rebased from its parse, not parsed:
	// a repository's examples install the repository's own module from
	// the registry (terraform-aws-eks: up to 38 files of the module and
	// its submodules, parsed again by every example that installs it).
	kept map[contentKey]fileKey
	// documents: RawFile will be asked for each file, so a .tf.json file's
	// JSON tree is kept (until RawFile hands it over) rather than parsed
	// again.
	documents bool
}

// NewCache makes an empty cache. documents tells that RawFile will be
// called for the files read, as when raw policies are loaded.
func NewCache(documents bool) *Cache {
	return &Cache{files: map[fileKey]*parsedFile{}, dirs: map[string]*parsedDir{}, vars: map[fileKey]*parsedVars{},
		installed: map[contentKey]installedFile{}, kept: map[contentKey]fileKey{}, documents: documents}
}

type fileKey struct {
	path string
	sum  [sha256.Size]byte
}

type contentKey struct {
	sum [sha256.Size]byte
	// A file's name is part of what HCL reads: a .tf.json file is JSON.
	base string
}

type installedFile struct {
	path string
	p    *parsedFile
}

func keyOf(path string, src []byte) fileKey { return fileKey{path: path, sum: sha256.Sum256(src)} }

// keeps tells whether the cache keeps what is read from path.
func (c *Cache) keeps(path string) bool {
	return c != nil && !strings.Contains("/"+filepath.ToSlash(path)+"/", "/.terraform/")
}

// Forget drops what the cache holds of the module in dir (its parse, its
// files'), which no reader left will ask for; one that does parses them
// again. A cache keeping documents for RawFile, which reads every file
// after the root modules were evaluated, keeps them.
func (c *Cache) Forget(dir string) {
	if c == nil || c.documents {
		return
	}
	dir = filepath.Clean(dir)
	pd := c.dirs[dir]
	if pd == nil {
		return
	}
	delete(c.dirs, dir)
	for _, f := range pd.files {
		delete(c.files, f.key)
		if ck := (contentKey{sum: f.key.sum, base: filepath.Base(f.key.path)}); c.kept[ck] == f.key {
			delete(c.kept, ck)
		}
	}
}

// parsedFile is one file's parse: a .tf file's body (whatever the parser
// recovered, even with errors) and diagnostics, or the refusal of a file
// nested too deep; a .tf.json file's body converted from its JSON tree.
type parsedFile struct {
	body *hclsyntax.Body
	hd   hcl.Diagnostics
	deep *diag.Diagnostic
	// doc and docErr are jsonpos's result for a .tf.json file, kept for
	// RawFile when the cache was asked to.
	doc    *graph.Value
	docErr error
}

func isJSONConfig(path string) bool { return strings.HasSuffix(path, ".tf.json") }

// file parses src, the content of path, or returns its earlier parse.
func (c *Cache) file(path string, src []byte) *parsedFile {
	if c == nil {
		return parseFile(path, src, false)
	}
	if !c.keeps(path) {
		if isJSONConfig(path) {
			c.parsed++
			return parseFile(path, src, false)
		}
		// Installed modules are not kept by path (see Cache), but a file
		// installed several times for the root module is parsed once.
		k := contentKey{sum: sha256.Sum256(src), base: filepath.Base(path)}
		if f, ok := c.installed[k]; ok {
			if f.path == path {
				return f.p
			}
			return rebased(f.p, f.path, path)
		}
		var p *parsedFile
		if kept, ok := c.kept[k]; ok {
			p = rebased(c.files[kept], kept.path, path)
		} else {
			c.parsed++
			p = parseFile(path, src, false)
		}
		c.installed[k] = installedFile{path: path, p: p}
		return p
	}
	k := keyOf(path, src)
	if p := c.files[k]; p != nil {
		return p
	}
	c.parsed++
	p := parseFile(path, src, c.documents)
	c.files[k] = p
	if !isJSONConfig(path) {
		c.kept[contentKey{sum: k.sum, base: filepath.Base(path)}] = k
	}
	return p
}

func parseFile(path string, src []byte, keepDoc bool) *parsedFile {
	if isJSONConfig(path) {
		root, err := jsonpos.Parse(src, path)
		body, hd := jsonConfig(root, err, path)
		p := &parsedFile{body: body, hd: hd}
		if keepDoc {
			p.doc, p.docErr = root, err
		}
		return p
	}
	f, hd, deep := parseConfig(src, path)
	p := &parsedFile{hd: hd, deep: deep}
	if f != nil {
		p.body, _ = f.Body.(*hclsyntax.Body)
	}
	return p
}

// document returns the JSON tree of a .tf.json file for RawFile, once: the
// caller may keep and mark it, so it is not handed out twice.
func (c *Cache) document(path string, src []byte) (doc *graph.Value, found bool, err error) {
	if c == nil {
		return nil, false, nil
	}
	p := c.files[keyOf(path, src)]
	if p == nil || (p.doc == nil && p.docErr == nil) {
		return nil, false, nil
	}
	doc, err = p.doc, p.docErr
	p.doc, p.docErr = nil, nil
	return doc, true, err
}

// parsedDir is a module directory's parse and what it was read from: its
// .tf and .tf.json files in order, each with its content's key or why it
// was not read.
type parsedDir struct {
	files []dirFile
	def   *moduleDef
	diags diag.List
}

type dirFile struct {
	key fileKey
	err string
}

func sameFiles(a, b []dirFile) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// parsedVars is a variables file's parse.
type parsedVars struct {
	exprs map[string]hcl.Expression
	diags diag.List
}

// varsFile parses a variables file (src, read from path) or returns its
// earlier parse; the expressions are shared and only evaluated.
func (c *Cache) varsFile(src []byte, path string) (map[string]hcl.Expression, diag.List) {
	if !c.keeps(path) {
		return varsFile(src, path)
	}
	k := keyOf(path, src)
	if p := c.vars[k]; p != nil {
		return p.exprs, p.diags
	}
	exprs, diags := varsFile(src, path)
	c.vars[k] = &parsedVars{exprs: exprs, diags: diags}
	return exprs, diags
}
