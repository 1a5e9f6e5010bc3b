package policy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

// meta is what a result rule's METADATA chain says, closest scope first:
// the rule's own block, then its document, package and parent packages.
type meta struct {
	title, description               string
	id, severity, input, remediation string
	service                          string
	types                            []string
	hasSelector                      bool
	refs                             []rule.Reference
	at                               graph.Range
	idAt, severityAt, inputAt        graph.Range
	typesAt                          graph.Range
}

func locRange(l *ast.Location) graph.Range {
	if l == nil {
		return graph.Range{}
	}
	// Policy files are read whole, with no bound on their size.
	return graph.Range{File: l.File, Line: graph.Clamp32(l.Row), Column: graph.Clamp32(l.Col)}
}

func metaErr(at graph.Range, summary, detail string) *diag.Diagnostic {
	return &diag.Diagnostic{Severity: diag.Error, File: at.File, Line: int(at.Line), Column: int(at.Column), Summary: summary, Detail: detail}
}

// readMeta merges the chain: a field takes the value of the closest block
// that sets it, so a package can set the input shape once and each rule
// its own id and severity.
func readMeta(chain ast.AnnotationsRefSet) (*meta, *diag.Diagnostic) {
	m := &meta{}
	custom := map[string]any{}
	customAt := map[string]graph.Range{}
	for _, e := range chain {
		a := e.Annotations
		if a == nil {
			continue
		}
		at := locRange(a.Location)
		if m.at.Line == 0 {
			m.at = at
		}
		if m.title == "" {
			m.title = strings.TrimSpace(a.Title)
		}
		if m.description == "" {
			m.description = strings.TrimSpace(a.Description)
		}
		if m.refs == nil {
			for _, rr := range a.RelatedResources {
				m.refs = append(m.refs, rule.Reference{Kind: "custom", Title: rr.Description, URL: rr.Ref.String()})
			}
		}
		keys := make([]string, 0, len(a.Custom))
		for k := range a.Custom {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if _, ok := custom[k]; !ok {
				custom[k] = a.Custom[k]
				customAt[k] = at
			}
		}
	}
	str := func(k string) (string, *diag.Diagnostic) {
		v, ok := custom[k]
		if !ok || v == nil {
			return "", nil
		}
		s, ok := v.(string)
		if !ok {
			return "", metaErr(customAt[k], "invalid policy metadata", fmt.Sprintf("custom.%s must be a string, not %T", k, v))
		}
		return strings.TrimSpace(s), nil
	}
	var err *diag.Diagnostic
	for _, f := range []struct {
		key string
		dst *string
	}{{"id", &m.id}, {"severity", &m.severity}, {"input", &m.input}, {"remediation", &m.remediation}, {"service", &m.service}} {
		if *f.dst, err = str(f.key); err != nil {
			return nil, err
		}
	}
	m.idAt, m.severityAt, m.inputAt, m.typesAt = customAt["id"], customAt["severity"], customAt["input"], customAt["selector"]
	if sel, ok := custom["selector"]; ok {
		m.hasSelector = true
		if m.types, err = selectorTypes(sel, customAt["selector"]); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// selectorTypes reads custom.selector: {type: T}, {type: [T, ...]} or a
// list of such, T being a resource type or a glob (k8s:*).
func selectorTypes(v any, at graph.Range) ([]string, *diag.Diagnostic) {
	bad := metaErr(at, "invalid policy metadata", "custom.selector must be {type: aws_eks_cluster}, {type: [a, b]} or a list of {type: ...}")
	var out []string
	var one func(v any) bool
	one = func(v any) bool {
		switch t := v.(type) {
		case map[string]any:
			for k := range t {
				if k != "type" {
					return false
				}
			}
			switch tv := t["type"].(type) {
			case string:
				out = append(out, tv)
			case []any:
				for _, e := range tv {
					s, ok := e.(string)
					if !ok {
						return false
					}
					out = append(out, s)
				}
			default:
				return false
			}
			return true
		case []any:
			for _, e := range t {
				if !one(e) {
					return false
				}
			}
			return true
		}
		return false
	}
	if !one(v) || len(out) == 0 {
		return nil, bad
	}
	return out, nil
}

// merge checks that a second definition of the same rule (deny written
// twice in a package) does not ask for another id or input: Rego merges
// both into one set, so they can only be reported as one policy.
func (m *meta) merge(o *meta, loc *ast.Location) *diag.Diagnostic {
	if m.id != o.id || m.severity != o.severity || m.input != o.input || strings.Join(m.types, ",") != strings.Join(o.types, ",") {
		at := locRange(loc)
		return metaErr(at, "policy metadata disagrees between definitions of one rule",
			"Rego merges every definition of a rule into one result set, so they share one id, severity and input; give this one its own name (deny_<something>)")
	}
	return nil
}

// apply fills p from the metadata, with defaults where it is silent.
func (m *meta) apply(p *Policy) *diag.Diagnostic {
	switch m.input {
	case "", "raw":
		p.Shape = Raw
		if m.input == "" && m.hasSelector {
			p.Shape = Resource
		}
	case "resource":
		p.Shape = Resource
	case "graph":
		p.Shape = Graph
	default:
		return metaErr(m.inputAt, "invalid policy metadata", fmt.Sprintf("custom.input is %q; want raw, resource or graph", m.input))
	}
	if m.hasSelector && p.Shape != Resource {
		return metaErr(m.typesAt, "invalid policy metadata", "custom.selector picks resources; it applies to input: resource only")
	}
	p.Types = m.types
	sev := rule.High
	if p.Kind == "warn" {
		sev = rule.Low
	}
	if m.severity != "" {
		s, err := rule.ParseSeverity(m.severity)
		if err != nil || s == rule.None {
			return metaErr(m.severityAt, "invalid policy metadata", fmt.Sprintf("custom.severity is %q; want critical, high, medium or low", m.severity))
		}
		sev = s
	}
	id := m.id
	if id == "" {
		id = p.Package + "." + p.Name
	}
	if !idPattern.MatchString(id) {
		return metaErr(m.idAt, "invalid policy metadata", fmt.Sprintf("custom.id %q: use letters, digits and . _ : - (ORG-EKS-001)", id))
	}
	title := m.title
	if title == "" {
		title = "Custom policy " + p.query
	}
	service := m.service
	if service == "" {
		service = "Custom"
	}
	remediation := m.remediation
	if remediation == "" {
		remediation = fmt.Sprintf("See the policy %s at %s:%d.", p.query, p.At.File, p.At.Line)
	}
	p.Rule = &rule.Rule{ID: id, Title: title, Severity: sev, Service: service, Rationale: m.description,
		Remediation: remediation, References: m.refs, Types: p.Types}
	return nil
}
