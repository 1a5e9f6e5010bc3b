// Package kustomize builds kustomizations in-process with
// sigs.k8s.io/kustomize/api, as `kustomize build` would, and returns each
// object with the file and line that produced it.
//
// The build is bounded:
//   - No plugin of any kind runs: only kustomize's builtin generators and
//     transformers are loaded (a generator or transformer naming an exec
//     or container KRM function, or any other non-builtin kind, fails the
//     build with an error), and the Helm chart inflation generator, which
//     would run the helm binary, is disabled.
//   - Files are read only under a root: Build uses the repository holding
//     the kustomization (the nearest directory up from it with a .git
//     entry, or the kustomization directory itself when there is none),
//     so that an overlay may use ../base as is usual; BuildUnder takes the
//     root from the caller, which should pass the scanned path so nothing
//     outside the scanned tree is read. Symbolic links are followed before
//     the check. Within the root kustomize's own restriction applies too:
//     a kustomization loads files only from its own directory and below,
//     and other kustomization directories (bases, components) anywhere
//     under the root.
//   - Remote bases and files (git URLs, http(s) addresses) are not fetched
//     unless Options.AllowRemote: each is left out of the build and
//     reported as an unread ("incomplete") diagnostic at its line, and the
//     rest is built. With AllowRemote, kustomize's own loaders fetch them
//     (git via the git command, into a temporary directory the build may
//     read); that path is not exercised by the tests, which run without a
//     network.
//   - A build that has not finished within Options.Timeout is reported as
//     an error. kustomize cannot be interrupted, so its goroutine is left
//     to finish on its own; builds are serialised (kustomize keeps its
//     OpenAPI schema in a global), so a later build waits for it, within
//     its own time bound.
//   - A panic in kustomize is recovered and reported as an error.
package kustomize

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/api/types"

	"github.com/eksguard/eksguard/internal/diag"
)

// Options bound a build.
type Options struct {
	AllowRemote bool          // remote bases fetched only when true (--download-modules)
	Timeout     time.Duration // per kustomization
	// Read, when set, is called once for every file a successful build
	// read (absolute, symbolic links resolved), after the build: those
	// files are its inputs, not manifests of their own.
	Read func(file string)
}

// Resource is one object the build emits.
type Resource struct {
	YAML []byte // one YAML document
	File string // origin: the file (base resource or patch) that produced it, as a path under the scan
	Line int    // origin line in File (1 when unknown)
	// Files and Lines, when set, place each line of YAML: the base,
	// patch or kustomization file and line that wrote its field ("" and
	// 0 where unknown: File and Line then).
	Files   []string
	Lines   []int
	Overlay string // the kustomization directory built ("introduced by")
}

// DefaultTimeout bounds a build when Options.Timeout is not set.
const DefaultTimeout = 30 * time.Second

// Build builds the kustomization in dir (a directory holding kustomization.yaml); diags carry file:line,
// unread remote bases are diag "incomplete" entries, plugins and exec functions are never run.
//
// Files are read only under the repository holding dir (see the package
// documentation); BuildUnder bounds them by a root of the caller's choice.
func Build(dir string, opts Options) ([]Resource, diag.List) {
	return BuildUnder(repoRoot(dir), dir, opts)
}

// repoRoot returns the nearest directory from dir up that holds a .git
// entry, or dir when there is none.
func repoRoot(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			return dir
		}
		d = up
	}
}

// buildMu serialises builds: kustomize sets its OpenAPI schema globally.
var buildMu sync.Mutex

// BuildUnder is Build reading files only under root, which must hold dir
// (the scanned path, typically).
func BuildUnder(root, dir string, opts Options) ([]Resource, diag.List) {
	dir = filepath.Clean(dir)
	kfile := filepath.Join(dir, "kustomization.yaml")
	for _, n := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			kfile = filepath.Join(dir, n)
			break
		}
	}
	fail := func(summary, detail string) diag.List {
		return diag.List{{Severity: diag.Error, File: kfile, Line: 1, Summary: summary, Detail: detail}}
	}
	if !within(resolve(dir), resolve(root)) {
		return nil, fail("kustomization not built: it is outside the scanned tree", "root "+root)
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	type result struct {
		res   []Resource
		diags diag.List
		read  []string
	}
	done := make(chan result, 1)
	var started atomic.Bool
	go func() {
		buildMu.Lock()
		defer buildMu.Unlock()
		started.Store(true)
		defer func() {
			if r := recover(); r != nil {
				done <- result{diags: fail("kustomization not built: kustomize failed", fmt.Sprint("panic: ", r))}
			}
		}()
		res, diags, read := run(root, dir, kfile, opts)
		done <- result{res, diags, read}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		if opts.Read != nil && len(r.res) > 0 {
			for _, f := range r.read {
				opts.Read(f)
			}
		}
		return r.res, r.diags
	case <-timer.C:
		if !started.Load() {
			return nil, fail("kustomization not built: timed out", fmt.Sprintf(
				"an earlier kustomize build that timed out has still not finished after %s", timeout))
		}
		return nil, fail("kustomization not built: timed out", fmt.Sprintf("the build did not finish within %s", timeout))
	}
}

// build is the state of one kustomization's build.
type build struct {
	dir         string // as given, cleaned
	absDir      string // absolute, symbolic links resolved
	kfile       string // the kustomization file built (absolute)
	allowRemote bool
	fs          *rootedFS

	mu          sync.Mutex // rewrite may be called from kustomize's goroutines
	diags       diag.List
	tokens      []token
	parseFailed bool

	docs map[string][]object // origin files read, by absolute path
	read map[string]bool     // every file the build read, resolved
	// kusts and patches hold the kustomization files (by directory) and
	// patch documents (by file, or by the inline node) that field
	// positions read, each parsed once per build.
	kusts   map[string]*kustomization
	patches map[any][]*yaml.Node
}

// display returns the path of the absolute file name as seen from the
// scan: the kustomization directory as given joined with the file's path
// relative to it.
func (b *build) display(name string) string {
	rel, err := filepath.Rel(b.absDir, resolve(name))
	if err != nil {
		return name
	}
	return filepath.Join(b.dir, rel)
}

func run(root, dir, kfile string, opts Options) ([]Resource, diag.List, []string) {
	b := &build{dir: dir, absDir: resolve(dir), allowRemote: opts.AllowRemote, docs: map[string][]object{}, read: map[string]bool{}}
	b.kfile = filepath.Join(b.absDir, filepath.Base(kfile))
	fsys, err := newRootedFS(root, b, opts.AllowRemote)
	if err != nil {
		return nil, diag.List{{Severity: diag.Error, File: kfile, Line: 1, Summary: "kustomization not built", Detail: err.Error()}}, nil
	}
	b.fs = fsys
	k := krusty.MakeKustomizer(&krusty.Options{
		Reorder:          krusty.ReorderOptionUnspecified, // as `kustomize build`
		LoadRestrictions: types.LoadRestrictionsRootOnly,
		PluginConfig:     types.DisabledPluginConfig(), // builtins only, no helm
	})
	m, err := k.Run(fsys, b.absDir)
	b.mu.Lock()
	defer b.mu.Unlock()
	if err != nil {
		if b.parseFailed {
			return nil, b.diags, nil
		}
		file, line := b.locate(err.Error())
		summary := "kustomization " + dir + " not built"
		if strings.Contains(err.Error(), "external plugins disabled") {
			summary += ": it uses a plugin or KRM function (exec or container), which eksguard never runs"
		}
		b.diags = append(b.diags, diag.Diagnostic{Severity: diag.Error, File: file, Line: line,
			Summary: summary, Detail: err.Error()})
		return nil, b.diags, nil
	}
	type placed struct {
		file   string
		line   int
		origin *resource.Origin
	}
	var at []placed
	for _, r := range m.Resources() {
		o, err := r.GetOrigin()
		if err != nil {
			o = nil
		}
		f, l := b.position(o, r)
		at = append(at, placed{f, l, o})
	}
	if err := m.RemoveOriginAnnotations(); err != nil {
		return nil, append(b.diags, diag.Diagnostic{Severity: diag.Error, File: kfile, Line: 1,
			Summary: "kustomization " + dir + " not built", Detail: err.Error()}), nil
	}
	if err := m.RemoveTransformerAnnotations(); err != nil {
		return nil, append(b.diags, diag.Diagnostic{Severity: diag.Error, File: kfile, Line: 1,
			Summary: "kustomization " + dir + " not built", Detail: err.Error()}), nil
	}
	var out []Resource
	for i, r := range m.Resources() {
		y, err := r.AsYAML()
		if err != nil {
			b.diags = append(b.diags, diag.Diagnostic{Severity: diag.Error, File: at[i].file, Line: at[i].line,
				Summary: "kustomize object not written", Detail: err.Error()})
			continue
		}
		res := Resource{YAML: y, File: at[i].file, Line: at[i].line, Overlay: dir}
		if files, lines, ok := b.fieldLines(r, at[i].origin, y); ok {
			res.Files, res.Lines = files, lines
		}
		out = append(out, res)
	}
	return out, b.diags, b.readFiles()
}

// readFiles lists the files the build read.
func (b *build) readFiles() []string {
	out := make([]string, 0, len(b.read))
	for f := range b.read {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// LocalDirs lists the local directories the kustomization in dir builds
// on (resources, bases and components that are directories, cleaned),
// so a scan that finds both an overlay and its base builds the base once,
// through the overlay. Remote entries and files are left out; a file that
// cannot be read gives none.
func LocalDirs(dir string) []string {
	var kfile string
	for _, n := range konfig.RecognizedKustomizationFileNames() {
		if fi, err := os.Stat(filepath.Join(dir, n)); err == nil && fi.Mode().IsRegular() {
			kfile = filepath.Join(dir, n)
			break
		}
	}
	if kfile == "" {
		return nil
	}
	data, err := os.ReadFile(kfile)
	if err != nil {
		return nil
	}
	var k struct {
		Resources  []string `yaml:"resources"`
		Bases      []string `yaml:"bases"`
		Components []string `yaml:"components"`
	}
	if yaml.Unmarshal(data, &k) != nil {
		return nil
	}
	var out []string
	for _, group := range [][]string{k.Resources, k.Bases, k.Components} {
		for _, e := range group {
			if e == "" || isRemote(e) || filepath.IsAbs(e) {
				continue
			}
			p := filepath.Clean(filepath.Join(dir, e))
			if fi, err := os.Stat(p); err == nil && fi.IsDir() {
				out = append(out, p)
			}
		}
	}
	return out
}
