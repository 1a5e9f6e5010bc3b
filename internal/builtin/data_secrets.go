package builtin

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/secret"
)

// dataSecretRules check plaintext secrets written in code.
var dataSecretRules = []*rule.Rule{dataPlaintextSecret}

var dataPlaintextSecret = &rule.Rule{
	ID:       "DATA-050",
	Title:    "Secret written in plain text in infrastructure code",
	Severity: rule.High,
	Service:  "Secrets Manager",
	Types: []string{"aws_secretsmanager_secret_version", "aws_ssm_parameter", "aws_db_instance", "aws_rds_cluster",
		"aws_elasticache_replication_group", "aws_lambda_function", "aws_ecs_task_definition", "aws_instance",
		"aws_launch_template", "aws_codebuild_project", "provider.*"},
	Rationale: "A secret written in Terraform, a .tfvars file or a CloudFormation template sits in the Git history of " +
		"every clone, in CI logs and in the plan; it cannot be rotated without a commit, and whoever reads the repository " +
		"holds it. AOS Edge keeps every secret in AWS Secrets Manager under a per-service path so each role reads only " +
		"its own. eksguard reads every attribute of every Terraform and CloudFormation resource, and every Terraform " +
		"provider block (provider \"aws\" { access_key, secret_key } is the most common way a key is committed; in a " +
		"plan, configuration.provider_config) (Kubernetes manifests are K8S-026's subject, AWS CLI files ACC-003's, " +
		"GitHub workflows CI-001's; attributes the AWS provider's schema makes settings despite their names are not " +
		"judged: IMDS http_tokens, a Cognito client's token_validity_units, API Gateway's credentials and " +
		"authorizer_credentials role, an EFS file system's creation_token; nor is the cluster name ending a " +
		"kubernetes.io/cluster/<name> or k8s.io/cluster-autoscaler/<name> tag key) " +
		"and fails, once per place: (1) a literal secret_string or secret_binary of aws_secretsmanager_secret_version " +
		"(CloudFormation: AWS::SecretsManager::Secret SecretString) or value of a SecureString aws_ssm_parameter; " +
		"(2) a literal in an attribute, map key or name/value entry whose name says it holds a credential (password, " +
		"master_password, admin_password, db_password, auth_token, secret, token, client_secret, API_KEY, " +
		"DB_PASSWORD in Lambda or ECS environments, CodeBuild PLAINTEXT variables, Helm set_sensitive values, " +
		"*_wo write-only arguments); (3) anything shaped like a well-known credential in any string: AWS access key " +
		"IDs (AKIA/ASIA) and the secret access keys beside them, PEM private keys, GitHub, Slack, Google and Stripe " +
		"keys, JSON Web Tokens, URLs with a password, also inside base64 user_data and JSON documents such as ECS " +
		"container definitions. A value from a variable set in a .tfvars file, a parameter default or shown in a plan " +
		"is a literal too. Passing: values drawn by reference from a resource or data source (random_password, " +
		"data.aws_secretsmanager_secret_version), CloudFormation dynamic references ({{resolve:secretsmanager:...}}), " +
		"empty values, $(VAR)/${VAR} references, booleans, numbers, paths and ARNs, and manage_master_user_password = " +
		"true. A secret store's value may be an obvious placeholder (CHANGE_ME, <set-out-of-band>) that the real " +
		"value replaces outside Terraform; a resource's own password may not, since the resource is created with " +
		"it. A credential-named value from an input with no value in the code is unknown. Values are never printed.",
	Remediation: "Remove the value from the code and rotate it (it stays in the history). Let the service manage it " +
		"(manage_master_user_password = true), generate it (random_password, or the ephemeral resource with a " +
		"*_wo write-only argument on Terraform 1.11+), or read it at run time from Secrets Manager under the " +
		"service's own path (ECS secrets/valueFrom, Lambda extension, CloudFormation {{resolve:secretsmanager:...}}).",
	Example: `resource "aws_db_instance" "app" {
  engine                      = "postgres"
  instance_class              = "db.t4g.medium"
  username                    = "app"
  manage_master_user_password = true
  master_user_secret_kms_key_id = aws_kms_key.secrets.arn
}

resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([{
    name    = "api"
    image   = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2"
    secrets = [{ name = "DB_PASSWORD", valueFrom = aws_secretsmanager_secret.db.arn }]
  }])
}`,
	References: []rule.Reference{RefAosEdge,
		bpg("data-encryption-and-secrets-management", "_use_an_external_secrets_provider", "Use an external secrets provider"),
		awsdoc("AWS Secrets Manager: Use dynamic references to specify secrets in CloudFormation",
			"https://docs.aws.amazon.com/secretsmanager/latest/userguide/cfn-example_reference-secret.html"),
		awsdoc("Amazon RDS: Password management with Amazon RDS and AWS Secrets Manager",
			"https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html"),
		tfdoc("aws_secretsmanager_secret_version")},
	Run: func(p *rule.Pass) {
		// One walker for all resources: what it learns of attribute
		// names and JSON strings is shared, and so is its path stack.
		w := &secWalk{p: p, names: map[string]bool{}, docs: map[string]*graph.Value{}}
		for _, r := range p.Graph.Resources() {
			if r.Mode == graph.Data || secSkipType(r.Type) {
				continue
			}
			w.scan(r)
		}
	},
}

// secMaxDepth bounds the walk of attribute trees and JSON documents.
const secMaxDepth = 32

// secMaxJSON is the largest JSON string parsed to look inside it.
const secMaxJSON = 1 << 20

// secSkipType: the rule reads infrastructure resources (Terraform types,
// CloudFormation ones and custom resources). Kubernetes objects are
// K8S-026's (a kubernetes_manifest is also one of them), AWS CLI files
// ACC-002/003's and GitHub workflows CI-001's; random_* and tls_private_key
// only produce secrets, their attributes are settings or computed results.
func secSkipType(t string) bool {
	return strings.Contains(t, ":") && !strings.HasPrefix(t, "cfn:") || strings.HasPrefix(t, "random_") ||
		t == "kubernetes_manifest" || t == "tls_private_key"
}

// secComputed are attributes the provider computes (a new access key's
// secret, a user pool client's secret): before apply they are unknown,
// which says nothing about the code, so unknown values there are skipped.
// Known values are judged: CloudFormation sets a login profile's password,
// and a plan showing an existing key's secret holds it in plain text.
var secComputed = map[string]map[string]bool{
	"aws_iam_access_key":                  {"secret": true, "encrypted_secret": true, "ses_smtp_password_v4": true, "encrypted_ses_smtp_password_v4": true},
	"aws_iam_user_login_profile":          {"password": true, "encrypted_password": true},
	"aws_iam_service_specific_credential": {"service_password": true, "service_credential_secret": true},
	"aws_cognito_user_pool_client":        {"client_secret": true},
	"aws_instance":                        {"password_data": true},
	"aws_db_instance":                     {"master_user_secret": true},
	"aws_rds_cluster":                     {"master_user_secret": true},
	"aws_iot_certificate":                 {"private_key": true},
	"aws_lightsail_key_pair":              {"private_key": true, "encrypted_private_key": true},
}

// secUserData are attributes holding instance user data, base64 or not.
var secUserData = map[string]bool{"user_data": true, "user_data_base64": true}

// secWalk is the scan of one resource. The walk keeps the path as a stack
// of segments and joins it only where a verdict needs it, and visits map
// keys in map order: the place a pass or unknown points at is chosen by
// position, not by visiting order, so the outcome is deterministic.
type secWalk struct {
	p     *rule.Pass
	r     *graph.Resource
	names map[string]bool // memo of secLikeName
	// docs holds the document of each JSON string met (nil: not one),
	// read once however many resources hold it (a trust policy in every
	// instance of a module). Its values have no position: every part is
	// placed where the string is (docAt, while walking it).
	docs  map[string]*graph.Value
	docAt *graph.Range
	refs  []graph.Edge    // the references the resource makes, at attribute paths without list positions
	store map[string]bool // top-level attributes that are a secret store's value
	seg   []string        // the path being walked, list positions included
	rseg  []string        // the same without list positions, as edges record it
	// failed counts the places reported.
	failed  int
	first   secLoc // the first secret-holding place, where a pass points
	unknown secLoc // the first one whose value is not knowable
}

type secLoc struct {
	set   bool
	path  string
	rng   graph.Range
	label string
}

// before orders places by position, then path.
func (l secLoc) before(o secLoc) bool {
	if !o.set {
		return true
	}
	if l.rng.File != o.rng.File {
		return l.rng.File < o.rng.File
	}
	if l.rng.Line != o.rng.Line {
		return l.rng.Line < o.rng.Line
	}
	return l.path < o.path
}

// secCtx says how the value being walked is read.
type secCtx struct {
	named    bool   // its name says it holds a credential
	store    bool   // it is a secret store's value: any literal is the secret
	userData bool   // instance user data, possibly base64
	label    string // how messages name the place; "" for its path
}

// scan walks one resource.
func (w *secWalk) scan(r *graph.Resource) {
	p := w.p
	w.r, w.refs, w.store, w.docAt = r, p.Graph.Out(r), nil, nil
	w.seg, w.rseg = w.seg[:0], w.rseg[:0]
	w.failed, w.first, w.unknown = 0, secLoc{}, secLoc{}
	switch r.Type {
	case "aws_secretsmanager_secret_version":
		w.store = map[string]bool{"secret_string": true, "secret_binary": true, "secret_string_wo": true}
	case "aws_ssm_parameter":
		if t, ok := rule.StringOr(r.Get("type"), ""); ok && t == "SecureString" {
			w.store = map[string]bool{"value": true}
		}
	}
	w.value(r.Attrs, secCtx{}, 0)
	switch {
	case w.failed > 0:
	case w.unknown.set:
		p.UnknownAt(r, w.unknown.path, w.unknown.rng, "%s takes a value not knowable from code: if it is a literal "+
			"(a .tfvars file, a parameter default, a pipeline variable) the secret is in plain text", w.unknown.label)
	case w.first.set:
		p.PassAt(r, w.first.path, w.first.rng)
	}
}

func (w *secWalk) path() string { return strings.Join(w.seg, ".") }

// block is the name of the block or map whose object is about to be
// walked, "" at the top level: the last key of the path.
func (w *secWalk) block() string {
	if len(w.rseg) == 0 {
		return ""
	}
	return w.rseg[len(w.rseg)-1]
}

func (w *secWalk) label(c secCtx) string {
	if c.label != "" {
		return c.label
	}
	return w.path()
}

// hasRef reports whether the value walked comes from a reference: an edge
// recorded at its attribute, or (unless exact) at an enclosing one.
func (w *secWalk) hasRef(exact bool) bool {
	if len(w.refs) == 0 {
		return false
	}
	p := strings.Join(w.rseg, ".")
	for _, e := range w.refs {
		if e.Attr == p || !exact && e.Attr != "" && len(e.Attr) < len(p) && p[len(e.Attr)] == '.' && strings.HasPrefix(p, e.Attr) {
			return true
		}
	}
	return false
}

// at is where v is: inside a document read from a JSON string, where the
// string is.
func (w *secWalk) at(v *graph.Value) graph.Range {
	if w.docAt != nil {
		return *w.docAt
	}
	return v.Range
}

// hold records a secret-holding place; a pass of the resource points at
// the first one when none fails.
func (w *secWalk) hold(rng graph.Range, c secCtx) {
	l := secLoc{set: true, path: w.path(), rng: rng, label: w.label(c)}
	if l.before(w.first) {
		w.first = l
	}
}

func (w *secWalk) undecided(rng graph.Range, c secCtx) {
	l := secLoc{set: true, path: w.path(), rng: rng, label: w.label(c)}
	if l.before(w.unknown) {
		w.unknown = l
	}
}

func (w *secWalk) fail(rng graph.Range, format string, args ...any) {
	w.failed++
	w.p.FailAt(w.r, w.path(), rng, format, args...)
}

func (w *secWalk) value(v *graph.Value, c secCtx, depth int) {
	if v == nil || depth > secMaxDepth {
		return
	}
	switch v.Kind {
	case graph.Map:
		w.object(v, c, depth)
	case graph.List:
		for i, e := range v.List {
			ec := c
			if e != nil && (e.Kind == graph.Map || e.Kind == graph.List) {
				ec = secCtx{userData: c.userData}
			}
			w.seg = append(w.seg, itoa(i))
			w.value(e, ec, depth+1)
			w.seg = w.seg[:len(w.seg)-1]
		}
	case graph.String, graph.Unknown:
		w.leaf(v, c, depth)
	}
}

// secPairKeys finds a name/value or key/value entry (ECS and CodeBuild
// environment variables, Helm set blocks, CloudFront custom headers, an SSM
// parameter, EventBridge connection API keys).
func secPairKeys(m *graph.Value) (nameKey, valueKey string) {
	for _, k := range []string{"name", "Name", "key", "Key"} {
		if _, ok := m.Map.Lookup(k); ok {
			nameKey = k
		}
	}
	for _, k := range []string{"value", "Value"} {
		if _, ok := m.Map.Lookup(k); ok {
			valueKey = k
		}
	}
	if nameKey == "" || valueKey == "" {
		return "", ""
	}
	// CodeBuild variables of type SECRETS_MANAGER or PARAMETER_STORE
	// hold the secret's name, not the secret.
	for _, k := range []string{"type", "Type"} {
		if t, ok := rule.StringOr(m.Map.Get(k), ""); ok && (t == "SECRETS_MANAGER" || t == "PARAMETER_STORE") {
			return "", ""
		}
	}
	return nameKey, valueKey
}

func (w *secWalk) object(m *graph.Value, c secCtx, depth int) {
	block := w.block()
	nameKey, valueKey := secPairKeys(m)
	pairNamed, pairLabel := false, ""
	if nameKey != "" {
		if nv := m.Map.Get(nameKey); nv != nil && nv.Kind == graph.String {
			n := nv.Str
			pairNamed = w.likeName(n)
			if secShape(n) != "" {
				n = "(masked name)"
			}
			pairLabel = fmt.Sprintf("the value of %q", n)
			if len(w.seg) > 0 {
				pairLabel = fmt.Sprintf("entry %q at %s", n, w.path())
			}
		}
	}
	for k, child := range m.Map.All() {
		if depth == 0 && (k == "tags_all" || child != nil && child.Kind == graph.Unknown && secComputed[w.r.Type][k]) {
			// tags_all repeats tags (and the provider's default_tags).
			continue
		}
		shown := k
		kind := ""
		if len(k) >= 12 {
			kind = secShape(k)
		}
		if kind != "" {
			shown = "(masked)"
		}
		w.seg, w.rseg = append(w.seg, shown), append(w.rseg, k)
		switch {
		case kind != "":
			rng := graph.Range{}
			if child != nil {
				rng = w.at(child)
			}
			w.fail(rng, "a key of %s holds %s in plain text (value masked)", secWhere(w.seg[:len(w.seg)-1]), kind)
			w.value(child, secCtx{userData: c.userData}, depth+1)
		case k == "manage_master_user_password" && rule.BoolOr(child, false) == rule.True:
			w.hold(w.at(child), secCtx{})
		default:
			cc := secCtx{userData: c.userData || secUserData[k], store: depth == 0 && w.store[k]}
			if child != nil && (child.Kind == graph.String || child.Kind == graph.Unknown || child.Kind == graph.List) {
				cc.named = w.likeName(k) && !secSettingAttr(w.r.Type, block, k)
			}
			if k == valueKey {
				cc.named, cc.label = pairNamed, pairLabel
			}
			w.value(child, cc, depth+1)
		}
		w.seg, w.rseg = w.seg[:len(w.seg)-1], w.rseg[:len(w.rseg)-1]
	}
}

func (w *secWalk) likeName(k string) bool {
	v, ok := w.names[k]
	if !ok {
		v = secLikeName(k)
		w.names[k] = v
	}
	return v
}

func secWhere(seg []string) string {
	if len(seg) == 0 {
		return "the resource"
	}
	return strings.Join(seg, ".")
}

func (w *secWalk) leaf(v *graph.Value, c secCtx, depth int) {
	rng := w.at(v)
	if v.Kind == graph.Unknown {
		if c.named || c.store {
			w.hold(rng, c)
		}
		if v.Doc() != nil {
			// jsonencode({...}) with a part known only after apply:
			// the known parts are still read.
			w.value(v.Doc(), secCtx{userData: c.userData}, depth+1)
			return
		}
		if (c.named || c.store) && !w.hasRef(false) {
			w.undecided(rng, c)
		}
		return
	}
	s := v.Str
	if c.store {
		w.hold(rng, c)
		switch {
		case w.hasRef(true), wlNotACredential(s), secPlaceholder(s):
		default:
			what := "the secret's value"
			if kind := secShape(s); kind != "" {
				what = kind
			}
			w.fail(rng, "%s holds %s in plain text (value masked)", w.label(c), what)
		}
		return
	}
	if v.Doc() != nil {
		// Written as structure (jsonencode, a CloudFormation object):
		// each part is read where it is written.
		if c.named {
			w.hold(rng, c)
		}
		w.value(v.Doc(), secCtx{userData: c.userData}, depth+1)
		return
	}
	if !c.named && len(s) <= secMaxJSON {
		if doc := w.jsonDoc(s); doc != nil {
			outer := w.docAt
			w.docAt = &rng
			w.value(doc, secCtx{userData: c.userData}, depth+1)
			w.docAt = outer
			return
		}
	}
	kind := secShape(s)
	if kind == "" && c.userData {
		if d := decodeUserData(s); d != s {
			kind = secShape(d)
		}
	}
	if c.named {
		w.hold(rng, c)
		if kind == "" {
			if w.hasRef(true) || wlNotACredential(s) {
				return
			}
			kind = "a literal credential"
			if secAWSSecretKey(s) {
				kind = "what looks like an AWS secret access key"
			}
		}
	}
	if kind != "" {
		w.fail(rng, "%s holds %s in plain text (value masked)", w.label(c), kind)
	}
}

// jsonDoc is the document of a string holding a JSON object or array (an
// ECS container definition, a policy), nil for any other string.
func (w *secWalk) jsonDoc(s string) *graph.Value {
	t := strings.TrimSpace(s)
	if len(t) < 2 || !((t[0] == '{' && t[len(t)-1] == '}') || (t[0] == '[' && t[len(t)-1] == ']')) {
		return nil
	}
	if doc, ok := w.docs[t]; ok {
		return doc
	}
	var x any
	var doc *graph.Value
	if err := json.Unmarshal([]byte(t), &x); err == nil {
		doc = secFromJSON(x, graph.Range{}, 0)
	}
	w.docs[t] = doc
	return doc
}

func secFromJSON(x any, rng graph.Range, depth int) *graph.Value {
	if depth > secMaxDepth {
		return nil
	}
	switch t := x.(type) {
	case map[string]any:
		m := &graph.Value{Kind: graph.Map, Map: graph.NewFields(len(t)), Range: rng}
		for k, e := range t {
			if c := secFromJSON(e, rng, depth+1); c != nil {
				m.Map.Set(k, c)
			}
		}
		return m
	case []any:
		l := &graph.Value{Kind: graph.List, Range: rng}
		for _, e := range t {
			if c := secFromJSON(e, rng, depth+1); c != nil {
				l.List = append(l.List, c)
			}
		}
		return l
	case string:
		return &graph.Value{Kind: graph.String, Str: t, Range: rng}
	case bool:
		return &graph.Value{Kind: graph.Bool, Bool: t, Range: rng}
	case float64:
		return graph.NewNumberAt(t, rng)
	}
	return &graph.Value{Kind: graph.Null, Range: rng}
}

var (
	secLikeName     = secret.KeyLikeName
	secShape        = secret.Shape
	secAWSSecretKey = secret.AWSSecretKey
	secPlaceholder  = secret.Placeholder
	secSettingAttr  = secret.SettingAttr
)
