package cfn

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
)

// maxDepth bounds the evaluator's recursion. Decoded templates are at most
// 256 levels deep; conditions naming conditions add to that, and a value
// built by hand (tests, fuzzing) may nest without limit.
const maxDepth = 512

// noValue stands for AWS::NoValue: the containing property or list element
// is removed. It is compared by pointer and never stored in the graph.
var noValue = &graph.Value{Kind: graph.Null}

// tri is a three-valued truth: conditions on values that are not in the
// template (the region, a parameter without default) are neither true nor
// false.
type tri uint8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// param is one entry of the template's Parameters.
type param struct {
	name  string
	typ   string
	decl  graph.Range
	value *graph.Value // known or unknown; placed at the declaration
	// ssm marks AWS::SSM::Parameter::Value<...> parameters: the template
	// holds the name of an SSM parameter, whose content CloudFormation
	// reads at deploy time.
	ssm bool
}

type condState struct {
	expr  *graph.Value
	state uint8 // 0 not evaluated, 1 in progress, 2 done
	value tri
}

// accountReason says why an ARN built from AWS::AccountId is not known.
const accountReason = "AWS::AccountId is known at deploy; give it with --account-id or --cfn-param AWS::AccountId=..."

// pseudoParams lists the pseudo parameters. AWS::Partition and
// AWS::URLSuffix default to the commercial partition's values because
// managed policy ARNs (arn:${AWS::Partition}:iam::aws:policy/...) and
// service principals are built from them, and rules must recognise those;
// --cfn-param overrides both for GovCloud or China. The others describe the
// deployment, which a template cannot know.
var pseudoParams = map[string]string{
	"AWS::AccountId":        "",
	"AWS::NotificationARNs": "",
	"AWS::Partition":        "aws",
	"AWS::Region":           "",
	"AWS::StackId":          "",
	"AWS::StackName":        "",
	"AWS::URLSuffix":        "amazonaws.com",
}

func (l *loader) errorf(rng graph.Range, summary, format string, args ...any) {
	l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Error, File: l.file, Line: int(rng.Line), Column: int(rng.Column),
		Summary: summary, Detail: fmt.Sprintf(format, args...)})
}

func (l *loader) warnf(rng graph.Range, summary, format string, args ...any) {
	l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Warning, File: l.file, Line: int(rng.Line), Column: int(rng.Column),
		Summary: summary, Detail: fmt.Sprintf(format, args...)})
}

func (l *loader) at(rng graph.Range) graph.Range {
	rng.File = l.file
	return rng
}

func (l *loader) unknown(rng graph.Range) *graph.Value {
	return &graph.Value{Kind: graph.Unknown, Range: l.at(rng)}
}

// addRefs records that the evaluated value v stands for (or derives from)
// the named resources, so the resource holding v gets an edge to them.
func (l *loader) addRefs(v *graph.Value, ids ...string) {
	if v == nil || v == noValue || len(ids) == 0 {
		return
	}
	for _, id := range ids {
		if !containsStr(l.refs[v], id) {
			l.refs[v] = append(l.refs[v], id)
		}
	}
}

// subtreeRefs collects the references recorded anywhere under v.
func (l *loader) subtreeRefs(v *graph.Value, out []string, depth int) []string {
	if v == nil || depth > maxDepth {
		return out
	}
	for _, id := range l.refs[v] {
		if !containsStr(out, id) {
			out = append(out, id)
		}
	}
	switch v.Kind {
	case graph.List:
		for _, e := range v.List {
			out = l.subtreeRefs(e, out, depth+1)
		}
	case graph.Map:
		for _, k := range v.Keys() {
			out = l.subtreeRefs(v.Map.Get(k), out, depth+1)
		}
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

// readParams reads the Parameters section, applying --cfn-param overrides.
func (l *loader) readParams(sec *graph.Value) {
	if sec == nil {
		return
	}
	if sec.Kind != graph.Map {
		l.errorf(sec.Range, "invalid Parameters", "Parameters must be a mapping")
		return
	}
	for _, name := range sec.Keys() {
		def := sec.Map.Get(name)
		p := &param{name: name, typ: "String", decl: l.at(def.Range)}
		if def.Kind != graph.Map {
			l.errorf(def.Range, "invalid parameter", "parameter %s must be a mapping with a Type", name)
		} else if t := def.Map.Get("Type"); t != nil && t.Kind == graph.String {
			p.typ = strings.TrimSpace(t.Str)
		}
		var raw *graph.Value
		if s, ok := l.opts.Params[name]; ok {
			raw = &graph.Value{Kind: graph.String, Str: s, Range: p.decl}
		} else if def.Kind == graph.Map && def.Map.Get("Default") != nil && def.Map.Get("Default").Kind != graph.Null {
			raw = def.Map.Get("Default")
		}
		p.ssm = strings.HasPrefix(p.typ, "AWS::SSM::Parameter::Value<")
		p.value = l.paramValue(p, raw)
		if def.Kind == graph.Map && noEcho(def.Map.Get("NoEcho")) {
			// CloudFormation masks a NoEcho parameter in every output;
			// so do eksguard's writers, in the template's own default too.
			p.value.MarkSecret()
			raw.MarkSecret()
		}
		if def.Kind == graph.Map {
			l.checkAllowed(p, def.Map.Get("AllowedValues"))
		}
		l.params[name] = p
		if p.ssm {
			l.addSSMParam("Parameters."+name, name, p.value, p.decl)
		}
	}
}

// noEcho reads a parameter's NoEcho, written as a boolean or a string.
func noEcho(v *graph.Value) bool {
	if v == nil {
		return false
	}
	return v.Kind == graph.Bool && v.Bool || v.Kind == graph.String && strings.EqualFold(strings.TrimSpace(v.Str), "true")
}

// checkAllowed warns about a parameter value CloudFormation would reject,
// since the verdicts then describe a stack that cannot be deployed.
func (l *loader) checkAllowed(p *param, allowed *graph.Value) {
	if allowed == nil || allowed.Kind != graph.List || p.value.Kind == graph.Unknown {
		return
	}
	var ok []string
	for _, a := range allowed.List {
		if s, known := knownString(a); known {
			ok = append(ok, s)
		}
	}
	vals := []*graph.Value{p.value}
	if p.value.Kind == graph.List {
		vals = p.value.List
	}
	for _, v := range vals {
		if s, _ := knownString(v); !containsStr(ok, s) {
			l.warnf(p.decl, "parameter value not allowed", "parameter %s is %q, not one of its AllowedValues %s", p.name, s, strings.Join(ok, ", "))
		}
	}
}

// paramValue converts a parameter's string value to what Ref returns:
// lists for list types, numbers for Number, the string otherwise.
func (l *loader) paramValue(p *param, raw *graph.Value) *graph.Value {
	if raw == nil {
		return l.unknown(p.decl)
	}
	rng := l.at(raw.Range)
	var s string
	switch raw.Kind {
	case graph.String:
		s = raw.Str
	case graph.Number, graph.Bool:
		s = scalarString(raw)
	case graph.List:
		// Not valid CloudFormation, but unambiguous: a list default.
		parts := make([]string, 0, len(raw.List))
		for _, e := range raw.List {
			parts = append(parts, scalarString(e))
		}
		s = strings.Join(parts, ",")
	default:
		l.errorf(raw.Range, "invalid parameter default", "parameter %s: Default must be a string", p.name)
		return l.unknown(p.decl)
	}
	switch {
	case p.ssm:
		// The SSM parameter's name is known; its content is not.
		return &graph.Value{Kind: graph.String, Str: s, Range: rng}
	case p.typ == "CommaDelimitedList" || strings.HasPrefix(p.typ, "List<"):
		out := &graph.Value{Kind: graph.List, Range: rng}
		if s == "" {
			return out
		}
		for _, part := range strings.Split(s, ",") {
			out.List = append(out.List, &graph.Value{Kind: graph.String, Str: strings.TrimSpace(part), Range: rng})
		}
		return out
	case p.typ == "Number":
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return graph.NewNumberAt(f, rng)
		}
	}
	return &graph.Value{Kind: graph.String, Str: s, Range: rng}
}

func scalarString(v *graph.Value) string {
	switch v.Kind {
	case graph.String:
		return v.Str
	case graph.Number:
		return strconv.FormatFloat(v.Num(), 'f', -1, 64)
	case graph.Bool:
		return strconv.FormatBool(v.Bool)
	}
	return ""
}

// pseudo returns the value of a pseudo parameter at rng.
func (l *loader) pseudo(name string, rng graph.Range) *graph.Value {
	rng = l.at(rng)
	s, ok := l.opts.Params[name]
	if !ok {
		s = pseudoParams[name]
		if s == "" {
			u := l.unknown(rng)
			if name == "AWS::AccountId" {
				// The account the stack is deployed to: ARNs built from it
				// name the same account as the stack's own principals.
				u.SetWhy(&graph.Unknowable{Reason: accountReason, Partial: graph.AccountPlaceholder})
			}
			return u
		}
	}
	if name == "AWS::NotificationARNs" {
		out := &graph.Value{Kind: graph.List, Range: rng}
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out.List = append(out.List, &graph.Value{Kind: graph.String, Str: part, Range: rng})
			}
		}
		return out
	}
	return &graph.Value{Kind: graph.String, Str: s, Range: rng}
}

// intrinsicName returns the function a one-key mapping calls, or "".
func intrinsicName(v *graph.Value) string {
	if v == nil || v.Kind != graph.Map || v.Map.Len() != 1 {
		return ""
	}
	for k := range v.Map.All() {
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k
		}
	}
	return ""
}

// eval evaluates the intrinsic functions in v and returns a fresh tree
// (the input is never changed), noValue for AWS::NoValue, and unknown
// values where the template does not decide. References to resources are
// recorded on the returned nodes (see addRefs).
func (l *loader) eval(v *graph.Value, depth int) *graph.Value {
	if v == nil {
		return nil
	}
	if depth > maxDepth {
		l.errorf(v.Range, "template nested too deeply", "more than %d levels of values and intrinsic functions", maxDepth)
		return l.unknown(v.Range)
	}
	if fn := intrinsicName(v); fn != "" {
		return l.call(fn, v.Map.Get(fn), l.at(v.Range), depth+1)
	}
	switch v.Kind {
	case graph.Map:
		out := &graph.Value{Kind: graph.Map, Map: graph.NewFields(v.Map.Len()), Range: l.at(v.Range)}
		for _, k := range v.Keys() {
			if k == transformKey {
				// The keys an included snippet adds beside the written
				// ones are not known; the include is reported unread.
				continue
			}
			e := l.eval(v.Map.Get(k), depth+1)
			if e == noValue || e == nil {
				continue
			}
			out.Map.Set(k, e)
		}
		return out
	case graph.List:
		out := &graph.Value{Kind: graph.List, List: make([]*graph.Value, 0, len(v.List)), Range: l.at(v.Range)}
		for _, x := range v.List {
			e := l.eval(x, depth+1)
			if e == noValue || e == nil {
				continue
			}
			out.List = append(out.List, e)
		}
		return out
	case graph.String:
		if strings.Contains(v.Str, "{{resolve:") {
			return l.dynamicRef(v.Str, l.at(v.Range))
		}
	}
	c := *v
	c.Range = l.at(v.Range)
	return &c
}

// dynamicRef handles {{resolve:service:name}} references, which
// CloudFormation replaces at deploy time: the value is unknown, but an SSM
// parameter's name is known and becomes a data source rules can judge (an
// EKS-optimised AMI parameter, say).
func (l *loader) dynamicRef(s string, rng graph.Range) *graph.Value {
	u := l.unknown(rng)
	rest := s
	for {
		i := strings.Index(rest, "{{resolve:")
		if i < 0 {
			break
		}
		rest = rest[i+len("{{resolve:"):]
		j := strings.Index(rest, "}}")
		if j < 0 {
			break
		}
		ref := rest[:j]
		rest = rest[j+2:]
		if name, ok := strings.CutPrefix(ref, "ssm:"); ok {
			name, _, _ = strings.Cut(name, ":")
			key := "resolve:ssm:" + name
			l.addSSMParam(key, name, &graph.Value{Kind: graph.String, Str: name, Range: rng}, rng)
			l.addRefs(u, key)
		}
	}
	return u
}

// call evaluates one intrinsic function; rng is where it is written.
func (l *loader) call(fn string, arg *graph.Value, rng graph.Range, depth int) *graph.Value {
	switch fn {
	case "Ref":
		if arg == nil || arg.Kind != graph.String {
			l.errorf(rng, "invalid Ref", "Ref takes the name of a parameter or resource")
			return l.unknown(rng)
		}
		return l.ref(arg.Str, rng)
	case "Fn::GetAtt":
		return l.getAtt(arg, rng, depth)
	case "Fn::Sub":
		return l.sub(arg, rng, depth)
	case "Fn::Join":
		return l.join(arg, rng, depth)
	case "Fn::If":
		return l.fnIf(arg, rng, depth)
	case "Fn::Select":
		return l.selectFn(arg, rng, depth)
	case "Fn::Split":
		return l.split(arg, rng, depth)
	case "Fn::FindInMap":
		return l.findInMap(arg, rng, depth)
	case "Fn::Base64":
		x := l.eval(arg, depth)
		if s, ok := knownString(x); ok {
			out := &graph.Value{Kind: graph.String, Str: base64.StdEncoding.EncodeToString([]byte(s)), Range: rng}
			l.addRefs(out, l.subtreeRefs(x, nil, 0)...)
			return out
		}
		return l.opaqueResult(x, rng)
	case "Fn::Length":
		x := l.eval(arg, depth)
		if x != nil && x.Kind == graph.List && !l.hasUnknown(x, 0) {
			return graph.NewNumberAt(float64(len(x.List)), rng)
		}
		return l.opaqueResult(x, rng)
	case "Fn::ToJsonString":
		x := l.eval(arg, depth)
		if s, ok := l.toJSON(x); ok {
			out := &graph.Value{Kind: graph.String, Str: s, Range: rng}
			l.addRefs(out, l.subtreeRefs(x, nil, 0)...)
			return out
		}
		return l.opaqueResult(x, rng)
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
		// Condition functions may stand for a boolean value, e.g. inside
		// Fn::If operands written by generators.
		switch l.condCall(fn, arg, rng, depth) {
		case triTrue:
			return &graph.Value{Kind: graph.Bool, Bool: true, Range: rng}
		case triFalse:
			return &graph.Value{Kind: graph.Bool, Bool: false, Range: rng}
		}
		return l.unknown(rng)
	case "Fn::ImportValue", "Fn::GetAZs", "Fn::Cidr", "Fn::Transform", "Fn::GetParam":
		// Values of other stacks, of the deployment region or of macros:
		// not in the template. Arguments are still evaluated for their
		// errors and references.
		return l.opaqueResult(l.eval(arg, depth), rng)
	}
	l.errorf(rng, "unknown intrinsic function", "%s is not a CloudFormation intrinsic function", fn)
	return l.unknown(rng)
}

// opaqueResult is an unknown value at rng carrying the references of the
// arguments it was computed from.
func (l *loader) opaqueResult(arg *graph.Value, rng graph.Range) *graph.Value {
	u := l.unknown(rng)
	l.addRefs(u, l.subtreeRefs(arg, nil, 0)...)
	return u
}

func (l *loader) ref(name string, rng graph.Range) *graph.Value {
	if name == "AWS::NoValue" {
		return noValue
	}
	if _, ok := pseudoParams[name]; ok {
		return l.pseudo(name, rng)
	}
	if p := l.params[name]; p != nil {
		if p.ssm {
			u := l.unknown(rng)
			l.addRefs(u, "Parameters."+name)
			return u
		}
		return relocate(p.value, rng)
	}
	if _, ok := l.resources[name]; ok {
		u := l.unknown(rng)
		l.addRefs(u, name)
		return u
	}
	if l.open["Resources"] || l.samImplicit(name) {
		return l.unknown(rng)
	}
	l.errorf(rng, "reference to undefined name", "Ref %s: no parameter, pseudo parameter or resource has this name", name)
	return l.unknown(rng)
}

func (l *loader) getAtt(arg *graph.Value, rng graph.Range, depth int) *graph.Value {
	var res string
	var attr *graph.Value
	switch {
	case arg != nil && arg.Kind == graph.String:
		var a string
		res, a, _ = strings.Cut(arg.Str, ".")
		attr = &graph.Value{Kind: graph.String, Str: a}
	case arg != nil && arg.Kind == graph.List && len(arg.List) == 2 && arg.List[0].Kind == graph.String:
		res, attr = arg.List[0].Str, l.eval(arg.List[1], depth)
	default:
		l.errorf(rng, "invalid Fn::GetAtt", "Fn::GetAtt takes [LogicalId, AttributeName]")
		return l.unknown(rng)
	}
	if _, ok := l.resources[res]; !ok {
		if l.params[res] == nil && (l.open["Resources"] || l.samImplicit(res) || l.samImplicit(res+"."+scalarString(attr))) {
			return l.unknown(rng)
		}
		if l.params[res] != nil {
			l.errorf(rng, "invalid Fn::GetAtt", "%s is a parameter; Fn::GetAtt reads attributes of resources", res)
		} else {
			l.errorf(rng, "reference to undefined name", "Fn::GetAtt %s: no resource has this name", res)
		}
		return l.unknown(rng)
	}
	// Resource attributes (ARNs, ids, endpoints) exist only once the stack
	// is deployed; the ARN of an IAM principal or policy is known but for
	// the account (and a name CloudFormation generates).
	u := l.unknown(rng)
	if a, ok := knownString(attr); ok && a == "Arn" {
		if p := l.iamARN(res, depth); p != "" {
			u.SetWhy(&graph.Unknowable{Reason: "the ARN of " + res + " is known once the stack is deployed", Partial: p})
		}
	}
	l.addRefs(u, res)
	l.addRefs(u, l.subtreeRefs(attr, nil, 0)...)
	return u
}

// iamNames are the IAM resource types whose ARN Fn::GetAtt gives, with the
// ARN's resource type and the property naming them.
var iamNames = map[string][2]string{
	"AWS::IAM::Role":            {"role", "RoleName"},
	"AWS::IAM::User":            {"user", "UserName"},
	"AWS::IAM::Group":           {"group", "GroupName"},
	"AWS::IAM::ManagedPolicy":   {"policy", "ManagedPolicyName"},
	"AWS::IAM::InstanceProfile": {"instance-profile", "InstanceProfileName"},
}

// iamARN writes the ARN of IAM resource id as the IAM model reads partial
// ARNs: the account as ${Account} unless given, a name CloudFormation
// generates (stack-LogicalId-RANDOM) as ${Unknown}. "" for other types or
// a name or path not known.
func (l *loader) iamARN(id string, depth int) string {
	def := l.resources[id]
	if def == nil || def.Kind != graph.Map {
		return ""
	}
	t, ok := knownString(def.Map.Get("Type"))
	kind, known := iamNames[t]
	if !ok || !known {
		return ""
	}
	name, path := graph.GeneratedPlaceholder, "/"
	if props := def.Map.Get("Properties"); props != nil && props.Kind == graph.Map {
		if n := props.Map.Get(kind[1]); n != nil {
			if name, ok = knownString(l.eval(n, depth+1)); !ok {
				return ""
			}
		}
		if p := props.Map.Get("Path"); p != nil {
			if path, ok = knownString(l.eval(p, depth+1)); !ok {
				return ""
			}
		}
	}
	partition, ok := knownString(l.pseudo("AWS::Partition", def.Range))
	if !ok {
		return ""
	}
	account, ok := knownString(l.pseudo("AWS::AccountId", def.Range))
	if !ok {
		account = graph.AccountPlaceholder
	}
	return "arn:" + partition + ":iam::" + account + ":" + kind[0] + path + name
}

// sub evaluates Fn::Sub in both forms: "template" and [template, {vars}].
func (l *loader) sub(arg *graph.Value, rng graph.Range, depth int) *graph.Value {
	var tmpl *graph.Value
	var vars map[string]*graph.Value
	switch {
	case arg == nil:
	case arg.Kind == graph.String:
		tmpl = arg
	case arg.Kind == graph.List && len(arg.List) == 2:
		tmpl = l.eval(arg.List[0], depth)
		vm := arg.List[1]
		if vm.Kind != graph.Map {
			if vm = l.eval(vm, depth); vm.Kind != graph.Map {
				l.errorf(rng, "invalid Fn::Sub", "the second element of Fn::Sub must map variable names to values")
				return l.opaqueResult(vm, rng)
			}
		}
		vars = map[string]*graph.Value{}
		for _, k := range vm.Keys() {
			vars[k] = vm.Map.Get(k)
		}
	}
	if tmpl == nil || tmpl.Kind != graph.String {
		if tmpl.IsUnknown() {
			return l.opaqueResult(tmpl, rng)
		}
		l.errorf(rng, "invalid Fn::Sub", "Fn::Sub takes a string or [string, {variables}]")
		return l.unknown(rng)
	}
	var b strings.Builder
	var refs []string
	pt := partialText{known: true}
	s := tmpl.Str
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i+2:]
		if strings.HasPrefix(s, "!") {
			// ${!Literal} is written out as ${Literal}.
			b.WriteString("${")
			s = s[1:]
			continue
		}
		j := strings.IndexByte(s, '}')
		if j < 0 {
			b.WriteString("${")
			b.WriteString(s)
			break
		}
		name := strings.TrimSpace(s[:j])
		s = s[j+1:]
		var piece *graph.Value
		if x, ok := vars[name]; ok {
			piece = l.eval(x, depth)
		} else if res, attr, dotted := strings.Cut(name, "."); dotted && l.params[name] == nil {
			piece = l.getAtt(&graph.Value{Kind: graph.List, List: []*graph.Value{
				{Kind: graph.String, Str: res}, {Kind: graph.String, Str: attr}}}, rng, depth)
		} else {
			piece = l.ref(name, rng)
		}
		refs = l.subtreeRefs(piece, refs, 0)
		if piece == noValue {
			continue
		}
		ps, ok := knownString(piece)
		if !ok {
			if piece != nil && (piece.Kind == graph.List || piece.Kind == graph.Map) {
				l.errorf(rng, "invalid Fn::Sub", "${%s} is a list or mapping, not a string", name)
			}
			b.WriteString(pt.unknownPart(b.String(), piece))
			continue
		}
		b.WriteString(ps)
	}
	out := l.partialValue(pt, b.String(), rng)
	if pt.known && strings.Contains(out.Str, "{{resolve:") {
		out = l.dynamicRef(out.Str, rng)
	}
	l.addRefs(out, refs...)
	return out
}

// partialText tracks what is known of a string built from parts (Fn::Sub,
// Fn::Join).
type partialText struct {
	known, opaque bool
	// reason is why the first part known only in part is not known.
	reason string
	// prefix is the literal text before the first part not known.
	prefix    string
	prefixSet bool
}

// unknownPart records a part that is not known, written after the text
// before; it returns the text the part stands for: what is known of it
// (all but the account or a generated name), or "" when nothing is.
func (t *partialText) unknownPart(before string, piece *graph.Value) string {
	if !t.prefixSet {
		t.prefix, t.prefixSet = before, true
	}
	t.known = false
	if p := piece.Partial(); p != "" && piece.Kind == graph.Unknown {
		if t.reason == "" {
			t.reason = piece.Reason()
		}
		return p
	}
	t.opaque = true
	return ""
}

// partialValue is the string built: text when every part is known; else
// unknown, with text as what is known of it when no part is opaque, or
// with the literal text before the first unknown part ("arn:aws:iam::"
// before a parameter for the account: not known, but an ARN).
func (l *loader) partialValue(t partialText, text string, rng graph.Range) *graph.Value {
	switch {
	case t.known:
		return &graph.Value{Kind: graph.String, Str: text, Range: rng}
	case !t.opaque:
		out := l.unknown(rng)
		out.SetWhy(&graph.Unknowable{Reason: t.reason, Partial: text})
		return out
	}
	out := l.unknown(rng)
	if t.prefix != "" {
		out.SetWhy(&graph.Unknowable{Prefix: t.prefix})
	}
	return out
}

// knownString returns a scalar's text; ok is false for unknown and
// non-scalar values.
func knownString(v *graph.Value) (string, bool) {
	if v == nil || v == noValue {
		return "", false
	}
	switch v.Kind {
	case graph.String, graph.Number, graph.Bool:
		return scalarString(v), true
	}
	return "", false
}

func (l *loader) join(arg *graph.Value, rng graph.Range, depth int) *graph.Value {
	if arg == nil || arg.Kind != graph.List || len(arg.List) != 2 {
		l.errorf(rng, "invalid Fn::Join", "Fn::Join takes [delimiter, [values]]")
		return l.unknown(rng)
	}
	delim := l.eval(arg.List[0], depth)
	list := l.eval(arg.List[1], depth)
	refs := l.subtreeRefs(list, l.subtreeRefs(delim, nil, 0), 0)
	d, ok := knownString(delim)
	if !ok || list == nil || list.Kind != graph.List {
		if !delim.IsUnknown() && !list.IsUnknown() {
			l.errorf(rng, "invalid Fn::Join", "Fn::Join takes a string delimiter and a list")
		}
		u := l.unknown(rng)
		l.addRefs(u, refs...)
		return u
	}
	parts := make([]string, 0, len(list.List))
	pt := partialText{known: true}
	for i, e := range list.List {
		s, ok := knownString(e)
		if !ok {
			before := strings.Join(parts, d)
			if i > 0 {
				before += d
			}
			// Known but for the account or a generated name, as in
			// ["arn:aws:iam::", !Ref AWS::AccountId, ":root"].
			if p := pt.unknownPart(before, e); p != "" {
				parts = append(parts, p)
			}
			continue
		}
		parts = append(parts, s)
	}
	out := l.partialValue(pt, strings.Join(parts, d), rng)
	l.addRefs(out, refs...)
	return out
}

func (l *loader) fnIf(arg *graph.Value, rng graph.Range, depth int) *graph.Value {
	if arg == nil || arg.Kind != graph.List || len(arg.List) != 3 || arg.List[0].Kind != graph.String {
		l.errorf(rng, "invalid Fn::If", "Fn::If takes [ConditionName, value if true, value if false]")
		return l.unknown(rng)
	}
	switch l.condition(arg.List[0].Str, l.at(arg.List[0].Range), depth) {
	case triTrue:
		return l.eval(arg.List[1], depth)
	case triFalse:
		return l.eval(arg.List[2], depth)
	}
	// The condition is not decided by the template: the result is known
	// only when both branches agree.
	if sameShape(arg.List[1], arg.List[2], 0) {
		return l.eval(arg.List[1], depth)
	}
	a, b := l.eval(arg.List[1], depth), l.eval(arg.List[2], depth)
	switch {
	case a == noValue && b == noValue:
		return noValue
	case a != noValue && b != noValue:
		return l.merge(a, b, rng, depth)
	case a != noValue:
		return l.opaqueResult(a, rng)
	}
	return l.opaqueResult(b, rng)
}

// merge combines the two branches of an undecided Fn::If: what both agree
// on is known, the rest unknown. Mappings merge key by key and lists of one
// length element by element, so one undecided setting does not hide the
// others of a resource.
func (l *loader) merge(a, b *graph.Value, rng graph.Range, depth int) *graph.Value {
	if a == nil || b == nil || depth > maxDepth {
		return l.unknown(rng)
	}
	switch {
	case a.Kind == graph.Map && b.Kind == graph.Map:
		out := &graph.Value{Kind: graph.Map, Map: graph.NewFields(a.Map.Len()), Range: a.Range}
		for _, k := range a.Keys() {
			if y, ok := b.Map.Lookup(k); ok {
				out.Map.Set(k, l.merge(a.Map.Get(k), y, a.Map.Get(k).Range, depth+1))
			} else {
				out.Map.Set(k, l.opaqueResult(a.Map.Get(k), a.Map.Get(k).Range))
			}
		}
		for _, k := range b.Keys() {
			if _, ok := a.Map.Lookup(k); !ok {
				out.Map.Set(k, l.opaqueResult(b.Map.Get(k), b.Map.Get(k).Range))
			}
		}
		return out
	case a.Kind == graph.List && b.Kind == graph.List && len(a.List) == len(b.List):
		out := &graph.Value{Kind: graph.List, List: make([]*graph.Value, len(a.List)), Range: a.Range}
		for i := range a.List {
			out.List[i] = l.merge(a.List[i], b.List[i], a.List[i].Range, depth+1)
		}
		return out
	case a.Kind != graph.Unknown && a.Kind != graph.Map && a.Kind != graph.List && sameShape(a, b, 0):
		l.addRefs(a, l.refs[b]...)
		return a
	}
	u := l.opaqueResult(a, rng)
	l.addRefs(u, l.subtreeRefs(b, nil, 0)...)
	return u
}

// sameShape compares two values ignoring positions.
func sameShape(a, b *graph.Value, depth int) bool {
	if a == nil || b == nil || depth > maxDepth {
		return a == b
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case graph.Null:
		return true
	case graph.Bool:
		return a.Bool == b.Bool
	case graph.Number:
		return a.Num() == b.Num()
	case graph.String:
		return a.Str == b.Str
	case graph.List:
		if len(a.List) != len(b.List) {
			return false
		}
		for i := range a.List {
			if !sameShape(a.List[i], b.List[i], depth+1) {
				return false
			}
		}
		return true
	case graph.Map:
		if a.Map.Len() != b.Map.Len() {
			return false
		}
		for k, x := range a.Map.All() {
			if !sameShape(x, b.Map.Get(k), depth+1) {
				return false
			}
		}
		return true
	}
	return false // two unknowns are not known to be equal
}

func (l *loader) hasUnknown(v *graph.Value, depth int) bool {
	if v == nil || depth > maxDepth {
		return false
	}
	switch v.Kind {
	case graph.Unknown:
		return true
	case graph.List:
		for _, e := range v.List {
			if l.hasUnknown(e, depth+1) {
				return true
			}
		}
	case graph.Map:
		for _, e := range v.Map.All() {
			if l.hasUnknown(e, depth+1) {
				return true
			}
		}
	}
	return false
}

func (l *loader) selectFn(arg *graph.Value, rng graph.Range, depth int) *graph.Value {
	if arg == nil || arg.Kind != graph.List || len(arg.List) != 2 {
		l.errorf(rng, "invalid Fn::Select", "Fn::Select takes [index, list]")
		return l.unknown(rng)
	}
	idx := l.eval(arg.List[0], depth)
	list := l.eval(arg.List[1], depth)
	refs := l.subtreeRefs(list, l.subtreeRefs(idx, nil, 0), 0)
	is, ok := knownString(idx)
	n, err := strconv.Atoi(strings.TrimSpace(is))
	if !ok || list == nil || list.Kind != graph.List {
		u := l.unknown(rng)
		l.addRefs(u, refs...)
		return u
	}
	if err != nil || n < 0 || n >= len(list.List) {
		l.errorf(rng, "invalid Fn::Select", "index %s is not within the list of %d elements", is, len(list.List))
		return l.unknown(rng)
	}
	return list.List[n]
}

func (l *loader) split(arg *graph.Value, rng graph.Range, depth int) *graph.Value {
	if arg == nil || arg.Kind != graph.List || len(arg.List) != 2 {
		l.errorf(rng, "invalid Fn::Split", "Fn::Split takes [delimiter, string]")
		return l.unknown(rng)
	}
	delim := l.eval(arg.List[0], depth)
	src := l.eval(arg.List[1], depth)
	d, ok1 := knownString(delim)
	s, ok2 := knownString(src)
	if !ok1 || !ok2 || d == "" {
		if ok1 && ok2 {
			l.errorf(rng, "invalid Fn::Split", "the delimiter must not be empty")
		}
		return l.opaqueResult(src, rng)
	}
	out := &graph.Value{Kind: graph.List, Range: rng}
	for _, part := range strings.Split(s, d) {
		out.List = append(out.List, &graph.Value{Kind: graph.String, Str: part, Range: rng})
	}
	return out
}

// findInMap looks a value up in Mappings. When a key is unknown (the
// region, typically) the value is still known if every candidate agrees.
func (l *loader) findInMap(arg *graph.Value, rng graph.Range, depth int) *graph.Value {
	if arg == nil || arg.Kind != graph.List || len(arg.List) < 3 || len(arg.List) > 4 {
		l.errorf(rng, "invalid Fn::FindInMap", "Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]")
		return l.unknown(rng)
	}
	var def *graph.Value
	if len(arg.List) == 4 {
		if d := arg.List[3]; d.Kind == graph.Map && d.Map.Get("DefaultValue") != nil {
			def = l.eval(d.Map.Get("DefaultValue"), depth)
		}
	}
	keys := make([]*graph.Value, 3)
	for i := range keys {
		keys[i] = l.eval(arg.List[i], depth)
	}
	mapName, ok := knownString(keys[0])
	if !ok {
		return l.unknown(rng)
	}
	m := l.mappings.Get(mapName)
	if m == nil || m.Kind != graph.Map {
		if def != nil {
			return def
		}
		if l.open["Mappings"] {
			return l.unknown(rng)
		}
		l.errorf(rng, "invalid Fn::FindInMap", "no mapping named %s", mapName)
		return l.unknown(rng)
	}
	var tops []*graph.Value
	if k, ok := knownString(keys[1]); ok {
		if t := m.Map.Get(k); t != nil {
			tops = append(tops, t)
		}
	} else {
		for _, k := range m.Keys() {
			tops = append(tops, m.Map.Get(k))
		}
	}
	k2, k2Known := knownString(keys[2])
	var cands []*graph.Value
	for _, t := range tops {
		if t.Kind != graph.Map {
			continue
		}
		if k2Known {
			if x := t.Map.Get(k2); x != nil {
				cands = append(cands, x)
			}
			continue
		}
		for _, k := range t.Keys() {
			cands = append(cands, t.Map.Get(k))
		}
	}
	if len(cands) == 0 {
		if def != nil {
			return def
		}
		if keys[1].IsUnknown() || keys[2].IsUnknown() || l.open["Mappings"] {
			return l.unknown(rng)
		}
		l.errorf(rng, "invalid Fn::FindInMap", "mapping %s has no entry %s.%s", mapName, scalarString(keys[1]), k2)
		return l.unknown(rng)
	}
	allKeysKnown := !keys[1].IsUnknown() && k2Known
	for _, c := range cands[1:] {
		if !sameShape(c, cands[0], 0) {
			return l.unknown(rng)
		}
	}
	if !allKeysKnown && def != nil {
		// A key unknown and a default: a missing entry would give the
		// default, so agreement of the entries present is not enough.
		return l.unknown(rng)
	}
	return relocate(cands[0], rng)
}

// relocate copies v placing every node at rng: a value taken from a
// parameter or mapping is reported where it is used.
func relocate(v *graph.Value, rng graph.Range) *graph.Value {
	return relocateDepth(v, rng, 0)
}

func relocateDepth(v *graph.Value, rng graph.Range, depth int) *graph.Value {
	if v == nil || depth > maxDepth {
		return nil
	}
	c := &graph.Value{Kind: v.Kind, Bool: v.Bool, Str: v.Str, Range: rng}
	c.SetNum(v.Num())
	switch v.Kind {
	case graph.List:
		c.List = make([]*graph.Value, 0, len(v.List))
		for _, e := range v.List {
			if e = relocateDepth(e, rng, depth+1); e != nil {
				c.List = append(c.List, e)
			}
		}
	case graph.Map:
		c.Map = graph.NewFields(v.Map.Len())
		for k, e := range v.Map.All() {
			if e = relocateDepth(e, rng, depth+1); e != nil {
				c.Map.Set(k, e)
			}
		}
	}
	if v.IsSecret() {
		c.MarkSecret()
	}
	return c
}

// toJSON renders a fully known value as JSON (keys sorted, as
// encoding/json writes maps). ok is false when any part is unknown.
func (l *loader) toJSON(v *graph.Value) (string, bool) {
	if v == nil || v == noValue || l.hasUnknown(v, 0) {
		return "", false
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return "", false
	}
	return string(b), true
}

// condition evaluates a named condition once, detecting cycles.
func (l *loader) condition(name string, rng graph.Range, depth int) tri {
	c := l.conds[name]
	if c == nil && l.open["Conditions"] {
		return triUnknown
	}
	if c == nil {
		l.errorf(rng, "reference to undefined condition", "no condition named %s in Conditions", name)
		return triUnknown
	}
	switch c.state {
	case 2:
		return c.value
	case 1:
		l.errorf(c.expr.Range, "circular condition", "condition %s depends on itself", name)
		return triUnknown
	}
	c.state = 1
	v := l.condExpr(c.expr, depth+1)
	c.state, c.value = 2, v
	return v
}

func (l *loader) condExpr(v *graph.Value, depth int) tri {
	if v == nil {
		return triUnknown
	}
	if depth > maxDepth {
		l.errorf(v.Range, "template nested too deeply", "more than %d levels of conditions", maxDepth)
		return triUnknown
	}
	if v.Kind == graph.Map && v.Map.Len() == 1 {
		if c := v.Map.Get("Condition"); c != nil {
			if c.Kind != graph.String {
				l.errorf(v.Range, "invalid condition", "Condition takes a condition name")
				return triUnknown
			}
			return l.condition(c.Str, l.at(v.Range), depth)
		}
		if fn := intrinsicName(v); fn != "" {
			switch fn {
			case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
				return l.condCall(fn, v.Map.Get(fn), l.at(v.Range), depth)
			}
			// Values written by tools as Ref to a Boolean parameter or an
			// Fn::If: accept a value that is the string true or false.
			x := l.eval(v, depth)
			if s, ok := knownString(x); ok && (strings.EqualFold(s, "true") || strings.EqualFold(s, "false")) {
				return triOf(strings.EqualFold(s, "true"))
			}
			if !x.IsUnknown() {
				l.errorf(v.Range, "invalid condition", "%s does not give true or false", fn)
			}
			return triUnknown
		}
	}
	if v.Kind == graph.Bool {
		return triOf(v.Bool)
	}
	l.errorf(v.Range, "invalid condition", "a condition is Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition")
	return triUnknown
}

func (l *loader) condCall(fn string, arg *graph.Value, rng graph.Range, depth int) tri {
	if arg == nil || arg.Kind != graph.List {
		l.errorf(rng, "invalid condition", "%s takes a list", fn)
		return triUnknown
	}
	switch fn {
	case "Fn::Equals":
		if len(arg.List) != 2 {
			l.errorf(rng, "invalid condition", "Fn::Equals takes two values")
			return triUnknown
		}
		a, b := l.eval(arg.List[0], depth), l.eval(arg.List[1], depth)
		if a == noValue || b == noValue || l.hasUnknown(a, 0) || l.hasUnknown(b, 0) {
			return triUnknown
		}
		as, aok := knownString(a)
		bs, bok := knownString(b)
		if aok && bok {
			return triOf(as == bs)
		}
		return triOf(sameShape(a, b, 0))
	case "Fn::Not":
		if len(arg.List) != 1 {
			l.errorf(rng, "invalid condition", "Fn::Not takes one condition")
			return triUnknown
		}
		switch l.condExpr(arg.List[0], depth+1) {
		case triTrue:
			return triFalse
		case triFalse:
			return triTrue
		}
		return triUnknown
	case "Fn::And", "Fn::Or":
		if len(arg.List) < 2 || len(arg.List) > 10 {
			l.errorf(rng, "invalid condition", "%s takes between 2 and 10 conditions", fn)
		}
		// Every operand is evaluated, so errors in each are reported.
		vals := make([]tri, len(arg.List))
		for i, x := range arg.List {
			vals[i] = l.condExpr(x, depth+1)
		}
		decisive, other := triFalse, triTrue
		if fn == "Fn::Or" {
			decisive, other = triTrue, triFalse
		}
		out := other
		for _, t := range vals {
			switch t {
			case decisive:
				return decisive
			case triUnknown:
				out = triUnknown
			}
		}
		return out
	}
	return triUnknown
}

// sortedIDs returns logical IDs in the order they are written, so graph
// order and diagnostics follow the file.
func sortedIDs(sec *graph.Value) []string {
	ids := sec.Keys()
	sort.SliceStable(ids, func(i, j int) bool {
		a, b := sec.Map.Get(ids[i]).Range, sec.Map.Get(ids[j]).Range
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return ids[i] < ids[j]
	})
	return ids
}
