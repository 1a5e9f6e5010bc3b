package frontend

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/diag"
)

// TestModuleCallCycles: a directory whose module calls itself, or two
// directories calling each other, are still scanned as roots (their own
// resources checked), and each call that closes the cycle is an error at
// its line, as Terraform reports it. Before, both vanished from the scan.
func TestModuleCallCycles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("self/main.tf", "module \"me\" {\n  source = \"./\"\n}\nresource \"aws_s3_bucket\" \"self\" {\n  bucket = \"self\"\n}\n")
	write("a/main.tf", "module \"b\" {\n  source = \"../b\"\n}\nresource \"aws_s3_bucket\" \"a\" {\n  bucket = \"a\"\n}\n")
	write("b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n")
	res := Load([]string{dir}, Options{})
	var addrs []string
	for _, r := range res.Graph.Resources() {
		addrs = append(addrs, r.Address)
	}
	sort.Strings(addrs)
	for _, want := range []string{"aws_s3_bucket.a", "aws_s3_bucket.b", "aws_s3_bucket.self"} {
		if !slices.Contains(addrs, want) {
			t.Errorf("%s not scanned; have %v", want, addrs)
		}
	}
	errs := 0
	for _, d := range res.Diags {
		if d.Severity == diag.Error && strings.Contains(d.Summary, "calls itself") && d.Line == 1 {
			errs++
		}
	}
	if errs < 2 {
		t.Errorf("want the self call and the cycle reported as errors at their calls, got %v", res.Diags)
	}
}

// TestRunTimeBudget: once the run's Terraform budget is spent, the root
// modules left are reported unread (the scan is incomplete), not dropped.
func TestRunTimeBudget(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"one", "two"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, d, "main.tf"), []byte("resource \"aws_sqs_queue\" \"q\" {}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := Load([]string{dir}, Options{RunTime: time.Nanosecond})
	if n := len(res.Diags.Incomplete()); n != 2 || res.Graph.Len() != 0 {
		t.Errorf("want both root modules unread, got %d incomplete, %d resources: %v", n, res.Graph.Len(), res.Diags)
	}
	res = Load([]string{dir}, Options{})
	if res.Graph.Len() != 2 || len(res.Diags) != 0 {
		t.Errorf("without the bound: %d resources, %v", res.Graph.Len(), res.Diags)
	}
}
