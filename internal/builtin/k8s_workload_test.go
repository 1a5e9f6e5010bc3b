package builtin

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/rule/ruletest"
)

// testDigest is a well-formed sha256 digest (64 hex digits).
const testDigest = "sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31"

// TestImageParse checks how image references are split into registry host,
// repository path, tag and digest, and whether the digest pins the image
// (the test K8S-022 applies).
func TestImageParse(t *testing.T) {
	if got := len(strings.TrimPrefix(testDigest, "sha256:")); got != 64 {
		t.Fatalf("testDigest has %d hex digits, want 64", got)
	}
	tests := []struct {
		in                      string
		host, path, tag, digest string
		pinned                  bool
	}{
		// Docker Hub short names.
		{in: "nginx", host: "docker.io", path: "library/nginx"},
		{in: "nginx:1.27", host: "docker.io", path: "library/nginx", tag: "1.27"},
		{in: "library/nginx", host: "docker.io", path: "library/nginx"},
		{in: "bitnami/redis:7", host: "docker.io", path: "bitnami/redis", tag: "7"},
		{in: "docker.io/nginx", host: "docker.io", path: "library/nginx"},
		{in: "docker.io/library/nginx:latest", host: "docker.io", path: "library/nginx", tag: "latest"},
		{in: "index.docker.io/bitnami/redis:7", host: "docker.io", path: "bitnami/redis", tag: "7"},
		{in: "registry-1.docker.io/nginx", host: "docker.io", path: "library/nginx"},
		{in: "  nginx:1.27  ", host: "docker.io", path: "library/nginx", tag: "1.27"},
		// Registry ports are never tags.
		{in: "registry:5000/app", host: "registry:5000", path: "app"},
		{in: "registry:5000/app:1.2", host: "registry:5000", path: "app", tag: "1.2"},
		{in: "registry:5000/team/app", host: "registry:5000", path: "team/app"},
		{in: "registry.internal:5000/backup:1.0.0", host: "registry.internal:5000", path: "backup", tag: "1.0.0"},
		{in: "registry:5000/app@" + testDigest, host: "registry:5000", path: "app", digest: testDigest, pinned: true},
		// localhost is a registry even without dot or port.
		{in: "localhost/app", host: "localhost", path: "app"},
		{in: "localhost:5000/app:dev", host: "localhost:5000", path: "app", tag: "dev"},
		// Digests: only a well-formed one pins; it wins over a tag.
		{in: "app@" + testDigest, host: "docker.io", path: "library/app", digest: testDigest, pinned: true},
		{in: "app@sha256:xyz", host: "docker.io", path: "library/app", digest: "sha256:xyz"},
		{in: "app@sha256:", host: "docker.io", path: "library/app", digest: "sha256:"},
		{in: "app@sha256:0d17b565", host: "docker.io", path: "library/app", digest: "sha256:0d17b565"},
		{in: "app@" + strings.TrimPrefix(testDigest, "sha256:"), host: "docker.io", path: "library/app",
			digest: strings.TrimPrefix(testDigest, "sha256:")},
		{in: "app:1.0@" + testDigest, host: "docker.io", path: "library/app", tag: "1.0", digest: testDigest, pinned: true},
		{in: "app:latest@" + testDigest, host: "docker.io", path: "library/app", tag: "latest", digest: testDigest, pinned: true},
		{in: "app:latest", host: "docker.io", path: "library/app", tag: "latest"},
		{in: "app@" + strings.ToUpper(testDigest), host: "docker.io", path: "library/app", digest: strings.ToUpper(testDigest)},
		{in: "app@sha256:" + strings.ToUpper(strings.TrimPrefix(testDigest, "sha256:")), host: "docker.io", path: "library/app",
			digest: "sha256:" + strings.ToUpper(strings.TrimPrefix(testDigest, "sha256:"))},
		{in: "app@" + testDigest[:len(testDigest)-32], host: "docker.io", path: "library/app", digest: testDigest[:len(testDigest)-32]},
		{in: "app@" + testDigest + "00", host: "docker.io", path: "library/app", digest: testDigest + "00"},
		{in: "app@sha512:" + strings.Repeat("ab", 64), host: "docker.io", path: "library/app", digest: "sha512:" + strings.Repeat("ab", 64), pinned: true},
		{in: "app@sha384:" + strings.Repeat("0f", 48), host: "docker.io", path: "library/app", digest: "sha384:" + strings.Repeat("0f", 48), pinned: true},
		{in: "app@md5:" + strings.Repeat("ab", 16), host: "docker.io", path: "library/app", digest: "md5:" + strings.Repeat("ab", 16)},
		{in: "app@sha512:" + strings.Repeat("ab", 32), host: "docker.io", path: "library/app", digest: "sha512:" + strings.Repeat("ab", 32)},
		{in: "app:1.0@sha256:abc", host: "docker.io", path: "library/app", tag: "1.0", digest: "sha256:abc"},
		{in: "ghcr.io/org/app:latest", host: "ghcr.io", path: "org/app", tag: "latest"},
		// ECR and public ECR.
		{in: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1", host: "111122223333.dkr.ecr.eu-west-1.amazonaws.com", path: "app", tag: "1"},
		{in: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/bitnami/redis:7.2.4",
			host: "111122223333.dkr.ecr.eu-west-1.amazonaws.com", path: "docker-hub/bitnami/redis", tag: "7.2.4"},
		{in: "444455556666.dkr.ecr.cn-north-1.amazonaws.com.cn/web:2", host: "444455556666.dkr.ecr.cn-north-1.amazonaws.com.cn", path: "web", tag: "2"},
		{in: "public.ecr.aws/x/y:1", host: "public.ecr.aws", path: "x/y", tag: "1"},
		// Upper case: a first component with upper case is a host (as in
		// the distribution reference grammar); hosts are folded to lower case.
		{in: "Registry.Example.COM/Team/App:1.0", host: "registry.example.com", path: "Team/App", tag: "1.0"},
		{in: "MyRegistry/app:1", host: "myregistry", path: "app", tag: "1"},
		{in: "LOCALHOST:5000/app", host: "localhost:5000", path: "app"},
		{in: "Docker.IO/nginx", host: "docker.io", path: "library/nginx"},
		{in: "myorg/App:V1", host: "docker.io", path: "myorg/App", tag: "V1"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			img := wlParseImage(tc.in)
			want := wlImage{Host: tc.host, Path: tc.path, Tag: tc.tag, Digest: tc.digest}
			if img != want {
				t.Errorf("wlParseImage(%q) = %+v, want %+v", tc.in, img, want)
			}
			if pinned := img.Digest != "" && wlDigestProblem(img.Digest) == ""; pinned != tc.pinned {
				t.Errorf("wlParseImage(%q): digest %q pins = %v, want %v", tc.in, img.Digest, pinned, tc.pinned)
			}
			if got, wantRepo := img.Repo(), tc.host+"/"+tc.path; got != wantRepo {
				t.Errorf("Repo() = %q, want %q", got, wantRepo)
			}
		})
	}
}

// TestDigestProblem checks what wlDigestProblem says about malformed
// digests: the reason names what is wrong.
func TestDigestProblem(t *testing.T) {
	tests := []struct{ in, want string }{
		{testDigest, ""},
		{"sha256:abc", "sha256 takes 64 hex digits, this one has 3"},
		{"sha256:", "sha256 takes 64 hex digits, this one has 0"},
		{strings.ToUpper(testDigest), `algorithm "SHA256" is not one image references admit (sha256, sha384, sha512)`},
		{"sha256:" + strings.Repeat("A", 64), `sha256 takes lower-case hex digits only, and 'A' is not one`},
		{"sha256:" + strings.Repeat("g", 64), `sha256 takes lower-case hex digits only, and 'g' is not one`},
		{strings.TrimPrefix(testDigest, "sha256:"), "it has no algorithm (sha256:<64 hex digits>)"},
		{":" + strings.Repeat("a", 64), "it has no algorithm (sha256:<64 hex digits>)"},
		{"sha1:" + strings.Repeat("a", 40), `algorithm "sha1" is not one image references admit (sha256, sha384, sha512)`},
	}
	for _, tc := range tests {
		if got := wlDigestProblem(tc.in); got != tc.want {
			t.Errorf("wlDigestProblem(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestRegistryAllowed checks registry globs: host-only globs see the host
// alone, globs with a path match host/path whole or as a prefix ending at
// '/', and matching ignores case.
func TestRegistryAllowed(t *testing.T) {
	myorg := []string{"ghcr.io/myorg/*"}
	tests := []struct {
		name     string
		patterns []string
		image    string
		want     bool
	}{
		// Globs with a path.
		{"path glob admits its org", myorg, "ghcr.io/myorg/app:1", true},
		{"path glob admits nested repo", myorg, "ghcr.io/myorg/team/app:1", true},
		{"path glob admits digest", myorg, "ghcr.io/myorg/app@" + testDigest, true},
		{"path glob rejects other org", myorg, "ghcr.io/other/app:1", false},
		{"path glob rejects org prefix", myorg, "ghcr.io/myorg-evil/app", false},
		{"path glob rejects org as image", myorg, "ghcr.io/myorgapp:1", false},
		{"path glob rejects other host", myorg, "ghcr.io.evil.com/myorg/app:1", false},
		{"path glob rejects host in path", myorg, "evil.com/ghcr.io/myorg/app:1", false},
		{"path glob rejects docker hub", myorg, "myorg/app:1", false},
		{"path without star is a prefix", []string{"ghcr.io/myorg"}, "ghcr.io/myorg/app:1", true},
		{"path without star stops at slash", []string{"ghcr.io/myorg"}, "ghcr.io/myorg-evil/app:1", false},
		{"trailing slash", []string{"ghcr.io/myorg/"}, "ghcr.io/myorg/app:1", true},
		{"trailing slash stops at slash", []string{"ghcr.io/myorg/"}, "ghcr.io/myorg-evil/app:1", false},
		{"exact repo", []string{"quay.io/prometheus/node-exporter"}, "quay.io/prometheus/node-exporter:v1.8.1", true},
		{"exact repo rejects sibling", []string{"quay.io/prometheus/node-exporter"}, "quay.io/prometheus/node-exporter-evil:v1", false},
		{"docker hub library", []string{"docker.io/library/*"}, "nginx:1.27", true},
		{"docker hub library rejects user repo", []string{"docker.io/library/*"}, "bitnami/redis:7", false},
		{"docker hub user", []string{"docker.io/bitnami"}, "bitnami/redis:7", true},
		{"docker hub alias host", []string{"docker.io/bitnami/*"}, "index.docker.io/bitnami/redis:7", true},
		// Host-only globs.
		{"host glob", []string{"ghcr.io"}, "ghcr.io/anyone/app:1", true},
		{"host glob rejects subdomain", []string{"ghcr.io"}, "evil.ghcr.io/app:1", false},
		{"host glob ignores path", []string{"*.example.com"}, "evil.com/registry.example.com/app:1", false},
		{"host glob ignores path ending like a host", []string{"*.example.com"}, "evil.com/registry.example.com", false},
		{"host glob wildcard", []string{"*.example.com"}, "registry.example.com/app:1", true},
		{"host glob suffix trick", []string{"*.example.com"}, "registry.example.com.evil.net/app:1", false},
		{"host glob with port", []string{"registry.internal:5000"}, "registry.internal:5000/backup:1", true},
		{"host glob port differs", []string{"registry.internal:5000"}, "registry.internal:5001/backup:1", false},
		{"host glob docker hub", []string{"docker.io"}, "nginx", true},
		{"localhost", []string{"localhost"}, "localhost/app", true},
		// Case-insensitivity.
		{"upper-case pattern", []string{"GHCR.IO/MyOrg/*"}, "ghcr.io/myorg/app:1", true},
		{"upper-case image host", myorg, "GHCR.IO/myorg/app:1", true},
		{"upper-case image path", myorg, "ghcr.io/MyOrg/app:1", true},
		{"upper-case host glob", []string{"*.DKR.ECR.*.AMAZONAWS.COM"}, "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1", true},
		{"upper-case still rejects", []string{"GHCR.IO/MyOrg/*"}, "ghcr.io/myorg-evil/app", false},
		// Empty patterns admit nothing.
		{"empty pattern", []string{"", "  "}, "nginx", false},
		{"no patterns", nil, "nginx", false},
		{"second pattern", []string{"quay.io", "ghcr.io/myorg/*"}, "ghcr.io/myorg/app", true},
		// Default list: ECR private registries of any account and region.
		{"default ecr", rule.DefaultAllowedRegistries, "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1", true},
		{"default ecr china", rule.DefaultAllowedRegistries, "444455556666.dkr.ecr.cn-north-1.amazonaws.com.cn/web:2", true},
		{"default ecr host in path", rule.DefaultAllowedRegistries, "evil.com/111122223333.dkr.ecr.eu-west-1.amazonaws.com/app", false},
		{"default ecr host as path", rule.DefaultAllowedRegistries, "evil.com/111122223333.dkr.ecr.eu-west-1.amazonaws.com", false},
		{"default ecr suffix trick", rule.DefaultAllowedRegistries, "111122223333.dkr.ecr.us-east-1.amazonaws.com.example.net/web:1.0", false},
		{"default rejects public ecr", rule.DefaultAllowedRegistries, "public.ecr.aws/x/y:1", false},
		{"default rejects docker hub", rule.DefaultAllowedRegistries, "nginx", false},
		{"default rejects ghcr", rule.DefaultAllowedRegistries, "ghcr.io/myorg/app:1", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img := wlParseImage(tc.image)
			if got := wlRegistryAllowed(img, tc.patterns); got != tc.want {
				t.Errorf("wlRegistryAllowed(%q (%+v), %q) = %v, want %v", tc.image, img, tc.patterns, got, tc.want)
			}
		})
	}
}

// TestRegistryConfigDefault checks that an empty allow-list falls back to
// the default ECR list and a configured one replaces it.
func TestRegistryConfigDefault(t *testing.T) {
	ecr := wlParseImage("111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1")
	if !wlRegistryAllowed(ecr, (&rule.Config{}).Registries()) {
		t.Error("empty Config does not admit an ECR private registry")
	}
	cfg := &rule.Config{AllowedRegistries: []string{"ghcr.io/myorg/*"}}
	if wlRegistryAllowed(ecr, cfg.Registries()) {
		t.Error("a configured allow-list without ECR still admits ECR")
	}
}

// TestSecretName checks which variable names mark a credential.
func TestSecretName(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"DB_PASSWORD", true},
		{"dbPassword", true},
		{"DBPassword", true},
		{"db-password", true},
		{"db.password", true},
		{"api-key", true},
		{"apiKey", true},
		{"API_KEY", true},
		{"APIKEY", true},
		{"x-api-key", true},
		{"AWS_SECRET_ACCESS_KEY", true},
		{"SECRET_KEY_BASE", true},
		{"GITHUB_TOKEN", true},
		{"oauth2Token", true},
		{"TOKEN", true},
		{"password", true},
		{"DB_PASSWD", true},
		{"GPG_PASSPHRASE", true},
		{"GOOGLE_APPLICATION_CREDENTIALS_JSON", true},
		{"JWT_SIGNING_KEY", true},
		{"CLIENT_SECRET", true},
		{"PRIVATE_KEY", true},
		{"DB_PWD", true},
		// Where the secret is, or a setting about it.
		{"PASSWORD_FILE", false},
		{"passwordFile", false},
		{"apiKeyFile", false},
		{"TOKEN_URL", false},
		{"tokenUrl", false},
		{"SECRET_NAME", false},
		{"secret-name", false},
		{"TOKEN_FILE_PATH", false},
		{"DB_PASSWORD_PATH", false},
		{"PASSWORD_MIN_LENGTH", false},
		{"VAULT_TOKEN_PATH", false},
		{"SECRETS_MANAGER_SECRET_ARN", false},
		{"TOKEN_ENDPOINT", false},
		// The credential word must end the name: further left it
		// qualifies something else.
		{"SECRET_NAMESPACE", false},
		{"TOKEN_SIGNING_ALG", false},
		{"TOKENIZER_MODEL", false},
		{"CACHE_KEY", false},
		{"COMPASS", false},
		{"AWS_SECRET_ACCESS_KEY", true},
		{"SECRET_KEY", true},
		{"DB_PASS", true},
		{"dbPassword", true},
		{"TOKEN_AUDIENCE", false},
		{"CSRF_TOKEN_HEADER", false},
		{"AWS_ACCESS_KEY_ID", false},
		// Not about secrets at all.
		{"PWD", false},
		{"HOME", false},
		{"PATH", false},
		{"LOG_LEVEL", false},
		{"DB_HOST", false},
		{"KEY", false},
		{"", false},
		{"___", false},
	}
	for _, tc := range tests {
		if got := wlSecretLikeName(tc.name); got != tc.want {
			t.Errorf("wlSecretLikeName(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestSecretShape checks credentials recognised by their form alone.
func TestSecretShape(t *testing.T) {
	const (
		aws    = "an AWS access key ID"
		pem    = "a private key"
		github = "a GitHub token"
		slack  = "a Slack token"
		google = "a Google API key"
		stripe = "a Stripe live key"
		jwt    = "a JSON Web Token"
		urlPw  = "a URL with an embedded password"
	)
	alnum36 := "aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5"
	tests := []struct {
		name, value, want string
	}{
		{"aws key id", "AKIAQ3EGRKT7ZVXW5N2M", aws},
		{"aws session key id", "ASIAQ3EGRKT7ZVXW5N2M", aws},
		{"aws key id in text", "key=AKIAQ3EGRKT7ZVXW5N2M;", aws},
		{"aws key id too short", "AKIAQ3EGRKT7ZVXW5N2", ""},
		{"aws key id too long", "AKIAQ3EGRKT7ZVXW5N2MX", ""},
		{"aws key id lower case", "akiaq3egrkt7zvxw5n2m", ""},
		{"aws example key id", "AKIAIOSFODNN7EXAMPLE", ""},
		{"aws other example key id", "AKIAI44QH8DHBEXAMPLE", ""},
		{"aws real key before example key", "AKIAQ3EGRKT7ZVXW5N2M,AKIAIOSFODNN7EXAMPLE", aws},
		{"aws example key before real key", "AKIAIOSFODNN7EXAMPLE AKIAQ3EGRKT7ZVXW5N2M", aws},
		{"pem rsa", "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----", pem},
		{"pem pkcs8", "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----", pem},
		{"pem openssh", "-----BEGIN OPENSSH PRIVATE KEY-----", pem},
		{"pem encrypted", "-----BEGIN ENCRYPTED PRIVATE KEY-----", pem},
		{"pem ec", "-----BEGIN EC PRIVATE KEY-----", pem},
		{"pgp private", "-----BEGIN PGP PRIVATE KEY BLOCK-----", pem},
		{"pem public key", "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----", ""},
		{"pem certificate", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", ""},
		{"github classic", "ghp_" + alnum36, github},
		{"github oauth", "gho_" + alnum36, github},
		{"github fine-grained", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", github},
		{"github too short", "ghp_abc123", ""},
		{"github prefix inside word", "xghp_" + alnum36, ""},
		{"slack bot", "xoxb-1234567890-abcdefghij", slack},
		{"google api key", "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", google},
		{"stripe live", "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc", stripe},
		{"stripe test is not live", "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc", ""},
		{"jwt", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", jwt},
		{"jwt bearer", "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", jwt},
		{"jwt two parts", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0", ""},
		{"url with password", "postgres://app:s3cr3t@db.internal:5432/app", urlPw},
		{"url with password only", "redis://:s3cr3t@redis:6379/0", urlPw},
		{"url with password in text", "DSN=mysql://root:hunter2@tcp(db:3306)/app", urlPw},
		{"url password is $(VAR)", "postgres://app:$(DB_PASSWORD)@db.internal:5432/app", ""},
		{"url password is ${VAR}", "postgres://app:${DB_PASSWORD}@db.internal:5432/app", ""},
		{"url user only", "https://deploy@git.example.com/repo.git", ""},
		{"url with port", "https://db.internal:5432/app", ""},
		{"url no credentials", "https://api.example.com/v1?token_type=bearer", ""},
		// Non-secrets.
		{"ref", "$(DB_PASSWORD)", ""},
		{"bool", "true", ""},
		{"number", "8080", ""},
		{"empty", "", ""},
		{"path", "/var/run/secrets/db/password", ""},
		{"plain word", "changeme", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := wlSecretShape(tc.value); got != tc.want {
				t.Errorf("wlSecretShape(%q) = %q, want %q", tc.value, got, tc.want)
			}
		})
	}
}

// TestSecretNotACredential checks literal values that cannot be a credential.
func TestSecretNotACredential(t *testing.T) {
	tests := []struct {
		value string
		want  bool
	}{
		{"", true},
		{"   ", true},
		{"$(DB_PASSWORD)", true},
		{"${DB_PASSWORD}", true},
		{"{{ .Values.db.password }}", true},
		{"$(DB_USER)$(DB_SUFFIX)", true},
		{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", true},
		{"true", true},
		{"False", true},
		{"YES", true},
		{"off", true},
		{"null", true},
		{"disabled", true},
		{"0", true},
		{"8080", true},
		{"-1", true},
		{"3.14", true},
		{"30s", true},
		{"512Mi", true},
		{"/var/run/secrets/db/password", true},
		{"./config/token", true},
		{"~/.aws/credentials", true},
		{"https://vault.example.com:8200/v1/auth", true},
		{"https://deploy@git.example.com/repo.git", true},
		// Could be credentials.
		{"hunter2", false},
		{"s3cr3t-value", false},
		{"$(A)$(B)", true}, // references joined are still references
		{"/not a path", false},
		{"postgres://app:s3cr3t@db.internal:5432/app", false},
		{"AKIAIOSFODNN7EXAMPLE", true}, // AWS documentation placeholder
		{"0x1f", false},
	}
	for _, tc := range tests {
		if got := wlNotACredential(tc.value); got != tc.want {
			t.Errorf("wlNotACredential(%q) = %v, want %v", tc.value, got, tc.want)
		}
	}
}

// TestSecretJudgeEnv checks the K8S-026 verdict on single env entries:
// shape wins whatever the name, the name decides for other literals, and
// values that cannot be credentials never fail.
func TestSecretJudgeEnv(t *testing.T) {
	str := graph.NewString
	entry := func(name, value *graph.Value) *graph.Value {
		m := map[string]*graph.Value{}
		if name != nil {
			m["name"] = name
		}
		if value != nil {
			m["value"] = value
		}
		return graph.NewMap(m)
	}
	tests := []struct {
		desc        string
		name, value *graph.Value
		want        rule.Tri
	}{
		{"password literal", str("DB_PASSWORD"), str("hunter2"), rule.True},
		{"camelCase password", str("dbPassword"), str("hunter2"), rule.True},
		{"api-key", str("api-key"), str("abc123def456"), rule.True},
		{"shape under a harmless name", str("SETTING"), str("AKIAQ3EGRKT7ZVXW5N2M"), rule.True},
		{"pem under a file name", str("KEY_FILE"), str("-----BEGIN PRIVATE KEY-----\nMIIE"), rule.True},
		{"url password under URL name", str("DATABASE_URL"), str("postgres://app:s3cr3t@db/app"), rule.True},
		{"jwt under harmless name", str("HEADER_VALUE"),
			str("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"), rule.True},
		{"password file path", str("PASSWORD_FILE"), str("/var/run/secrets/db/password"), rule.False},
		{"password file relative", str("PASSWORD_FILE"), str("secrets/db"), rule.False},
		{"token url", str("TOKEN_URL"), str("https://auth.example.com/oauth/token"), rule.False},
		{"secret name", str("SECRET_NAME"), str("db-credentials"), rule.False},
		{"password ref", str("DB_PASSWORD"), str("$(DB_PASSWORD_FROM_SECRET)"), rule.False},
		{"password template", str("DB_PASSWORD"), str("${DB_PASSWORD}"), rule.False},
		{"password empty", str("DB_PASSWORD"), str(""), rule.False},
		{"password bool", str("REQUIRE_PASSWORD"), str("true"), rule.False},
		{"token number", str("TOKEN_LIFETIME"), str("3600"), rule.False},
		{"token numeric value", str("TOKEN_LIFETIME"), graph.NewNumber(3600), rule.False},
		{"aws example key id", str("AWS_ACCESS_KEY_ID"), str("AKIAIOSFODNN7EXAMPLE"), rule.False},
		{"plain setting", str("LOG_LEVEL"), str("debug"), rule.False},
		{"no value (valueFrom)", str("DB_PASSWORD"), nil, rule.False},
		{"unknown value, secret name", str("DB_PASSWORD"), graph.NewUnknown(), rule.TriUnknown},
		{"unknown value, plain name", str("LOG_LEVEL"), graph.NewUnknown(), rule.False},
		{"unknown name, literal", graph.NewUnknown(), str("hunter2"), rule.TriUnknown},
		{"unknown name, shape", graph.NewUnknown(), str("AKIAQ3EGRKT7ZVXW5N2M"), rule.True},
		{"unknown name, not a credential", graph.NewUnknown(), str("true"), rule.False},
		{"unknown name and value", graph.NewUnknown(), graph.NewUnknown(), rule.TriUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			got, msg := wlJudgeEnv(entry(tc.name, tc.value))
			if got != tc.want {
				t.Errorf("wlJudgeEnv = %v (%q), want %v", got, msg, tc.want)
			}
			if s := tc.value; s != nil && s.Kind == graph.String && len(s.Str) > 3 && strings.Contains(msg, s.Str) {
				t.Errorf("message %q repeats the value", msg)
			}
		})
	}
}

// TestAllowListFixture runs K8S-023 with a custom allow-list over an
// annotated fixture.
func TestAllowListFixture(t *testing.T) {
	cfg := &rule.Config{
		AllowedRegistries: []string{"ghcr.io/myorg/*", "*.dkr.ecr.*.amazonaws.com"},
		AsOf:              ruletest.AsOf,
	}
	exps := ruletest.Run(t, "testdata/config/K8S-023-allowlist", cfg, wlRegistry)
	seen := map[rule.Status]int{}
	for _, e := range exps {
		seen[e.Status]++
	}
	if seen[rule.StatusPass] == 0 || seen[rule.StatusFail] == 0 {
		t.Errorf("fixture annotates %d passes and %d failures of K8S-023; want both", seen[rule.StatusPass], seen[rule.StatusFail])
	}
}

// TestLatestTagMessages checks that K8S-022 says what is wrong: a malformed
// digest is named as such, not taken for a missing tag.
func TestLatestTagMessages(t *testing.T) {
	dir := t.TempDir()
	manifest := `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: short
      image: nginx@sha256:abc
    - name: tagged-short
      image: nginx:1.27@sha256:abc
    - name: bare
      image: nginx
`
	if err := os.WriteFile(filepath.Join(dir, "pod.yaml"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	res := frontend.Load([]string{dir}, frontend.Options{})
	got := map[string]string{}
	for _, v := range rule.Run([]*rule.Rule{wlLatestTag}, res.Graph, fixtureConfig()) {
		if v.Status != rule.StatusFail {
			t.Errorf("unexpected %s: %s", v.Status, v.Message)
			continue
		}
		for _, name := range []string{"short", "tagged-short", "bare"} {
			if strings.Contains(v.Message, "container "+name+" ") {
				got[name] = v.Message
			}
		}
	}
	for _, name := range []string{"short", "tagged-short"} {
		msg := got[name]
		if !strings.Contains(msg, "digest is malformed: sha256 takes 64 hex digits, this one has 3") || strings.Contains(msg, "no tag") {
			t.Errorf("container %s: message %q does not say the digest is malformed", name, msg)
		}
	}
	if msg := got["bare"]; !strings.Contains(msg, "no tag, which pulls :latest") {
		t.Errorf("container bare: message %q does not say it has no tag", msg)
	}
}
