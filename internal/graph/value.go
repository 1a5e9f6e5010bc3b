package graph

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Range is a span of source text. Lines and columns are 1-based; a zero Line
// means the position is not known.
type Range struct {
	File    string `json:"file"`
	Line    int32  `json:"line,omitempty"`
	Column  int32  `json:"column,omitempty"`
	EndLine int32  `json:"end_line,omitempty"`
}

// IsZero reports whether the range carries no position.
func (r Range) IsZero() bool { return r.File == "" && r.Line == 0 }

// Clamp32 converts a line or column to Range's int32, saturating instead
// of wrapping: a column past 2^31-1 (one line of a file over 2 GiB, text
// a template rendered) would otherwise wrap negative and read as "no
// position" or point backwards; saturated, it still orders after every
// smaller one.
func Clamp32(n int) int32 {
	switch {
	case n > math.MaxInt32:
		return math.MaxInt32
	case n < math.MinInt32:
		return math.MinInt32
	}
	return int32(n)
}

// Kind is the type of a Value.
type Kind uint8

const (
	Null Kind = iota
	Bool
	Number
	String
	List
	Map
	// Unknown is a value that cannot be known from code: computed after
	// apply, an unresolvable reference, an unsupported function. Rules must
	// treat it as neither true nor false.
	Unknown
)

var kindNames = [...]string{"null", "bool", "number", "string", "list", "map", "unknown"}

func (k Kind) String() string { return kindNames[k] }

// Value is one node of a resource's attribute tree. Front-ends fill Range
// with the place the value is written, so a finding can point at the
// attribute rather than the whole resource.
type Value struct {
	Kind  Kind
	Bool  bool
	Str   string
	List  []*Value
	Map   *Fields
	Range Range
	// ext holds what few values have: a number (read with Num), the
	// document a JSON string was encoded from, why an unknown is unknown,
	// whether it is a secret. Kept apart so a Value fits Go's 96-byte
	// size class (see TestValueSize): a 200 MB plan holds millions of
	// them, and most are strings, maps and lists.
	ext *valueExt
}

type valueExt struct {
	// num is a Number's value. A zero (but not a negative zero) needs no
	// ext at all.
	num float64
	doc *Value
	why *Unknowable
	// secret: the value is a credential or Terraform-sensitive; writers
	// put Redacted in its place. secretKeys: some of a map's keys are
	// shaped like credentials (see MarkSecretKeys).
	secret     bool
	secretKeys func(string) bool
	// from is where the value itself was set when that is not where it
	// is written: a Helm values file line a template copied it from.
	from *Range
}

// Num is a Number's value; 0 for any other kind.
func (v *Value) Num() float64 {
	if v == nil || v.ext == nil {
		return 0
	}
	return v.ext.num
}

// SetNum sets the number v holds; v.Kind says whether it is one.
func (v *Value) SetNum(n float64) {
	if v.ext == nil {
		if math.Float64bits(n) == 0 {
			return
		}
		v.ext = &valueExt{}
	}
	v.ext.num = n
}

// Redacted is written in place of a secret value, and of a map key that
// is shaped like a credential, wherever the graph is written: its JSON
// form, messages, the input of custom policies. Rules still read the
// value itself, so what they decide does not change.
const Redacted = "(redacted)"

// MarkSecret marks v and every value below it (and the document it was
// encoded from) as secret. A secret map or list keeps its shape; only its
// leaves are masked, so a policy can still see that a password is set.
func (v *Value) MarkSecret() {
	v.markSecret(0)
}

func (v *Value) markSecret(depth int) {
	if v == nil || depth > 128 {
		return
	}
	if v.ext == nil {
		v.ext = &valueExt{}
	}
	v.ext.secret = true
	for _, e := range v.List {
		e.markSecret(depth + 1)
	}
	for _, e := range v.Map.All() {
		e.markSecret(depth + 1)
	}
	if v.ext.doc != nil {
		v.ext.doc.markSecret(depth + 1)
	}
}

// IsSecret reports whether v was marked secret.
func (v *Value) IsSecret() bool { return v != nil && v.ext != nil && v.ext.secret }

// MarkSecretKeys records which of a map's keys are themselves credentials
// (a key named by an access key ID); writers mask those keys.
func (v *Value) MarkSecretKeys(isSecret func(string) bool) {
	if v == nil || v.Kind != Map {
		return
	}
	if v.ext == nil {
		v.ext = &valueExt{}
	}
	v.ext.secretKeys = isSecret
}

// shownKeys returns the map's keys in the order Keys gives and how each is
// written: a secret key becomes Redacted, numbered when there are several
// so that the written object keeps distinct keys.
func (v *Value) shownKeys() (keys, shown []string) {
	keys = v.Keys()
	if v.ext == nil || v.ext.secretKeys == nil {
		return keys, keys
	}
	shown = make([]string, len(keys))
	n := 0
	for i, k := range keys {
		shown[i] = k
		if v.ext.secretKeys(k) {
			n++
			shown[i] = Redacted + " " + strconv.Itoa(n)
		}
	}
	return keys, shown
}

// HasSecretKeys reports whether some of a map's keys may be marked secret
// (MarkSecretKeys), so that a writer that does not need the keys in order
// knows when it must ask ShownKeys.
func (v *Value) HasSecretKeys() bool { return v != nil && v.ext != nil && v.ext.secretKeys != nil }

// ShownKeys is Keys as writers show them: a key marked secret by
// MarkSecretKeys is replaced by a numbered Redacted.
func (v *Value) ShownKeys() (keys, shown []string) {
	if v == nil || v.Kind != Map {
		return nil, nil
	}
	return v.shownKeys()
}

// Unknowable is what a front-end knows about an unknown value.
type Unknowable struct {
	// Reason says why it is unknown: "aws_iam_role.this.arn is known only
	// after apply", "module vpc is not read".
	Reason string
	// Partial is an unknown string known but for the AWS account id (an
	// ARN the code derives when --account-id is not given), written
	// ${Account} as the IAM model writes it, and for the parts Terraform or
	// AWS assign at apply (the suffix of a name_prefix, a key id), written
	// ${Unknown}. Rules that match ARN globs may read those parts as any.
	Partial string
	// Prefix is what an unknown string is known to begin with when no
	// Partial says more: the text of a template before its first unknown
	// part ("arn:aws:iam::" of "arn:aws:iam::${var.account}:root"), or
	// "arn:aws:" for the ARN of the principal running Terraform. It tells,
	// for one, that the value is not the wildcard "*". It is never written
	// out (graph JSON, policy input, messages): text before an unknown part
	// may hold a secret the plaintext-secret detector, which reads known
	// strings, never saw.
	Prefix string
}

// Doc is the structured document a JSON string (or an unknown one) was
// encoded from, when the source wrote it as structure: jsonencode({...}),
// a CloudFormation PolicyDocument. It keeps each part's position and lets
// what is known be read when one leaf (an ARN known after apply) makes the
// string itself unknown. Nil when the source wrote a string.
func (v *Value) Doc() *Value {
	if v == nil || v.ext == nil {
		return nil
	}
	return v.ext.doc
}

// SetDoc records the document v was encoded from.
func (v *Value) SetDoc(d *Value) {
	if v.ext == nil {
		if d == nil {
			return
		}
		v.ext = &valueExt{}
	}
	v.ext.doc = d
}

// Why says, for an Unknown value, why it is unknown and what is known of
// it; nil when the front-end could not say.
func (v *Value) Why() *Unknowable {
	if v == nil || v.ext == nil {
		return nil
	}
	return v.ext.why
}

// From is where the value was set, when a renderer copied it from there
// into the place Range names (a Helm values file line); ok is false
// otherwise.
func (v *Value) From() (r Range, ok bool) {
	if v == nil || v.ext == nil || v.ext.from == nil {
		return Range{}, false
	}
	return *v.ext.from, true
}

// SetFrom records where the value was set (see From).
func (v *Value) SetFrom(r Range) {
	if v.ext == nil {
		v.ext = &valueExt{}
	}
	v.ext.from = &r
}

// SetWhy records why v is unknown.
func (v *Value) SetWhy(w *Unknowable) {
	if v.ext == nil {
		if w == nil {
			return
		}
		v.ext = &valueExt{}
	}
	v.ext.why = w
}

// Reason is why an unknown value is unknown, when the front-end said.
func (v *Value) Reason() string {
	if w := v.Why(); w != nil {
		return w.Reason
	}
	return ""
}

// Partial is what is known of an unknown string (see Unknowable), or "".
func (v *Value) Partial() string {
	if w := v.Why(); w != nil {
		return w.Partial
	}
	return ""
}

// Prefix is what an unknown string is known to begin with (see
// Unknowable), or "".
func (v *Value) Prefix() string {
	if w := v.Why(); w != nil {
		return w.Prefix
	}
	return ""
}

// AccountPlaceholder stands for the AWS account id in Unknowable.Partial;
// GeneratedPlaceholder for a part Terraform generates at apply.
const (
	AccountPlaceholder   = "${Account}"
	GeneratedPlaceholder = "${Unknown}"
)

// Constructors used by front-ends and tests.
func NewNull() *Value            { return &Value{Kind: Null} }
func NewUnknown() *Value         { return &Value{Kind: Unknown} }
func NewBool(b bool) *Value      { return &Value{Kind: Bool, Bool: b} }
func NewNumber(n float64) *Value { return NewNumberAt(n, Range{}) }
func NewString(s string) *Value  { return &Value{Kind: String, Str: s} }
func NewList(l ...*Value) *Value { return &Value{Kind: List, List: l} }
func NewMap(m map[string]*Value) *Value {
	return &Value{Kind: Map, Map: FieldsOf(m)}
}

// NewNumberAt is a number written at r.
func NewNumberAt(n float64, r Range) *Value {
	v := &Value{Kind: Number, Range: r}
	v.SetNum(n)
	return v
}

// IsUnknown reports whether v is an unknown value. A nil Value is absent,
// not unknown.
func (v *Value) IsUnknown() bool { return v != nil && v.Kind == Unknown }

// IsNull reports whether v is absent or null.
func (v *Value) IsNull() bool { return v == nil || v.Kind == Null }

// Get follows a path of map keys and list indexes. Walking into an unknown
// value yields that unknown value (what lies below an unknown is unknown);
// walking into something absent yields nil. A map key step applied to a
// list of exactly one block descends into that block, because Terraform
// renders single nested blocks as one-element lists.
func (v *Value) Get(path ...string) *Value {
	traceGet(v, path)
	cur := v
	for _, p := range path {
		if cur = cur.step(p); cur == nil || cur.Kind == Unknown {
			return cur
		}
	}
	return cur
}

// step descends one path element.
func (v *Value) step(p string) *Value {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case Unknown:
		return v
	case Map:
		return v.Map.Get(p)
	case List:
		if i, ok := index(p); ok {
			if i >= len(v.List) {
				return nil
			}
			return v.List[i]
		}
		if len(v.List) != 1 {
			return nil
		}
		next := v.List[0]
		if next.Kind == Unknown {
			return next
		}
		if next.Kind != Map {
			return nil
		}
		return next.Map.Get(p)
	}
	return nil
}

// index parses a list index without allocating; rules look paths up in
// hot loops.
func index(p string) (int, bool) {
	if p == "" || len(p) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// GetPath is Get with a dotted path.
func (v *Value) GetPath(dotted string) *Value {
	traceGetPath(v, dotted)
	cur := v
	for dotted != "" {
		seg := dotted
		if i := strings.IndexByte(dotted, '.'); i >= 0 {
			seg, dotted = dotted[:i], dotted[i+1:]
		} else {
			dotted = ""
		}
		if cur = cur.step(seg); cur == nil || cur.Kind == Unknown {
			return cur
		}
	}
	return cur
}

// Items returns the elements of a list, or the value itself when it is a
// single map (a block written once), so rules can treat "one or many blocks"
// alike. Absent or null yields nothing.
func (v *Value) Items() []*Value {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case List:
		return v.List
	case Map:
		return []*Value{v}
	case Null:
		return nil
	default:
		return []*Value{v}
	}
}

// Keys returns the map keys in sorted order, for deterministic walks.
func (v *Value) Keys() []string {
	if v == nil || v.Kind != Map {
		return nil
	}
	keys := make([]string, 0, v.Map.Len())
	for k := range v.Map.All() {
		keys = append(keys, k)
	}
	if v.Map != nil && v.Map.big != nil {
		// A small map yields its keys in order already.
		sort.Strings(keys)
	}
	return keys
}

// Interface converts the value to plain Go data (as encoding/json would
// decode it). Unknown values become nil; use MarshalJSON to keep them.
// Secrets are kept: what it returns is read, not written.
func (v *Value) Interface() any {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case Bool:
		return v.Bool
	case Number:
		return v.Num()
	case String:
		return v.Str
	case List:
		out := make([]any, len(v.List))
		for i, e := range v.List {
			out[i] = e.Interface()
		}
		return out
	case Map:
		out := make(map[string]any, v.Map.Len())
		for k, e := range v.Map.All() {
			out[k] = e.Interface()
		}
		return out
	default:
		return nil
	}
}

// UnknownMarker is how an unknown value is written in the graph's JSON form.
const UnknownMarker = "(unknown)"

// MarshalJSON writes the value as JSON, unknowns as {"__unknown__": true} so
// policies can tell them from null, with "reason" and "partial" when the
// front-end said why and what is known of it. A secret scalar is written
// as the string Redacted.
func (v *Value) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	v.writeJSON(&b)
	return []byte(b.String()), nil
}

func (v *Value) writeJSON(b *strings.Builder) {
	if v == nil {
		b.WriteString("null")
		return
	}
	switch v.Kind {
	case Null:
		b.WriteString("null")
	case Bool, Number, String:
		if v.IsSecret() {
			b.WriteString(`"` + Redacted + `"`)
			return
		}
	}
	switch v.Kind {
	case Bool:
		b.WriteString(strconv.FormatBool(v.Bool))
	case Number:
		b.WriteString(jsonNumber(v.Num()))
	case String:
		s, _ := json.Marshal(v.Str)
		b.Write(s)
	case Unknown:
		b.WriteString(`{"__unknown__":true`)
		if w := v.Why(); w != nil {
			if w.Partial != "" {
				p, _ := json.Marshal(w.Partial)
				b.WriteString(`,"partial":`)
				b.Write(p)
			}
			if w.Reason != "" {
				r, _ := json.Marshal(w.Reason)
				b.WriteString(`,"reason":`)
				b.Write(r)
			}
		}
		b.WriteByte('}')
	case List:
		b.WriteByte('[')
		for i, e := range v.List {
			if i > 0 {
				b.WriteByte(',')
			}
			e.writeJSON(b)
		}
		b.WriteByte(']')
	case Map:
		b.WriteByte('{')
		keys, shown := v.shownKeys()
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			s, _ := json.Marshal(shown[i])
			b.Write(s)
			b.WriteByte(':')
			v.Map.Get(k).writeJSON(b)
		}
		b.WriteByte('}')
	}
}

// jsonNumber writes a number as JSON can hold it. JSON has no infinity or
// NaN, yet inputs produce them (1e400 in JSON, .inf and .nan in YAML);
// written as Go formats them, they made the whole graph unreadable.
// Infinity becomes the largest finite number, which still compares as
// larger than any other; NaN, which equals nothing, becomes null.
func jsonNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "null"
	case math.IsInf(f, 1):
		return strconv.FormatFloat(math.MaxFloat64, 'g', -1, 64)
	case math.IsInf(f, -1):
		return strconv.FormatFloat(-math.MaxFloat64, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// String renders a short human form of the value for messages.
func (v *Value) String() string {
	if v == nil {
		return "(absent)"
	}
	switch v.Kind {
	case Unknown:
		return UnknownMarker
	case String:
		if v.IsSecret() {
			return Redacted
		}
		return strconv.Quote(v.Str)
	default:
		b, _ := v.MarshalJSON()
		return string(b)
	}
}
