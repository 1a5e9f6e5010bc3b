package frontend

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/eksguard/eksguard/internal/iam"
)

func TestStandalonePolicyFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("deployer.json", `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Pass",
      "Effect": "Allow",
      "Action": "iam:PassRole",
      "Resource": "*"
    }
  ]
}`)
	write("ci-trust.json", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
  "Action": "sts:AssumeRoleWithWebIdentity"}]}`)
	write("bucket.json", `{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}`)
	write("package.json", `{"name": "web", "Statement": "not a policy"}`)

	res := Load([]string{dir}, Options{})
	kinds := map[string]Kind{}
	for _, f := range res.Files {
		kinds[filepath.Base(f.Path)] = f.Kind
	}
	for _, n := range []string{"deployer.json", "ci-trust.json", "bucket.json"} {
		if kinds[n] != KindIAMPolicy {
			t.Errorf("%s read as %q, want an IAM policy", n, kinds[n])
		}
	}
	if _, ok := kinds["package.json"]; ok {
		t.Error("package.json is not a policy")
	}
	pol := res.Graph.ByAddress("aws_iam_policy.deployer")
	role := res.Graph.ByAddress("aws_iam_role.ci-trust")
	if len(pol) != 1 || len(role) != 1 || len(res.Graph.ByAddress("aws_iam_policy.bucket")) != 1 {
		t.Fatalf("resources: %d policy, %d role", len(pol), len(role))
	}
	p := iam.FromAttribute(res.Graph, pol[0], "policy")
	if len(p.Statements) != 1 || p.Statements[0].Sid != "Pass" || p.Statements[0].Range.Line != 4 {
		t.Errorf("statement and its line: %+v", p.Statements)
	}
	m := iam.Build(res.Graph)
	if r := m.Named(iam.Role, "ci-trust"); len(r) != 1 || r[0].Trust == nil || len(r[0].Trust.Statements) != 1 {
		t.Errorf("a trust policy file is a role's trust: %+v", r)
	}
}
