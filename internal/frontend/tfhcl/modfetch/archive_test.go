package modfetch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func extractBytes(t *testing.T, format string, data []byte, lim limits) (string, error) {
	t.Helper()
	parent := t.TempDir()
	dst := filepath.Join(parent, "dst")
	if err := os.Mkdir(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(parent, "archive")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return dst, extractors[format](f, int64(len(data)), dst, lim)
}

var roomy = limits{bytes: 1 << 20, files: 100}

func TestExtractRefusesEscapes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		entries []entry
		want    string
	}{
		{"dotdot", []entry{{name: "a/../../x.tf", body: "x"}}, "leaves the destination"},
		{"absolute", []entry{{name: "/etc/x.tf", body: "x"}}, "absolute"},
		{"backslash dotdot", []entry{{name: `..\x.tf`, body: "x"}}, "leaves the destination"},
		{"drive letter", []entry{{name: `C:\x.tf`, body: "x"}}, "absolute"},
		{"absolute symlink", []entry{{name: "l", link: "/etc/passwd"}}, "absolute"},
		{"escaping symlink", []entry{{name: "a/l", link: "../../outside"}}, "outside"},
		// Each link alone stays inside lexically; the chain leaves.
		{"symlink chain", []entry{
			{name: "d1/", dir: true},
			{name: "d1/d2/", dir: true},
			{name: "d1/d2/up", link: ".."},
			{name: "out", link: "d1/d2/up/../.."},
		}, "outside"},
		{"write through symlink", []entry{
			{name: "l", link: "."},
			{name: "l/../../x.tf", body: "x"},
		}, "leaves the destination"},
	} {
		for _, format := range []string{"tar.gz", "zip"} {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				var data []byte
				if format == "zip" {
					data = zipOf(t, tc.entries...)
				} else {
					data = tarGz(t, tc.entries...)
				}
				dst, err := extractBytes(t, format, data, roomy)
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("want an error containing %q, got %v", tc.want, err)
				}
				if _, err := os.Stat(filepath.Join(filepath.Dir(dst), "x.tf")); err == nil {
					t.Fatal("a file was written outside the destination")
				}
			})
		}
	}
}

func TestExtractKeepsInsideSymlinksAndModes(t *testing.T) {
	for _, format := range []string{"tar.gz", "zip"} {
		entries := []entry{
			{name: "mod/main.tf", body: "# main\n"},
			{name: "mod/alias.tf", link: "main.tf"},
			{name: "top.tf", link: "mod/main.tf"},
			{name: "dangling", link: "missing/file"},
		}
		var data []byte
		if format == "zip" {
			data = zipOf(t, entries...)
		} else {
			data = tarGz(t, entries...)
		}
		dst, err := extractBytes(t, format, data, roomy)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if got := readFile(t, filepath.Join(dst, "top.tf")); got != "# main\n" {
			t.Fatalf("%s: top.tf = %q", format, got)
		}
		if got := readFile(t, filepath.Join(dst, "mod", "alias.tf")); got != "# main\n" {
			t.Fatalf("%s: alias.tf = %q", format, got)
		}
		if _, err := os.Lstat(filepath.Join(dst, "dangling")); !os.IsNotExist(err) {
			t.Fatalf("%s: dangling link kept: %v", format, err)
		}
	}
}

func TestExtractLimits(t *testing.T) {
	big := entry{name: "big.tf", body: strings.Repeat("x", 2000)}
	if _, err := extractBytes(t, "tar.gz", tarGz(t, big), limits{bytes: 1000, files: 10}); err == nil || !strings.Contains(err.Error(), "bytes") {
		t.Fatalf("size cap: got %v", err)
	}
	if _, err := extractBytes(t, "zip", zipOf(t, big), limits{bytes: 1000, files: 10}); err == nil || !strings.Contains(err.Error(), "bytes") {
		t.Fatalf("zip size cap: got %v", err)
	}
	var many []entry
	for i := range 20 {
		many = append(many, entry{name: "f" + string(rune('a'+i)) + ".tf", body: "x"})
	}
	if _, err := extractBytes(t, "tar.gz", tarGz(t, many...), limits{bytes: 1 << 20, files: 10}); err == nil || !strings.Contains(err.Error(), "entries") {
		t.Fatalf("count cap: got %v", err)
	}
	if _, err := extractBytes(t, "tar.gz", tarGz(t, many...), limits{bytes: 1 << 20, files: 20}); err != nil {
		t.Fatalf("20 entries within a cap of 20: %v", err)
	}
}

// TestHTTPArchiveSources fetches archive URLs from a plain loopback server:
// format by suffix, by ?archive=, a subdir after the URL, the download
// cap, an X-Terraform-Get hand-off, and an unsupported format.
func TestHTTPArchiveSources(t *testing.T) {
	var rec recorder
	tgz := tarGz(t, entry{name: "sub/main.tf", body: "# tgz\n"})
	zp := zipOf(t, entry{name: "main.tf", body: "# zip\n"})
	mux := http.NewServeMux()
	mux.HandleFunc("/m.tar.gz", func(w http.ResponseWriter, r *http.Request) { w.Write(tgz) })
	mux.HandleFunc("/download", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("token") != "q" {
			http.Error(w, "no", http.StatusForbidden)
			return
		}
		w.Write(zp)
	})
	mux.HandleFunc("/landing", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("terraform-get") != "1" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("X-Terraform-Get", "./m.tar.gz//sub")
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/m.tar.xz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("xz")) })
	ts := httptest.NewServer(rec.wrap(mux))
	defer ts.Close()

	cache := t.TempDir()
	f := &Fetcher{CacheDir: cache, Getenv: envMap(nil)}
	ctx := context.Background()

	dir, v, err := f.Fetch(ctx, ts.URL+"/m.tar.gz//sub", "")
	if err != nil || v != "" {
		t.Fatal(err, v)
	}
	if got := readFile(t, filepath.Join(dir, "main.tf")); got != "# tgz\n" {
		t.Fatalf("got %q", got)
	}
	dir, _, err = f.Fetch(ctx, ts.URL+"/download?token=q&archive=zip", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(dir, "main.tf")); got != "# zip\n" {
		t.Fatalf("got %q", got)
	}
	dir, _, err = f.Fetch(ctx, ts.URL+"/landing", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(dir, "main.tf")); got != "# tgz\n" {
		t.Fatalf("hand-off: got %q", got)
	}

	rec.reset()
	if _, _, err := f.Fetch(ctx, ts.URL+"/m.tar.gz//sub", ""); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.all()); n != 0 {
		t.Fatalf("cached archive fetched again (%d requests)", n)
	}

	if _, _, err := f.Fetch(ctx, ts.URL+"/m.tar.gz//nope", ""); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("missing subdir: %v", err)
	}
	if _, _, err := f.Fetch(ctx, ts.URL+"/m.tar.gz//../..", ""); err == nil || !strings.Contains(err.Error(), "leaves the package") {
		t.Fatalf("escaping subdir: %v", err)
	}
	if _, _, err := f.Fetch(ctx, ts.URL+"/m.tar.xz", ""); err == nil || !strings.Contains(err.Error(), "tar.xz archives are not supported") {
		t.Fatalf("xz: %v", err)
	}
	small := &Fetcher{CacheDir: t.TempDir(), Getenv: envMap(nil), MaxDownloadBytes: int64(len(tgz) / 2)}
	if _, _, err := small.Fetch(ctx, ts.URL+"/m.tar.gz", ""); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("download cap: %v", err)
	}
	// The query of a failed download (often a signed credential) is not shown.
	_, _, err = f.Fetch(ctx, ts.URL+"/download?token=wrong&archive=zip", "")
	if err == nil || strings.Contains(err.Error(), "wrong") || !strings.Contains(err.Error(), "Forbidden") {
		t.Fatalf("want a Forbidden error without the query, got %v", err)
	}
}

func TestSourceParsing(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want source
	}{
		{"hashicorp/consul/aws", source{kind: kindRegistry, host: "registry.terraform.io", namespace: "hashicorp", name: "consul", system: "aws"}},
		{"app.terraform.io/acme/eks/aws//modules/x", source{kind: kindRegistry, host: "app.terraform.io", namespace: "acme", name: "eks", system: "aws", subdir: "modules/x"}},
		{"Example.COM:8443/a/b/c", source{kind: kindRegistry, host: "example.com:8443", namespace: "a", name: "b", system: "c"}},
		{"github.com/hashicorp/example", source{kind: kindGit, gitURL: "https://github.com/hashicorp/example.git"}},
		{"github.com/hashicorp/example//sub/dir?ref=v1.2.0", source{kind: kindGit, gitURL: "https://github.com/hashicorp/example.git", ref: "v1.2.0", subdir: "sub/dir"}},
		{"github.com/hashicorp/example.git/modules/x?ref=main", source{kind: kindGit, gitURL: "https://github.com/hashicorp/example.git", ref: "main", subdir: "modules/x"}},
		{"bitbucket.org/acme/mods//vpc", source{kind: kindGit, gitURL: "https://bitbucket.org/acme/mods.git", subdir: "vpc"}},
		{"git::https://example.com/vpc.git?ref=v1.2.0&depth=1", source{kind: kindGit, gitURL: "https://example.com/vpc.git", ref: "v1.2.0", depth: 1}},
		{"git::https://example.com/network.git//modules/vpc?ref=v1.2.0", source{kind: kindGit, gitURL: "https://example.com/network.git", ref: "v1.2.0", subdir: "modules/vpc"}},
		{"git::ssh://git@example.com/storage.git", source{kind: kindGit, gitURL: "ssh://git@example.com/storage.git"}},
		{"git@github.com:hashicorp/example.git//sub?ref=abc1234", source{kind: kindGit, gitURL: "git@github.com:hashicorp/example.git", ref: "abc1234", subdir: "sub"}},
		{"git::git@example.com:org/repo.git", source{kind: kindGit, gitURL: "git@example.com:org/repo.git"}},
		{"https://example.com/vpc-module.zip", source{kind: kindHTTP, subdir: ""}},
		{"https://example.com/vpc-module?archive=zip", source{kind: kindHTTP, archive: "zip"}},
	} {
		got, err := parseSource(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		got.url = nil // checked through key below
		if *got != tc.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.in, *got, tc.want)
		}
	}

	for _, tc := range []struct{ in, want string }{
		{"s3::https://s3-eu-west-1.amazonaws.com/bucket/vpc.zip", `"s3" getter`},
		{"bucket.s3-eu-west-1.amazonaws.com/vpc.zip", "S3"},
		{"gcs::https://www.googleapis.com/storage/v1/bucket/vpc.zip", `"gcs" getter`},
		{"hg::http://example.com/vpc.hg", `"hg" getter`},
		{"./modules/vpc", "local path"},
		{"ftp://example.com/x.zip", `"ftp" scheme`},
		{"git::ext::sh -c touch% /tmp/pwned", `git over "ext"`},
		{"git::file:///tmp/repo", `"file"`},
		{"git::https://example.com/r.git?ref=-upload-pack=x", "may not start with '-'"},
		{"git::https://example.com/r.git?sshkey=abc", "sshkey"},
		{"git::https://example.com/r.git?ref=0123456789abcdef0123&depth=1", "commit"},
		{"github.com/onlyowner", "owner/repository"},
	} {
		_, err := parseSource(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want an error containing %q, got %v", tc.in, tc.want, err)
		}
	}

	// A version constraint only makes sense for a registry source.
	f := &Fetcher{CacheDir: t.TempDir(), Getenv: envMap(nil)}
	if _, _, err := f.Fetch(context.Background(), "github.com/a/b", "1.0.0"); err == nil || !strings.Contains(err.Error(), "registry") {
		t.Fatalf("got %v", err)
	}
}

func TestStagingNeverTrusted(t *testing.T) {
	// An entry without meta.json, as a crash during a manual copy could
	// leave, is fetched again rather than used.
	var rec recorder
	tgz := tarGz(t, entry{name: "main.tf", body: "# fresh\n"})
	ts := httptest.NewServer(rec.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(tgz) })))
	defer ts.Close()
	cache := t.TempDir()
	src, err := parseSource(ts.URL + "/m.tgz")
	if err != nil {
		t.Fatal(err)
	}
	entryDir := filepath.Join(cache, "pkg", hashKey(src.key()))
	if err := os.MkdirAll(filepath.Join(entryDir, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(entryDir, "src", "main.tf"), []byte("# half\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := &Fetcher{CacheDir: cache, Getenv: envMap(nil)}
	dir, _, err := f.Fetch(context.Background(), ts.URL+"/m.tgz", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(dir, "main.tf")); got != "# fresh\n" {
		t.Fatalf("used a half-written entry: %q", got)
	}
	if len(rec.all()) == 0 {
		t.Fatal("the half-written entry was trusted without fetching")
	}
}
