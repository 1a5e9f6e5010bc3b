package modfetch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTokenSources(t *testing.T) {
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".terraform.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".terraform.d", "credentials.tfrc.json"),
		[]byte(`{"credentials": {"login.example.com": {"token": "from-login"}, "both.example.com": {"token": "json"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".terraformrc"), []byte(`
credentials "Both.Example.com" {
  token = "rc"
}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	f := &Fetcher{Getenv: envMap(map[string]string{
		"HOME":                            home,
		"TF_TOKEN_my-reg_example_com":     "dash-kept",
		"TF_TOKEN_other__reg_example_com": "dash-doubled",
	})}
	for host, want := range map[string]string{
		"my-reg.example.com":    "dash-kept",
		"other-reg.example.com": "dash-doubled",
		"login.example.com":     "from-login",
		"both.example.com":      "rc", // the CLI configuration wins over the login file
		"none.example.com":      "",
	} {
		got, err := f.token(host)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: token %q, want %q", host, got, want)
		}
	}
}

func TestMalformedCLIConfigDoesNotLeakToken(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "bad.tfrc")
	if err := os.WriteFile(cfg, []byte(`credentials "x.example.com" { token = ["hunter2"] }`), 0o600); err != nil {
		t.Fatal(err)
	}
	f := &Fetcher{CLIConfigFile: cfg, Getenv: envMap(nil)}
	_, err := f.token("x.example.com")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("want an error without the token, got %v", err)
	}
}
