package awsconfig

import (
	"testing"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/testutil"
)

// The expected documents are what conftest's INI parser (go-ini v1.67
// with its defaults, then its value typing) produces for the same file.
func TestRawMatchesConftest(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{
			name: "config file: profiles, sessions, services, an s3 block",
			src: `# ~/.aws/config
[default]
region = eu-west-1
output = json

[profile dev-admin]
role_arn = arn:aws:iam::123456654321:role/Admin
source_profile = default
mfa_serial = arn:aws:iam::123456654321:mfa/me
duration_seconds = 3600
s3 =
  max_concurrent_requests = 20
  addressing_style = path

[profile "prod master"]
Region: us-east-1
sso_session = corp

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_registration_scopes = sso:account:access

[services local]
[preview]
cloudfront = true
`,
			want: `{
				"default": {"output": "json", "region": "eu-west-1"},
				"preview": {"cloudfront": true},
				"profile \"prod master\"": {"Region": "us-east-1", "sso_session": "corp"},
				"profile dev-admin": {
					"addressing_style": "path",
					"duration_seconds": 3600,
					"max_concurrent_requests": 20,
					"mfa_serial": "arn:aws:iam::123456654321:mfa/me",
					"role_arn": "arn:aws:iam::123456654321:role/Admin",
					"s3": "",
					"source_profile": "default"
				},
				"services local": {},
				"sso-session corp": {
					"sso_registration_scopes": "sso:account:access",
					"sso_start_url": "https://corp.awsapps.com/start"
				}
			}`,
		},
		{
			name: "credentials file keeps secrets as written",
			src: `[default]
aws_access_key_id = AKIAQ3EGRKT7ZVXW5N2M
aws_secret_access_key = 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

[ci]
aws_access_key_id=ASIAQ3EGRKT7ZVXW5N2M
aws_secret_access_key=abc+def/ghi
aws_session_token=IQoJb3JpZ2luX2VjEXAMPLE==
`,
			want: `{
				"ci": {
					"aws_access_key_id": "ASIAQ3EGRKT7ZVXW5N2M",
					"aws_secret_access_key": "abc+def/ghi",
					"aws_session_token": "IQoJb3JpZ2luX2VjEXAMPLE=="
				},
				"default": {
					"aws_access_key_id": "AKIAQ3EGRKT7ZVXW5N2M",
					"aws_secret_access_key": "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"
				}
			}`,
		},
		{
			name: "values typed as conftest types them",
			src: `[types]
int = 42
account = 012345678901
float = 1.5
exp = 1e3
neg = -7
hex_like = 0x1p4
yes = true
cap = True
t = T
one = 1
zero = 0
no = off
nan = NaN
inf = Inf
huge = 1e999
empty =
text = us-east-1
`,
			want: `{
				"types": {
					"account": 12345678901,
					"cap": true,
					"empty": "",
					"exp": 1000,
					"float": 1.5,
					"hex_like": 16,
					"huge": "1e999",
					"inf": "Inf",
					"int": 42,
					"nan": "NaN",
					"neg": -7,
					"no": "off",
					"one": 1,
					"t": true,
					"text": "us-east-1",
					"yes": true,
					"zero": 0
				}
			}`,
		},
		{
			name: "keys outside sections and DEFAULT dropped, repeats merged",
			src: `region = eu-west-1
[DEFAULT]
output = json
[default]
region = us-east-1
Region = eu-central-1
[default]
region = ap-south-1
[ spaced ]
k = v
`,
			want: `{" spaced ": {"k": "v"}, "default": {"Region": "eu-central-1", "region": "ap-south-1"}}`,
		},
		{
			name: "go-ini value rules",
			src: `[values]
comment = value # note
semicolon = a;b
quoted = "with spaces"
single = 'single'
mixed = "a"b"
hashed = "a#b"
continued = first \
  second \
  third
after = 1
multi = """line one
line two"""
tick = ` + "`" + `raw # not a comment` + "`" + `
- = first
- = second
"quoted key" = 1
`,
			want: `{
				"values": {
					"#1": "first",
					"#2": "second",
					"after": 1,
					"comment": "value",
					"continued": "first second third",
					"hashed": "\"a",
					"mixed": "\"a\"b\"",
					"multi": "line one\nline two",
					"quoted": "with spaces",
					"quoted key": 1,
					"semicolon": "a",
					"single": "single",
					"tick": "raw # not a comment"
				}
			}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, diags := Raw([]byte(tt.src), "config")
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			testutil.SameJSON(t, v.Interface(), tt.want)
		})
	}
}

func TestRawRanges(t *testing.T) {
	const src = "# comment\n" + // 1
		"[default]\n" + // 2
		"region = eu-west-1\n" + // 3
		"  s3 =\n" + // 4
		"    addressing_style = path\n" + // 5
		"\n" + // 6
		"[profile ci]\n" + // 7
		"credential_process = /usr/bin/tool \\\n" + // 8
		"  --profile ci\n" + // 9
		"note = \"\"\"two\n" + // 10
		"lines\"\"\"\n" + // 11
		"[default]\n" + // 12
		"output = json\n" // 13
	v, diags := Raw([]byte(src), ".aws/config")
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	tests := []struct {
		path                  []string
		line, column, endLine int32
		value                 any
	}{
		{nil, 1, 1, 13, nil},
		// A section written twice is one, from its first header to the
		// last line that sets one of its keys.
		{[]string{"default"}, 2, 1, 13, nil},
		{[]string{"default", "region"}, 3, 1, 3, "eu-west-1"},
		{[]string{"default", "s3"}, 4, 3, 4, ""},
		{[]string{"default", "addressing_style"}, 5, 5, 5, "path"},
		{[]string{"default", "output"}, 13, 1, 13, "json"},
		{[]string{"profile ci"}, 7, 1, 11, nil},
		{[]string{"profile ci", "credential_process"}, 8, 1, 9, "/usr/bin/tool --profile ci"},
		{[]string{"profile ci", "note"}, 10, 1, 11, "two\nlines"},
	}
	for _, tt := range tests {
		got := v.Get(tt.path...)
		if got == nil {
			t.Errorf("%q: absent", tt.path)
			continue
		}
		want := graph.Range{File: ".aws/config", Line: tt.line, Column: tt.column, EndLine: tt.endLine}
		if got.Range != want {
			t.Errorf("%q: range %+v, want %+v", tt.path, got.Range, want)
		}
		if tt.value != nil && got.Interface() != tt.value {
			t.Errorf("%q: %v, want %v", tt.path, got, tt.value)
		}
	}
}

func TestRawDiagnostics(t *testing.T) {
	tests := []struct {
		name, src string
		sev       diag.Severity
		line, col int
		path      []string // a key still read, or nil
		want      any
	}{
		{"line without a delimiter", "[default]\nregion = x\nnot a key line\n", diag.Error, 3, 1,
			[]string{"default", "region"}, "x"},
		{"unclosed header", "[default\nregion = x\n[ok]\nk = v\n", diag.Error, 1, 1, []string{"ok", "k"}, "v"},
		{"empty header", "[]\nk = v\n[ok]\nk = 2\n", diag.Error, 1, 1, []string{"ok", "k"}, 2.0},
		{"empty key", "[a]\n = v\nk = 1\n", diag.Error, 2, 2, []string{"a", "k"}, 1.0},
		{"unclosed key quote", "[a]\n\"open = 1\nk = 1\n", diag.Error, 2, 1, []string{"a", "k"}, 1.0},
		{"unterminated quoted value", "[a]\nk = 1\nq = `open\nnever closed\n", diag.Error, 3, 1, []string{"a", "k"}, 1.0},
		// Valid for the AWS CLI, which reads the indented line as more of
		// the value; conftest rejects the file.
		{"AWS CLI continuation", "[a]\ncredential_process = /usr/bin/tool\n  --flag\n", diag.Warning, 3, 3,
			[]string{"a", "credential_process"}, "/usr/bin/tool\n--flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, diags := Raw([]byte(tt.src), "config")
			if len(diags) != 1 {
				t.Fatalf("diagnostics %v, want one", diags)
			}
			if d := diags[0]; d.Severity != tt.sev || d.File != "config" || d.Line != tt.line || d.Column != tt.col {
				t.Errorf("diagnostic %v, want %v at config:%d:%d", d, tt.sev, tt.line, tt.col)
			}
			if got := v.Get(tt.path...); got == nil || got.Interface() != tt.want {
				t.Errorf("%v: %v, want %v", tt.path, got, tt.want)
			}
		})
	}
	if v, diags := Raw(nil, "config"); len(diags) > 0 || v == nil || v.Map.Len() != 0 {
		t.Errorf("empty file: %v %v", v, diags)
	}
}
