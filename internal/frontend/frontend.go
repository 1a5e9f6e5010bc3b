// Package frontend turns input files into the resource graph: it finds the
// files under the paths given, tells each file's kind from its name and
// content, and hands it to the front-end for that kind. A file that cannot
// be read or parsed yields a positioned diagnostic and the scan goes on.
package frontend

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend/cfn"
	"github.com/eksguard/eksguard/internal/frontend/helm"
	"github.com/eksguard/eksguard/internal/frontend/k8s"
	"github.com/eksguard/eksguard/internal/frontend/kustomize"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl/modfetch"
	"github.com/eksguard/eksguard/internal/frontend/tfplan"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/imports"
	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/eksguard/eksguard/internal/secret"
	"github.com/eksguard/eksguard/internal/yamlpos"
)

// MaxFileSize bounds what one input may weigh; larger files are reported,
// not read, so one stray artefact cannot exhaust memory. Below 2 GiB, it
// also keeps every line and column of an input within graph.Range's
// int32, so front-ends that read only what this package read convert
// them with a plain int32(...).
const MaxFileSize = 512 << 20

// Kind names an input format.
type Kind string

const (
	KindUnknown        Kind = ""
	KindTerraformPlan  Kind = "terraform-plan"
	KindTerraform      Kind = "terraform"
	KindKubernetes     Kind = "kubernetes"
	KindCloudFormation Kind = "cloudformation"
	KindIAMPolicy      Kind = "iam-policy"
	KindAWSConfig      Kind = "aws-cli-config"
	KindGitHubWorkflow Kind = "github-workflow"
	// KindData is JSON or YAML of no kind eksguard models (Helm values, a
	// docker-compose file), read only for custom policies that read raw
	// documents, as conftest reads any such file.
	KindData Kind = "data"
)

// Options tune loading.
type Options struct {
	// Stdin is read for the path "-".
	Stdin io.Reader
	// Vars and VarFiles set Terraform root module variables (--var,
	// --var-file).
	Vars     map[string]string
	VarFiles []string
	// TfDir is the Terraform configuration of the plan files given, when it
	// does not sit beside them (--tf-dir).
	TfDir string
	// CfnParams override CloudFormation parameters (--cfn-param).
	CfnParams map[string]string
	// DefaultNamespace is where Kubernetes objects that name no namespace
	// land ("" means "default").
	DefaultNamespace string
	// AccountID, Partition and Region are where the Terraform is deployed
	// (--account-id, --partition, --region): the evaluator derives ARNs
	// and answers data.aws_caller_identity, aws_partition and aws_region
	// with them.
	AccountID, Partition, Region string
	// DownloadModules fetches registry, git and archive modules that
	// terraform init has not installed, and Helm chart dependencies that
	// charts/ does not hold (--download-modules), into ModuleCache
	// (default: the user's cache directory).
	DownloadModules bool
	ModuleCache     string
	// TerraformLimits bound the evaluation of each Terraform root module
	// (--max-resources, --max-eval-time...); zero fields take the defaults.
	// RunTime bounds the evaluation of all of them (--max-run-time).
	TerraformLimits tfhcl.Limits
	RunTime         time.Duration
	// KeepDocuments keeps each parsed input document in Result.Documents,
	// for custom policies that read documents as conftest does.
	KeepDocuments bool
	// RawOnly says that only such policies read the result (the scan runs
	// raw-document policies and nothing else): what only rules and graph
	// policies read, the edges between resources, is not built. The
	// resources still are, since they place raw findings (a path into a
	// plan lands on the resource written there) and say which values are
	// secret, so that what a policy sees and reports does not change.
	RawOnly bool
	// FollowOutside follows symbolic links whose target lies outside the
	// paths given (--follow-outside); by default such links are reported
	// and not read.
	FollowOutside bool
	// SkipDirs and SkipFiles are ** globs (--skip-dirs, --skip-files) of
	// directories a walk does not enter and files it does not read,
	// matched against the path as met and relative to the PATH walked.
	// SkipDirNames are directory names never entered; nil means
	// DefaultSkipDirs. A PATH named is read whatever they say.
	SkipDirs, SkipFiles, SkipDirNames []string
	// VarInEnv tells whether the environment sets a value for a root
	// module variable (TF_VAR_name), so a directory whose variables have
	// no defaults may still be a root module. Its value is not read.
	VarInEnv func(name string) bool
	// Helm says how Helm charts are rendered (--helm-values, --helm-set,
	// --kube-version).
	Helm HelmOptions
	// ChangedFiles reads the files named as a walk reads the files it
	// meets (--changed-files: the files a change touched, as pre-commit
	// passes them), and finding no input among them is no error.
	ChangedFiles bool
}

// Document is one parsed input document with its positions: a JSON file,
// one document of a YAML stream, one .tf file in conftest's HCL shape, an
// INI file as sections of keys.
type Document struct {
	File  string
	Kind  Kind
	Index int
	Value *graph.Value
}

// Result is what loading produced.
type Result struct {
	Graph *graph.Graph
	Diags diag.List
	// Files lists each input read and the kind it was read as.
	Files []File
	// Imported holds the records of other scanners' reports (SARIF,
	// Trivy, Grype, dependency-check, kube-bench); the scan judges them
	// as findings by the same gate.
	Imported []imports.Record
	// Documents are the parsed inputs when Options.KeepDocuments is set.
	Documents []Document
	// Secrets are the strings marked secret in the graph and documents,
	// for masking them in text built from values (messages, diagnostics).
	Secrets []string
	// Redactor masks Secrets; Diags are already masked with it.
	Redactor *secret.Redactor

	tfDirs []string
	// tfRoot is the scanned path each Terraform directory was found under:
	// file() and templatefile() read nothing outside it.
	tfRoot    map[string]string
	loaded    map[string]bool // real paths of the files read
	fetcher   *modfetch.Fetcher
	defaultNS string
	cfnParams map[string]string
	keepDocs  bool
	rawOnly   bool
	roots     roots
	// walked holds the real directories walked, so a followed link cannot
	// walk a tree twice or loop.
	walked map[string]bool
	// tfVet holds each Terraform directory's check, made once.
	tfVet map[string]*tfDirCheck
	// tfInfo holds what each Terraform directory's parse says of its
	// calls and variables, read once, after vetting.
	tfInfo map[string]*tfhcl.DirInfo
	// tfParsed holds every Terraform file parsed, for all of the run's
	// readers: choosing root modules, evaluating each, raw documents.
	tfParsed *tfhcl.Cache
	// named are the directories named on the command line (a .tf file
	// named stands for its directory).
	named map[string]bool
	// skip decides what directory walks leave out.
	skip *skipper
	// helm and kustomize say how charts and kustomizations are rendered.
	helm      HelmOptions
	kustomize kustomize.Options
	// charts maps the name of each chart rendered to its directory;
	// pending holds helm template output files, read once every chart
	// was rendered unless their chart was.
	charts  map[string]string
	pending []renderedFile
	// kustRead holds every file a built kustomization read (resolved):
	// a resource file it names, in its directory or any other, is its
	// input and not also a manifest of its own.
	kustRead map[string]bool
}

func (res *Result) keep(file string, kind Kind, index int, v *graph.Value) {
	if res.keepDocs && v != nil {
		res.Documents = append(res.Documents, Document{File: file, Kind: kind, Index: index, Value: v})
	}
}

// loadTerraform evaluates each Terraform root module found. A directory
// that another one calls as a local module is read through that call (with
// its inputs), not again as a root of its own; nor is one that is only ever
// used as a module (moduleOnly) when no root module calls it, unless it was
// named on the command line.
func (res *Result) loadTerraform(opts Options) {
	if opts.RunTime > 0 && opts.TerraformLimits.Deadline.IsZero() {
		opts.TerraformLimits.Deadline = time.Now().Add(opts.RunTime)
	}
	if opts.TfDir != "" {
		var all []string
		for _, pf := range planDirs(res.Files) {
			all = append(all, pf...)
		}
		if _, ok := res.terraformTree(opts.TfDir); ok {
			d := filepath.Clean(opts.TfDir)
			if n, ok := notInPlanNotice(d, res.mapPlanToSource(d, all, opts)); ok {
				res.Diags = append(res.Diags, n)
			}
		}
	}
	if len(res.tfDirs) == 0 {
		return
	}
	plans := planDirs(res.Files)
	// Listing the calls parses the module: vet it first.
	calls := func(d string) ([]string, bool) {
		if res.vetTerraformDir(d).blocked {
			return nil, false
		}
		return res.dirInfo(d).Calls, true
	}
	given := res.givenVars(opts)
	notices := map[string]*diag.Diagnostic{}
	called, notRoots := chooseRoots(res.tfDirs, calls, func(d string) bool {
		// A directory named, beside a plan, or given as --tf-dir is not
		// judged; nor one vetting blocked, which is not parsed.
		if res.named[d] || len(plans[d]) > 0 || (opts.TfDir != "" && d == filepath.Clean(opts.TfDir)) || res.vetTerraformDir(d).blocked {
			return false
		}
		n, judged := notices[d]
		if !judged {
			n = res.moduleOnly(d, given)
			notices[d] = n
		}
		return n != nil
	})
	isRoot := func(d string) bool {
		return !called[d] && !notRoots[d] && (opts.TfDir == "" || d != filepath.Clean(opts.TfDir))
	}
	users := res.tfUsers(isRoot)
	seen := map[string]bool{}
	for _, d := range res.tfDirs {
		d = filepath.Clean(d)
		if called[d] || seen[d] || (opts.TfDir != "" && d == filepath.Clean(opts.TfDir)) {
			continue
		}
		seen[d] = true
		if notRoots[d] {
			res.Diags = append(res.Diags, *notices[d])
			continue
		}
		res.readRoot(d, plans[d], opts)
		users.done(d, res.tfParsed.Forget)
	}
}

// readRoot evaluates the root module in d, or, with plans beside it, maps
// the plans' resources to it.
func (res *Result) readRoot(d string, plans []string, opts Options) {
	n, ok := res.terraformTree(d)
	if !ok || n == 0 {
		// n == 0: every .tf file was binary or UTF-16 and reported;
		// nothing of the directory was read.
		return
	}
	if len(plans) > 0 {
		// A plan beside its configuration: the plan is what will be
		// applied, the .tf files say where to fix it. Which was read
		// is said, since the .tf files' own resources are not checked.
		absent := res.mapPlanToSource(d, plans, opts)
		res.Diags = append(res.Diags, planBesideNotice(d, plans))
		if n, ok := notInPlanNotice(d, absent); ok {
			res.Diags = append(res.Diags, n)
		}
		return
	}
	res.Files = append(res.Files, File{Path: filepath.ToSlash(d), Kind: KindTerraform, Count: n})
	tfo := res.tfOptions(opts, d)
	if dl := tfo.Limits.Deadline; !dl.IsZero() && time.Now().After(dl) {
		// The run's budget is spent: the root modules left are not
		// read, and each says so.
		reason := "the Terraform evaluation of this run took longer than --max-run-time"
		res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Warning, File: filepath.ToSlash(d), Summary: "root module not read: " + reason,
			Unread: &diag.Unread{Call: "root module " + filepath.ToSlash(d), Reason: reason}})
		return
	}
	res.Diags = append(res.Diags, res.dropVetted(tfhcl.LoadDir(res.Graph, d, tfo))...)
}

// tfUses counts, for each Terraform directory, the root modules still to
// be read that reach it through local module calls, so that its parse
// leaves the run's cache after the last of them (the parses of a
// repository's examples, each read by one root module, are otherwise
// held through every later one).
type tfUses struct {
	trees map[string][]string // a root module and the directories it calls, at any depth
	left  map[string]int
}

// tfUsers counts the uses of the root modules in res.tfDirs for which
// isRoot holds. Only the calls already known (directories vetted and
// parsed while choosing the roots) are followed: a directory reached
// otherwise is never counted, so never dropped, and one dropped early is
// only parsed again.
func (res *Result) tfUsers(isRoot func(string) bool) *tfUses {
	u := &tfUses{trees: map[string][]string{}, left: map[string]int{}}
	for _, d := range res.tfDirs {
		d = filepath.Clean(d)
		if _, ok := u.trees[d]; ok || !isRoot(d) {
			continue
		}
		var tree []string
		seen := map[string]bool{}
		stack := []string{d}
		for len(stack) > 0 {
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[n] {
				continue
			}
			seen[n] = true
			info, c := res.tfInfo[n], res.tfVet[n]
			if info == nil || c == nil || c.blocked {
				continue
			}
			tree = append(tree, n)
			for _, m := range info.Calls {
				stack = append(stack, filepath.Clean(m))
			}
		}
		u.trees[d] = tree
		for _, n := range tree {
			u.left[n]++
		}
	}
	return u
}

// done records that the root module d was read, and calls forget for
// each directory no root module left reaches.
func (u *tfUses) done(d string, forget func(dir string)) {
	for _, n := range u.trees[d] {
		if u.left[n]--; u.left[n] == 0 {
			forget(n)
		}
	}
}

// dirInfo is the parse of the Terraform directory d, read once; the
// directory must have been vetted.
func (res *Result) dirInfo(d string) *tfhcl.DirInfo {
	d = filepath.Clean(d)
	if i := res.tfInfo[d]; i != nil {
		return i
	}
	i := res.tfParsed.DirInfo(d)
	if res.tfInfo == nil {
		res.tfInfo = map[string]*tfhcl.DirInfo{}
	}
	res.tfInfo[d] = &i
	return &i
}

// chooseRoots splits the Terraform directories: called are read through
// another one's module call; notRoots are only ever modules (moduleOnly)
// and called by no directory that is read, so they are not read at all.
// The rest are root modules. Leaving a directory out can leave a
// directory it calls uncalled, which is then judged in turn: a module-only
// directory called only by left-out ones is left out too, any other
// becomes a root.
func chooseRoots(dirs []string, calls func(string) ([]string, bool), moduleOnly func(string) bool) (called, notRoots map[string]bool) {
	notRoots = map[string]bool{}
	var live []string
	for {
		live = live[:0]
		for _, d := range dirs {
			if d = filepath.Clean(d); !notRoots[d] {
				live = append(live, d)
			}
		}
		called = calledDirs(live, calls)
		grew := false
		for _, d := range live {
			if !called[d] && !notRoots[d] && moduleOnly(d) {
				notRoots[d] = true
				grew = true
			}
		}
		if !grew {
			return called, notRoots
		}
	}
}

// calledDirs are the directories read through another one's module call,
// which are therefore not roots of their own. A directory that calls
// itself, or one caller of a cycle of calls (a calls b calls a), is still a
// root: otherwise the cycle would vanish from the scan, and Terraform
// reports it as an error at the call, which the evaluator does. calls
// lists a directory's local module calls, false when it is not readable.
func calledDirs(dirs []string, calls func(string) ([]string, bool)) map[string]bool {
	edges := map[string][]string{}
	for _, d := range dirs {
		d = filepath.Clean(d)
		ms, ok := calls(d)
		if !ok {
			continue
		}
		for _, m := range ms {
			if m = filepath.Clean(m); m != d {
				edges[d] = append(edges[d], m)
			}
		}
	}
	reaches := func(from, to string) bool {
		seen := map[string]bool{}
		stack := []string{from}
		for len(stack) > 0 {
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if n == to {
				return true
			}
			if !seen[n] {
				seen[n] = true
				stack = append(stack, edges[n]...)
			}
		}
		return false
	}
	called := map[string]bool{}
	for caller, ms := range edges {
		for _, m := range ms {
			if !reaches(m, caller) {
				called[m] = true
			}
		}
	}
	return called
}

// givenVars tells whether the command line gives a value for a root
// module variable: --var names it, or a --var-file sets it (both apply to
// every root module), or the environment sets TF_VAR_name.
func (res *Result) givenVars(opts Options) func(string) bool {
	set := map[string]bool{}
	for k := range opts.Vars {
		set[k] = true
	}
	for _, f := range opts.VarFiles {
		for _, k := range res.tfParsed.VarFileNames(f) {
			set[k] = true
		}
	}
	return func(name string) bool { return set[name] || (opts.VarInEnv != nil && opts.VarInEnv(name)) }
}

// moduleOnly returns the notice for a Terraform directory that is only
// ever used as a module, and nil for one that may be a root module:
//
//   - it sits under a directory named modules, below the scanned path it
//     was found under (the scanned path's own name does not count: naming
//     a path is choosing it), or
//   - it declares a variable with no default for which nothing gives a
//     value: no variables file (*.tfvars, *.tfvars.json, auto-loaded or
//     not) beside it, which marks a directory run as a root module with
//     its values, and no --var or --var-file setting that variable; nor
//     does it configure a provider or show that terraform init was run
//     in it (a lock file, .terraform/modules/modules.json).
//
// Either way, a directory that configures a backend or HCP Terraform
// (cloud) is a root module: Terraform reads these only there.
func (res *Result) moduleOnly(d string, given func(string) bool) *diag.Diagnostic {
	info := res.dirInfo(d)
	if info.Backend || info.FirstFile == "" {
		return nil
	}
	name := filepath.ToSlash(d)
	notice := func(why, file string, line, col int) *diag.Diagnostic {
		return &diag.Diagnostic{Severity: diag.Notice, File: file, Line: line, Column: col,
			Summary: name + diag.NotRoot + "it is only used as a module (" + why + "); scan it on its own to check it",
			Detail: "no scanned root module calls it, so its resources were not checked; give the directory itself as the path " +
				"to scan (eksguard scan " + name + ") to read it as a root module"}
	}
	if underModules(res.tfRoot[d], d) {
		return notice("it sits under modules/", info.FirstFile, 1, 1)
	}
	// A provider configured, or terraform init run there, tells that the
	// directory is applied itself: its variables are then asked for at
	// the prompt or in CI, not left for a caller.
	if len(info.Required) == 0 || info.Provider || hasVarFiles(d) || initialised(d) {
		return nil
	}
	for _, v := range info.Required {
		if !given(v.Name) {
			return notice("variable \""+v.Name+"\" has no default and no value is given", v.File, v.Line, v.Column)
		}
	}
	return nil
}

// underModules tells whether dir lies under a directory named modules
// below the scanned path root.
func underModules(root, dir string) bool {
	if root == "" {
		return false
	}
	rel, err := filepath.Rel(filepath.Clean(root), dir)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for _, p := range parts[:len(parts)-1] {
		if p == "modules" {
			return true
		}
	}
	return false
}

// hasVarFiles tells whether dir holds a Terraform variables file.
// initialised tells whether terraform init has been run in dir as the
// working directory: it writes the dependency lock file there (often
// committed) and records the modules it installed under .terraform.
func initialised(dir string) bool {
	for _, p := range []string{".terraform.lock.hcl", filepath.Join(".terraform", "modules", "modules.json")} {
		if st, err := os.Stat(filepath.Join(dir, p)); err == nil && st.Mode().IsRegular() {
			return true
		}
	}
	return false
}

func hasVarFiles(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".tfvars") || strings.HasSuffix(n, ".tfvars.json")) {
			return true
		}
	}
	return false
}

// tfOptions are the evaluator's options for the root module in dir.
func (res *Result) tfOptions(opts Options, dir string) tfhcl.Options {
	o := tfhcl.Options{Vars: opts.Vars, VarFiles: opts.VarFiles, Root: res.tfRoot[filepath.Clean(dir)],
		AccountID: opts.AccountID, Partition: opts.Partition, Region: opts.Region, Limits: opts.TerraformLimits,
		FollowOutside: opts.FollowOutside, Cache: res.tfParsed}
	if o.Root == "" {
		o.Root = dir
	}
	if opts.DownloadModules {
		if res.fetcher == nil {
			res.fetcher = &modfetch.Fetcher{CacheDir: opts.ModuleCache}
		}
		o.Fetcher = res.fetcher
	}
	return o
}

// keepTerraformDocs keeps each .tf file of every Terraform directory met
// as a document of its own, as conftest reads them; the configuration
// itself was evaluated (and its errors reported) by loadTerraform.
func (res *Result) keepTerraformDocs(opts Options) {
	if !res.keepDocs {
		return
	}
	dirs := append([]string(nil), res.tfDirs...)
	if opts.TfDir != "" {
		dirs = append(dirs, opts.TfDir)
	}
	seen := map[string]bool{}
	for _, d := range dirs {
		d = filepath.Clean(d)
		if seen[d] {
			continue
		}
		seen[d] = true
		c := res.vetTerraformDir(d)
		if c.blocked {
			continue
		}
		entries, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range entries {
			n := e.Name()
			if e.IsDir() || !isTerraformFile(n) {
				continue
			}
			p := filepath.Join(d, n)
			name := filepath.ToSlash(p)
			if c.skip[name] {
				continue
			}
			data, ok := res.readRegular(p, name, true)
			if !ok {
				continue
			}
			if data, err = decodeText(data); err != nil {
				continue
			}
			v, _ := res.tfParsed.RawFile(data, name)
			res.keep(name, KindTerraform, 0, v)
		}
	}
}

// File is one input that was read.
type File struct {
	Path string `json:"path"`
	Kind Kind   `json:"kind"`
	// Count is the number of files the input stands for: the .tf and
	// .tf.json files read for a Terraform root module (its own and its
	// local modules'), 1 for any other input.
	Count int `json:"files"`
}

// N is Count, with the zero value meaning one file.
func (f File) N() int {
	if f.Count > 0 {
		return f.Count
	}
	return 1
}

// Load reads every input under paths into one graph.
func Load(paths []string, opts Options) *Result {
	// Raw-document policies read the documents, whoever asked.
	keep := opts.KeepDocuments || opts.RawOnly
	res := &Result{Graph: graph.New(), defaultNS: opts.DefaultNamespace, cfnParams: opts.CfnParams, keepDocs: keep, rawOnly: opts.RawOnly,
		tfRoot: map[string]string{}, roots: roots{follow: opts.FollowOutside}, tfVet: map[string]*tfDirCheck{}, skip: newSkipper(opts),
		helm: opts.Helm, kustomize: kustomize.Options{AllowRemote: opts.DownloadModules}, tfParsed: tfhcl.NewCache(keep)}
	res.helmDeps(opts)
	// The paths named bound where links met inside them may lead. A path
	// named is read even when it is itself a link: the user, not the
	// repository under review, chose it.
	for _, p := range paths {
		if p != "-" {
			res.roots.add(p)
		}
	}
	if opts.ChangedFiles {
		// The files a change touched name no directory: a Terraform
		// directory among them is judged as in a walk.
		res.named = map[string]bool{}
		for _, p := range paths {
			if fi, err := os.Stat(p); err == nil && fi.IsDir() {
				res.named[filepath.Clean(p)] = true
			}
		}
	} else {
		res.named = namedDirs(paths)
	}
	for _, p := range paths {
		if opts.ChangedFiles && p != "-" && res.changedFile(p) {
			continue
		}
		if p == "-" {
			in := opts.Stdin
			if in == nil {
				in = os.Stdin
			}
			data, err := io.ReadAll(io.LimitReader(in, MaxFileSize+1))
			if err != nil {
				res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: "<stdin>", Summary: "cannot read", Detail: err.Error()})
				continue
			}
			res.loadBytes("<stdin>", data, true)
			continue
		}
		li, err := os.Lstat(p)
		if err != nil {
			res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: p, Summary: "cannot read", Detail: errText(err)})
			continue
		}
		walkFrom := p
		if li.Mode()&fs.ModeSymlink != 0 {
			target, ok := res.resolveLink(p, true)
			if !ok {
				continue
			}
			res.roots.add(target)
			// WalkDir does not descend into a root that is a link; the
			// separator makes it resolve the link and keeps the names
			// under the path the user gave.
			walkFrom = p + string(filepath.Separator)
		}
		info, err := os.Stat(p)
		if err != nil {
			res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: p, Summary: "cannot read", Detail: errText(err)})
			continue
		}
		if info.IsDir() {
			res.walk(walkFrom, p)
			continue
		}
		if !info.Mode().IsRegular() {
			res.notRegular(p, info.Mode(), true)
			continue
		}
		if isTerraformFile(p) {
			res.addTFDir(filepath.Dir(p), filepath.Dir(p))
			continue
		}
		res.loadFile(p, true)
	}
	res.loadPendingRendered()
	res.loadTerraform(opts)
	res.keepTerraformDocs(opts)
	// Every reader of Terraform files is done: the syntax trees go.
	res.tfParsed = nil
	if !opts.ChangedFiles {
		res.noInput(paths)
	}
	expandManifests(res.Graph, opts.DefaultNamespace)
	if !opts.RawOnly {
		Link(res.Graph)
	}
	markSecrets(res)
	return res
}

// namedDirs are the directories the paths name: a directory itself, or
// the directory of a Terraform file.
func namedDirs(paths []string) map[string]bool {
	named := map[string]bool{}
	for _, p := range paths {
		if p == "-" {
			continue
		}
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			named[filepath.Clean(p)] = true
		} else if err == nil && isTerraformFile(p) {
			named[filepath.Clean(filepath.Dir(p))] = true
		}
	}
	return named
}

func isTerraformFile(p string) bool {
	return strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tf.json")
}

// noInput makes a scan that read nothing an error: "0 files, gate passed"
// reads as "checked and clean" when a path was mistyped or a directory
// holds nothing eksguard reads.
func (res *Result) noInput(paths []string) {
	if len(res.Files) > 0 {
		return
	}
	for _, p := range paths {
		if p == "-" || res.hasErrorUnder(p) {
			continue
		}
		if n := res.notRootsUnder(p); n > 0 {
			// Terraform was found, but only modules no root calls: the
			// notices name them; the scan still checked nothing.
			res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: p,
				Summary: "no root module under " + p + ": the Terraform found is only used as modules (" + countDirs(n) + ", see the notices)",
				Detail:  "nothing was scanned; scan the root module that calls them, or name a module directory to scan it on its own (eksguard scan DIR)"})
			continue
		}
		res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: p,
			Summary: "no input of a kind eksguard reads under " + p,
			Detail: "nothing was scanned; eksguard reads Terraform (.tf, .tf.json, plan JSON from terraform show -json), " +
				"CloudFormation templates, Kubernetes manifests, IAM policy JSON, AWS CLI config and credentials files, " +
				"GitHub Actions workflows and SARIF/Trivy/Grype/dependency-check/kube-bench reports"})
	}
}

// notRootsUnder counts the Terraform directories under p left out as only
// used as modules.
func (res *Result) notRootsUnder(p string) int {
	p = filepath.ToSlash(filepath.Clean(p))
	n := 0
	for _, d := range res.Diags {
		if dir, ok := diag.NotRootDir(d); ok && under(dir, p) {
			n++
		}
	}
	return n
}

func countDirs(n int) string {
	if n == 1 {
		return "1 directory"
	}
	return strconv.Itoa(n) + " directories"
}

// under tells whether the slash-separated path f is p or lies below it.
func under(f, p string) bool {
	return f == p || strings.HasPrefix(f, strings.TrimSuffix(p, "/")+"/") || p == "."
}

func (res *Result) hasErrorUnder(p string) bool {
	p = filepath.ToSlash(filepath.Clean(p))
	for _, d := range res.Diags {
		if d.Severity == diag.Error && under(filepath.ToSlash(filepath.Clean(d.File)), p) {
			return true
		}
	}
	return false
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// walk reads the inputs under root; name is how the user spelled it (root
// may carry a trailing separator to go through a link).
func (res *Result) walk(root, name string) {
	if res.walked == nil {
		res.walked = map[string]bool{}
	}
	if real, err := filepath.EvalSymlinks(root); err == nil {
		if abs, err := filepath.Abs(real); err == nil {
			if res.walked[abs] {
				return
			}
			res.walked[abs] = true
		}
	}
	var files, outside, charts, kusts []string
	// WalkDir does not follow symbolic links to directories; links are
	// judged here one by one, so a link loop cannot make the walk endless.
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: path, Summary: "cannot read", Detail: errText(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if path != root && res.skip.dir(root, path) {
				return fs.SkipDir
			}
			// A chart is rendered whole: its files are templates, values
			// and dependencies, not inputs of their own.
			if helm.IsChart(path) {
				charts = append(charts, path)
				return fs.SkipDir
			}
			if isKustomization(path) {
				kusts = append(kusts, path)
			}
			return nil
		}
		if res.skip.file(root, path) {
			return nil
		}
		tf := isTerraformFile(path)
		if d.Type()&fs.ModeSymlink != 0 {
			fi, err := os.Stat(path)
			switch {
			case err == nil && fi.IsDir():
				if res.skip.dir(root, path) {
					return nil
				}
				if target, err := filepath.EvalSymlinks(path); err == nil {
					if abs, err := filepath.Abs(target); err == nil && res.roots.inside(abs) {
						// Read through its real path, by the walk of the
						// root it lies in.
						return nil
					}
				}
				if _, ok := res.resolveLink(path, false); ok {
					outside = append(outside, path)
				}
				return nil
			case !tf && !candidate(path):
				return nil
			case tf:
				// The Terraform directory is vetted file by file before it
				// is evaluated (vetTerraformDir).
			default:
				target, ok := res.resolveLink(path, false)
				if !ok || fi == nil {
					return nil
				}
				if !fi.Mode().IsRegular() {
					res.notRegular(path, fi.Mode(), false)
					return nil
				}
				if res.roots.inside(target) && res.underWalkedRoot(target) {
					// Read once, through its target, by the walk.
					return nil
				}
			}
		} else if !d.Type().IsRegular() {
			if candidate(path) {
				res.notRegular(path, d.Type(), false)
				return nil
			}
			if !tf {
				return nil
			}
		}
		if tf {
			res.addTFDir(filepath.Dir(path), name)
			return nil
		}
		if candidate(path) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: name, Summary: "cannot walk", Detail: err.Error()})
	}
	res.renderCharts(charts)
	built := map[string]bool{}
	// A base or component another kustomization of the walk builds on is
	// built through it, not also on its own: its objects would count twice.
	through := map[string][]string{}
	uses := map[string][]string{} // what each kustomization builds on
	for _, k := range kusts {
		uses[k] = kustomize.LocalDirs(k)
		for _, d := range uses[k] {
			through[d] = append(through[d], filepath.ToSlash(filepath.Clean(k)))
		}
	}
	var bases, tops []string
	for _, k := range kusts {
		if len(through[filepath.Clean(k)]) > 0 {
			bases = append(bases, k)
			continue
		}
		tops = append(tops, k)
	}
	alts := overlayAlternatives(tops, uses)
	for _, k := range tops {
		if res.buildKustomization(root, k, alts[k]) {
			built[filepath.Clean(k)] = true
		}
	}
	for _, k := range bases {
		c := filepath.Clean(k)
		var by []string
		for _, o := range through[c] {
			if built[filepath.FromSlash(o)] {
				by = append(by, o)
			}
		}
		if len(by) == 0 {
			// No overlay of it was built: build it on its own after all.
			if res.buildKustomization(root, k, graph.Alternative{}) {
				built[c] = true
			}
			continue
		}
		built[c] = true
		res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Notice, File: filepath.ToSlash(c),
			Summary: filepath.ToSlash(c) + " is built through " + strings.Join(by, ", ") + ", not on its own",
			Detail:  "a kustomization another one of the scan builds on is read once, through it, so its objects are not counted twice"})
	}
	sort.Strings(files)
	for _, f := range files {
		if built[filepath.Dir(f)] || res.kustRead[resolvedPath(f)] {
			continue
		}
		res.loadFile(f, false)
	}
	for _, o := range outside {
		// --follow-outside: the target becomes a scanned root, so links
		// inside it that point back into it are followed once.
		if target, err := filepath.EvalSymlinks(o); err == nil {
			res.roots.add(target)
		}
		res.walk(o+string(filepath.Separator), o)
	}
}

// underWalkedRoot tells whether real lies under a directory a walk has
// covered or will cover; a link to a file only the link reaches (a file
// named on the command line is not walked) is read through the link.
func (res *Result) underWalkedRoot(real string) bool {
	for _, root := range res.roots.real {
		if fi, err := os.Stat(root); err == nil && fi.IsDir() && (real == root || strings.HasPrefix(real, root+string(filepath.Separator))) {
			return !res.inSkippedDir(root, real)
		}
	}
	return false
}

// inSkippedDir tells whether a walk of root would leave out the file at
// real, or a directory it lies in.
func (res *Result) inSkippedDir(root, real string) bool {
	if res.skip.file(root, real) {
		return true
	}
	for d := filepath.Dir(real); d != root && strings.HasPrefix(d, root+string(filepath.Separator)); d = filepath.Dir(d) {
		if res.skip.dir(root, d) {
			return true
		}
	}
	return false
}

func (res *Result) addTFDir(dir, root string) {
	dir = filepath.Clean(dir)
	if len(res.tfDirs) == 0 || filepath.Clean(res.tfDirs[len(res.tfDirs)-1]) != dir {
		res.tfDirs = append(res.tfDirs, dir)
		if _, ok := res.tfRoot[dir]; !ok {
			res.tfRoot[dir] = root
		}
	}
}

// candidate tells from the name whether a file in a directory walk may be
// an input; content decides the kind.
func candidate(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json", ".yaml", ".yml":
		return true
	}
	return awsCLICandidate(path)
}

func (res *Result) loadFile(path string, explicit bool) {
	name := filepath.ToSlash(path)
	// One file reached by two paths (a path named and a link to it) is
	// one input: read twice, its resources would be counted twice.
	if real, err := filepath.EvalSymlinks(path); err == nil {
		if abs, err := filepath.Abs(real); err == nil {
			if res.loaded[abs] {
				return
			}
			if res.loaded == nil {
				res.loaded = map[string]bool{}
			}
			res.loaded[abs] = true
		}
	}
	data, unmap, ok := res.readInput(path, name, explicit)
	if !ok {
		return
	}
	if unmap != nil {
		res.loadMapped(name, data, unmap, explicit)
		return
	}
	res.loadBytes(name, data, explicit)
}

// loadMapped is loadBytes for a file readInput mapped. A plan is decoded
// from the mapping, which is released before its graph is built; any
// other input is copied first, since its front-end may keep the bytes.
// A file truncated while mapped faults on the pages past its new end:
// that is an error of this input, not a crash of the scan.
func (res *Result) loadMapped(name string, data []byte, unmap func(), explicit bool) {
	var plan *tfplan.Decoded
	tried := false
	err := readFaults(func() {
		// A text file, as loadBytes asks (an AWS CLI config, which it
		// tries first, never begins with '{').
		if text, err := decodeText(data); err == nil && binaryReason(text) == "" {
			tried = true
			if plan = res.decodePlanText(text, name); plan != nil {
				return
			}
		}
		data = bytes.Clone(data)
	})
	unmap()
	switch {
	case err != nil:
		res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: name, Summary: "cannot read", Detail: err.Error()})
	case plan != nil:
		res.addPlan(name, plan)
	default:
		// Not a plan, as decoded from the mapping: the copy is not
		// decoded as one again.
		res.loadInput(name, data, explicit, !tried)
	}
}

// decodePlanText decodes text as a Terraform plan, nil when it is not one.
// Without raw policies nothing reads a plan's document but the plan
// front-end, which then decodes only what it reads: a plan parsed whole
// holds eight times its size. With them, nil: the document is parsed
// whole.
func (res *Result) decodePlanText(text []byte, name string) *tfplan.Decoded {
	trimmed := bytes.TrimLeft(text, " \t\r\n")
	if res.keepDocs || len(trimmed) == 0 || trimmed[0] != '{' || !tfplan.Sniff(trimmed) {
		return nil
	}
	p, _ := tfplan.DecodeBytes(text, name)
	return p
}

// addPlan builds the graph of a decoded plan. Nothing reads the bytes it
// was decoded from any more, so the graph, most of loading, is built
// without them.
func (res *Result) addPlan(name string, p *tfplan.Decoded) {
	res.Files = append(res.Files, File{Path: name, Kind: KindTerraformPlan})
	res.Diags = append(res.Diags, p.Load(res.Graph)...)
}

// walkedParseError is the diagnostic of a file that does not parse: an
// error when it was named or says it is an input of a kind eksguard reads,
// else a notice, since a walk only guessed from its name that it might be
// one (a JSONC tsconfig.json in a monorepo must not fail the scan).
func walkedParseError(d diag.Diagnostic, name string, data []byte, explicit bool) diag.Diagnostic {
	if explicit || d.Severity != diag.Error || claimsKind(name, data) {
		return d
	}
	d.Severity = diag.Notice
	d.Summary = "skipped: " + d.Summary + ", and nothing in it marks an input of a kind eksguard reads"
	return d
}

func (res *Result) loadBytes(name string, data []byte, explicit bool) {
	res.loadInput(name, data, explicit, true)
}

// loadInput is loadBytes, trying a JSON document as a Terraform plan only
// when tryPlan is set.
func (res *Result) loadInput(name string, data []byte, explicit, tryPlan bool) {
	if len(data) > MaxFileSize {
		res.Diags = append(res.Diags, tooLarge(name))
		return
	}
	// A file met in a walk is only guessed to be an input from its name,
	// so binary content there is a notice; one the user named is an error.
	data, ok := res.textOf(name, data, sevFor(explicit))
	if !ok {
		return
	}
	if res.loadAWSConfig(name, data, explicit) {
		return
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		if tryPlan {
			if p := res.decodePlanText(data, name); p != nil {
				res.addPlan(name, p)
				return
			}
		}
		parse := jsonpos.Parse
		if res.keepDocs {
			// Raw policies keep the whole document.
			parse = jsonpos.ParseWhole
		}
		root, err := parse(data, name)
		if err != nil {
			var d diag.Diagnostic
			if !errors.As(err, &d) {
				d = diag.Diagnostic{Severity: diag.Error, File: name, Summary: "invalid JSON", Detail: err.Error()}
			}
			res.Diags = append(res.Diags, walkedParseError(d, name, data, explicit))
			return
		}
		// Whatever the JSON turns out to be, its parsed root is the
		// document raw policies read.
		defer func(n int) {
			if len(res.Files) > n {
				res.keep(name, res.Files[len(res.Files)-1].Kind, 0, root)
			}
		}(len(res.Files))
		switch {
		case tfplan.Detect(root):
			res.Files = append(res.Files, File{Path: name, Kind: KindTerraformPlan})
			load := tfplan.Load
			if res.rawOnly {
				load = tfplan.LoadResources
			}
			res.Diags = append(res.Diags, load(res.Graph, root, name)...)
			return
		case cfn.Detect(root):
			res.Files = append(res.Files, File{Path: name, Kind: KindCloudFormation})
			res.Diags = append(res.Diags, cfn.Load(res.Graph, root, name, cfn.Options{Params: res.cfnParams})...)
			return
		case k8s.IsObject(root):
			res.Files = append(res.Files, File{Path: name, Kind: KindKubernetes})
			k8s.Load(res.Graph, k8s.Objects(root, ""), name, res.defaultNS)
			return
		case isPolicyDocument(root):
			res.Files = append(res.Files, File{Path: name, Kind: KindIAMPolicy})
			loadPolicyFile(res.Graph, root, name)
			return
		case imports.Detect(root) != "":
			res.Files = append(res.Files, File{Path: name, Kind: Kind("imported:" + imports.Detect(root))})
			recs, diags := imports.Read(root, name)
			res.Imported = append(res.Imported, recs...)
			res.Diags = append(res.Diags, diags...)
			return
		}
		if res.keepDocs {
			res.Files = append(res.Files, File{Path: name, Kind: KindData})
			return
		}
	} else if ext := strings.ToLower(filepath.Ext(name)); ext == ".yaml" || ext == ".yml" || ext == ".template" || name == "<stdin>" {
		// CloudFormation's short-form tags are turned into their long form
		// while decoding; Kubernetes manifests use no local tags.
		docs, diags := yamlpos.Decode(data, name, yamlpos.Options{Tag: cfn.Tag})
		if len(docs) == 1 && cfn.Detect(docs[0].Value) {
			res.Files = append(res.Files, File{Path: name, Kind: KindCloudFormation})
			res.keep(name, KindCloudFormation, 0, docs[0].Value)
			res.Diags = append(res.Diags, diags...)
			res.Diags = append(res.Diags, cfn.Load(res.Graph, docs[0].Value, name, cfn.Options{Params: res.cfnParams})...)
			return
		}
		if res.loadGitHubWorkflow(name, docs, diags) {
			return
		}
		var objs []k8s.Object
		for _, d := range docs {
			objs = append(objs, k8s.Objects(d.Value, d.Comments)...)
		}
		if charts := sourceCharts(objs); len(charts) > 0 {
			// helm template output: read once every chart of the scan is
			// rendered, unless its chart is one of them.
			p := renderedFile{name: name, objs: objs, charts: charts}
			for _, d := range docs {
				p.docs = append(p.docs, d.Value)
			}
			res.pending = append(res.pending, p)
		} else if len(objs) > 0 {
			res.Files = append(res.Files, File{Path: name, Kind: KindKubernetes})
			for i, d := range docs {
				res.keep(name, KindKubernetes, i, d.Value)
			}
			k8s.Load(res.Graph, objs, name, res.defaultNS)
		}
		for _, d := range diags {
			if !explicit && d.Summary == "invalid YAML" && bytes.Contains(data, []byte("{{")) {
				// An unrendered Helm or other Go template met in a walk is
				// not broken input; scan the output of helm template.
				d.Severity, d.Summary = diag.Notice, "template source, not YAML (scan the rendered output, e.g. helm template)"
			} else if len(objs) == 0 {
				d = walkedParseError(d, name, data, explicit)
			}
			res.Diags = append(res.Diags, d)
		}
		if len(objs) > 0 || len(diags) > 0 {
			return
		}
		if res.keepDocs && len(docs) > 0 {
			res.Files = append(res.Files, File{Path: name, Kind: KindData})
			for i, d := range docs {
				res.keep(name, KindData, i, d.Value)
			}
			return
		}
	}
	sev := diag.Notice
	if explicit {
		sev = diag.Error
	}
	res.Diags = append(res.Diags, diag.Diagnostic{Severity: sev, File: name, Summary: "kind of input not recognised",
		Detail: "expected a Terraform plan (terraform show -json), a CloudFormation template (AWSTemplateFormatVersion or Resources of AWS:: types), Kubernetes manifests (apiVersion and kind), an IAM policy (Statement), an AWS CLI config or credentials file, or a GitHub Actions workflow (on and jobs)"})
}
