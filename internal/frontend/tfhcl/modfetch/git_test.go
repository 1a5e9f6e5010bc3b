package modfetch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRepo makes a bare repository with two commits, v1.0.0 tagged on the
// first, and serves it over git's dumb HTTP protocol (plain files, made
// readable by update-server-info) on the loopback interface.
func gitRepo(t *testing.T) (repoURL string, rec *recorder) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	home := t.TempDir()
	run := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		// Keep the developer's own git configuration out of the fixture.
		cmd.Env = append(os.Environ(), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	work := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(work, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(work, "init", "-q", "-b", "main")
	write("main.tf", "# root v1\n")
	write("modules/vpc/main.tf", "# vpc v1\n")
	run(work, "add", ".")
	run(work, "commit", "-q", "-m", "v1")
	run(work, "tag", "v1.0.0")
	write("modules/vpc/main.tf", "# vpc v2\n")
	run(work, "add", ".")
	run(work, "commit", "-q", "-m", "v2")

	served := t.TempDir()
	bare := filepath.Join(served, "repo.git")
	run(served, "clone", "-q", "--bare", work, bare)
	run(bare, "update-server-info")

	rec = &recorder{}
	ts := httptest.NewServer(rec.wrap(http.FileServer(http.Dir(served))))
	t.Cleanup(ts.Close)
	return ts.URL + "/repo.git", rec
}

func TestGitDumbHTTPWithTagRef(t *testing.T) {
	repoURL, rec := gitRepo(t)
	cache := t.TempDir()
	f := &Fetcher{CacheDir: cache, Getenv: envMap(nil)}
	ctx := context.Background()

	// Hooks never come with a clone, but a configured hooks path would
	// still run one on checkout; the fetch switches them off.
	hooks := t.TempDir()
	marker := filepath.Join(t.TempDir(), "hook-ran")
	if err := os.WriteFile(filepath.Join(hooks, "post-checkout"), []byte("#!/bin/sh\ntouch '"+marker+"'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	gitcfg := filepath.Join(t.TempDir(), "gitconfig")
	if err := os.WriteFile(gitcfg, []byte("[core]\n\thooksPath = "+hooks+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_CONFIG_GLOBAL", gitcfg)

	dir, v, err := f.Fetch(ctx, "git::"+repoURL+"//modules/vpc?ref=v1.0.0", "")
	if err != nil {
		t.Fatal(err)
	}
	if v != "" {
		t.Fatalf("version %q for a git source", v)
	}
	if got := readFile(t, filepath.Join(dir, "main.tf")); got != "# vpc v1\n" {
		t.Fatalf("ref=v1.0.0 checked out %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "..", "..", ".git")); !os.IsNotExist(err) {
		t.Fatalf("the clone's .git was kept: %v", err)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("a git hook ran during the fetch")
	}

	// No ref: the default branch, a different cache entry.
	dir, _, err = f.Fetch(ctx, "git::"+repoURL+"//modules/vpc", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(dir, "main.tf")); got != "# vpc v2\n" {
		t.Fatalf("default branch checked out %q", got)
	}

	// Another directory of the same repository and ref reuses the clone.
	rec.reset()
	dir, _, err = f.Fetch(ctx, "git::"+repoURL+"?ref=v1.0.0", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(dir, "main.tf")); got != "# root v1\n" {
		t.Fatalf("root at v1.0.0 is %q", got)
	}
	if n := len(rec.all()); n != 0 {
		t.Fatalf("cached clone fetched again (%d requests)", n)
	}

	// A ref that does not exist fails with git's reason, and leaves no entry.
	_, _, err = f.Fetch(ctx, "git::"+repoURL+"?ref=v9.9.9", "")
	if err == nil || !strings.Contains(err.Error(), "git checkout failed") {
		t.Fatalf("want a checkout error, got %v", err)
	}
	if ents, _ := os.ReadDir(filepath.Join(cache, "tmp")); len(ents) != 0 {
		t.Fatalf("staging left behind: %v", ents)
	}
}

func TestGitMissingBinary(t *testing.T) {
	f := &Fetcher{CacheDir: t.TempDir(), Getenv: envMap(nil), Git: filepath.Join(t.TempDir(), "no-git")}
	_, _, err := f.Fetch(context.Background(), "git::https://example.com/r.git", "")
	if err == nil || !strings.Contains(err.Error(), "needs git") {
		t.Fatalf("got %v", err)
	}
}
