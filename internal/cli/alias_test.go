package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAliasPatternFlag: --alias-pattern sets the account alias convention
// (ACC-001) and, through its env group, the environment words of profile
// names (ACC-004); a pattern that does not compile is a usage error.
func TestAliasPatternFlag(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`resource "aws_iam_account_alias" "this" {
  account_alias = "bboq-qa-website"
}
`), 0o644)
	os.MkdirAll(filepath.Join(dir, ".aws"), 0o755)
	os.WriteFile(filepath.Join(dir, ".aws", "config"), []byte("[profile qa-website]\nregion = eu-west-1\n"), 0o644)
	statuses := func(args ...string) map[string]bool {
		_, r := scanJSON(t, append(args, dir)...)
		failed := map[string]bool{}
		for _, f := range r.Findings {
			failed[f.RuleID] = true
		}
		return failed
	}
	if got := statuses(); !got["ACC-001"] || !got["ACC-004"] {
		t.Errorf("qa is no environment word of the default convention: findings %v", got)
	}
	if got := statuses("--alias-pattern", `bboq-(?P<env>dev|qa|prod)-[a-z]+`); got["ACC-001"] || got["ACC-004"] {
		t.Errorf("with qa in the env group: findings %v", got)
	}
	code, _, stderr := run(t, "", "scan", "--alias-pattern", "([", dir)
	if code != ExitUsage || !strings.Contains(stderr, "--alias-pattern") {
		t.Errorf("invalid pattern: exit %d, stderr %q", code, stderr)
	}
}
