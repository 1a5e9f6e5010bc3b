package frontend

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/secret"
)

// markSecrets marks in the graph (and in the documents kept for policies)
// every value the plaintext-secret rules would recognise, so that no
// writer prints it. Front-ends mark what their source declares secret
// (Terraform's sensitive, CloudFormation's NoEcho); this pass adds what
// the values themselves say. It marks more than the rules fail: a secret
// drawn from a reference or a placeholder is still not printed.
func markSecrets(res *Result) {
	seen := map[string]bool{}
	m := &marker{names: map[string]bool{}, keys: map[string]bool{}, jsonDocs: map[jsonKey]jsonResult{}, seen: seen}
	if collectAfter {
		m.temp = 1
	}
	for _, r := range res.Graph.Resources() {
		m.resource(r.Type, r.Attrs)
	}
	m.typ = ""
	for _, d := range res.Documents {
		if d.Value != nil && d.Value.Kind == graph.List {
			m.collect(d.Value.Doc(), 1)
			for _, e := range d.Value.List {
				m.document(e, 1)
			}
			continue
		}
		m.document(d.Value, 0)
	}
	if collectAfter {
		for _, r := range res.Graph.Resources() {
			collectSecrets(r.Attrs, seen, 0)
		}
		for _, d := range res.Documents {
			collectSecrets(d.Value, seen, 0)
		}
	}
	m.keepPlainNames(res, seen)
	for s := range seen {
		res.Secrets = append(res.Secrets, s)
	}
	sort.Strings(res.Secrets)
	res.Redactor = secret.NewRedactor(res.Secrets)
	// A string built around a secret (a connection string from a NoEcho
	// parameter by Fn::Sub) carries it too.
	if len(res.Secrets) > 0 {
		for _, r := range res.Graph.Resources() {
			markContaining(r.Attrs, res.Redactor, 0)
		}
		for _, d := range res.Documents {
			markContaining(d.Value, res.Redactor, 0)
		}
	}
	res.Diags = RedactDiags(res.Redactor, res.Diags)
}

// collectAfter makes markSecrets collect the secrets in walks of their own
// once everything is marked, as it did before it collected while marking;
// a test holds the two ways to the same secrets.
var collectAfter bool

func markContaining(v *graph.Value, red *secret.Redactor, depth int) {
	if v == nil || depth > 128 || v.IsSecret() {
		return
	}
	if v.Kind == graph.String && red.String(v.Str) != v.Str {
		v.MarkSecret()
		return
	}
	for _, e := range v.List {
		markContaining(e, red, depth+1)
	}
	for _, e := range v.Map.All() {
		markContaining(e, red, depth+1)
	}
	markContaining(v.Doc(), red, depth+1)
}

// collectSecrets gathers the text of secret strings, and the lines of
// multi-line ones (a message may quote one line of a private key).
func collectSecrets(v *graph.Value, seen map[string]bool, depth int) {
	if v == nil || depth > 128 {
		return
	}
	if v.IsSecret() && v.Kind == graph.String && !seen[v.Str] {
		seen[v.Str] = true
		for _, line := range strings.Split(v.Str, "\n") {
			if t := strings.TrimSpace(line); t != "" {
				seen[t] = true
			}
		}
	}
	if v.IsSecret() && v.Kind == graph.Number {
		seen[strconv.FormatFloat(v.Num(), 'g', -1, 64)] = true
	}
	for _, e := range v.List {
		collectSecrets(e, seen, depth+1)
	}
	for k, e := range v.Map.All() {
		if e.IsSecret() && len(k) >= 12 && secret.Shape(k) != "" {
			seen[k] = true
		}
		collectSecrets(e, seen, depth+1)
	}
	collectSecrets(v.Doc(), seen, depth+1)
}

// plainDataKeys are the keys of a Kubernetes Secret's data that name what
// the credential is for rather than hold it: an Argo CD cluster secret's
// name, server and project sit beside its config, which holds the token.
var plainDataKeys = map[string]bool{"name": true, "server": true, "project": true, "namespace": true,
	"namespaces": true, "clusterResources": true, "type": true}

// secretData notes the values of a Secret's data under plainDataKeys that
// have no credential's shape: keepPlainNames may leave them out of the
// text masked everywhere. They stay marked where they are.
func (m *marker) secretData(v *graph.Value) {
	if v == nil || v.Kind != graph.Map {
		return
	}
	for k, e := range v.Map.All() {
		if !plainDataKeys[k] || e == nil || e.Kind != graph.String || !plainName(e.Str) {
			continue
		}
		if m.plain == nil {
			m.plain = map[*graph.Value]bool{}
		}
		m.plain[e] = true
	}
}

// plainName tells whether s reads as a name or an address (a cluster
// name, an API server URL without credentials), not as a credential.
func plainName(s string) bool {
	if s == "" || len(s) > 253 || strings.ContainsAny(s, " \t\n@") || secret.Shape(s) != "" {
		return false
	}
	return !secret.KeyLikeName(s)
}

// keepPlainNames takes out of the secrets masked in all text those noted
// by secretData that the scanned code also writes where nothing makes them
// secret (the cluster name an Argo CD cluster secret repeats, which masked
// everywhere hid the cluster in every message). A text met as a secret in
// any other place stays masked; a longer secret holding the text (a
// config naming the cluster) is masked whole as before.
func (m *marker) keepPlainNames(res *Result, seen map[string]bool) {
	cand := map[string]bool{}
	for v := range m.plain {
		if seen[v.Str] {
			cand[v.Str] = true
		}
	}
	if len(cand) == 0 {
		return
	}
	secretElsewhere, plainElsewhere := map[string]bool{}, map[string]bool{}
	var walk func(v *graph.Value, depth int)
	walk = func(v *graph.Value, depth int) {
		if v == nil || depth > 128 {
			return
		}
		if v.Kind == graph.String && cand[v.Str] {
			switch {
			case !v.IsSecret():
				plainElsewhere[v.Str] = true
			case !m.plain[v]:
				secretElsewhere[v.Str] = true
			}
		}
		for _, e := range v.List {
			walk(e, depth+1)
		}
		for k, e := range v.Map.All() {
			if cand[k] && e.IsSecret() {
				secretElsewhere[k] = true
			}
			walk(e, depth+1)
		}
		walk(v.Doc(), depth+1)
	}
	for _, r := range res.Graph.Resources() {
		walk(r.Attrs, 0)
	}
	for _, d := range res.Documents {
		walk(d.Value, 0)
	}
	for s := range cand {
		if plainElsewhere[s] && !secretElsewhere[s] {
			delete(seen, s)
		}
	}
}

type marker struct {
	// plain holds the values secretData noted.
	plain map[*graph.Value]bool
	names map[string]bool // memo of secret.KeyLikeName
	typ   string          // the type of the resource walked, "" for a document
	// keys memoizes whether a key is shaped like a credential; jsonDocs
	// whether a string holding JSON holds a secret, for each context it
	// was met in. A plan repeats both: each value is in planned_values,
	// resource_changes and a resource, each key thousands of times.
	keys     map[string]bool
	jsonDocs map[jsonKey]jsonResult
	// seen gathers the text of the secrets met, as collectSecrets would
	// after the walks, but during them: every value is met once more
	// otherwise. A value marked after it was met (a string found to
	// hold a secret in its document) and one the walks do not enter
	// (deeper than markDepth, under a key shaped like a credential) is
	// collected with collectSecrets there. temp is set while walking
	// the document parsed from a string, which is not in the graph:
	// nothing is collected there, the string is.
	seen map[string]bool
	temp int
}

// collect gathers the secrets in v, reached at depth.
func (m *marker) collect(v *graph.Value, depth int) {
	if m.temp == 0 && v != nil {
		collectSecrets(v, m.seen, depth)
	}
}

type jsonKey struct {
	s, typ   string
	userData bool
	depth    int
}

// jsonString walks the document a string holds, if it holds one (an ECS
// container definition, a policy written with jsonencode), and tells
// whether a secret is in it. The answer depends on the string and where
// it is met only, and the walk marks a copy that is thrown away, so a
// string met again (the same policy in every instance of a module) is
// answered from memory.
func (m *marker) jsonString(s string, userData bool, depth int) (isJSON, found bool) {
	if !looksJSON(s) {
		return false, false
	}
	k := jsonKey{s: s, typ: m.typ, userData: userData, depth: depth}
	if r, ok := m.jsonDocs[k]; ok {
		return r.isJSON, r.found
	}
	var r jsonResult
	if doc := parseJSON(s); doc != nil {
		m.temp++
		r = jsonResult{isJSON: true, found: m.value(doc, markCtx{userData: userData}, depth+1)}
		m.temp--
	}
	m.jsonDocs[k] = r
	return r.isJSON, r.found
}

type jsonResult struct{ isJSON, found bool }

// secretKey tells whether a map key is itself a credential (an access key
// ID used as a key).
func (m *marker) secretKey(k string) bool {
	if len(k) < 12 {
		return false
	}
	v, ok := m.keys[k]
	if !ok {
		v = secret.Shape(k) != ""
		m.keys[k] = v
	}
	return v
}

// markDepth bounds the walk as the rules bound theirs.
const markDepth = 32

type markCtx struct {
	named    bool   // its name says it holds a credential
	userData bool   // instance user data, possibly base64
	block    string // the name of the block or map it sits in, "" at the top
}

// storeAttrs are the attributes whose value is the secret itself, by
// resource type.
var storeAttrs = map[string][]string{
	"aws_secretsmanager_secret_version": {"secret_string", "secret_binary", "secret_string_wo"},
	"cfn:AWS::SecretsManager::Secret":   {"SecretString"},
	"kubernetes_secret":                 {"data", "binary_data"},
	"kubernetes_secret_v1":              {"data", "binary_data"},
	"k8s:Secret":                        {"data", "stringData"},
}

func (m *marker) resource(typ string, attrs *graph.Value) {
	if attrs == nil {
		return
	}
	m.typ = typ
	for _, k := range storeAttrs[typ] {
		attrs.Get(k).MarkSecret()
		if typ == "kubernetes_secret" || typ == "kubernetes_secret_v1" || typ == "k8s:Secret" {
			m.secretData(attrs.Get(k))
		}
	}
	if typ == "aws_ssm_parameter" || typ == "cfn:AWS::SSM::Parameter" {
		// Only a SecureString's value is meant to be secret, but a String
		// parameter holding a credential is one too: both are masked.
		if t := attrs.Get("type"); t != nil && t.Kind == graph.String && t.Str == "SecureString" {
			attrs.Get("value").MarkSecret()
		}
	}
	if typ == "kubernetes_manifest" {
		m.document(attrs.Get("manifest"), 1)
	}
	m.value(attrs, markCtx{}, 0)
}

// document marks a raw document: a Kubernetes Secret's data wherever the
// object is written, then what its values say. depth is where it is met,
// for what is collected from what the walk does not enter.
func (m *marker) document(v *graph.Value, depth int) {
	if v == nil || v.Kind != graph.Map {
		m.collect(v, depth)
		return
	}
	if k := v.Map.Get("kind"); k != nil && k.Kind == graph.String && k.Str == "Secret" {
		v.Get("data").MarkSecret()
		v.Get("stringData").MarkSecret()
		m.secretData(v.Get("data"))
		m.secretData(v.Get("stringData"))
	}
	m.value(v, markCtx{}, 0)
}

func (m *marker) likeName(k string) bool {
	v, ok := m.names[k]
	if !ok {
		v = secret.KeyLikeName(k)
		m.names[k] = v
	}
	return v
}

// value walks v and reports whether it marked anything in it, so that a
// JSON string holding a secret is masked as a whole.
func (m *marker) value(v *graph.Value, c markCtx, depth int) bool {
	if v == nil {
		return false
	}
	if depth > markDepth {
		m.collect(v, depth)
		return false
	}
	switch v.Kind {
	case graph.Map:
		return m.object(v, c, depth)
	case graph.List:
		found := false
		for _, e := range v.List {
			ec := c
			if e != nil && (e.Kind == graph.Map || e.Kind == graph.List) {
				ec = markCtx{userData: c.userData, block: c.block}
			}
			if m.value(e, ec, depth+1) {
				found = true
			}
		}
		return found
	case graph.String:
		return m.leaf(v, c, depth)
	case graph.Unknown:
		if d := v.Doc(); d != nil && m.value(d, markCtx{userData: c.userData}, depth+1) {
			v.MarkSecret()
			m.collect(v, depth)
			return true
		}
		return false
	}
	// Numbers, booleans and nulls: only what the front-ends marked.
	if v.IsSecret() || v.Doc() != nil {
		m.collect(v, depth)
	}
	return false
}

func (m *marker) object(v *graph.Value, c markCtx, depth int) bool {
	found := false
	// A name/value entry (ECS and CodeBuild environments, Helm set
	// blocks): the name says what the value holds.
	pairValue, pairNamed := "", false
	for _, nk := range []string{"name", "Name", "key", "Key"} {
		if n := v.Map.Get(nk); n != nil && n.Kind == graph.String {
			for _, vk := range []string{"value", "Value"} {
				if _, ok := v.Map.Lookup(vk); ok {
					pairValue, pairNamed = vk, m.likeName(n.Str)
				}
			}
		}
	}
	// A declaration that says its value is sensitive: a Terraform
	// variable or output in a plan's configuration or a document read as
	// conftest reads HCL.
	if sv := v.Map.Get("sensitive"); sv != nil && sv.Kind == graph.Bool && sv.Bool {
		for _, k := range []string{"default", "value"} {
			if d := v.Map.Get(k); d != nil {
				d.MarkSecret()
				found = true
			}
		}
	}
	secretKeys := false
	for k, child := range v.Map.All() {
		if m.secretKey(k) {
			secretKeys = true
			child.MarkSecret()
			found = true
			if m.temp == 0 && child.IsSecret() {
				m.seen[k] = true
			}
			m.collect(child, depth+1)
			continue
		}
		cc := markCtx{userData: c.userData || k == "user_data" || k == "user_data_base64", block: k}
		if child != nil && child.Kind != graph.Map {
			cc.named = m.likeName(k) && !secret.SettingAttr(m.typ, c.block, k)
		}
		if k == pairValue {
			cc.named = cc.named || pairNamed
		}
		if m.value(child, cc, depth+1) {
			found = true
		}
	}
	if secretKeys {
		v.MarkSecretKeys(func(k string) bool { return len(k) >= 12 && secret.Shape(k) != "" })
	}
	return found
}

func (m *marker) leaf(v *graph.Value, c markCtx, depth int) bool {
	if m.secretLeaf(v, c, depth) {
		m.collect(v, depth)
		return true
	}
	return false
}

// secretLeaf tells whether a string is a secret, marking it so.
func (m *marker) secretLeaf(v *graph.Value, c markCtx, depth int) bool {
	if v.IsSecret() {
		return true
	}
	s := v.Str
	if d := v.Doc(); d != nil {
		if m.value(d, markCtx{userData: c.userData}, depth+1) || c.named {
			v.MarkSecret()
			return true
		}
		return false
	}
	if c.named && !secret.NotACredential(s) {
		v.MarkSecret()
		return true
	}
	if isJSON, found := m.jsonString(s, c.userData, depth); isJSON {
		if found {
			v.MarkSecret()
		}
		return found
	}
	if secret.Shape(s) != "" || c.userData && secret.Shape(secret.DecodeUserData(s)) != "" {
		v.MarkSecret()
		return true
	}
	return false
}

// looksJSON tells from its ends whether a string may hold a JSON object
// or array.
func looksJSON(s string) bool {
	t := strings.TrimSpace(s)
	return len(t) >= 2 && len(t) <= 1<<20 && (t[0] == '{' && t[len(t)-1] == '}' || t[0] == '[' && t[len(t)-1] == ']')
}

// parseJSON reads a string holding a JSON object or array (an ECS
// container definition) to look for secrets inside it.
func parseJSON(s string) *graph.Value {
	if !looksJSON(s) {
		return nil
	}
	t := strings.TrimSpace(s)
	var x any
	if json.Unmarshal([]byte(t), &x) != nil {
		return nil
	}
	return fromJSON(x, 0)
}

func fromJSON(x any, depth int) *graph.Value {
	if depth > markDepth {
		return nil
	}
	switch t := x.(type) {
	case map[string]any:
		m := make(map[string]*graph.Value, len(t))
		for k, e := range t {
			if c := fromJSON(e, depth+1); c != nil {
				m[k] = c
			}
		}
		return graph.NewMap(m)
	case []any:
		l := graph.NewList()
		for _, e := range t {
			if c := fromJSON(e, depth+1); c != nil {
				l.List = append(l.List, c)
			}
		}
		return l
	case string:
		return graph.NewString(t)
	}
	return graph.NewNull()
}

// RedactDiags masks secrets in what diagnostics say: an evaluation error
// may quote the value it could not use.
func RedactDiags(red *secret.Redactor, ds diag.List) diag.List {
	out := make(diag.List, len(ds))
	for i, d := range ds {
		d.Summary, d.Detail = red.String(d.Summary), red.String(d.Detail)
		if d.Unread != nil {
			u := *d.Unread
			u.Reason = red.String(u.Reason)
			d.Unread = &u
		}
		out[i] = d
	}
	return out
}
