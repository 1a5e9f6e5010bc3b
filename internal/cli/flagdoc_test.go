package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/eksguard/eksguard/internal/docsection"
)

// TestReadmeFlagsUpToDate fails when the README's flag tables no longer
// match the flag definitions they are generated from.
func TestReadmeFlagsUpToDate(t *testing.T) {
	doc, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	have, err := docsection.Get(doc, "flags")
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	var want bytes.Buffer
	writeFlagsMarkdown(&want)
	if !bytes.Equal(have, want.Bytes()) {
		t.Fatalf("the flag tables of README.md are stale; regenerate them with: go generate ./cmd/eksguard")
	}
}

// TestEveryFlagListed: the listing names every flag of every command, and
// every command is in commandOrder, so none is left out of the README.
func TestEveryFlagListed(t *testing.T) {
	for name := range commands {
		found := false
		for _, n := range commandOrder {
			found = found || n == name
		}
		if !found {
			t.Errorf("command %q is not in commandOrder", name)
		}
	}
	var md bytes.Buffer
	writeFlagsMarkdown(&md)
	for name, c := range commands {
		c.newFlagSet(&Options{}).VisitAll(func(f *pflag.Flag) {
			if f.Name != "help" && !strings.Contains(md.String(), "--"+f.Name+"`") && !strings.Contains(md.String(), "--"+f.Name+" ") {
				t.Errorf("%s --%s is not listed", name, f.Name)
			}
		})
	}
}

// TestDocumentedFlagsKept: every flag the README and docs name for the
// commands is still accepted, so documented command lines keep working.
func TestDocumentedFlagsKept(t *testing.T) {
	known := map[string]bool{}
	for _, c := range commands {
		c.newFlagSet(&Options{}).VisitAll(func(f *pflag.Flag) { known[f.Name] = true })
	}
	for _, f := range []string{"format", "policy", "var", "download-modules", "account-id", "fail-on", "crown-jewel",
		"fail-on-incomplete", "cfn-param", "var-file", "region", "policy-timeout", "policy-budget", "follow-outside",
		"baseline", "as-of", "alias-pattern", "admin-principal", "policy-memory", "max-eval-steps", "k8s-namespace",
		"tf-dir", "run", "rego-version", "partition", "module-cache", "max-run-time", "max-resources",
		"max-module-instances", "max-instances", "max-eval-time", "config", "output", "no-color", "allowed-registry",
		"timeout", "v"} {
		if !known[f] && !(f == "v" && known["verbose"]) {
			t.Errorf("documented flag --%s is no longer accepted", f)
		}
	}
}
