package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/iam/escalate"
	"github.com/eksguard/eksguard/internal/rule"
)

// IAMPathsSchemaVersion is the version of the JSON written by
// `eksguard iam paths --format json` (docs/iam-paths.md).
const IAMPathsSchemaVersion = "1.0"

const iamUsage = `Usage: eksguard iam paths [flags] PATH...
       eksguard iam methods [--format text|markdown]

paths    print the IAM privilege-escalation paths of the scanned code: who
         can become administrator (or a --crown-jewel), hop by hop, with the
         file:line of every statement that grants each hop.
methods  list the escalation methods: every hop label, the pathfinding.cloud
         paths it covers and what the code must show for it to be certain.
`

func runIAM(args []string, env Env) int {
	if len(args) > 0 && args[0] == "paths" {
		return runIAMPaths(args[1:], env)
	}
	if len(args) > 0 && args[0] == "methods" {
		return runIAMMethods(args[1:], env)
	}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprint(env.Stdout, iamUsage)
		return ExitOK
	}
	fmt.Fprint(env.Stderr, iamUsage)
	return ExitUsage
}

var iamPathsWriters = map[string]func(io.Writer, *pathsView) error{
	"text":    writePathsText,
	"json":    writePathsJSON,
	"mermaid": writePathsMermaid,
}

func runIAMPaths(args []string, env Env) int {
	fs := flag.NewFlagSet("iam paths", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var formats, jewels, tfVars, tfVarFiles, cfnParams listFlag
	fs.Var(&formats, "format", "output `format`: text, json or mermaid; FORMAT=FILE writes to a file; repeatable (default text)")
	fs.Var(&formats, "f", "shorthand for --format")
	fs.Var(&jewels, "crown-jewel", "IAM principal `ARN` (glob) treated as administrator: paths to it are reported too; repeatable")
	fs.Var(&tfVars, "var", "Terraform root variable `NAME=VALUE`; repeatable (highest precedence)")
	fs.Var(&tfVarFiles, "var-file", "Terraform variables `FILE` (.tfvars); repeatable")
	fs.Var(&cfnParams, "cfn-param", "CloudFormation parameter or pseudo parameter `NAME=VALUE` (AWS::AccountId=...); repeatable")
	tfDir := fs.String("tf-dir", "", "Terraform configuration `DIR` of the plan files scanned (default: .tf files beside the plan)")
	k8sNamespace := fs.String("k8s-namespace", "default", "`namespace` of Kubernetes objects that name none")
	account := fs.String("account-id", "", "AWS account `ID` the code is deployed to, so principals' ARNs are known (default: AWS::AccountId from --cfn-param)")
	tfe := addTFEvalFlags(fs)
	asOf := fs.String("as-of", "", "evaluate date conditions (aws:CurrentTime, aws:TokenIssueTime) at this `date` (YYYY-MM-DD) instead of today")
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, iamUsage+"\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprintf(env.Stderr, "\nExit status: 0 no certain path, 1 a certain path to administrator exists (possible paths are\nlisted but do not fail), 2 usage error or unreadable input.\n")
	}
	paths, status, ok := parseArgs(fs, args)
	if !ok {
		return status
	}
	if len(paths) == 0 {
		fmt.Fprintln(env.Stderr, "eksguard iam paths: no PATH given (use . for the current directory, - for stdin)")
		return ExitUsage
	}
	if len(formats) == 0 {
		formats = listFlag{"text"}
	}
	var outs []output
	for _, f := range formats {
		name, file, _ := strings.Cut(f, "=")
		name = strings.ToLower(name)
		if iamPathsWriters[name] == nil {
			fmt.Fprintf(env.Stderr, "eksguard iam paths: --format: want text, json or mermaid, got %q\n", name)
			return ExitUsage
		}
		outs = append(outs, output{format: name, path: file})
	}
	vars, ok1 := keyValues(env, "--var", tfVars)
	params, ok2 := keyValues(env, "--cfn-param", cfnParams)
	if !ok1 || !ok2 {
		return ExitUsage
	}
	cfg := escalate.Config{CrownJewels: jewels, Now: time.Now().UTC()}
	if *asOf != "" {
		t, err := time.Parse("2006-01-02", *asOf)
		if err != nil {
			fmt.Fprintf(env.Stderr, "eksguard iam paths: --as-of: want YYYY-MM-DD, got %q\n", *asOf)
			return ExitUsage
		}
		cfg.Now = t
	}

	fo := frontend.Options{Stdin: env.Stdin, Vars: vars, VarFiles: tfVarFiles, TfDir: *tfDir,
		CfnParams: params, DefaultNamespace: *k8sNamespace}
	acct := *account
	if acct == "" {
		acct = params["AWS::AccountId"]
	}
	tfe.apply(&fo, acct, env.Getenv)
	loaded := frontend.Load(paths, fo)
	status = ExitOK
	var errs []diag.Diagnostic
	for _, d := range loaded.Diags {
		if d.Severity == diag.Notice {
			continue
		}
		errs = append(errs, d)
		fmt.Fprintln(env.Stderr, d.String())
		if d.Severity == diag.Error {
			status = ExitUsage
		}
	}
	if acct != "" {
		iam.SetAccount(loaded.Graph, acct)
	}
	a := escalate.Analyze(loaded.Graph, cfg)
	v := newPathsView(loaded.Graph, a, cfg, errs)

	for _, o := range outs {
		w := iamPathsWriters[o.format]
		var buf bytes.Buffer
		if err := w(&buf, v); err != nil {
			fmt.Fprintf(env.Stderr, "eksguard iam paths: writing %s: %v\n", o.format, err)
			return ExitUsage
		}
		// Labels and statements come from the code: one that repeats a
		// secret (a user named by a key) is masked.
		text := loaded.Redactor.String(buf.String())
		if o.path == "" {
			if _, err := io.WriteString(env.Stdout, text); err != nil {
				fmt.Fprintf(env.Stderr, "eksguard iam paths: writing %s: %v\n", o.format, err)
				return ExitUsage
			}
			continue
		}
		if os.WriteFile(o.path, []byte(text), 0o644) != nil {
			fmt.Fprintf(env.Stderr, "eksguard iam paths: writing %s failed\n", o.path)
			return ExitUsage
		}
	}
	if status == ExitOK {
		for _, p := range a.Paths {
			if p.Certain == rule.True {
				status = ExitGate
				break
			}
		}
	}
	return status
}

// runIAMMethods lists the escalation methods; its markdown is the methods
// section of docs/iam-paths.md (go generate ./cmd/eksguard).
func runIAMMethods(args []string, env Env) int {
	fs := flag.NewFlagSet("iam methods", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	format := fs.String("format", "text", "`format` of the listing: text or markdown (the docs/iam-paths.md methods table)")
	rest, status, ok := parseArgs(fs, args)
	if !ok {
		return status
	}
	if len(rest) > 0 {
		fmt.Fprintf(env.Stderr, "eksguard iam methods: unexpected argument %q\n", rest[0])
		return ExitUsage
	}
	var err error
	switch strings.ToLower(*format) {
	case "text":
		err = escalate.WriteMethodsText(env.Stdout)
	case "markdown", "md":
		_, err = io.WriteString(env.Stdout, escalate.MethodsMarkdown())
	default:
		fmt.Fprintf(env.Stderr, "eksguard iam methods: --format: want text or markdown, got %q\n", *format)
		return ExitUsage
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "eksguard iam methods: %v\n", err)
		return ExitUsage
	}
	return ExitOK
}

// keyValues reads NAME=VALUE flags.
func keyValues(env Env, flagName string, kvs []string) (map[string]string, bool) {
	out := map[string]string{}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			fmt.Fprintf(env.Stderr, "eksguard iam paths: %s: want NAME=VALUE, got %q\n", flagName, kv)
			return nil, false
		}
		out[k] = v
	}
	return out, true
}

// pathsView is the analysis as every output format shows it; its JSON
// form is the documented schema (docs/iam-paths.md).
type pathsView struct {
	SchemaVersion  string            `json:"schema_version"`
	Nodes          []nodeView        `json:"nodes"`
	Hops           []hopView         `json:"hops"`
	Administrators []adminView       `json:"administrators"`
	Paths          []pathView        `json:"paths"`
	Errors         []diag.Diagnostic `json:"errors"`
}

type nodeView struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Label    string `json:"label"`
	ARN      string `json:"arn,omitempty"`
	Resource string `json:"resource,omitempty"`
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	// mermaid id, not serialised
	mid string
}

type grantView struct {
	File       string `json:"file,omitempty"`
	Line       int    `json:"line,omitempty"`
	Policy     string `json:"policy,omitempty"`
	Statement  string `json:"statement"`
	AWSManaged bool   `json:"aws_managed,omitempty"`
}

type hopView struct {
	From      string      `json:"from"`
	To        string      `json:"to"`
	Method    string      `json:"method"`
	Certainty string      `json:"certainty"`
	Detail    string      `json:"detail"`
	Grants    []grantView `json:"grants"`
	// Unreadable lists, for a possible hop, the principal's policies that
	// cannot be read from code.
	Unreadable []unreadableView `json:"unreadable_policies,omitempty"`
	fromLabel  string
	toLabel    string
	sites      []string
}

type unreadableView struct {
	Policy string `json:"policy"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
}

type adminView struct {
	Node       string      `json:"node"`
	CrownJewel bool        `json:"crown_jewel,omitempty"`
	Grants     []grantView `json:"grants"`
	label      string
}

type pathView struct {
	From      string    `json:"from"`
	Certainty string    `json:"certainty"`
	Chain     string    `json:"chain"`
	Hops      []hopView `json:"hops"`
}

func newPathsView(g *graph.Graph, a *escalate.Analysis, cfg escalate.Config, errs []diag.Diagnostic) *pathsView {
	v := &pathsView{SchemaVersion: IAMPathsSchemaVersion, Nodes: []nodeView{}, Hops: []hopView{},
		Administrators: []adminView{}, Paths: []pathView{}, Errors: errs}
	if v.Errors == nil {
		v.Errors = []diag.Diagnostic{}
	}
	for i, n := range a.Nodes {
		nv := nodeView{ID: n.ID, Kind: string(n.Kind), Label: n.Label, mid: fmt.Sprintf("n%d", i)}
		if n.Identity != nil {
			nv.Kind = string(n.Identity.Kind)
			nv.ARN = n.Identity.ARN
		}
		if n.Res != nil {
			nv.Resource = n.Res.Address
			nv.File, nv.Line = n.Res.Range.File, n.Res.Range.Line
		}
		v.Nodes = append(v.Nodes, nv)
	}
	for _, h := range a.Hops {
		v.Hops = append(v.Hops, newHopView(g, cfg, h))
	}
	for _, n := range a.Admins {
		av := adminView{Node: n.ID, Grants: []grantView{}, label: n.Label}
		if n.Identity != nil {
			for _, pat := range cfg.CrownJewels {
				if iam.Glob(pat, n.Identity.ARN, false) {
					av.CrownJewel = true
				}
			}
		}
		for _, h := range a.Hops {
			if h.From == n && h.To.Kind == escalate.KindAdmin && h.Method == "administrator" {
				av.Grants = newHopView(g, cfg, h).Grants
			}
		}
		v.Administrators = append(v.Administrators, av)
	}
	for _, p := range a.Paths {
		pv := pathView{From: p.From.ID, Certainty: escalate.CertaintyWord(p.Certain), Chain: p.String(), Hops: []hopView{}}
		for _, h := range p.Hops {
			pv.Hops = append(pv.Hops, newHopView(g, cfg, h))
		}
		v.Paths = append(v.Paths, pv)
	}
	return v
}

func newHopView(g *graph.Graph, cfg escalate.Config, h escalate.Hop) hopView {
	hv := hopView{From: h.From.ID, To: h.To.ID, Method: h.Method, Certainty: escalate.CertaintyWord(h.Certain),
		Detail: escalate.DetailFor(h, cfg), Grants: []grantView{}, fromLabel: h.From.Label, toLabel: h.To.Label}
	for _, c := range escalate.Cites(g, h) {
		hv.Grants = append(hv.Grants, grantView{File: c.File, Line: c.Line, Policy: c.Policy, Statement: c.Statement,
			AWSManaged: c.AWSManaged})
		site := c.At()
		if c.AWSManaged && c.File != "" {
			site += " (" + c.Policy + ")"
		}
		hv.sites = append(hv.sites, site)
	}
	for _, u := range escalate.Unreadables(h) {
		hv.Unreadable = append(hv.Unreadable, unreadableView{Policy: u.Name, File: u.File, Line: u.Line})
	}
	return hv
}

func writePathsJSON(w io.Writer, v *pathsView) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func writePathsText(w io.Writer, v *pathsView) error {
	var b strings.Builder
	certain := 0
	for _, p := range v.Paths {
		if p.Certainty == "certain" {
			certain++
		}
		fmt.Fprintf(&b, "%s (%s)\n", p.Chain, p.Certainty)
		for _, h := range p.Hops {
			fmt.Fprintf(&b, "    %s -[%s]-> %s (%s): %s", h.fromLabel, h.Method, h.toLabel, h.Certainty, h.Detail)
			if len(h.sites) > 0 {
				fmt.Fprintf(&b, "; granted at %s", strings.Join(h.sites, ", "))
			}
			if len(h.Unreadable) > 0 {
				var us []string
				for _, u := range h.Unreadable {
					s := u.Policy
					if u.File != "" {
						s += fmt.Sprintf(" (%s:%d)", u.File, u.Line)
					}
					us = append(us, s)
				}
				fmt.Fprintf(&b, "; not knowable from code: %s", strings.Join(us, ", "))
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	if len(v.Administrators) > 0 {
		b.WriteString("Administrators:\n")
		for _, a := range v.Administrators {
			fmt.Fprintf(&b, "    %s", a.label)
			if a.CrownJewel {
				b.WriteString(" (crown jewel)")
			}
			var sites []string
			for _, g := range a.Grants {
				s := (escalate.Cite{File: g.File, Line: g.Line, Policy: g.Policy}).At()
				if g.AWSManaged && g.File != "" {
					s += " (" + g.Policy + ")"
				}
				sites = append(sites, s)
			}
			if len(sites) > 0 {
				fmt.Fprintf(&b, ": %s", strings.Join(sites, ", "))
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	switch {
	case len(v.Paths) == 0:
		b.WriteString("No path to administrator.\n")
	default:
		fmt.Fprintf(&b, "%d %s to administrator (%d certain, %d possible).\n", len(v.Paths), plural(len(v.Paths), "path", "paths"),
			certain, len(v.Paths)-certain)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// writePathsMermaid writes a Mermaid flowchart: one node per vertex, one
// edge per hop labelled with its method, possible hops dashed.
func writePathsMermaid(w io.Writer, v *pathsView) error {
	var b strings.Builder
	b.WriteString("graph LR\n")
	mid := map[string]string{}
	var admins, adminSinks []string
	isAdmin := map[string]bool{}
	for _, a := range v.Administrators {
		isAdmin[a.Node] = true
	}
	for _, n := range v.Nodes {
		mid[n.ID] = n.mid
		label := mermaidLabel(n.Label)
		switch {
		case n.Kind == string(escalate.KindAdmin) || n.Kind == string(escalate.KindClusterAdmin):
			fmt.Fprintf(&b, "    %s{{\"%s\"}}\n", n.mid, label)
			adminSinks = append(adminSinks, n.mid)
		default:
			fmt.Fprintf(&b, "    %s[\"%s\"]\n", n.mid, label)
			if isAdmin[n.ID] {
				admins = append(admins, n.mid)
			}
		}
	}
	for _, h := range v.Hops {
		from, to := mid[h.From], mid[h.To]
		if from == "" || to == "" {
			continue
		}
		arrow := "-->"
		if h.Certainty != "certain" {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "    %s %s|\"%s\"| %s\n", from, arrow, mermaidLabel(h.Method), to)
	}
	b.WriteString("    classDef sink fill:#fde0dc,stroke:#c62828,color:#000\n")
	b.WriteString("    classDef admin fill:#fff3e0,stroke:#ef6c00,color:#000\n")
	if len(adminSinks) > 0 {
		fmt.Fprintf(&b, "    class %s sink\n", strings.Join(adminSinks, ","))
	}
	if len(admins) > 0 {
		fmt.Fprintf(&b, "    class %s admin\n", strings.Join(admins, ","))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mermaidLabel escapes text for a quoted Mermaid label: characters Mermaid
// would read as syntax become entity codes (#34; for a double quote).
func mermaidLabel(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"', '#', '<', '>', '|', '&', '`', '[', ']', '{', '}', '(', ')', ';':
			fmt.Fprintf(&b, "#%d;", r)
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
