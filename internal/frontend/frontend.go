// Package frontend turns input files into the resource graph: it finds the
// files under the paths given, tells each file's kind from its name and
// content, and hands it to the front-end for that kind. A file that cannot
// be read or parsed yields a positioned diagnostic and the scan goes on.
package frontend

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/frontend/cfn"
	"github.com/eksguard/eksguard/internal/frontend/k8s"
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
// not read, so one stray artefact cannot exhaust memory.
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
	// terraform init has not installed (--download-modules) into
	// ModuleCache (default: the user's cache directory).
	DownloadModules bool
	ModuleCache     string
	// KeepDocuments keeps each parsed input document in Result.Documents,
	// for custom policies that read documents as conftest does.
	KeepDocuments bool
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
	// Imported holds the findings of other scanners' reports (SARIF,
	// Trivy, Grype, dependency-check, kube-bench), judged by the same gate.
	Imported []finding.Finding
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
	fetcher   *modfetch.Fetcher
	defaultNS string
	cfnParams map[string]string
	keepDocs  bool
}

func (res *Result) keep(file string, kind Kind, index int, v *graph.Value) {
	if res.keepDocs && v != nil {
		res.Documents = append(res.Documents, Document{File: file, Kind: kind, Index: index, Value: v})
	}
}

// loadTerraform evaluates each Terraform root module found. A directory
// that another one calls as a local module is read through that call (with
// its inputs), not again as a root of its own.
func (res *Result) loadTerraform(opts Options) {
	if opts.TfDir != "" {
		var all []string
		for _, pf := range planDirs(res.Files) {
			all = append(all, pf...)
		}
		res.mapPlanToSource(filepath.Clean(opts.TfDir), all, opts)
	}
	if len(res.tfDirs) == 0 {
		return
	}
	called := map[string]bool{}
	for _, d := range res.tfDirs {
		for _, m := range tfhcl.LocalModuleDirs(d) {
			called[filepath.Clean(m)] = true
		}
	}
	plans := planDirs(res.Files)
	seen := map[string]bool{}
	for _, d := range res.tfDirs {
		d = filepath.Clean(d)
		if called[d] || seen[d] || (opts.TfDir != "" && d == filepath.Clean(opts.TfDir)) {
			continue
		}
		seen[d] = true
		if pf := plans[d]; len(pf) > 0 {
			// A plan beside its configuration: the plan is what will be
			// applied, the .tf files say where to fix it.
			res.mapPlanToSource(d, pf, opts)
			continue
		}
		res.Files = append(res.Files, File{Path: filepath.ToSlash(d), Kind: KindTerraform})
		res.Diags = append(res.Diags, tfhcl.LoadDir(res.Graph, d, res.tfOptions(opts, d))...)
	}
}

// tfOptions are the evaluator's options for the root module in dir.
func (res *Result) tfOptions(opts Options, dir string) tfhcl.Options {
	o := tfhcl.Options{Vars: opts.Vars, VarFiles: opts.VarFiles, Root: res.tfRoot[filepath.Clean(dir)],
		AccountID: opts.AccountID, Partition: opts.Partition, Region: opts.Region}
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
		entries, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range entries {
			n := e.Name()
			if e.IsDir() || !(strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json")) {
				continue
			}
			p := filepath.Join(d, n)
			data, err := os.ReadFile(p)
			if err != nil || len(data) > MaxFileSize {
				continue
			}
			name := filepath.ToSlash(p)
			v, _ := tfhcl.RawFile(data, name)
			res.keep(name, KindTerraform, 0, v)
		}
	}
}

// File is one input that was read.
type File struct {
	Path string `json:"path"`
	Kind Kind   `json:"kind"`
}

// skipDirs are never descended into during directory walks.
var skipDirs = map[string]bool{".git": true, "node_modules": true, ".terraform": true, "vendor": true}

// Load reads every input under paths into one graph.
func Load(paths []string, opts Options) *Result {
	res := &Result{Graph: graph.New(), defaultNS: opts.DefaultNamespace, cfnParams: opts.CfnParams, keepDocs: opts.KeepDocuments,
		tfRoot: map[string]string{}}
	for _, p := range paths {
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
		info, err := os.Stat(p)
		if err != nil {
			res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: p, Summary: "cannot read", Detail: errText(err)})
			continue
		}
		if !info.IsDir() {
			if strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tf.json") {
				res.tfDirs = append(res.tfDirs, filepath.Dir(p))
				res.tfRoot[filepath.Clean(filepath.Dir(p))] = filepath.Dir(p)
				continue
			}
			res.loadFile(p, true)
			continue
		}
		res.walk(p)
	}
	res.loadTerraform(opts)
	res.keepTerraformDocs(opts)
	expandManifests(res.Graph, opts.DefaultNamespace)
	Link(res.Graph)
	markSecrets(res)
	return res
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func (res *Result) walk(root string) {
	var files []string
	// WalkDir does not follow symbolic links to directories, so a link
	// loop cannot make the walk endless.
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: path, Summary: "cannot read", Detail: errText(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if path != root && skipDirs[d.Name()] {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// Symlinked files are read once, through their target, if the
			// target is itself under the walked tree; elsewhere they are
			// followed like plain files.
			if fi, err := os.Stat(path); err != nil || fi.IsDir() {
				return nil
			}
		}
		if strings.HasSuffix(path, ".tf") || strings.HasSuffix(path, ".tf.json") {
			if dir := filepath.Dir(path); len(res.tfDirs) == 0 || res.tfDirs[len(res.tfDirs)-1] != dir {
				res.tfDirs = append(res.tfDirs, dir)
				res.tfRoot[filepath.Clean(dir)] = root
			}
			return nil
		}
		if candidate(path) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: root, Summary: "cannot walk", Detail: err.Error()})
	}
	sort.Strings(files)
	for _, f := range files {
		res.loadFile(f, false)
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
	f, err := os.Open(path)
	if err != nil {
		res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: path, Summary: "cannot read", Detail: errText(err)})
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: path, Summary: "cannot read", Detail: errText(err)})
		return
	}
	res.loadBytes(filepath.ToSlash(path), data, explicit)
}

func (res *Result) loadBytes(name string, data []byte, explicit bool) {
	if len(data) > MaxFileSize {
		res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: name, Summary: "file too large",
			Detail: fmt.Sprintf("more than %d MiB", MaxFileSize>>20)})
		return
	}
	if looksBinary(data) {
		if explicit {
			res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: name, Summary: "binary file, not an input eksguard reads"})
		}
		return
	}
	if res.loadAWSConfig(name, data, explicit) {
		return
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		root, err := jsonpos.Parse(data, name)
		if err != nil {
			var d diag.Diagnostic
			if !errors.As(err, &d) {
				d = diag.Diagnostic{Severity: diag.Error, File: name, Summary: "invalid JSON", Detail: err.Error()}
			}
			res.Diags = append(res.Diags, d)
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
			res.Diags = append(res.Diags, tfplan.Load(res.Graph, root, name)...)
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
			fs, diags := imports.Read(root, name)
			res.Imported = append(res.Imported, fs...)
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
		if len(objs) > 0 {
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

func looksBinary(data []byte) bool {
	head := data
	if len(head) > 8000 {
		head = head[:8000]
	}
	return bytes.IndexByte(head, 0) >= 0
}
