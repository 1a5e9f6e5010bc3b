package builtin_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/render"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/rule/ruletest"
	"github.com/eksguard/eksguard/internal/scan"
)

// dataSecretValues are the secrets written in testdata/DATA-050 (plan,
// HCL with its .tfvars, CloudFormation): every one is fake, and none may
// reach a report.
var dataSecretValues = []string{
	"Vx7qLm2Rt9pWz4Kd",                                     // RDS and Lambda DB_PASSWORD
	"ghp_R8mQ2vXk7LpT4nWz9HcY3bJf6DsA1eUo5GiK",             // GitHub token in a Lambda environment
	"AKIAQX7R2M9TLW4ZP6VN",                                 // AWS access key ID in an ECS container definition
	"k3Jv9QzX2pLm7RtW5nYb8HcF1dGs4AeUo6KiT0Vx",             // its secret access key
	"xoxb-4817263950-8472615093-Qm3Zr8Kp2Vx7Lt9Nw4Hy6Bd1",  // Slack token in a tag
	"Rk4pZ9mQ2wX7vL3tN8sBc5Hy",                             // Redis auth token from terraform.tfvars / a parameter default
	"Lp9wQ3rZ7mK2xV8jNt",                                   // CodeBuild PLAINTEXT variable
	"Hq6Tz2Wm9Rb4Kx7Pe",                                    // inside a literal secret_string
	"MIIEpQIBAAKCAQEAz9Xk3Lq7Vt2Rm8Wp4Yn6Hb1Jc5Gd0FsQe",    // PEM private key in user data, line 1
	"Tr7Uy2Io9Pa3Sd6Fg4Hj8Kl1Zx5Cv0Bn7Mq2We4Rt6Yu8Io1P",    // line 2
	"Fetched9Value2Xyz",                                    // a data source's value shown in the plan
	"AKIAUJZDE8GXD6NCF10E",                                 // access_key of a provider "aws" block
	"pfJBd0Kh8oOOL8dKLzdocJ2isAjIhKtJ0RlgLKOm",             // its secret_key
	"IyEvYmluL2Jhc2gKY2F0ID4gL2hvbWUvZWMyLXVzZXIvLnNzaC9p", // the user data as base64, in the plan
	// extra/: decisions beyond the twins.
	"Np3xR7kQ2mZ9vT4w",                           // SecureString parameter
	"Bw8nK2pX5rT9mQ3z",                           // String parameter named like a password
	"Jm6tW2qP8xR4nV7c",                           // password_wo
	"Yc5rM8wL2nQ7tK4p",                           // Helm set_sensitive
	"Gh2vN9kR4xT7mW3q",                           // kubernetes_secret data
	"Qz4pL8wN2rK6tM9x",                           // CloudFront custom header
	"Zr8kP3xQ7mW2nV5tL9cB4hJ6dF1gS0aE3uY8iO2e",   // AWS secret access key in plain user data
	"ghp_K7mQ2xR9pL4tW8nZ3vB6cY1dF5hJ0sA2eU7iO4", // GitHub token written as a tag key
	"Tk7wP2mX9rQ4nL6v",                           // a kubernetes_manifest env value (K8S-026's)
	"Wd3kR8mQ5xT2pN7v",                           // refresh_token outside token_validity_units
}

// TestDataSecretsNeverPrinted scans the DATA-050 fixtures through the whole
// pipeline and renders every report format: the secrets are found, and no
// secret nor any 6-character piece of one appears in any output.
func TestDataSecretsNeverPrinted(t *testing.T) {
	src := filepath.Join("testdata", "DATA-050")
	dir := t.TempDir()
	var input bytes.Buffer
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, clean := ruletest.ParseAnnotations(rel, data)
		input.Write(clean)
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, clean, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range dataSecretValues {
		// The user data secrets are base64 in the plan; they are also
		// written out in the HCL and the template.
		if !strings.Contains(input.String(), s) {
			t.Fatalf("fixture no longer contains secret %q: the test would prove nothing", s)
		}
	}

	rep := scan.Run(scan.Options{Paths: []string{dir}, Config: rule.Config{AsOf: ruletest.AsOf}})
	if len(rep.Errors) > 0 {
		t.Fatalf("scan errors: %v", rep.Errors)
	}
	found := 0
	for _, f := range rep.Findings {
		if f.RuleID == "DATA-050" {
			found++
		}
	}
	if found < 30 {
		t.Fatalf("DATA-050 found %d secrets in the three twins, want at least 30 (11 per twin)", found)
	}

	names := make([]string, 0, len(render.Writers))
	for name := range render.Writers {
		names = append(names, name)
	}
	sort.Strings(names)
	if len(names) < 2 {
		t.Fatalf("report formats: %v", names)
	}
	for _, name := range names {
		for _, color := range []bool{false, true} {
			var out bytes.Buffer
			if err := render.Writers[name](&out, rep, render.Options{Color: color}); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if out.Len() == 0 {
				t.Fatalf("%s: empty output", name)
			}
			for _, s := range dataSecretValues {
				if piece := leakedPiece(out.String(), s, 6); piece != "" {
					t.Errorf("%s output (color %v) contains %q, a piece of a secret", name, color, piece)
				}
			}
		}
	}
}

// leakedPiece returns the first n-character substring of secret (or of its
// base64 form) found in out, or "".
func leakedPiece(out, secret string, n int) string {
	for _, s := range []string{secret, base64.StdEncoding.EncodeToString([]byte(secret))} {
		for i := 0; i+n <= len(s); i++ {
			if p := s[i : i+n]; strings.Contains(out, p) {
				return p
			}
		}
	}
	return ""
}
