package frontend

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestAWSCLIAndWorkflowRouting(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write(".aws/config", "[profile dev-admin]\nrole_arn = arn:aws:iam::111122223333:role/admin\n")
	write(".aws/credentials", "[base]\naws_access_key_id = AKIAQ3EGRKT7ZVXW5N2M\naws_secret_access_key = s3cr3t\n")
	write(".github/workflows/deploy.yml", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n")
	write(".github/workflows/reusable.yaml", "jobs:\n  a:\n    runs-on: ubuntu-latest\n")
	write("ci/pipeline.yml", "'on': [push]\njobs:\n  b:\n    runs-on: ubuntu-latest\n")
	write("ssh/config", "Host *\n  User git\n")         // not AWS: skipped without a word
	write("tool/credentials", "token=abc\n")            // not AWS either
	write("docs/config.txt", "[profile x]\nregion=x\n") // not a config/credentials name: not walked

	res := Load([]string{dir}, Options{})
	if len(res.Diags) > 0 {
		t.Fatalf("diagnostics: %v", res.Diags)
	}
	var got []string
	for _, f := range res.Files {
		rel, _ := filepath.Rel(filepath.ToSlash(dir), f.Path)
		got = append(got, string(f.Kind)+" "+filepath.ToSlash(rel))
	}
	sort.Strings(got)
	want := "aws-cli-config .aws/config|aws-cli-config .aws/credentials|github-workflow .github/workflows/deploy.yml|" +
		"github-workflow .github/workflows/reusable.yaml|github-workflow ci/pipeline.yml"
	if strings.Join(got, "|") != want {
		t.Errorf("files\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
	var types []string
	for _, r := range res.Graph.Resources() {
		types = append(types, r.Type+" "+r.Address)
	}
	sort.Strings(types)
	wantTypes := "awscli:credentials credentials.base|awscli:profile profile.dev-admin|github:workflow .github/workflows/deploy.yml|" +
		"github:workflow .github/workflows/reusable.yaml|github:workflow pipeline.yml"
	if strings.Join(types, "|") != wantTypes {
		t.Errorf("resources\n got %s\nwant %s", strings.Join(types, "|"), wantTypes)
	}
	if v := res.Graph.ByAddress("credentials.base")[0].Get("aws_secret_access_key"); v.Str != "(redacted)" {
		t.Errorf("secret kept in the graph: %q", v.Str)
	}

	// Explicit files and stdin are told by content.
	ini := write("x/aws.ini", "; profiles\n[profile dev]\nregion = eu-west-1\n")
	res = Load([]string{ini, "-"}, Options{Stdin: strings.NewReader("[profile prod]\nregion = eu-west-1\n")})
	if len(res.Diags) > 0 || len(res.Files) != 2 || res.Files[0].Kind != KindAWSConfig || res.Files[1].Kind != KindAWSConfig {
		t.Errorf("explicit INI and stdin: files %v diags %v", res.Files, res.Diags)
	}
	// An explicit file named config that is not AWS CLI configuration is
	// an error like any input of unknown kind.
	res = Load([]string{filepath.Join(dir, "ssh/config")}, Options{})
	if len(res.Diags) != 1 || res.Diags[0].Summary != "kind of input not recognised" {
		t.Errorf("explicit ssh config: %v", res.Diags)
	}
}
