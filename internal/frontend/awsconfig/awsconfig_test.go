package awsconfig

import (
	"bytes"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
)

const sampleConfig = `# ~/.aws/config
[default]
region = eu-west-1

[profile dev-website-admin]
role_arn = arn:aws:iam::123456654321:role/Admin
source_profile = otherprofile
mfa_serial = arn:aws:iam::123456654324:mfa/me
s3 =
  max_concurrent_requests = 20
  addressing_style = path
; a comment
[profile "prod master"]
Region: us-east-1
credential_process = /usr/bin/tool
  --flag

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
[services local]
[preview]
cloudfront = true
`

func load(t *testing.T, data, file string, kind FileKind) (*graph.Graph, diag.List) {
	t.Helper()
	g := graph.New()
	return g, Load(g, []byte(data), file, kind)
}

func TestLoadConfig(t *testing.T) {
	g, diags := load(t, sampleConfig, ".aws/config", Config)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	var got []string
	for _, r := range g.Resources() {
		got = append(got, r.Type+" "+r.Address)
	}
	want := "awscli:profile profile.default|awscli:profile profile.dev-website-admin|awscli:profile profile.prod master|" +
		"awscli:sso-session sso-session.corp|awscli:services services.local|awscli:section section.preview"
	if strings.Join(got, "|") != want {
		t.Fatalf("resources\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
	dev := g.ByAddress("profile.dev-website-admin")[0]
	if dev.Range.Line != 5 || dev.Range.EndLine != 11 || dev.Name != "dev-website-admin" || dev.Origin != Origin {
		t.Errorf("dev profile range %+v name %q", dev.Range, dev.Name)
	}
	if v := dev.Get("mfa_serial"); v == nil || v.Str != "arn:aws:iam::123456654324:mfa/me" || v.Range.Line != 8 || v.Range.File != ".aws/config" {
		t.Errorf("mfa_serial: %+v", v)
	}
	if v := dev.Get("s3.addressing_style"); v == nil || v.Str != "path" || v.Range.Line != 11 || v.Range.Column != 3 {
		t.Errorf("nested s3 setting: %+v", v)
	}
	prod := g.ByAddress("profile.prod master")[0]
	if v := prod.Get("region"); v == nil || v.Str != "us-east-1" {
		t.Errorf("keys are case-insensitive and key: value is accepted: %+v", v)
	}
	if v := prod.Get("credential_process"); v == nil || v.Str != "/usr/bin/tool\n--flag" {
		t.Errorf("continuation line: %+v", v)
	}
}

func TestSecretsAreRedacted(t *testing.T) {
	const creds = `[default]
aws_access_key_id = AKIAQ3EGRKT7ZVXW5N2M
aws_secret_access_key = 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
aws_session_token = IQoJb3JpZ2luX2VjEXAMPLETOKEN
  continued
my_password = hunter2
empty_secret =
[broken]
aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYyyyyyyyyyy
`
	g, diags := load(t, creds, "credentials", Credentials)
	if len(diags) != 1 || diags[0].Line != 9 || diags[0].Severity != diag.Error {
		t.Fatalf("want one positioned error for the malformed line, got %v", diags)
	}
	for _, d := range diags {
		if strings.Contains(d.String(), "wJalr") {
			t.Errorf("a diagnostic quotes a secret: %s", d)
		}
	}
	r := g.ByAddress("credentials.default")[0]
	if r.Type != TypeCredentials {
		t.Errorf("type %s", r.Type)
	}
	for _, k := range []string{"aws_secret_access_key", "aws_session_token", "my_password"} {
		if v := r.Get(k); v == nil || v.Str != Redacted || v.Range.Line == 0 {
			t.Errorf("%s = %+v, want %q with its line", k, v, Redacted)
		}
	}
	if v := r.Get("empty_secret"); v == nil || v.Str != "" {
		t.Errorf("an empty secret stays empty (nothing is stored): %+v", v)
	}
	if v := r.Get("aws_access_key_id"); v == nil || v.Str != "AKIAQ3EGRKT7ZVXW5N2M" || v.Range.Line != 2 {
		t.Errorf("the key id is kept (it names the key, it is not the secret): %+v", v)
	}
	js, _ := r.Attrs.MarshalJSON()
	for _, secret := range []string{"wJalr", "IQoJb3", "hunter2", "continued"} {
		if bytes.Contains(js, []byte(secret)) {
			t.Errorf("the graph keeps a secret: %s", js)
		}
	}
}

func TestDiagnostics(t *testing.T) {
	const bad = `region = eu-west-1
[profile a]
role_arn = x
role_arn = y
no delimiter here
[]
[profile a]
[profile two words]
[profile  b ]
`
	g, diags := load(t, bad, "config", Config)
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary+"@"+string(rune('0'+d.Line)))
	}
	want := "key outside any section@1|duplicate key@4|malformed line@5|malformed section header@6|duplicate section@7|" +
		"section not read as a profile by the AWS CLI@8"
	if strings.Join(got, "|") != want {
		t.Errorf("diagnostics\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
	if v := g.ByAddress("profile.a")[0].Get("role_arn"); v.Str != "x" {
		t.Errorf("the first of duplicate keys is kept, got %q", v.Str)
	}
	if len(g.ByAddress("profile.b")) != 1 {
		t.Error("[profile  b ] is profile b")
	}
}

func TestCredentialsProfilePrefixWarns(t *testing.T) {
	_, diags := load(t, "[profile dev]\naws_access_key_id = x\n", "credentials", Credentials)
	if len(diags) != 1 || diags[0].Severity != diag.Warning {
		t.Errorf("want a warning, got %v", diags)
	}
	_, diags = load(t, "[dev]\nrole_arn = arn:aws:iam::1:role/x\n", "config", Config)
	if len(diags) != 1 || diags[0].Severity != diag.Warning {
		t.Errorf("a profile written [dev] in config is ignored by the CLI: want a warning, got %v", diags)
	}
}

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		name, data string
		kind       FileKind
		ok         bool
	}{
		{".aws/config", sampleConfig, Config, true},
		{"home/.aws/credentials", "[default]\naws_access_key_id = x\n", Credentials, true},
		{"credentials", "# keys\n[ci]\naws_access_key_id = x\n", Credentials, true},
		{"credentials", "[ci]\nuser = x\n", Credentials, false},
		{"config", "[core]\n\trepositoryformatversion = 0\n", Config, false}, // git
		{"config", "Host *\n  User git\n", Config, false},                    // ssh
		{"config", "apiVersion: v1\nkind: Config\n", Config, false},          // kubeconfig
		{"config", "", Config, false},
		{"aws.ini", "[profile x]\nregion = eu-west-1\n", Config, true},
		{"<stdin>", "\ufeff; c\n[profile x]\n", Config, true},
		{"aws.ini", "[default]\nregion = eu-west-1\n", Config, false},
		{"list.json", `["[profile x]"]`, Config, false},
		{"x.yaml", "a: 1\nb: \"[profile x]\"\n", Config, false},
	} {
		kind, ok := Detect(c.name, []byte(c.data))
		if ok != c.ok || (ok && kind != c.kind) {
			t.Errorf("Detect(%s, %q) = %v %v, want %v %v", c.name, c.data, kind, ok, c.kind, c.ok)
		}
	}
}
