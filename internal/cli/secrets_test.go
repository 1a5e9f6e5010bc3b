package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/render"
	"github.com/eksguard/eksguard/internal/secret"
)

// planted are the secrets testdata/secrets holds, one for each way a
// value is declared secret, besides those the detector recognises.
var planted = []string{
	"Pl4nted-Sensitive-Var-9f2c",      // Terraform sensitive = true variable
	"Pl4nted-Plan-Sensitive-7d1e",     // plan after_sensitive / sensitive_values
	"Pl4nted-K8s-StringData-4b8a",     // Kubernetes Secret stringData
	"UGw0bnRlZC1LOHMtRGF0YS0zYzdl",    // Kubernetes Secret data
	"Pl4nted-K8s-Env-Password-61aa",   // a pod's DB_PASSWORD
	"Pl4nted-Cfn-NoEcho-Default-2e5f", // CloudFormation NoEcho default
	"sk_live_PlantedStripeKey00000001",
	"AKIAPLANTEDKEY000001",
}

// TestNoSecretInAnyOutput runs every example and rule fixture through
// every command and output format, with policies that print their input
// and quote it in messages, and looks for each secret in all that comes
// out: stdout, stderr and the files written.
func TestNoSecretInAnyOutput(t *testing.T) {
	if secret.Mask != graph.Redacted {
		t.Fatalf("the redactor's mask %q differs from the graph's %q", secret.Mask, graph.Redacted)
	}
	if testing.Short() {
		t.Skip("scans every fixture")
	}
	dirs := []string{"testdata/secrets/tf", "testdata/secrets/plan", "testdata/secrets/k8s", "testdata/secrets/cfn"}
	for _, pattern := range []string{"../../examples/*", "../builtin/testdata/*"} {
		m, _ := filepath.Glob(pattern)
		for _, d := range m {
			if fi, err := os.Stat(d); err == nil && fi.IsDir() && filepath.Base(d) != "policies" {
				dirs = append(dirs, d)
			}
		}
	}
	known := knownSecrets(t, dirs)
	for _, p := range planted {
		if !known[p] {
			t.Errorf("planted secret %q is not found in the fixtures", p)
		}
	}
	lits := make([]string, 0, len(known))
	for s := range known {
		lits = append(lits, s)
	}
	sort.Strings(lits)
	t.Logf("%d known secrets", len(lits))
	if len(lits) < 30 {
		t.Fatalf("only %d secrets found in the fixtures; the collection is broken", len(lits))
	}

	policies := "testdata/secrets/policy"
	var mu sync.Mutex
	leaks := map[string][]string{}
	for _, dir := range dirs {
		t.Run(strings.ReplaceAll(dir, "/", "_"), func(t *testing.T) {
			t.Parallel()
			tmp := t.TempDir()
			check := func(what, text string) {
				for _, s := range lits {
					if strings.Contains(text, s) {
						mu.Lock()
						leaks[s] = append(leaks[s], dir+": "+what)
						mu.Unlock()
					}
				}
			}
			runAll := func(what string, args ...string) {
				var out, errb bytes.Buffer
				Main(args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
				check(what+" stdout", out.String())
				check(what+" stderr", errb.String())
			}
			scanArgs := []string{"scan", "--as-of", "2026-11-22", "--policy", policies}
			for _, f := range render.Formats() {
				scanArgs = append(scanArgs, "--format", f+"="+filepath.Join(tmp, "report."+f))
			}
			runAll("scan (files)", append(scanArgs, "--format", "text", dir)...)
			for _, f := range render.Formats() {
				runAll("scan --format "+f, "scan", "--as-of", "2026-11-22", "--policy", policies, "--format", f, dir)
			}
			runAll("graph", "graph", dir)
			for _, f := range []string{"text", "json", "mermaid"} {
				runAll("iam paths --format "+f, "iam", "paths", "--as-of", "2026-11-22", "--format", f, dir)
			}
			runAll("baseline create", "baseline", "create", "--as-of", "2026-11-22", "--output", filepath.Join(tmp, "baseline.json"), dir)
			entries, _ := os.ReadDir(tmp)
			for _, e := range entries {
				b, err := os.ReadFile(filepath.Join(tmp, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				check("file "+e.Name(), string(b))
			}
		})
	}
	t.Cleanup(func() {
		for _, s := range lits {
			if w := leaks[s]; len(w) > 0 {
				t.Errorf("secret %q printed in %d outputs, e.g. %s", s, len(w), strings.Join(w[:min(3, len(w))], "; "))
			}
		}
	})
}

// knownSecrets collects, from the fixtures as loaded, every string the
// detector's judgement calls a credential: shaped like one, or written
// under a name that says it is one. It reads the values rules read, not
// the marks under test.
func knownSecrets(t *testing.T, dirs []string) map[string]bool {
	t.Helper()
	found := map[string]bool{}
	for _, d := range dirs {
		res := frontend.Load([]string{d}, frontend.Options{KeepDocuments: true})
		for _, r := range res.Graph.Resources() {
			collectKnown(r.Attrs, false, found, 0, r.Type, "")
		}
		for _, doc := range res.Documents {
			collectKnown(doc.Value, false, found, 0, "", "")
		}
	}
	for _, p := range planted {
		// Declared secret rather than recognisable: the fixtures plant
		// them where a declaration says so.
		found[p] = found[p] || fixtureHolds(p)
	}
	return found
}

// collectKnown gathers the secrets below v, a value of a resource of type
// typ inside the block or map named block ("" at the top): an attribute
// the provider's schema makes a setting despite its name (an EFS
// creation_token) holds none, as the product reads it.
func collectKnown(v *graph.Value, named bool, found map[string]bool, depth int, typ, block string) {
	if v == nil || depth > 64 {
		return
	}
	switch v.Kind {
	case graph.String:
		s := v.Str
		// Short literals (a test password "abc") would match unrelated
		// text; they are no secret worth the name either.
		// AWS CLI files are masked on reading, before the graph.
		if len(s) < 8 || strings.ContainsAny(s, "\n{[") || strings.Contains(s, "(redacted)") {
			break
		}
		if secret.Shape(s) != "" || named && !secret.NotACredential(s) && !secret.Placeholder(s) {
			found[s] = true
		}
	case graph.List:
		for _, e := range v.List {
			collectKnown(e, named, found, depth+1, typ, block)
		}
	case graph.Map:
		pairNamed := false
		for _, nk := range []string{"name", "Name"} {
			if n := v.Map.Get(nk); n != nil && n.Kind == graph.String && secret.LikeName(n.Str) {
				pairNamed = true
			}
		}
		// A plan document's resource ({"type": ..., "change": {"after":
		// {...}}} or {"type": ..., "values": {...}}) gives the type of
		// the attributes below its wrappers.
		if t := v.Map.Get("type"); t != nil && t.Kind == graph.String && (v.Map.Get("change") != nil || v.Map.Get("values") != nil) {
			typ, block = t.Str, ""
		}
		for k, e := range v.Map.All() {
			named := secret.KeyLikeName(k) && !secret.SettingAttr(typ, block, k)
			ctyp, sub := typ, k
			switch {
			case planWrappers[k] && block == "" || planWrappers[block] && planWrappers[k]:
				sub = ""
			case block == "resource" && typ == "":
				// A Terraform file's document: resource → type → name →
				// bodies.
				ctyp, sub, named = k, resourceNames, false
			case block == resourceNames:
				sub, named = "", false
			}
			collectKnown(e, named || pairNamed && (k == "value" || k == "Value"), found, depth+1, ctyp, sub)
		}
	}
	collectKnown(v.Doc(), false, found, depth+1, "", "")
}

// resourceNames stands for the level of resource names below a type in a
// Terraform file's document.
const resourceNames = "\x00names"

// planWrappers are the keys of a plan's resource that hold its attributes.
var planWrappers = map[string]bool{"change": true, "after": true, "before": true, "values": true}

func fixtureHolds(s string) bool {
	found := false
	_ = filepath.WalkDir("testdata/secrets", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, err := os.ReadFile(p); err == nil && bytes.Contains(b, []byte(s)) {
				found = true
			}
		}
		return nil
	})
	return found
}
