// Package finding turns rule verdicts into findings: the unit every report
// and the gate read. A finding carries everything a reader needs without
// going back to the graph, and a fingerprint that survives line moves.
package finding

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"path/filepath"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

// Finding is one failed or undecidable check on one resource.
type Finding struct {
	RuleID   string        `json:"rule_id"`
	Title    string        `json:"title"`
	Severity rule.Severity `json:"-"`
	// SeverityName is Severity as text, for JSON.
	SeverityName string  `json:"severity"`
	CVSS         float64 `json:"cvss_score"`
	Service      string  `json:"service"`
	Status       string  `json:"status"` // fail or unknown
	Resource     string  `json:"resource"`
	ResourceType string  `json:"resource_type"`
	// Path is the attribute path the finding is about.
	Path string `json:"attribute_path,omitempty"`
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	// ValueFrom is where the value the finding is about was set, when a
	// renderer copied it from there to File:Line: the line of a Helm
	// values file a template read it from.
	ValueFrom *graph.Range `json:"value_from,omitempty"`
	// EndLine is the last line of the resource when the finding is about
	// the resource as a whole.
	EndLine int `json:"end_line,omitempty"`
	// IntroducedBy is the chain from the outermost module call to the
	// attribute: module.eks > aws_eks_cluster.this > vpc_config.
	IntroducedBy []string         `json:"introduced_by"`
	ModuleCalls  []graph.Range    `json:"module_call_locations,omitempty"`
	Message      string           `json:"message"`
	Remediation  string           `json:"remediation"`
	Fix          string           `json:"fix,omitempty"`
	References   []rule.Reference `json:"references"`
	Fingerprint  string           `json:"fingerprint"`
	Origin       string           `json:"origin"`
	// Suppression is the recorded exception covering the finding, in the
	// report's suppressed list.
	Suppression *Suppression `json:"suppression,omitempty"`
}

// Suppression says which recorded exception covers a finding.
type Suppression struct {
	Reason  string `json:"reason"`
	Owner   string `json:"owner,omitempty"`
	Expires string `json:"expires,omitempty"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Inline  bool   `json:"inline"`
}

// FromResult builds a finding from a fail or unknown verdict.
func FromResult(r rule.Result) Finding { return FromResultIn(r, "") }

// FromResultIn builds a finding from a verdict on a resource whose address
// does not tell it from another resource of the scan (Sources): source,
// when not empty, goes into the fingerprint too.
func FromResultIn(r rule.Result, source string) Finding {
	f := Finding{
		RuleID:       r.Rule.ID,
		Title:        r.Rule.Title,
		Severity:     r.Rule.Severity,
		SeverityName: r.Rule.Severity.String(),
		CVSS:         r.Rule.Severity.Score(),
		Service:      r.Rule.Service,
		Status:       r.Status.String(),
		Path:         r.Path,
		File:         r.Range.File,
		Line:         int(r.Range.Line),
		Message:      r.Message,
		Remediation:  r.Rule.Remediation,
		Fix:          r.Fix,
		References:   r.Rule.References,
	}
	if r.Resource != nil {
		res := r.Resource
		f.Resource = res.Address
		f.ResourceType = res.Type
		f.Origin = res.Origin
		if r.Path == "" {
			f.EndLine = int(res.Range.EndLine)
		}
		for _, m := range res.Module {
			f.IntroducedBy = append(f.IntroducedBy, m.Name)
			if m.Range.Line > 0 {
				f.ModuleCalls = append(f.ModuleCalls, m.Range)
			}
		}
		f.IntroducedBy = append(f.IntroducedBy, localAddress(res))
		if r.Path != "" && res.ValueOrigins {
			if from, ok := res.Get(r.Path).From(); ok {
				f.ValueFrom = &from
			}
		}
	}
	if r.Path != "" {
		f.IntroducedBy = append(f.IntroducedBy, strings.Split(r.Path, ".")...)
	}
	key := f.Path
	if r.Key != "" {
		key += "\x00" + r.Key
	}
	f.Fingerprint = FingerprintIn(f.RuleID, f.Resource, key, f.File, source)
	return f
}

// localAddress is the resource address inside its module.
func localAddress(r *graph.Resource) string {
	if mp := r.ModulePath; mp != "" && len(r.Address) > len(mp) && r.Address[len(mp)] == '.' && strings.HasPrefix(r.Address, mp) {
		return r.Address[len(mp)+1:]
	}
	return r.Address
}

// Fingerprint identifies a finding across runs. It hashes what the finding
// is about — rule, resource address, attribute and the directory of the
// input — and not line numbers or messages, so moving code or editing other
// resources leaves it unchanged.
func Fingerprint(ruleID, address, attrPath, file string) string {
	return FingerprintIn(ruleID, address, attrPath, file, "")
}

// FingerprintIn is Fingerprint for a finding whose resource shares its
// address with another resource of the scan in the same directory (two
// CloudFormation templates each with a Bucket, two manifests each with
// Deployment default/web): source, the file that declares it (Sources),
// is hashed too, so a baseline entry for one does not hide the other. An
// empty source gives Fingerprint's value, so the fingerprints of findings
// whose address is enough stay what they were.
func FingerprintIn(ruleID, address, attrPath, file, source string) string {
	h := sha256.New()
	parts := []string{ruleID, address, attrPath, path.Dir(file)}
	if source != "" {
		parts = append(parts, "source:"+source)
	}
	for _, s := range parts {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// Sources returns, for every resource of g whose address another resource
// declared in the same directory shares, what tells it apart: the file
// that declares it or, inside a module, the file of the outermost module
// call (two root modules calling one module directory declare its
// resources in the same file), as a slash path relative to the directory
// of the resource's file. Resources whose address is unique in their
// directory are not listed, and their fingerprints do not change.
// Resources that share both address and source (the same object twice in
// one file) cannot be told apart this way and keep one fingerprint.
func Sources(g *graph.Graph) map[*graph.Resource]string {
	type group struct {
		dir     string
		rs      []*graph.Resource
		origins []string // of each of rs
		sources map[string]bool
	}
	groups := map[string]*group{}
	for _, r := range g.Resources() {
		dir := path.Dir(filepath.ToSlash(r.Range.File))
		origin := r.Range.File
		if len(r.Module) > 0 && r.Module[0].Range.File != "" {
			origin = r.Module[0].Range.File
		}
		k := r.Address + "\x00" + dir
		gr := groups[k]
		if gr == nil {
			gr = &group{dir: dir}
			groups[k] = gr
		}
		// Cleaned as filepath.Rel below cleans it, so origins that only
		// look different are one source.
		origin = path.Clean(filepath.ToSlash(origin))
		gr.rs = append(gr.rs, r)
		gr.origins = append(gr.origins, origin)
		if len(gr.rs) > 1 && gr.sources == nil {
			gr.sources = map[string]bool{gr.origins[0]: true}
		}
		if gr.sources != nil {
			gr.sources[origin] = true
		}
	}
	out := map[*graph.Resource]string{}
	for _, gr := range groups {
		// Within a group every origin is made relative to one directory,
		// so distinct cleaned origins stay distinct, and only the groups
		// listed pay for it.
		if len(gr.sources) < 2 {
			continue
		}
		for i, r := range gr.rs {
			origin := gr.origins[i]
			if rel, err := filepath.Rel(filepath.FromSlash(gr.dir), filepath.FromSlash(origin)); err == nil {
				origin = filepath.ToSlash(rel)
			}
			out[r] = origin
		}
	}
	return out
}

// Location is file:line for display.
func (f Finding) Location() string {
	if f.Line > 0 {
		return f.File + ":" + itoa(f.Line)
	}
	return f.File
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
