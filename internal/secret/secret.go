// Package secret recognises credentials written in code: names that say
// a value is a credential, values shaped like a well-known one, and values
// that cannot be one. Rules read it to judge plaintext secrets; the
// front-ends read it to mark the same values in the graph, so that no
// writer prints them.
package secret

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// secretWords mark a variable that holds a credential when its name ends
// with one (DB_PASSWORD, dbPassword, GITHUB_TOKEN, CLIENT_SECRET). A word
// further left names something else: SECRET_NAMESPACE is a namespace,
// TOKEN_SIGNING_ALG an algorithm.
var secretWords = []string{"PASSWORD", "PASSWORDS", "PASSWD", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "TOKENS",
	"CREDENTIAL", "CREDENTIALS", "APIKEY"}

// formatWords name how a secret is encoded, not what it is.
var formatWords = map[string]bool{"BASE": true, "JSON": true, "B64": true, "BASE64": true, "PEM": true, "DATA": true,
	"VALUE": true, "STRING": true, "TEXT": true, "RAW": true}

// keyQualifiers make a trailing KEY a credential (API_KEY,
// AWS_SECRET_ACCESS_KEY, SIGNING_KEY); a bare KEY or CACHE_KEY is not.
var keyQualifiers = map[string]bool{"API": true, "ACCESS": true, "PRIVATE": true, "AUTH": true, "SIGNING": true,
	"ENCRYPTION": true, "MASTER": true, "CLIENT": true, "SECRET": true, "LICENSE": true, "HMAC": true}

// settingSuffixes end names that hold where a secret is, or a setting
// about it, not the secret itself (TOKEN_FILE, SECRET_NAME, PASSWORD_MIN_LENGTH).
var settingSuffixes = map[string]bool{"FILE": true, "FILES": true, "PATH": true, "DIR": true, "DIRECTORY": true,
	"URL": true, "URI": true, "ENDPOINT": true, "HOST": true, "PORT": true, "NAME": true, "ARN": true, "ID": true,
	"REF": true, "MOUNT": true, "LOCATION": true, "TTL": true, "TIMEOUT": true, "EXPIRY": true, "LENGTH": true,
	"TYPE": true, "HEADER": true, "ENABLED": true, "FORMAT": true, "AUDIENCE": true, "ISSUER": true, "MODE": true,
	"POLICY": true, "PROVIDER": true, "PREFIX": true, "VERSION": true, "REGION": true, "KIND": true,
	"STORE": true, "BACKEND": true, "SOURCE": true, "ALGORITHM": true, "ROTATION": true, "SCOPE": true,
	"SCOPES": true, "HINT": true}

// LikeName reports whether an env var name says it holds a credential.
func LikeName(name string) bool {
	var b strings.Builder
	prev := rune(0)
	for _, r := range name {
		// camelCase boundaries become separators: dbPassword → DB_PASSWORD.
		if unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev)) {
			b.WriteByte('_')
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToUpper(r))
		} else {
			b.WriteByte('_')
		}
		prev = r
	}
	var tokens []string
	for _, t := range strings.Split(b.String(), "_") {
		if t != "" {
			tokens = append(tokens, t)
		}
	}
	if len(tokens) == 0 || settingSuffixes[tokens[len(tokens)-1]] {
		return false
	}
	// A trailing word that names the secret's encoding (SECRET_KEY_BASE,
	// CREDENTIALS_JSON) leaves the credential word before it.
	for len(tokens) > 1 && formatWords[tokens[len(tokens)-1]] {
		tokens = tokens[:len(tokens)-1]
	}
	last := tokens[len(tokens)-1]
	for _, w := range secretWords {
		// A suffix of the last word also counts: DBPASSWORD, MYAPIKEY.
		if strings.HasSuffix(last, w) {
			return true
		}
	}
	if len(tokens) > 1 {
		prev := tokens[len(tokens)-2]
		switch {
		case last == "KEY" && keyQualifiers[prev]:
			return true
		// PWD alone is the shell's working directory; DB_PWD is a
		// password. PASS alone is a word; DB_PASS is a password.
		case last == "PWD" || last == "PASS":
			return true
		}
	}
	return false
}

var (
	refRE     = regexp.MustCompile(`^(\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[^}]*\}|\{\{.*?\}\})+$`)
	numberRE  = regexp.MustCompile(`^[-+]?[0-9]+(\.[0-9]+)?(ms|s|m|h|d|Ki|Mi|Gi|k|M|G)?$`)
	trivialRE = regexp.MustCompile(`^(?i:true|false|yes|no|on|off|null|none|enabled|disabled)$`)
	arnRE     = regexp.MustCompile(`^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:[0-9]{0,12}:[^\s]+$`)
)

// NotACredential recognises literal values that cannot be a credential:
// empty, references expanded elsewhere, booleans, numbers, paths, ARNs,
// and URLs without a password.
func NotACredential(s string) bool {
	t := strings.TrimSpace(s)
	switch {
	case t == "", refRE.MatchString(t), trivialRE.MatchString(t), numberRE.MatchString(t):
		return true
	case strings.HasSuffix(t, "EXAMPLE") || strings.HasSuffix(t, "EXAMPLEKEY"):
		// The placeholders of the AWS documentation (AKIAIOSFODNN7EXAMPLE,
		// wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY) are public.
		return true
	case (strings.HasPrefix(t, "/") || strings.HasPrefix(t, "./") || strings.HasPrefix(t, "~/")) && !strings.ContainsAny(t, " \t"):
		return true
	case arnRE.MatchString(t):
		// An ARN names a resource (a role, a secret), never holds a
		// credential.
		return true
	}
	if u, err := url.Parse(t); err == nil && u.Scheme != "" && u.Host != "" {
		_, hasPass := u.User.Password()
		return !hasPass
	}
	return false
}

// shapes are credentials recognisable by their form alone.
var shapes = []struct {
	re   *regexp.Regexp
	kind string
}{
	{regexp.MustCompile(`\b(?:AKIA|ASIA)[A-Z0-9]{16}\b`), "an AWS access key ID"},
	{regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----`), "a private key"},
	{regexp.MustCompile(`(^|[^A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})`), "a GitHub token"},
	{regexp.MustCompile(`(^|[^A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}`), "a Slack token"},
	{regexp.MustCompile(`(^|[^A-Za-z0-9])AIza[0-9A-Za-z_-]{35}`), "a Google API key"},
	{regexp.MustCompile(`(^|[^A-Za-z0-9])[rs]k_live_[0-9A-Za-z]{16,}`), "a Stripe live key"},
	{regexp.MustCompile(`(^|[^A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`), "a JSON Web Token"},
}

// urlPasswordRE finds user:password@ in a URL; the password group is
// checked so a $(VAR) reference there does not count.
var urlPasswordRE = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:([^/\s@]+)@`)

// WellKnownShape names the kind of well-known credential s contains, or "".
func WellKnownShape(s string) string {
	for _, sh := range shapes {
		for _, m := range sh.re.FindAllString(s, -1) {
			// AWS documentation's example keys end in EXAMPLE; they are
			// public placeholders, and must not hide a real key beside them.
			if strings.HasPrefix(sh.kind, "an AWS") && strings.Contains(m, "EXAMPLE") {
				continue
			}
			return sh.kind
		}
	}
	for _, m := range urlPasswordRE.FindAllStringSubmatch(s, -1) {
		if !refRE.MatchString(m[1]) {
			return "a URL with an embedded password"
		}
	}
	return ""
}

// KeyLikeName is LikeName for attribute names and map keys:
// Terraform's write-only arguments (password_wo, secret_string_wo) and
// VPN pre-shared keys hold secrets too.
func KeyLikeName(name string) bool {
	if settingNames[strings.ToLower(strings.ReplaceAll(name, "_", ""))] {
		return false
	}
	for _, prefix := range clusterTagPrefixes {
		if len(name) > len(prefix) && strings.EqualFold(name[:len(prefix)], prefix) {
			// What follows is a cluster's name, which may be any word
			// (external-secrets); only a key below it says what it holds.
			_, below, ok := strings.Cut(name[len(prefix):], "/")
			if !ok {
				return false
			}
			name = below
		}
	}
	n := strings.TrimSuffix(strings.TrimSuffix(name, "_wo"), "Wo")
	if strings.HasSuffix(strings.ToLower(n), "preshared_key") {
		return true
	}
	return LikeName(n)
}

// clusterTagPrefixes begin the tag keys Kubernetes components read to
// find a cluster's resources, the cluster's name ending them
// (kubernetes.io/cluster/<name> = "owned" on subnets and security groups,
// k8s.io/cluster-autoscaler/<name> on node groups).
var clusterTagPrefixes = []string{"kubernetes.io/cluster/", "k8s.io/cluster-autoscaler/"}

// settingNames are attributes whose name carries a credential word but
// whose value is a setting (lower-cased, underscores removed): IMDS
// http_tokens = "required".
var settingNames = map[string]bool{"httptokens": true}

// settingAttrs are the attributes of the AWS provider's schema (and the
// CloudFormation properties the front-end maps onto them) whose names
// carry a credential word but whose values are settings, by resource type
// and enclosing block ("" at the top level). Their names alone cannot
// tell: refresh_token names a credential in a secret's JSON and a unit
// (seconds, minutes, hours, days) in a Cognito client's
// token_validity_units; and a value alone cannot tell a unit from a weak
// password either.
var settingAttrs = map[string]map[string][]string{
	// The unit of each token's validity period.
	"aws_cognito_user_pool_client":         {"token_validity_units": {"access_token", "id_token", "refresh_token"}},
	"aws_cognito_managed_user_pool_client": {"token_validity_units": {"access_token", "id_token", "refresh_token"}},
	// The IAM role (an ARN) API Gateway assumes to call the integration or
	// the authorizer; CloudFormation writes the integration inside the
	// method.
	"aws_api_gateway_integration": {"": {"credentials"}},
	"aws_api_gateway_method":      {"integration": {"credentials"}},
	"aws_api_gateway_authorizer":  {"": {"authorizer_credentials"}},
	// The idempotency token of a file system's creation, a name
	// (terraform-aws-efs sets it to the file system's).
	"aws_efs_file_system": {"": {"creation_token"}},
}

// SettingAttr reports whether attribute name, in the block of that name
// ("" at the top level) of a resource of type typ, is a setting whose name
// only looks like a credential's.
func SettingAttr(typ, block, name string) bool {
	for _, n := range settingAttrs[typ][block] {
		if n == name {
			return true
		}
	}
	return false
}

var (
	// awsSecretNearRE finds a 40-character base64 run, the form of an
	// AWS secret access key, as a whole token.
	awsSecretNearRE = regexp.MustCompile(`(?:^|[^A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)`)
	// awsSecretAssignRE finds one assigned to a name that says so
	// (aws_secret_access_key = ..., "SecretAccessKey": "...").
	awsSecretAssignRE = regexp.MustCompile(`(?i)(?:secret_?access_?key|aws_?secret(?:_?key)?)["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)`)
)

// AWSSecretKey reports whether s is, as a whole, shaped like an AWS
// secret access key: 40 base64 characters mixing cases (a SHA-1 in hex
// does not).
func AWSSecretKey(s string) bool {
	return len(s) == 40 && mixedBase64(s)
}

func mixedBase64(s string) bool {
	if strings.Contains(s, "EXAMPLE") {
		return false // AWS documentation's wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
	}
	var lower, upper bool
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= '0' && c <= '9', c == '/', c == '+':
		default:
			return false
		}
	}
	return lower && upper
}

// shapeHints are substrings at least one of which every shape
// WellKnownShape or Shape recognises contains; strings with none skip
// the regular expressions.
var shapeHints = []string{"AKIA", "ASIA", "PRIVATE KEY", "gh", "github_pat_", "xox", "AIza", "_live_", "eyJ", "://"}

// Shape is WellKnownShape plus AWS secret access keys: one beside an
// access key ID, or assigned to a name that says it is one.
func Shape(s string) string {
	if len(s) < 12 {
		return ""
	}
	hinted := false
	for _, h := range shapeHints {
		if strings.Contains(s, h) {
			hinted = true
			break
		}
	}
	kind := ""
	if hinted {
		kind = WellKnownShape(s)
	}
	if kind == "an AWS access key ID" {
		for _, m := range awsSecretNearRE.FindAllStringSubmatch(s, -1) {
			if mixedBase64(m[1]) {
				return "an AWS access key ID and a secret access key"
			}
		}
		return kind
	}
	if kind != "" {
		return kind
	}
	if len(s) >= 40 && strings.Contains(strings.ToLower(s), "secret") {
		for _, m := range awsSecretAssignRE.FindAllStringSubmatch(s, -1) {
			if mixedBase64(m[1]) {
				return "an AWS secret access key"
			}
		}
	}
	return ""
}

// placeholders are values a secret store entry is commonly created
// with before the real value is set outside Terraform.
var placeholders = map[string]bool{"changeme": true, "changeit": true, "placeholder": true, "replaceme": true,
	"todo": true, "tbd": true, "fixme": true, "dummy": true, "notset": true, "none": true, "empty": true,
	"setme": true, "setoutofband": true, "setmanually": true, "secret": true, "password": true, "initial": true,
	"initialvalue": true, "default": true, "override": true, "overridden": true, "managedoutsideterraform": true}

// Placeholder recognises an obvious placeholder: a word from
// placeholders (case, spaces and punctuation aside), <something>, or a
// run of one filler character (xxxx, ****).
func Placeholder(s string) bool {
	t := strings.TrimSpace(s)
	if len(t) >= 2 && t[0] == '<' && t[len(t)-1] == '>' {
		return true
	}
	var b strings.Builder
	for _, c := range strings.ToLower(t) {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
		}
	}
	n := b.String()
	if placeholders[n] {
		return true
	}
	return len(t) >= 3 && (strings.Trim(t, "xX") == "" || strings.Trim(t, "*") == "")
}

// DecodeUserData returns instance user data as text, decoding base64 when
// it is.
func DecodeUserData(s string) string {
	compact := strings.Join(strings.Fields(s), "")
	if b, err := base64.StdEncoding.DecodeString(compact); err == nil && len(compact) > 0 {
		return string(b)
	}
	return s
}

// Mask is what text built from values shows in place of a secret; it is
// graph.Redacted, repeated here so this package stays below the graph.
const Mask = "(redacted)"

// MinRedactLen is the shortest secret a Redactor looks for in text: a
// shorter one ("app", "5432") would mask unrelated words, and a secret
// that short is no secret.
const MinRedactLen = 6

// Redactor masks known secret literals in text: the last guard for
// messages and diagnostics that quote a value as a plain string rather
// than through the graph's writers.
type Redactor struct {
	r *strings.Replacer
}

// NewRedactor masks each of lits (those of MinRedactLen or more).
func NewRedactor(lits []string) *Redactor {
	var keep []string
	for _, l := range lits {
		if len(l) >= MinRedactLen {
			keep = append(keep, l)
		}
	}
	if len(keep) == 0 {
		return &Redactor{}
	}
	// The replacer tries its pairs in order at each position: the longest
	// first, so a secret containing another is masked whole.
	sort.Slice(keep, func(i, j int) bool {
		if len(keep[i]) != len(keep[j]) {
			return len(keep[i]) > len(keep[j])
		}
		return keep[i] < keep[j]
	})
	pairs := make([]string, 0, 2*len(keep))
	for _, l := range keep {
		pairs = append(pairs, l, Mask)
	}
	return &Redactor{r: strings.NewReplacer(pairs...)}
}

// String masks the secrets in s.
func (r *Redactor) String(s string) string {
	if r == nil || r.r == nil {
		return s
	}
	return r.r.Replace(s)
}

// Writer masks the secrets in what is written to w, line by line: a
// secret split across two writes of one line is still found.
func (r *Redactor) Writer(w io.Writer) io.Writer {
	if r == nil || r.r == nil || w == nil {
		return w
	}
	return &redactWriter{r: r, w: w}
}

type redactWriter struct {
	r   *Redactor
	w   io.Writer
	mu  sync.Mutex
	buf []byte
}

func (rw *redactWriter) Write(p []byte) (int, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	rw.buf = append(rw.buf, p...)
	i := bytes.LastIndexByte(rw.buf, '\n')
	if i < 0 {
		return len(p), nil
	}
	if _, err := io.WriteString(rw.w, rw.r.String(string(rw.buf[:i+1]))); err != nil {
		return 0, err
	}
	rw.buf = append(rw.buf[:0], rw.buf[i+1:]...)
	return len(p), nil
}

// Flush writes what is left after the last newline.
func (rw *redactWriter) Flush() error {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if len(rw.buf) == 0 {
		return nil
	}
	_, err := io.WriteString(rw.w, rw.r.String(string(rw.buf)))
	rw.buf = rw.buf[:0]
	return err
}

// Flush flushes a writer returned by Redactor.Writer; other writers are
// left alone.
func Flush(w io.Writer) error {
	if rw, ok := w.(*redactWriter); ok {
		return rw.Flush()
	}
	return nil
}
