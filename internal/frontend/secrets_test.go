package frontend

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMarkSettingsNotSecrets: an attribute whose name says "token" or
// "credentials" but that the provider's schema makes a setting is not
// masked; the same name elsewhere is.
func TestMarkSettingsNotSecrets(t *testing.T) {
	dir := t.TempDir()
	tf := `
resource "aws_cognito_user_pool_client" "web" {
  name         = "web"
  user_pool_id = "eu-west-1_Ab12Cd34E"
  token_validity_units {
    refresh_token = "days"
  }
}

resource "aws_lambda_function" "oauth" {
  function_name = "oauth"
  environment {
    variables = {
      refresh_token = "Wd3kR8mQ5xT2pN7v"
    }
  }
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Load([]string{dir}, Options{})
	for _, c := range []struct {
		addr, path string
		secret     bool
	}{
		{"aws_cognito_user_pool_client.web", "token_validity_units.0.refresh_token", false},
		{"aws_lambda_function.oauth", "environment.0.variables.refresh_token", true},
	} {
		rs := res.Graph.ByAddress(c.addr)
		if len(rs) != 1 {
			t.Fatalf("%s: %d resources", c.addr, len(rs))
		}
		v := rs[0].Get(c.path)
		if v == nil {
			t.Fatalf("%s: no %s", c.addr, c.path)
		}
		if v.IsSecret() != c.secret {
			t.Errorf("%s %s: secret %v, want %v", c.addr, c.path, v.IsSecret(), c.secret)
		}
	}
}

// Secrets collected while marking are those a walk of everything after
// marking collects, on every input of the rules' and policies' tests.
func TestSecretsCollectedWhileMarking(t *testing.T) {
	var dirs []string
	for _, root := range []string{"../builtin/testdata", "../policy/testdata", "../../examples", "testdata"} {
		entries, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() {
				dirs = append(dirs, filepath.Join(root, e.Name()))
			}
		}
	}
	withSecrets := 0
	for _, d := range dirs {
		opts := Options{KeepDocuments: true}
		during := Load([]string{d}, opts).Secrets
		collectAfter = true
		after := Load([]string{d}, opts).Secrets
		collectAfter = false
		if strings.Join(during, "\x00") != strings.Join(after, "\x00") {
			t.Errorf("%s: collected while marking %q, after %q", d, during, after)
		}
		if len(after) > 0 {
			withSecrets++
		}
	}
	if withSecrets < 10 {
		t.Fatalf("only %d of %d inputs hold secrets", withSecrets, len(dirs))
	}
}
