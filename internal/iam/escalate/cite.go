package escalate

import (
	"fmt"
	"strings"

	"github.com/eksguard/eksguard/internal/glob"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/tri"
)

// Cite is where a statement granting a hop is written, for reports.
type Cite struct {
	// File and Line locate the statement. For an AWS managed policy, whose
	// text is not in the scanned code, they locate the attachment that
	// gives it to the principal (empty when none is found).
	File string
	Line int
	// Policy names the policy holding the statement (an inline policy's
	// name, a managed policy's name or ARN, "aws_iam_role.ci
	// assume_role_policy" for a trust policy); "" when not known.
	Policy string
	// Statement is the statement's Sid in quotes, or #N by position.
	Statement string
	// AWSManaged is set when the statement belongs to an AWS managed policy.
	AWSManaged bool
}

// At renders "file:line", or the policy name when the statement has no
// position in the scanned code.
func (c Cite) At() string {
	if c.File == "" {
		if c.Policy != "" {
			return c.Policy
		}
		return "(unknown location)"
	}
	return fmt.Sprintf("%s:%d", c.File, c.Line)
}

// Range is the cite as a source range ("" File when it has none).
func (c Cite) Range() graph.Range { return graph.Range{File: c.File, Line: int32(c.Line)} } // Line was read from a Range

const awsManagedFile = "aws-managed:"

// Cites returns where each statement granting hop h is written, in the
// order of its Grants, without repeats. g is the graph the hop was found in.
func Cites(g *graph.Graph, h Hop) []Cite {
	idx := statementIndex(g)
	var out []Cite
	seen := map[string]bool{}
	for _, st := range h.Grants {
		if st == nil {
			continue
		}
		c := Cite{File: st.Range.File, Line: int(st.Range.Line), Statement: st.Label()}
		if p := idx[st]; p != nil {
			c.Policy = p.Where()
			if p.Resource == nil {
				c.Policy = p.Name
			}
		}
		if strings.HasPrefix(c.File, awsManagedFile) {
			c.AWSManaged = true
			c.File, c.Line = "", 0
			key := strings.TrimPrefix(st.Range.File, awsManagedFile)
			if c.Policy == "" {
				c.Policy = "arn:aws:iam::aws:policy/" + key
			}
			if h.From != nil && h.From.Identity != nil {
				if at, ok := attachmentOf(h.From.Identity, key); ok {
					c.File, c.Line = at.File, int(at.Line)
				}
			}
		}
		key := fmt.Sprintf("%s:%d %s %s", c.File, c.Line, c.Policy, c.Statement)
		if !seen[key] {
			seen[key] = true
			out = append(out, c)
		}
	}
	return out
}

// FirstSite is the first cite of h with a position in the scanned code.
func FirstSite(g *graph.Graph, h Hop) (Cite, bool) {
	for _, c := range Cites(g, h) {
		if c.File != "" && c.Line > 0 {
			return c, true
		}
	}
	return Cite{}, false
}

// Unreadable is a policy of a hop's principal that cannot be read from
// code (a document known only after apply, an AWS managed policy eksguard
// does not embed): a reason a hop may be only possible.
type Unreadable struct {
	// Name is the policy's ARN or name, else its holder's address.
	Name string
	// File and Line locate the attribute that attaches or holds it.
	File string
	Line int
}

// Unreadables lists the unreadable policies of the principal a possible
// hop starts from (identity policies, then the boundary); nil for a
// certain hop.
func Unreadables(h Hop) []Unreadable {
	if h.Certain == tri.True || h.From == nil || h.From.Identity == nil {
		return nil
	}
	ps := append([]*iam.Policy(nil), h.From.Identity.Policies.Identity...)
	if b := h.From.Identity.Policies.Boundary; b != nil {
		ps = append(ps, b)
	}
	var out []Unreadable
	seen := map[*iam.Policy]bool{}
	for _, p := range ps {
		if p == nil || !p.Unknown || seen[p] {
			continue
		}
		seen[p] = true
		u := Unreadable{Name: p.Name}
		if p.Resource != nil {
			if u.Name == "" || u.Name == p.Resource.Address {
				u.Name = p.Where()
			}
			attr := p.Attr
			if attr == "" && p.Resource.Get("policy_arn") != nil {
				attr = "policy_arn"
			}
			rng := p.Resource.AttrRange(attr)
			u.File, u.Line = rng.File, int(rng.Line)
		}
		out = append(out, u)
	}
	return out
}

// attachmentOf finds where the AWS managed policy with path and name key
// is attached to id or to one of its groups.
func attachmentOf(id *iam.Identity, key string) (graph.Range, bool) {
	for _, h := range append([]*iam.Identity{id}, id.Groups...) {
		for _, a := range h.Attachments {
			if _, k, ok := iam.AWSManagedKey(a.PolicyARN); ok && k == key && a.Via != nil {
				return a.Via.AttrRange(a.Attr), true
			}
		}
	}
	return graph.Range{}, false
}

type statementIndexKey struct{}

// statementIndex maps every statement of the graph's principals' policies
// to its policy.
func statementIndex(g *graph.Graph) map[*iam.Statement]*iam.Policy {
	return graph.Memo(g, statementIndexKey{}, func() map[*iam.Statement]*iam.Policy {
		idx := map[*iam.Statement]*iam.Policy{}
		add := func(p *iam.Policy) {
			if p == nil {
				return
			}
			for _, st := range p.Statements {
				if idx[st] == nil {
					idx[st] = p
				}
			}
		}
		for _, id := range iam.Build(g).Identities {
			for _, p := range id.Policies.Identity {
				add(p)
			}
			add(id.Policies.Boundary)
			add(id.Trust)
		}
		return idx
	})
}

// DetailFor is h.Detail, except for the administrator hop of a crown jewel
// (whose own policies need not be administrator), which says so.
func DetailFor(h Hop, cfg Config) string {
	if h.Method == "administrator" && h.From != nil && h.From.Identity != nil {
		for _, pat := range cfg.CrownJewels {
			if glob.Match(pat, h.From.Identity.ARN, false) {
				return "is a crown jewel (" + pat + ")"
			}
		}
	}
	return h.Detail
}

// CertaintyWord renders a path's or hop's certainty for reports: "certain"
// for True, "possible" otherwise (False never occurs on a hop).
func CertaintyWord(t tri.Tri) string {
	if t == tri.True {
		return "certain"
	}
	return "possible"
}
