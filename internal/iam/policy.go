// Package iam is eksguard's model of AWS IAM: policy documents read from
// any source into one shape, evaluated the way AWS evaluates requests
// (explicit deny first, NotAction/NotResource, boundaries, conditions as
// true, false or unknown), and the principals of the scanned code with the
// policies that apply to each.
package iam

import (
	"errors"
	"fmt"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/jsonpos"
)

// Effect of a statement.
type Effect string

const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Strings is a list of strings from a policy ("Action": "s3:GetObject" or
// a list), with Unknown set when some element, or the list itself, is not
// knowable from code. The known elements are kept.
type Strings struct {
	Values  []string
	Unknown bool
	// UnknownNamed is set, with Unknown, when every element not known is
	// known not to be a wildcard ("*"): its beginning is known
	// ("arn:aws:iam::" + an account given at deploy, the ARN of the caller
	// Terraform reads from AWS).
	UnknownNamed bool
	Range        graph.Range
}

// MaybeAny reports whether an element not known may be the wildcard "*".
func (s Strings) MaybeAny() bool { return s.Unknown && !s.UnknownNamed }

// notWildcard reports whether an unknown value is known not to be "*":
// what it begins with is known and is more than "*".
func notWildcard(v *graph.Value) bool {
	p := v.Prefix()
	return p != "" && p != "*"
}

// Present reports whether the element was written at all.
func (s Strings) Present() bool { return len(s.Values) > 0 || s.Unknown }

// Principal is the Principal or NotPrincipal element: "*" is written as
// Any; otherwise identifiers by kind (AWS, Service, Federated,
// CanonicalUser).
type Principal struct {
	Any     bool
	ByKind  PrincipalKinds
	Unknown bool
	Range   graph.Range
}

// PrincipalKinds are a principal's identifiers by kind, in the order
// written. A slice, not a map: a statement names one or two kinds, and a
// map of one entry costs about a kilobyte — on a plan of 230,000
// resources, 20 MB held while the rules run.
type PrincipalKinds []PrincipalKind

// PrincipalKind is the identifiers of one kind ("AWS", "Service").
type PrincipalKind struct {
	Kind string
	Strings
}

// Lookup returns the identifiers of kind, and whether the principal names
// that kind at all.
func (ks PrincipalKinds) Lookup(kind string) (Strings, bool) {
	for i := range ks {
		if ks[i].Kind == kind {
			return ks[i].Strings, true
		}
	}
	return Strings{}, false
}

// Get returns the identifiers of kind, none when the principal does not
// name it.
func (ks PrincipalKinds) Get(kind string) Strings {
	s, _ := ks.Lookup(kind)
	return s
}

// set replaces the identifiers of kind, or adds them.
func (ks *PrincipalKinds) set(kind string, s Strings) {
	for i := range *ks {
		if (*ks)[i].Kind == kind {
			(*ks)[i].Strings = s
			return
		}
	}
	*ks = append(*ks, PrincipalKind{Kind: kind, Strings: s})
}

// Present reports whether the element was written at all.
func (p Principal) Present() bool { return p.Any || len(p.ByKind) > 0 || p.Unknown }

// Condition is one condition key test: "StringEquals": {"aws:SourceVpc":
// ["vpc-1"]}.
type Condition struct {
	// Operator as written, e.g. "ForAnyValue:StringLike" or
	// "StringEqualsIfExists".
	Operator string
	Key      string
	Values   Strings
	Range    graph.Range
}

// BaseOperator strips the set and IfExists qualifiers: "StringLike".
func (c Condition) BaseOperator() string {
	op := c.Operator
	if i := strings.IndexByte(op, ':'); i >= 0 {
		op = op[i+1:]
	}
	return strings.TrimSuffix(op, "IfExists")
}

// Statement is one statement of a policy, with where it is written.
type Statement struct {
	Sid    string
	Effect Effect
	// EffectUnknown is set when the effect is not knowable; such a
	// statement may allow or deny.
	EffectUnknown bool
	Action        Strings
	NotAction     Strings
	Resource      Strings
	NotResource   Strings
	Principal     Principal
	NotPrincipal  Principal
	Conditions    []Condition
	// ConditionUnknown is set when the Condition block itself (not just a
	// value in it) is not knowable.
	ConditionUnknown bool
	Range            graph.Range
	// Index is the statement's position in its policy.
	Index int
}

// Policy is a policy document and where it came from.
type Policy struct {
	Statements []*Statement
	// Unknown is set when the document cannot be read from code at all
	// (its statements are not knowable); Statements is then empty.
	Unknown bool
	// Errors are problems of the document itself (not JSON, no Statement,
	// an element of the wrong type), for rules about malformed policies.
	Errors []string
	// Invalid says why the document cannot be read at all (not JSON, not an
	// object, no Statement); "" when it can. AWS rejects such a document,
	// and what it was meant to allow is not knowable: rules reading it
	// judge it unknown, IAM-006 reports it. Statements is then empty.
	Invalid string
	// InvalidAt is where in the file the document stops being readable,
	// when that is known (a heredoc's line); else the zero Range.
	InvalidAt graph.Range
	Range     graph.Range
	// Resource and Attr say which graph resource and attribute hold it.
	Resource *graph.Resource
	Attr     string
	// Name names the policy for messages: an inline policy's name, a
	// managed policy's ARN, or the holding resource's address.
	Name string
}

// Where renders the holder for messages: "aws_iam_role.ci assume_role_policy".
func (p *Policy) Where() string {
	if p.Resource == nil {
		return p.Name
	}
	if p.Attr == "" {
		return p.Resource.Address
	}
	return p.Resource.Address + " " + p.Attr
}

// FromAttribute reads the policy held in attribute attr of r, whichever
// way it is written: a structured document (Doc: jsonencode, CloudFormation),
// a JSON string (plan, heredoc, file()), or a reference to a
// data "aws_iam_policy_document", whose statement blocks are read even
// when some of their inputs are known only after apply.
//
// A document is read once per graph: the IAM rules and the escalation
// model read the same ones (70,000 on a plan of 230,000 resources). Each
// caller gets its own copy of the Policy, whose Name it may set; the
// statements are shared and must not be changed.
func FromAttribute(g *graph.Graph, r *graph.Resource, attr string) *Policy {
	p := graph.Memo(g, fromAttributeKey{r, attr}, func() *Policy { return fromAttribute(g, r, attr) })
	if p == nil {
		return nil
	}
	cp := *p
	return &cp
}

// fromAttributeKey is the attribute a memoized policy was read from.
type fromAttributeKey struct {
	r    *graph.Resource
	attr string
}

func fromAttribute(g *graph.Graph, r *graph.Resource, attr string) *Policy {
	v := r.Get(attr)
	p := &Policy{Resource: r, Attr: attr, Name: r.Address, Range: r.AttrRange(attr)}
	// The json of one aws_iam_policy_document, which the evaluator renders
	// (known, or known but for the account): read the document's blocks,
	// whose statements keep their own lines.
	if v != nil && (v.Kind == graph.String || v.Partial() != "") {
		if docs := g.Targets(r, attr, "aws_iam_policy_document"); len(docs) == 1 {
			if j := docs[0].Get("json"); j != nil && j.Kind == v.Kind && j.Str == v.Str && j.Partial() == v.Partial() {
				p.readPolicyDocument(docs[0])
				return p
			}
		}
	}
	switch {
	case v != nil && v.Doc() != nil:
		p.read(v.Doc())
	case v != nil && v.Kind == graph.String:
		p.readJSON(v.Str, v.Range)
	default:
		docs := g.Targets(r, attr, "aws_iam_policy_document")
		if len(docs) == 1 {
			p.readPolicyDocument(docs[0])
			return p
		}
		if v.IsUnknown() {
			p.Unknown = true
			return p
		}
		if v.IsNull() {
			return nil
		}
		p.invalid(fmt.Sprintf("not a policy document: %s", v.String()))
	}
	return p
}

// invalid records why the document cannot be read at all.
func (p *Policy) invalid(why string) {
	p.Errors = append(p.Errors, why)
	if p.Invalid == "" {
		p.Invalid = why
	}
}

// FromValue reads a policy from a value that is itself the document
// (a standalone policy file).
func FromValue(doc *graph.Value, name string) *Policy {
	p := &Policy{Name: name, Range: doc.Range}
	p.read(doc)
	return p
}

func (p *Policy) readJSON(s string, at graph.Range) {
	if strings.TrimSpace(s) == "" {
		p.invalid("empty policy document")
		return
	}
	doc, err := jsonpos.Parse([]byte(s), at.File)
	if err != nil {
		var d diag.Diagnostic
		if !errors.As(err, &d) || d.Line == 0 {
			p.invalid("policy is not valid JSON: " + err.Error())
			return
		}
		// The position is in the string, not in the file: said as such,
		// and mapped onto the file when the string is a heredoc written
		// there (its lines are the file's, from the line after <<EOT).
		p.invalid(fmt.Sprintf("policy is not valid JSON: %s (line %d, column %d of the document)", d.Detail, d.Line, d.Column))
		if at.Line > 0 && int(at.EndLine)-int(at.Line)-1 == strings.Count(s, "\n") && strings.HasSuffix(s, "\n") {
			p.InvalidAt = graph.Range{File: at.File, Line: graph.Clamp32(int(at.Line) + d.Line)}
		}
		return
	}
	// Positions inside a JSON string are not positions in the file; the
	// whole document points at the attribute.
	relocate(doc, at, 0)
	p.read(doc)
}

func relocate(v *graph.Value, at graph.Range, depth int) {
	if v == nil || depth > 64 {
		return
	}
	v.Range = at
	for _, e := range v.List {
		relocate(e, at, depth+1)
	}
	for _, e := range v.Map.All() {
		relocate(e, at, depth+1)
	}
}

func (p *Policy) read(doc *graph.Value) {
	if doc.IsUnknown() {
		p.Unknown = true
		return
	}
	if doc.Kind != graph.Map {
		p.invalid("policy document is not a JSON object")
		return
	}
	if doc.Range.Line > 0 {
		p.Range = doc.Range
	}
	st := field(doc, "Statement")
	switch {
	case st == nil:
		p.invalid("policy has no Statement")
		return
	case st.IsUnknown():
		p.Unknown = true
		return
	}
	for i, s := range st.Items() {
		if s.IsUnknown() {
			// One statement we cannot read: the policy is not fully
			// knowable, but the others still count.
			p.Statements = append(p.Statements, unreadStatement(i, s.Range))
			continue
		}
		if s.Kind != graph.Map {
			// Not a statement: what it was meant to say is not knowable
			// either.
			p.Errors = append(p.Errors, fmt.Sprintf("statement %d is not an object", i))
			p.Statements = append(p.Statements, unreadStatement(i, s.Range))
			continue
		}
		p.Statements = append(p.Statements, p.statement(s, i))
	}
}

// unreadStatement stands for a statement that cannot be read: any effect,
// actions, resources, principal and conditions.
func unreadStatement(i int, at graph.Range) *Statement {
	return &Statement{EffectUnknown: true, Index: i, Range: at, Action: Strings{Unknown: true},
		Resource: Strings{Unknown: true}, Principal: Principal{Unknown: true}, ConditionUnknown: true}
}

// field reads a policy element; IAM element names are case-sensitive,
// but lower-case variants from hand-written documents are accepted.
func field(m *graph.Value, name string) *graph.Value {
	if v, ok := m.Map.Lookup(name); ok {
		return v
	}
	return m.Map.Get(strings.ToLower(name))
}

func (p *Policy) statement(s *graph.Value, i int) *Statement {
	st := &Statement{Index: i, Range: s.Range}
	if v := field(s, "Sid"); v != nil && v.Kind == graph.String {
		st.Sid = v.Str
	}
	switch e := field(s, "Effect"); {
	case e.IsUnknown():
		st.EffectUnknown = true
	case e != nil && e.Kind == graph.String && (e.Str == "Allow" || e.Str == "Deny"):
		st.Effect = Effect(e.Str)
	default:
		p.Errors = append(p.Errors, fmt.Sprintf("statement %s has no valid Effect", st.label()))
		st.EffectUnknown = true
	}
	st.Action = p.strings(field(s, "Action"), st, "Action")
	st.NotAction = p.strings(field(s, "NotAction"), st, "NotAction")
	st.Resource = p.strings(field(s, "Resource"), st, "Resource")
	st.NotResource = p.strings(field(s, "NotResource"), st, "NotResource")
	st.Principal = p.principal(field(s, "Principal"), st, "Principal")
	st.NotPrincipal = p.principal(field(s, "NotPrincipal"), st, "NotPrincipal")
	if !st.Action.Present() && !st.NotAction.Present() {
		p.Errors = append(p.Errors, fmt.Sprintf("statement %s has neither Action nor NotAction", st.label()))
	}
	c := field(s, "Condition")
	switch {
	case c.IsUnknown():
		st.ConditionUnknown = true
	case c == nil || c.Kind == graph.Null:
	case c.Kind != graph.Map:
		p.Errors = append(p.Errors, fmt.Sprintf("statement %s: Condition is not an object", st.label()))
		st.ConditionUnknown = true
	default:
		for _, op := range c.Keys() {
			keys := c.Map.Get(op)
			if keys.IsUnknown() || keys.Kind != graph.Map {
				st.ConditionUnknown = true
				continue
			}
			for _, k := range keys.Keys() {
				st.Conditions = append(st.Conditions, Condition{Operator: op, Key: k,
					Values: p.strings(keys.Map.Get(k), st, "Condition"), Range: keys.Map.Get(k).Range})
			}
		}
	}
	return st
}

func (st *Statement) label() string {
	if st.Sid != "" {
		return fmt.Sprintf("%q", st.Sid)
	}
	return fmt.Sprintf("#%d", st.Index+1)
}

// Label names the statement for messages: its Sid or its position.
func (st *Statement) Label() string { return st.label() }

func (p *Policy) strings(v *graph.Value, st *Statement, elem string) Strings {
	out := Strings{}
	if v == nil || v.Kind == graph.Null {
		return out
	}
	out.Range = v.Range
	if v.IsUnknown() && v.Partial() == "" {
		// One string whose beginning is known, or a list or string not
		// known at all.
		out.Unknown = true
		out.UnknownNamed = notWildcard(v)
		return out
	}
	named := true
	for _, e := range v.Items() {
		switch {
		case e.Kind == graph.String:
			out.Values = append(out.Values, e.Str)
		case e.Kind == graph.Number || e.Kind == graph.Bool:
			out.Values = append(out.Values, strings.Trim(e.String(), `"`))
		// An ARN known but for its account reads as the model writes such
		// ARNs, with ${Account}: this account's root, a named role.
		// In a condition the parts not known stay ${...}, which the
		// condition evaluator treats as not knowable.
		case e.Kind == graph.Unknown && e.Partial() != "" && (elem == "Condition" || elem == "values"):
			out.Values = append(out.Values, e.Partial())
		case e.Kind == graph.Unknown && e.Partial() != "":
			out.Values = append(out.Values, FromPartial(e.Partial()))
		case e.Kind == graph.Unknown:
			out.Unknown = true
			named = named && notWildcard(e)
		default:
			p.Errors = append(p.Errors, fmt.Sprintf("statement %s: %s holds %s, not strings", st.label(), elem, e.Kind))
			out.Unknown = true
			named = false
		}
	}
	out.UnknownNamed = out.Unknown && named
	return out
}

func (p *Policy) principal(v *graph.Value, st *Statement, elem string) Principal {
	out := Principal{}
	if v == nil || v.Kind == graph.Null {
		return out
	}
	out.Range = v.Range
	switch v.Kind {
	case graph.Unknown:
		out.Unknown = true
	case graph.String:
		if v.Str == "*" {
			out.Any = true
		} else {
			p.Errors = append(p.Errors, fmt.Sprintf("statement %s: %s %q must be \"*\" or an object", st.label(), elem, v.Str))
		}
	case graph.Map:
		keys := v.Keys()
		out.ByKind = make(PrincipalKinds, 0, len(keys))
		for _, k := range keys {
			s := p.strings(v.Map.Get(k), st, elem)
			out.ByKind.set(k, s)
			if k == "AWS" && containsStr(s.Values, "*") {
				out.Any = true
			}
		}
	default:
		p.Errors = append(p.Errors, fmt.Sprintf("statement %s: %s is not an object", st.label(), elem))
		out.Unknown = true
	}
	return out
}

// readPolicyDocument reads the statement blocks of a data
// "aws_iam_policy_document" directly, with their lines; unknown inputs stay
// unknown in the element they feed, instead of making the whole rendered
// JSON unknown.
// FromPolicyDocument reads a data "aws_iam_policy_document" from its
// statement blocks, each statement at its own lines, an input known only
// after apply unknown only in the element it feeds; a document merging
// others is read from the json the evaluator rendered.
func FromPolicyDocument(d *graph.Resource) *Policy {
	p := &Policy{}
	p.readPolicyDocument(d)
	return p
}

// MergesDocuments reports whether a data "aws_iam_policy_document"
// merges other documents into its own statements (source and override
// documents): its statements are then those of its rendered json, not its
// blocks'.
func MergesDocuments(d *graph.Resource) bool {
	for _, merge := range []string{"source_policy_documents", "override_policy_documents", "source_json", "override_json"} {
		if v := d.Get(merge); v != nil && v.Kind != graph.Null && !(v.Kind == graph.List && len(v.List) == 0) {
			return true
		}
	}
	return false
}

func (p *Policy) readPolicyDocument(d *graph.Resource) {
	p.Name = d.Address
	p.Range = d.Range
	if MergesDocuments(d) {
		// The evaluator renders the merge in json; read that, at the
		// document's position.
		switch j := d.Get("json"); {
		case j != nil && j.Kind == graph.String:
			p.readJSON(j.Str, d.Range)
		case j != nil && j.Doc() != nil:
			p.read(j.Doc())
		default:
			p.Unknown = true
		}
		return
	}
	stmts := d.Get("statement")
	if stmts.IsUnknown() {
		p.Unknown = true
		return
	}
	for i, s := range stmts.Items() {
		st := &Statement{Index: i, Range: s.Range, Effect: Allow}
		if v := s.Get("sid"); v != nil && v.Kind == graph.String {
			st.Sid = v.Str
		}
		if e := s.Get("effect"); e.IsUnknown() {
			st.EffectUnknown = true
		} else if e != nil && e.Kind == graph.String && e.Str != "" {
			st.Effect = Effect(e.Str)
		}
		st.Action = p.strings(s.Get("actions"), st, "actions")
		st.NotAction = p.strings(s.Get("not_actions"), st, "not_actions")
		st.Resource = p.strings(s.Get("resources"), st, "resources")
		st.NotResource = p.strings(s.Get("not_resources"), st, "not_resources")
		st.Principal = p.blockPrincipals(s.Get("principals"), st)
		st.NotPrincipal = p.blockPrincipals(s.Get("not_principals"), st)
		conds := s.Get("condition")
		if conds.IsUnknown() {
			st.ConditionUnknown = true
		}
		for _, c := range conds.Items() {
			test, _ := c.Get("test").Interface().(string)
			variable, _ := c.Get("variable").Interface().(string)
			// A key built from a derived issuer ("oidc.eks.${Unknown}...:sub")
			// still says which claim it tests.
			if v := c.Get("variable"); v.IsUnknown() && v.Partial() != "" {
				variable = v.Partial()
			}
			if c.Get("test").IsUnknown() || (c.Get("variable").IsUnknown() && c.Get("variable").Partial() == "") || test == "" || variable == "" {
				st.ConditionUnknown = true
				continue
			}
			st.Conditions = append(st.Conditions, Condition{Operator: test, Key: variable,
				Values: p.strings(c.Get("values"), st, "values"), Range: c.Range})
		}
		p.Statements = append(p.Statements, st)
	}
}

func (p *Policy) blockPrincipals(v *graph.Value, st *Statement) Principal {
	out := Principal{}
	if v.IsUnknown() {
		out.Unknown = true
		return out
	}
	for _, b := range v.Items() {
		out.Range = b.Range
		t := b.Get("type")
		if t.IsUnknown() {
			out.Unknown = true
			continue
		}
		kind, _ := t.Interface().(string)
		ids := p.strings(b.Get("identifiers"), st, "identifiers")
		if kind == "*" || (kind == "AWS" && containsStr(ids.Values, "*")) {
			out.Any = true
		}
		prev := out.ByKind.Get(kind)
		prev.Values = append(prev.Values, ids.Values...)
		prev.UnknownNamed = (prev.Unknown || ids.Unknown) && !prev.MaybeAny() && !ids.MaybeAny()
		prev.Unknown = prev.Unknown || ids.Unknown
		prev.Range = ids.Range
		out.ByKind.set(kind, prev)
	}
	return out
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
