package awsconfig

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/testutil/fuzzing"

	"github.com/eksguard/eksguard/internal/graph"
)

// addFixtures seeds f with the AWS CLI files the account rules are tested
// with, the realistic shapes.
func addFixtures(f *testing.F, add func([]byte)) {
	filepath.WalkDir("../../builtin/testdata", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (d.Name() == "config" || d.Name() == "credentials") {
			if b, err := os.ReadFile(p); err == nil {
				add(b)
			}
		}
		return nil
	})
}

var hostileINI = []string{
	"\ufeff[default]\nregion = us-east-1\n",
	"\xff\xfe[default]\nregion = us-east-1\n",
	"[default]\nregion = \x00\n",
	"[default]\ns3 =\n" + strings.Repeat("  max_concurrent_requests = 1\n", 1000),
	"[default]\nk = " + strings.Repeat("x", 64<<10) + "\n",
	"[" + strings.Repeat("[", 1000) + "\n",
	"[default]\nk = \"\"\"\n" + strings.Repeat("a\n", 100) + "\"\"\"\n",
	"[default]\nk = a \\\n" + strings.Repeat(" b \\\n", 100),
	"[profile a]\nsource_profile = b\n[profile b]\nsource_profile = a\n",
	"[default]\r\nk = v\r\n[x]\rk = v\r",
}

// FuzzLoad: arbitrary bytes as a config and as a credentials file. No
// panic; loading ends within bounds; every diagnostic and value is on a
// line of the file; secrets are redacted in the graph and never quoted by
// a diagnostic.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(sampleConfig), "AKIAEXAMPLESECRETVALUE")
	f.Add([]byte("[default]\naws_secret_access_key = abc\n  def\ns3 =\n  x\n"), "wJalrXUtnFEMI/K7MDENG")
	f.Add([]byte("[profile 'a']\n[\n]\n;\n=\n:x\n"), "tokentokentoken")
	addFixtures(f, func(b []byte) { f.Add(b, "secretsecretsecret") })
	for _, s := range hostileINI {
		f.Add([]byte(s), "0123456789abcdef")
	}
	f.Fuzz(func(t *testing.T, data []byte, secret string) {
		defer fuzzing.Watchdog("Load", len(data))()
		for _, kind := range []FileKind{Config, Credentials} {
			g := graph.New()
			diags := Load(g, data, "f", kind)
			lines := bytes.Count(data, []byte("\n")) + 1
			for _, d := range diags {
				if d.File != "f" || d.Line < 1 || d.Line > lines {
					t.Fatalf("diagnostic out of the file: %s", d)
				}
			}
			for _, r := range g.Resources() {
				for k, v := range r.Attrs.Map.All() {
					if IsSecretKey(k) && v.Kind == graph.String && v.Str != "" && v.Str != Redacted {
						t.Fatalf("secret %s kept: %q", k, v.Str)
					}
					if v.Range.Line < 1 || int(v.Range.Line) > lines {
						t.Fatalf("value %s at line %d of %d", k, v.Range.Line, lines)
					}
				}
			}
			Detect("config", data)
			Detect("x", data)
		}
		// A secret written first in the file, whatever follows, must not
		// reach a diagnostic. A value that diagnostics print anyway (they
		// would with any value of its length) proves nothing and is
		// skipped.
		secret = strings.TrimSpace(secret)
		if len(secret) < 8 || strings.ContainsAny(secret, "\r\n#;\"'\\") || bytes.Contains(data, []byte(secret)) {
			return
		}
		withSecret := func(s string) []byte {
			return append([]byte("[default]\naws_secret_access_key = "+s+"\n"), data...)
		}
		for _, kind := range []FileKind{Config, Credentials} {
			// What the file prints with another value in the secret's place
			// (a NUL escaped as \u0000 beside digits) proves nothing.
			pg := graph.New()
			plain := fmt.Sprint(Load(pg, withSecret(strings.Repeat("X", len(secret))), "f", kind))
			for _, r := range pg.Resources() {
				b, _ := r.Attrs.MarshalJSON()
				plain += string(b)
			}
			if strings.Contains(plain, secret) {
				continue
			}
			g := graph.New()
			for _, d := range Load(g, withSecret(secret), "f", kind) {
				if strings.Contains(d.String(), secret) {
					t.Fatalf("diagnostic quotes the secret: %s", d)
				}
			}
			for _, r := range g.Resources() {
				if b, _ := r.Attrs.MarshalJSON(); bytes.Contains(b, []byte(secret)) {
					t.Fatalf("%s keeps the secret: %s", r.Address, b)
				}
			}
		}
	})
}

// FuzzRaw: arbitrary bytes in conftest's INI shape. No panic; it ends
// within bounds; diagnostics name the file and a line of it; every value
// is positioned in the file; keys and text values hold only bytes of the
// input (continuation lines are joined with line breaks).
func FuzzRaw(f *testing.F) {
	for _, s := range []string{sampleConfig, "k = 1\n[a]\nx = \"\"\"\ny\"\"\" \\\n z\n- = 1\n[DEFAULT]\n",
		"[a]\nv = one \\\n", "\xfe\xff[a]\nk=`", "[a]\n\"\"\"\"\"\" = 1\n"} {
		f.Add([]byte(s))
	}
	addFixtures(f, func(b []byte) { f.Add(b) })
	for _, s := range hostileINI {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		defer fuzzing.Watchdog("Raw", len(src))()
		v, diags := Raw(src, "config")
		lines := bytes.Count(src, []byte("\n")) + 1
		for _, d := range diags {
			if d.File != "config" || d.Line < 1 || d.Line > lines {
				t.Fatalf("diagnostic out of the file: %s", d)
			}
		}
		var have [256]bool
		have['\n'] = true
		for _, c := range src {
			have[c] = true
		}
		inInput := func(s string) bool {
			for i := 0; i < len(s); i++ {
				if !have[s[i]] {
					return false
				}
			}
			return true
		}
		var walk func(path string, n *graph.Value)
		walk = func(path string, n *graph.Value) {
			if n.Range.File != "config" || n.Range.Line < 1 || n.Range.Column < 1 || n.Range.EndLine < n.Range.Line || int(n.Range.Line) > lines {
				t.Fatalf("%s: range %+v", path, n.Range)
			}
			if n.Kind == graph.String && !inInput(n.Str) {
				t.Fatalf("%s: %q holds bytes not in the input", path, n.Str)
			}
			for k, e := range n.Map.All() {
				// Keys of the - form are numbered #1, #2 by the reader.
				if !inInput(strings.TrimLeft(k, "#0123456789")) {
					t.Fatalf("%s: key %q holds bytes not in the input", path, k)
				}
				walk(path+"."+strconv.Quote(k), e)
			}
		}
		walk("", v)
	})
}
