package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/glob"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/iam/escalate"
	"github.com/eksguard/eksguard/internal/rule"
)

// IAMPathsSchemaVersion is the version of the JSON written by
// `eksguard iam paths --format json` (docs/iam-paths.md).
const IAMPathsSchemaVersion = "1.0"

var iamPathsWriters = map[string]func(io.Writer, *pathsView) error{
	"text":    writePathsText,
	"json":    writePathsJSON,
	"mermaid": writePathsMermaid,
}

var _ = register(&command{
	name: "iam paths",
	args: "PATH...",
	summary: "Print the IAM privilege-escalation paths of the scanned code: who can become administrator (or a --crown-jewel), " +
		"hop by hop, with the file:line of every statement that grants each hop.",
	examples: []string{
		"eksguard iam paths infra/ --account-id 111122223333",
		"eksguard iam paths infra/ -f json=paths.json -f mermaid=paths.mmd",
	},
	exit: "0 no certain path; 1 a certain path to administrator exists (possible paths are listed but do not fail), whatever else went wrong; " +
		"2 an input could not be read; 3 usage or configuration error, or an output that could not be written.",
	flags: func(fs *pflag.FlagSet, o *Options) {
		fs.StringArrayVarP(&o.Formats, "format", "f", nil, "output `format`: text, json or mermaid; FORMAT=FILE writes to a file; repeatable (default text)")
		addInputFlags(fs, o)
		grouped(fs, groupRules, func() {
			addCrownJewelFlag(fs, o)
			addAsOfFlag(fs, o, "evaluate date conditions (aws:CurrentTime, aws:TokenIssueTime) at this `date` (YYYY-MM-DD) instead of today")
		})
		addConfigFlag(fs, o)
	},
	run: runIAMPaths,
})

func runIAMPaths(inv *invocation) int {
	env, o, paths := inv.env, inv.opts, inv.args
	if len(paths) == 0 {
		inv.errf("no PATH given (use . for the current directory, - for stdin)")
		return ExitUsage
	}
	outs, err := outputs(o.Formats, func(name string) error {
		if iamPathsWriters[strings.ToLower(name)] == nil {
			return fmt.Errorf("want text, json or mermaid, got %q", name)
		}
		return nil
	})
	if err != nil {
		return inv.fail(err)
	}
	cfg := escalate.Config{CrownJewels: o.CrownJewels, Now: time.Now().UTC()}
	t, err := o.asOf()
	if err != nil {
		return inv.fail(err)
	}
	if !t.IsZero() {
		cfg.Now = t
	}
	fo, err := o.frontendOptions(env)
	if err != nil {
		return inv.fail(err)
	}
	acct := fo.AccountID
	loaded := frontend.Load(paths, fo)
	status := ExitOK
	var errs []diag.Diagnostic
	for _, d := range loaded.Diags {
		if d.Severity == diag.Notice {
			continue
		}
		errs = append(errs, d)
		fmt.Fprintln(env.Stderr, d.String())
		if d.Severity == diag.Error {
			status = ExitInput
		}
	}
	if acct != "" {
		iam.SetAccount(loaded.Graph, acct)
	}
	a := escalate.Analyze(loaded.Graph, cfg)
	v := newPathsView(loaded.Graph, a, cfg, errs)

	unwritten := 0
	for _, o := range outs {
		if err := writePaths(o, env.Stdout, v, loaded.Redactor.String); err != nil {
			inv.errf("%v", err)
			unwritten++
		}
	}
	if unwritten > 0 {
		inv.errf("%d %s not written; exit status 3", unwritten, plural(unwritten, "report", "reports"))
		return ExitUsage
	}
	// A certain path wins over an unreadable input, as a failed gate does
	// in scan: what was read already shows a way to administrator.
	for _, p := range a.Paths {
		if p.Certain == rule.True {
			return ExitGate
		}
	}
	return status
}

// writePaths writes one output of iam paths; mask hides secrets the
// labels and statements repeat (a user named by a key).
func writePaths(o output, stdout io.Writer, v *pathsView, mask func(string) string) error {
	var buf bytes.Buffer
	if err := iamPathsWriters[o.format](&buf, v); err != nil {
		return fmt.Errorf("writing %s: %w", o.format, err)
	}
	text := mask(buf.String())
	if o.path == "" {
		if _, err := io.WriteString(stdout, text); err != nil {
			return fmt.Errorf("writing %s to stdout: %w", o.format, err)
		}
		return nil
	}
	if err := os.WriteFile(o.path, []byte(text), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", o.format, err)
	}
	return nil
}

var _ = register(&command{
	name:    "iam methods",
	summary: "List the escalation methods: every hop label, the pathfinding.cloud paths it covers and what the code must show for it to be certain.",
	examples: []string{
		"eksguard iam methods",
		"eksguard iam methods --format markdown",
	},
	exit: "0 listed; 3 usage error.",
	flags: func(fs *pflag.FlagSet, o *Options) {
		fs.StringVarP(&o.Format, "format", "f", "text", "`format` of the listing: text or markdown (the docs/iam-paths.md methods table)")
	},
	run: runIAMMethods,
})

// runIAMMethods lists the escalation methods; its markdown is the methods
// section of docs/iam-paths.md (go generate ./cmd/eksguard).
func runIAMMethods(inv *invocation) int {
	env := inv.env
	if len(inv.args) > 0 {
		inv.errf("unexpected argument %q", inv.args[0])
		return ExitUsage
	}
	var err error
	switch strings.ToLower(inv.opts.Format) {
	case "text":
		err = escalate.WriteMethodsText(env.Stdout)
	case "markdown", "md":
		_, err = io.WriteString(env.Stdout, escalate.MethodsMarkdown())
	default:
		return inv.fail(usagef("--format: want text or markdown, got %q", inv.opts.Format))
	}
	if err != nil {
		inv.errf("%v", err)
		return ExitUsage
	}
	return ExitOK
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
			nv.File, nv.Line = n.Res.Range.File, int(n.Res.Range.Line)
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
				if glob.Match(pat, n.Identity.ARN, false) {
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
