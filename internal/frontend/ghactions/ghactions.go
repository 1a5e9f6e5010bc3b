// Package ghactions reads GitHub Actions workflow files into the resource
// graph: one resource of type "github:workflow" per file, whose attributes
// are the workflow document with the line of every value.
//
// YAML 1.1 reads a bare `on` as the boolean true, and tools built on such
// parsers see a key `true` where the workflow says `on`. yamlpos keeps a
// mapping key as written (yaml.v3 resolves plain `on` as a string anyway),
// so the trigger block is always at the key "on".
package ghactions

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/yamlpos"
)

// Origin is the front-end name recorded on resources.
const Origin = "github-actions"

// Type is the resource type of a workflow.
const Type = "github:workflow"

// IsWorkflowPath reports whether a file sits where GitHub looks for
// workflows: directly in .github/workflows, with a .yml or .yaml extension.
func IsWorkflowPath(name string) bool {
	name = filepath.ToSlash(name)
	ext := strings.ToLower(path.Ext(name))
	if ext != ".yml" && ext != ".yaml" {
		return false
	}
	dir := path.Dir(name)
	return dir == ".github/workflows" || strings.HasSuffix(dir, "/.github/workflows")
}

// Detect reports whether a decoded document is a workflow: a mapping with
// the top-level keys on and jobs, jobs a mapping.
func Detect(doc *graph.Value) bool {
	if doc == nil || doc.Kind != graph.Map || doc.Map.Get("on") == nil {
		return false
	}
	return HasJobs(doc)
}

// HasJobs reports whether a document has a jobs mapping, the least a file
// under .github/workflows must have to be read as a workflow.
func HasJobs(doc *graph.Value) bool {
	if doc == nil || doc.Kind != graph.Map {
		return false
	}
	j := doc.Map.Get("jobs")
	return j != nil && j.Kind == graph.Map
}

// Address is a workflow's address: its path from .github/ when it lies
// under one, else its file name, so it does not depend on where the
// repository was checked out.
func Address(file string) string {
	file = filepath.ToSlash(file)
	if i := strings.LastIndex(file, ".github/workflows/"); i >= 0 {
		return file[i:]
	}
	return path.Base(file)
}

// Load adds the workflow doc, read from file, to g.
func Load(g *graph.Graph, doc *graph.Value, file string) *graph.Resource {
	rng := doc.Range
	rng.File = file
	if rng.Line == 0 {
		rng.Line = 1
	}
	return g.Add(&graph.Resource{Type: Type, Name: path.Base(filepath.ToSlash(file)), Address: Address(file),
		Attrs: doc, Range: rng, Origin: Origin})
}

// Parse decodes a workflow file and adds it to g; it reports whether the
// file was a workflow. YAML errors come back positioned.
func Parse(g *graph.Graph, data []byte, file string) (bool, diag.List) {
	docs, diags := yamlpos.Decode(data, file, yamlpos.Options{})
	if len(docs) != 1 {
		return false, diags
	}
	if !Detect(docs[0].Value) && !(IsWorkflowPath(file) && HasJobs(docs[0].Value)) {
		return false, diags
	}
	Load(g, docs[0].Value, file)
	return true, diags
}
