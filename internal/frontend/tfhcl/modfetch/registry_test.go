package modfetch

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// fakeRegistry serves registry.example.com's discovery and modules API and
// files.example.com's archives from one loopback server.
type fakeRegistry struct {
	rec  recorder
	down atomic.Bool // answer 503 to everything, as an unreachable registry
}

func newFakeRegistry(t *testing.T) (*fakeRegistry, *http.Client) {
	t.Helper()
	fr := &fakeRegistry{}
	eks := func(v string) []byte {
		return tarGz(t,
			entry{name: "main.tf", body: "# eks " + v + "\n"},
			entry{name: "modules/", dir: true},
			entry{name: "modules/node/main.tf", body: "# node " + v + "\n"},
		)
	}
	archives := map[string][]byte{
		"/archives/eks-21.3.0.tar.gz": eks("21.3.0"),
		"/archives/eks-21.0.0.tar.gz": eks("21.0.0"),
		"/archives/eks-22.0.0.tar.gz": eks("22.0.0"),
		"/archives/eks-20.1.0.tar.gz": eks("20.1.0"),
		"/vpc-5.1.0.zip": zipOf(t,
			entry{name: "terraform-aws-vpc-5.1.0/", dir: true},
			entry{name: "terraform-aws-vpc-5.1.0/main.tf", body: "# vpc 5.1.0\n"},
			entry{name: "terraform-aws-vpc-5.1.0/modules/endpoints/main.tf", body: "# endpoints\n"},
		),
		"/slip.tar.gz": tarGz(t,
			entry{name: "main.tf", body: "# ok\n"},
			entry{name: "../../evil.tf", body: "# escaped\n"},
		),
	}
	versions := map[string][]string{
		"acme/eks/aws":  {"20.1.0", "21.0.0", "21.3.0", "21.4.0-rc1", "22.0.0"},
		"acme/vpc/aws":  {"5.0.0", "5.1.0"},
		"acme/slip/aws": {"1.0.0"},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if fr.down.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		host := strings.Split(r.Host, ":")[0]
		p := r.URL.Path
		switch {
		case host == "registry.example.com" && p == "/.well-known/terraform.json":
			fmt.Fprint(w, `{"modules.v1": "/api/modules/v1/", "providers.v1": "/api/providers/v1/"}`)
		case host == "registry.example.com" && strings.HasPrefix(p, "/api/modules/v1/"):
			rest := strings.TrimPrefix(p, "/api/modules/v1/")
			parts := strings.Split(rest, "/")
			if len(parts) < 4 {
				http.NotFound(w, r)
				return
			}
			mod := strings.Join(parts[:3], "/")
			vs, ok := versions[mod]
			if !ok {
				http.NotFound(w, r)
				return
			}
			if parts[3] == "versions" {
				var doc struct {
					Modules []map[string]any `json:"modules"`
				}
				var list []map[string]string
				for _, v := range vs {
					list = append(list, map[string]string{"version": v})
				}
				doc.Modules = []map[string]any{{"versions": list}}
				json.NewEncoder(w).Encode(doc)
				return
			}
			if len(parts) != 5 || parts[4] != "download" {
				http.NotFound(w, r)
				return
			}
			v := parts[3]
			switch mod {
			case "acme/eks/aws":
				// Relative to the download URL, as registries may answer.
				w.Header().Set("X-Terraform-Get", "/archives/eks-"+v+".tar.gz")
				w.WriteHeader(http.StatusNoContent)
			case "acme/vpc/aws":
				// The JSON form, an absolute URL on another host, and a glob
				// subdir for the archive's single top-level directory.
				json.NewEncoder(w).Encode(map[string]string{"location": "https://files.example.com/vpc-" + v + ".zip//*"})
			case "acme/slip/aws":
				w.Header().Set("X-Terraform-Get", "https://files.example.com/slip.tar.gz")
				w.WriteHeader(http.StatusNoContent)
			}
		case host == "registry.example.com" || host == "files.example.com":
			b, ok := archives[p]
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Write(b)
		default:
			http.NotFound(w, r)
		}
	})
	_, client := loopbackTLS(t, fr.rec.wrap(mux))
	return fr, client
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRegistryVersionSelectionSubdirTokenAndCache(t *testing.T) {
	fr, client := newFakeRegistry(t)
	cache := t.TempDir()
	env := envMap(map[string]string{"TF_TOKEN_registry_example_com": "env-secret"})
	f := &Fetcher{CacheDir: cache, Client: client, Getenv: env}

	dir, v, err := f.Fetch(context.Background(), "registry.example.com/acme/eks/aws//modules/node", "~> 21.0")
	if err != nil {
		t.Fatal(err)
	}
	// ~> 21.0 allows 21.x: not 22.0.0, and not the 21.4.0-rc1 prerelease.
	if v != "21.3.0" {
		t.Fatalf("version = %q, want 21.3.0", v)
	}
	if got := readFile(t, filepath.Join(dir, "main.tf")); got != "# node 21.3.0\n" {
		t.Fatalf("module dir %s holds %q, want the modules/node subdir of 21.3.0", dir, got)
	}
	if !strings.HasPrefix(dir, cache) {
		t.Fatalf("dir %s is outside the cache %s", dir, cache)
	}

	var sawArchive bool
	for _, r := range fr.rec.all() {
		switch {
		case strings.HasPrefix(r.path, "/api/"):
			if r.auth != "Bearer env-secret" {
				t.Errorf("%s sent Authorization %q, want the TF_TOKEN_ token", r.path, r.auth)
			}
		case strings.HasPrefix(r.path, "/archives/"):
			sawArchive = true
			if r.auth != "" {
				t.Errorf("archive download %s sent Authorization %q; tokens are for the registry API only", r.path, r.auth)
			}
		case r.path == "/.well-known/terraform.json":
			if r.auth != "" {
				t.Errorf("discovery sent Authorization %q", r.auth)
			}
		}
	}
	if !sawArchive {
		t.Fatalf("no archive request: %+v", fr.rec.all())
	}

	// A new Fetcher, as a later eksguard run, reuses the recorded version
	// without any request.
	fr.rec.reset()
	f2 := &Fetcher{CacheDir: cache, Client: client, Getenv: env}
	dir2, v2, err := f2.Fetch(context.Background(), "registry.example.com/acme/eks/aws//modules/node", "~> 21.0")
	if err != nil {
		t.Fatal(err)
	}
	if dir2 != dir || v2 != v {
		t.Fatalf("cached fetch = %s %s, want %s %s", dir2, v2, dir, v)
	}
	if n := len(fr.rec.all()); n != 0 {
		t.Fatalf("cached fetch made %d requests: %+v", n, fr.rec.all())
	}

	// The root of the same package comes from the same cache entry.
	root, _, err := f2.Fetch(context.Background(), "registry.example.com/acme/eks/aws", "~> 21.0")
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(root, "main.tf")); got != "# eks 21.3.0\n" {
		t.Fatalf("root holds %q", got)
	}
	if n := len(fr.rec.all()); n != 0 {
		t.Fatalf("fetch of the package root made %d requests", n)
	}

	// Refresh asks again, as -upgrade does.
	f3 := &Fetcher{CacheDir: cache, Client: client, Getenv: env, Refresh: true}
	if _, _, err := f3.Fetch(context.Background(), "registry.example.com/acme/eks/aws", "~> 21.0"); err != nil {
		t.Fatal(err)
	}
	if len(fr.rec.all()) == 0 {
		t.Fatal("Refresh made no request")
	}
}

func TestRegistryConstraints(t *testing.T) {
	_, client := newFakeRegistry(t)
	f := &Fetcher{CacheDir: t.TempDir(), Client: client, Getenv: envMap(nil)}
	for _, tc := range []struct{ constraint, want string }{
		{"", "22.0.0"},
		{"21.0.0", "21.0.0"},
		{"= 21.0.0", "21.0.0"},
		{">= 20.0, < 22.0.0", "21.3.0"},
		{"!= 22.0.0", "21.3.0"},
		{"~> 20.1", "20.1.0"},
		{"21.4.0-rc1", "21.4.0-rc1"},
		{"> 21.3.0, < 22.0.0", ""},
	} {
		_, v, err := f.Fetch(context.Background(), "registry.example.com/acme/eks/aws", tc.constraint)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%q: picked %s, want no match", tc.constraint, v)
			}
			continue
		}
		if err != nil {
			// Only 21.x and 20.1.0 and 22.0.0 have archives: a prerelease
			// pick is checked by its version, its download fails.
			if tc.want == "21.4.0-rc1" && strings.Contains(err.Error(), "21.4.0-rc1") {
				continue
			}
			t.Errorf("%q: %v", tc.constraint, err)
			continue
		}
		if v != tc.want {
			t.Errorf("%q picked %s, want %s", tc.constraint, v, tc.want)
		}
	}
}

func TestRegistryZipJSONLocationAndCredentialsBlock(t *testing.T) {
	fr, client := newFakeRegistry(t)
	cfg := filepath.Join(t.TempDir(), "cli.tfrc")
	if err := os.WriteFile(cfg, []byte(`
credentials "registry.example.com" {
  token = "cfg-secret"
}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	f := &Fetcher{CacheDir: t.TempDir(), Client: client, Getenv: envMap(map[string]string{"TF_CLI_CONFIG_FILE": cfg})}
	dir, v, err := f.Fetch(context.Background(), "registry.example.com/acme/vpc/aws//modules/endpoints", ">= 5.0, < 6.0")
	if err != nil {
		t.Fatal(err)
	}
	if v != "5.1.0" {
		t.Fatalf("version %s", v)
	}
	if got := readFile(t, filepath.Join(dir, "main.tf")); got != "# endpoints\n" {
		t.Fatalf("got %q", got)
	}
	n := 0
	for _, r := range fr.rec.all() {
		if strings.HasPrefix(r.path, "/api/") {
			n++
			if r.auth != "Bearer cfg-secret" {
				t.Errorf("%s sent %q, want the credentials block's token", r.path, r.auth)
			}
		}
		if r.host == "files.example.com" && r.auth != "" {
			t.Errorf("archive host got Authorization %q", r.auth)
		}
	}
	if n != 2 {
		t.Fatalf("want versions and download requests, got %+v", fr.rec.all())
	}

	// TF_TOKEN_ wins over the credentials block.
	fr.rec.reset()
	f2 := &Fetcher{CacheDir: t.TempDir(), Client: client, Getenv: envMap(map[string]string{
		"TF_CLI_CONFIG_FILE":            cfg,
		"TF_TOKEN_registry_example_com": "env-secret",
	})}
	if _, _, err := f2.Fetch(context.Background(), "registry.example.com/acme/vpc/aws", ""); err != nil {
		t.Fatal(err)
	}
	for _, r := range fr.rec.all() {
		if strings.HasPrefix(r.path, "/api/") && r.auth != "Bearer env-secret" {
			t.Errorf("%s sent %q, want the environment's token", r.path, r.auth)
		}
	}
}

func TestHostBlockOverridesDiscovery(t *testing.T) {
	fr, client := newFakeRegistry(t)
	cfg := filepath.Join(t.TempDir(), "cli.tfrc")
	// private.example.com serves no discovery document (the fake answers
	// 404), so only the host block can make this work.
	if err := os.WriteFile(cfg, []byte(`
host "private.example.com" {
  services = {
    "modules.v1" = "https://registry.example.com/api/modules/v1/"
  }
}
credentials "private.example.com" {
  token = "private-secret"
}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	f := &Fetcher{CacheDir: t.TempDir(), Client: client, CLIConfigFile: cfg, Getenv: envMap(nil)}
	_, v, err := f.Fetch(context.Background(), "private.example.com/acme/eks/aws", "21.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if v != "21.0.0" {
		t.Fatalf("version %s", v)
	}
	for _, r := range fr.rec.all() {
		if r.path == "/.well-known/terraform.json" {
			t.Errorf("discovery was asked despite the host block: %+v", r)
		}
		if strings.HasPrefix(r.path, "/api/") && r.auth != "Bearer private-secret" {
			t.Errorf("%s sent %q, want the module host's token", r.path, r.auth)
		}
	}

	// Without the block the same address fails at discovery.
	f2 := &Fetcher{CacheDir: t.TempDir(), Client: client, Getenv: envMap(nil)}
	if _, _, err := f2.Fetch(context.Background(), "private.example.com/acme/eks/aws", "21.0.0"); err == nil || !strings.Contains(err.Error(), "discovery") {
		t.Fatalf("want a discovery error, got %v", err)
	}
}

func TestRegistryUnreachableUsesCachedVersion(t *testing.T) {
	fr, client := newFakeRegistry(t)
	cache := t.TempDir()
	f := &Fetcher{CacheDir: cache, Client: client, Getenv: envMap(map[string]string{"TF_TOKEN_registry_example_com": "env-secret"})}
	if _, _, err := f.Fetch(context.Background(), "registry.example.com/acme/eks/aws", "~> 21.0"); err != nil {
		t.Fatal(err)
	}
	fr.down.Store(true)

	// A constraint never resolved before: the registry is asked, fails,
	// and the cached 21.3.0 stands in, with the reason given.
	m, err := f.FetchModule(context.Background(), "registry.example.com/acme/eks/aws", ">= 21.0")
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != "21.3.0" || m.Stale == "" {
		t.Fatalf("got %+v, want cached 21.3.0 marked stale", m)
	}
	if strings.Contains(m.Stale, "env-secret") {
		t.Fatalf("stale note leaks the token: %s", m.Stale)
	}

	// Nothing cached satisfies ~> 20.0, so the failure is reported.
	_, _, err = f.Fetch(context.Background(), "registry.example.com/acme/eks/aws", "~> 20.0")
	if err == nil {
		t.Fatal("want an error with the registry down and no cached match")
	}
	if strings.Contains(err.Error(), "env-secret") {
		t.Fatalf("error leaks the token: %v", err)
	}
	if !strings.Contains(err.Error(), "Service Unavailable") {
		t.Fatalf("error should say why: %v", err)
	}
}

func TestRegistryArchiveSlipRefusedAndNotCached(t *testing.T) {
	_, client := newFakeRegistry(t)
	cache := t.TempDir()
	f := &Fetcher{CacheDir: cache, Client: client, Getenv: envMap(nil)}
	_, _, err := f.Fetch(context.Background(), "registry.example.com/acme/slip/aws", "")
	if err == nil || !strings.Contains(err.Error(), "leaves the destination") {
		t.Fatalf("want the escaping entry refused, got %v", err)
	}
	if _, err := os.Stat(filepath.Join(cache, "registry", "registry.example.com", "acme", "slip", "aws", "1.0.0")); !os.IsNotExist(err) {
		t.Fatalf("a failed fetch left a cache entry: %v", err)
	}
	for _, p := range []string{filepath.Join(cache, "evil.tf"), filepath.Join(filepath.Dir(cache), "evil.tf")} {
		if _, err := os.Stat(p); err == nil {
			t.Fatalf("%s was written", p)
		}
	}
	if ents, _ := os.ReadDir(filepath.Join(cache, "tmp")); len(ents) != 0 {
		t.Fatalf("staging left behind: %v", ents)
	}
}
