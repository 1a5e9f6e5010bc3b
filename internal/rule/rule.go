// Package rule defines what a check is: a small value with an id, its
// documentation and a run function over the graph, in the manner of
// golang.org/x/tools/go/analysis. Rules read only the graph, so they give
// the same verdict whatever format a resource was written in.
package rule

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/severity"
	"github.com/eksguard/eksguard/internal/workpool"
)

// Severity orders findings; each maps to a CVSS v3 band. The scale lives
// in package severity, below the rule layer, so the importers of other
// scanners' reports rank on it too; rules name it here.
type Severity = severity.Level

const (
	None     = severity.None
	Low      = severity.Low
	Medium   = severity.Medium
	High     = severity.High
	Critical = severity.Critical
)

// ParseSeverity reads a severity name, case-insensitively.
func ParseSeverity(s string) (Severity, error) { return severity.Parse(s) }

// SeverityFromScore maps a CVSS score to its band.
func SeverityFromScore(score float64) Severity { return severity.FromScore(score) }

// Reference points at the source of a requirement.
type Reference struct {
	// Kind is one of: eks-bpg (EKS Best Practices Guide), cis-eks,
	// aws-docs, terraform, and for the practice sources a rule was drawn
	// from: vendor-docs (a vendor's documentation), blog, team-page (a
	// platform team's published settings). Custom policies use custom;
	// imported findings the name of the scanner they came from.
	Kind  string `json:"kind"`
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
}

// Rule is one built-in check.
type Rule struct {
	ID       string
	Title    string
	Severity Severity
	// Service is the AWS service or platform area shown in reports (EKS,
	// EC2, VPC, IAM, Kubernetes).
	Service string
	// Rationale says why the practice matters; Remediation what to change;
	// Example is a corrected snippet.
	Rationale   string
	Remediation string
	Example     string
	References  []Reference
	// Types lists the resource types the rule reads, for documentation.
	Types []string
	Run   func(*Pass)
}

// Status is a rule's verdict on one resource.
type Status int

const (
	StatusFail Status = iota
	StatusPass
	// StatusUnknown means the deciding value cannot be known from code.
	StatusUnknown
)

func (s Status) String() string {
	switch s {
	case StatusFail:
		return "fail"
	case StatusPass:
		return "pass"
	}
	return "unknown"
}

// Result is one verdict.
type Result struct {
	Rule     *Rule
	Status   Status
	Resource *graph.Resource
	// Path is the dotted attribute path the verdict is about ("" for the
	// resource as a whole).
	Path    string
	Range   graph.Range
	Message string
	// Fix is a ready-to-apply snippet for this finding, with its names
	// filled in (the NetworkPolicy a namespace lacks), when the rule can
	// write one.
	Fix string
	// Key tells apart results of one rule on one resource and attribute
	// (two messages of a custom policy that names no path), so each keeps
	// a fingerprint of its own. Empty for nearly every result.
	Key string
}

// Where is the verdict's position: Range, or for a pass reported without
// one, the attribute's range (see Pass.add).
func (r Result) Where() graph.Range {
	if r.Range.Line == 0 && r.Resource != nil {
		return r.Resource.AttrRange(r.Path)
	}
	return r.Range
}

// Config carries the user settings rules read.
type Config struct {
	// AsOf is "today" for date-based rules (support calendars); tests pin it.
	AsOf time.Time
	// AdminPrincipals are ARN globs or role names allowed to hold cluster
	// admin through EKS access entries.
	AdminPrincipals []string
	// AllowedRegistries are image registry globs (host[/path] prefix, *
	// matches any run of characters) workloads may pull from; empty means
	// DefaultAllowedRegistries.
	AllowedRegistries []string
	// CrownJewels are IAM principal ARN globs the escalation rules treat as
	// administrator (--crown-jewel): paths to them are reported too.
	CrownJewels []string
	// AliasPattern is a Go regular expression an AWS account alias must
	// match as a whole (ACC-001); its named group "env" gives the
	// environment words profile names must carry (ACC-004). Empty means
	// DefaultAliasPattern.
	AliasPattern string
}

// DefaultAliasPattern is the <org>-<env>-<purpose> convention of the account alias post on badboysofdevops.com
// (bboq-dev-website): lower-case dash-separated parts, one of them, neither
// first nor last, an environment word.
const DefaultAliasPattern = `[a-z0-9]+(-[a-z0-9]+)*-(?P<env>dev|test|stage|staging|prod|production)(-[a-z0-9]+)+`

// AliasRegexp compiles the alias pattern in force, anchored at both ends.
func (c *Config) AliasRegexp() (*regexp.Regexp, error) {
	p := c.AliasPattern
	if p == "" {
		p = DefaultAliasPattern
	}
	return regexp.Compile(`^(?:` + p + `)$`)
}

// DefaultAllowedRegistries admits Amazon ECR private registries of any
// account and region, the registry an EKS platform is expected to mirror
// images into.
var DefaultAllowedRegistries = []string{"*.dkr.ecr.*.amazonaws.com", "*.dkr.ecr.*.amazonaws.com.cn"}

// Registries returns the registry allow-list in force.
func (c *Config) Registries() []string {
	if len(c.AllowedRegistries) == 0 {
		return DefaultAllowedRegistries
	}
	return c.AllowedRegistries
}

// Pass is what a rule's Run function gets: the graph, the settings, and
// ways to report verdicts.
type Pass struct {
	Graph   *graph.Graph
	Config  *Config
	rule    *Rule
	results []Result
	// countPasses keeps passes as a count rather than as results: a scan
	// shows only how many there were, and on a large plan they are most
	// verdicts (426,000 of 667,000 on 230,000 resources).
	countPasses bool
	passes      int
}

// NewPass prepares a run of rule r over g.
func NewPass(r *Rule, g *graph.Graph, cfg *Config) *Pass {
	if cfg == nil {
		cfg = &Config{}
	}
	return &Pass{Graph: g, Config: cfg, rule: r}
}

// Results returns what the run reported.
func (p *Pass) Results() []Result { return p.results }

func (p *Pass) add(s Status, r *graph.Resource, path string, at graph.Range, format string, args []any) {
	if s == StatusPass && p.countPasses {
		p.passes++
		return
	}
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	// A pass is counted, never shown: its position (rarely read, by the
	// fixture tests) is found on demand by Where, not for every check.
	if at.Line == 0 && s != StatusPass {
		at = r.AttrRange(path)
	}
	// The resource as a whole holds many unknowns; only an attribute's own
	// says why this verdict is unknown.
	if s == StatusUnknown && path != "" {
		if why := UnknownReason(r.Get(path)); why != "" && !strings.Contains(msg, why) {
			msg += " (" + why + ")"
		}
	}
	p.results = append(p.results, Result{Rule: p.rule, Status: s, Resource: r, Path: path,
		Range: at, Message: msg})
}

// Fail reports that resource r violates the rule at attribute path.
func (p *Pass) Fail(r *graph.Resource, path, format string, args ...any) {
	p.add(StatusFail, r, path, graph.Range{}, format, args)
}

// Pass reports that r was checked and complies.
func (p *Pass) Pass(r *graph.Resource, path string) {
	p.add(StatusPass, r, path, graph.Range{}, "", nil)
}

// Unknown reports that r's compliance hinges on a value not knowable from
// code; the message says which.
func (p *Pass) Unknown(r *graph.Resource, path, format string, args ...any) {
	p.add(StatusUnknown, r, path, graph.Range{}, format, args)
}

// FailAt, PassAt and UnknownAt report at an explicit source range, for
// places no dotted attribute path can name: a key that holds dots (the
// annotation eks.amazonaws.com/role-arn) or a line inside a string the rule
// parsed itself (an entry of aws-auth's mapRoles). path still names the
// attribute for reports; a range without a line falls back to it.
func (p *Pass) FailAt(r *graph.Resource, path string, at graph.Range, format string, args ...any) {
	p.add(StatusFail, r, path, at, format, args)
}

// FailFix is Fail with a ready-to-apply fix written for this resource: the
// manifest of a missing object, with its namespace and names filled in.
func (p *Pass) FailFix(r *graph.Resource, path, fix, format string, args ...any) {
	p.add(StatusFail, r, path, graph.Range{}, format, args)
	p.results[len(p.results)-1].Fix = fix
}

// PassAt is Pass at an explicit range; see FailAt.
func (p *Pass) PassAt(r *graph.Resource, path string, at graph.Range) {
	p.add(StatusPass, r, path, at, "", nil)
}

// UnknownAt is Unknown at an explicit range; see FailAt.
func (p *Pass) UnknownAt(r *graph.Resource, path string, at graph.Range, format string, args ...any) {
	p.add(StatusUnknown, r, path, at, format, args)
}

// Report records a tri-state outcome: true fails, false passes, unknown is
// unknown. It keeps rules short where the verdict is one condition.
func (p *Pass) Report(t Tri, r *graph.Resource, path, failMsg, unknownMsg string) {
	switch t {
	case True:
		p.Fail(r, path, "%s", failMsg)
	case False:
		p.Pass(r, path)
	default:
		p.Unknown(r, path, "%s", unknownMsg)
	}
}

// Run executes the rules over g and returns every result, ordered by
// rule id, then file, line and address, so output is deterministic. Rules
// only read the graph, so they run concurrently on every core.
func Run(rules []*Rule, g *graph.Graph, cfg *Config) []Result {
	all, _ := run(rules, g, cfg, false)
	return all
}

// RunCounted is Run for a scan, which shows passes only as counts: it
// returns the fails and unknowns, ordered as Run orders them, and how many
// passes each rule reported (passes[i] is rules[i]'s). Keeping a pass as a
// count rather than a Result is most of the memory the verdicts of a large
// plan take.
func RunCounted(rules []*Rule, g *graph.Graph, cfg *Config) (results []Result, passes []int) {
	return run(rules, g, cfg, true)
}

func run(rules []*Rule, g *graph.Graph, cfg *Config, countPasses bool) ([]Result, []int) {
	per := make([][]Result, len(rules))
	passes := make([]int, len(rules))
	workpool.Each(len(rules), func(i int) { per[i], passes[i] = runOne(rules[i], g, cfg, countPasses) })
	n := 0
	for _, rs := range per {
		n += len(rs)
	}
	all := make([]Result, 0, n)
	for i, rs := range per {
		all = append(all, rs...)
		per[i] = nil // each rule's results are released as they are copied
	}
	SortResults(all)
	return all, passes
}

func runOne(r *Rule, g *graph.Graph, cfg *Config, countPasses bool) (out []Result, passes int) {
	p := NewPass(r, g, cfg)
	p.countPasses = countPasses
	defer func() {
		// A rule bug must not take the scan down; surface it as an
		// unknown on no resource instead of a crash.
		if e := recover(); e != nil {
			out = append(p.results, Result{Rule: r, Status: StatusUnknown,
				Message: fmt.Sprintf("internal error in rule %s: %v", r.ID, e)})
			passes = p.passes
		}
	}()
	r.Run(p)
	return p.results, p.passes
}

// SortResults orders results deterministically: by rule id, file, line,
// then address and path. It is a stable sort, so results equal in all of
// those keep their order.
func SortResults(rs []Result) {
	slices.SortStableFunc(rs, compareResults)
}

// compareResults compares without allocating: sorting a large plan's
// verdicts makes tens of millions of comparisons.
func compareResults(a, b Result) int {
	if c := strings.Compare(a.Rule.ID, b.Rule.ID); c != 0 {
		return c
	}
	if c := strings.Compare(a.Range.File, b.Range.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Range.Line, b.Range.Line); c != 0 {
		return c
	}
	return compareJoined(addrParts(a), addrParts(b))
}

// addrParts are the pieces of a result's "address#path" key; a result on
// no resource has the empty key.
func addrParts(r Result) [3]string {
	if r.Resource == nil {
		return [3]string{}
	}
	return [3]string{r.Resource.Address, "#", r.Path}
}

// compareJoined compares the concatenations of a and b, as strings.Compare
// would, without building them.
func compareJoined(a, b [3]string) int {
	i, j := 0, 0       // the part of a and of b being compared
	x, y := a[0], b[0] // what is left of them
	for {
		for x == "" && i < len(a)-1 {
			i++
			x = a[i]
		}
		for y == "" && j < len(b)-1 {
			j++
			y = b[j]
		}
		switch {
		case x == "" && y == "":
			return 0
		case x == "":
			return -1
		case y == "":
			return 1
		}
		n := min(len(x), len(y))
		if c := strings.Compare(x[:n], y[:n]); c != 0 {
			return c
		}
		x, y = x[n:], y[n:]
	}
}
