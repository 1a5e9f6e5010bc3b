//go:build unix

package frontend

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/diag"
)

// loadWithin fails the test instead of hanging when Load blocks.
func loadWithin(t *testing.T, paths []string, opts Options) *Result {
	t.Helper()
	done := make(chan *Result, 1)
	go func() { done <- Load(paths, opts) }()
	select {
	case res := <-done:
		return res
	case <-time.After(10 * time.Second):
		t.Fatalf("Load(%v) still running after 10s", paths)
		return nil
	}
}

const nsYAML = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n"

// TestSpecialFiles: FIFOs and devices are never opened; a walk notes each
// and goes on.
func TestSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "ok.yaml"), []byte(nsYAML))
	if err := syscall.Mkfifo(filepath.Join(dir, "f.yaml"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "z.yaml")); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res := loadWithin(t, []string{dir}, Options{})
	if len(diagsWith(res.Diags, "f.yaml", "notice", "not a regular file")) != 1 {
		t.Errorf("FIFO: want one notice, got %v", res.Diags)
	}
	// /dev/zero lies outside the scanned directory: the link is not followed.
	if len(diagsWith(res.Diags, "z.yaml", "notice", "outside the scanned paths")) != 1 {
		t.Errorf("link to /dev/zero: want one notice, got %v", res.Diags)
	}
	if len(res.Diags) != 2 || res.Graph.Len() != 1 {
		t.Errorf("diagnostics %v, %d resources", res.Diags, res.Graph.Len())
	}
	// Followed, it is a device: still never read.
	res = loadWithin(t, []string{dir}, Options{FollowOutside: true})
	if len(diagsWith(res.Diags, "z.yaml", "not a regular file", "character device")) != 1 || len(res.Diags) != 2 {
		t.Errorf("--follow-outside, link to /dev/zero: %v", res.Diags)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("took %v", took)
	}
	// Named on the command line, they are errors.
	res = loadWithin(t, []string{filepath.Join(dir, "f.yaml")}, Options{})
	if len(res.Diags) != 1 || res.Diags[0].Severity != diag.Error || res.Diags[0].Summary != "not a regular file" {
		t.Errorf("explicit FIFO: %v", res.Diags)
	}

	// A FIFO among a Terraform directory's files would block its reader:
	// the directory is not evaluated, and says why.
	tf := t.TempDir()
	writeFile(t, filepath.Join(tf, "main.tf"), []byte("locals {\n  a = 1\n}\n"))
	if err := syscall.Mkfifo(filepath.Join(tf, "pipe.tf"), 0o644); err != nil {
		t.Fatal(err)
	}
	res = loadWithin(t, []string{tf}, Options{})
	if d := diagsWith(res.Diags, "pipe.tf", "error", "not a regular file", "not evaluated"); len(d) != 1 || len(res.Diags) != 1 {
		t.Errorf("FIFO .tf: %v", res.Diags)
	}
	// A local module holding one blocks the root that calls it.
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "main.tf"), []byte("module \"m\" {\n  source = \"./m\"\n}\n"))
	writeFile(t, filepath.Join(root, "m", "a.tf"), []byte("locals {\n  a = 1\n}\n"))
	if err := syscall.Mkfifo(filepath.Join(root, "m", "pipe.tf"), 0o644); err != nil {
		t.Fatal(err)
	}
	res = loadWithin(t, []string{filepath.Join(root, "main.tf")}, Options{})
	if len(diagsWith(res.Diags, "pipe.tf", "not a regular file")) != 1 || len(res.Files) != 0 {
		t.Errorf("FIFO in a local module: files %v, diagnostics %v", res.Files, res.Diags)
	}
}

// TestLinksOutside: links leading out of the scanned paths are not
// followed without --follow-outside; links within them are read once.
func TestLinksOutside(t *testing.T) {
	outside := t.TempDir()
	writeFile(t, filepath.Join(outside, "secret.yaml"), []byte("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: outside\n"))
	writeFile(t, filepath.Join(outside, "tree", "ns.yaml"), []byte("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tree\n"))
	writeFile(t, filepath.Join(outside, "tf", "main.tf"), []byte("resource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n"))

	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "ns.yaml"), []byte(nsYAML))
	for link, target := range map[string]string{
		"file.yaml": filepath.Join(outside, "secret.yaml"),
		"tree":      filepath.Join(outside, "tree"),
		"same.yaml": filepath.Join(dir, "ns.yaml"),
		"self":      dir,
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	tfDir := filepath.Join(dir, "infra")
	writeFile(t, filepath.Join(tfDir, "vars.tf"), []byte("locals {\n  a = 1\n}\n"))
	if err := os.Symlink(filepath.Join(outside, "tf", "main.tf"), filepath.Join(tfDir, "main.tf")); err != nil {
		t.Fatal(err)
	}

	res := loadWithin(t, []string{dir}, Options{})
	names := map[string]bool{}
	for _, r := range res.Graph.Resources() {
		names[r.Address] = true
	}
	if len(res.Graph.ByAddress("Namespace/app")) != 1 || names["Namespace/outside"] || names["Namespace/tree"] || names["aws_vpc.v"] {
		t.Errorf("resources %v: want only Namespace/app, once", names)
	}
	for _, link := range []string{"file.yaml", "tree"} {
		if len(diagsWith(res.Diags, filepath.Join(dir, link)+":", "notice", "outside the scanned paths", "--follow-outside")) != 1 {
			t.Errorf("%s: want a notice naming the link, got %v", link, res.Diags)
		}
	}
	if len(diagsWith(res.Diags, "infra/main.tf", "error", "outside the scanned paths", "not evaluated")) != 1 {
		t.Errorf("linked .tf: %v", res.Diags)
	}

	res = loadWithin(t, []string{dir}, Options{FollowOutside: true})
	for _, want := range []string{"Namespace/app", "Namespace/outside", "Namespace/tree", "aws_vpc.v"} {
		if len(res.Graph.ByAddress(want)) != 1 {
			t.Errorf("--follow-outside: %s read %d times; diagnostics %v", want, len(res.Graph.ByAddress(want)), res.Diags)
		}
	}
	if len(res.Diags) != 0 {
		t.Errorf("--follow-outside: %v", res.Diags)
	}

	// A path named on the command line is read even when it is a link: the
	// user chose it, not the repository. Its target does not open the
	// other links out of the scanned paths.
	link := filepath.Join(t.TempDir(), "link.yaml")
	if err := os.Symlink(filepath.Join(outside, "secret.yaml"), link); err != nil {
		t.Fatal(err)
	}
	res = loadWithin(t, []string{link, dir}, Options{})
	if len(diagsWith(res.Diags, "link.yaml", "outside the scanned paths")) != 0 || len(res.Graph.ByAddress("Namespace/outside")) != 1 ||
		len(res.Graph.ByAddress("Namespace/tree")) != 0 {
		t.Errorf("command-line link: outside read %d times, tree %d; %v", len(res.Graph.ByAddress("Namespace/outside")), len(res.Graph.ByAddress("Namespace/tree")), res.Diags)
	}
	// A linked directory on the command line is walked through the link.
	dlink := filepath.Join(t.TempDir(), "d")
	if err := os.Symlink(filepath.Join(outside, "tree"), dlink); err != nil {
		t.Fatal(err)
	}
	res = loadWithin(t, []string{dlink}, Options{FollowOutside: true})
	if len(res.Diags) != 0 || len(res.Files) != 1 || !strings.HasPrefix(res.Files[0].Path, filepath.ToSlash(dlink)+"/") {
		t.Errorf("linked directory: files %v, diagnostics %v", res.Files, res.Diags)
	}
}
