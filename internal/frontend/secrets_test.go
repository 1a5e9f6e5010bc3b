package frontend

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMarkSettingsNotSecrets: an attribute whose name says "token" or
// "credentials" but that the provider's schema makes a setting is not
// masked; the same name elsewhere is.
func TestMarkSettingsNotSecrets(t *testing.T) {
	dir := t.TempDir()
	tf := `
resource "aws_cognito_user_pool_client" "web" {
  name         = "web"
  user_pool_id = "eu-west-1_Ab12Cd34E"
  token_validity_units {
    refresh_token = "days"
  }
}

resource "aws_lambda_function" "oauth" {
  function_name = "oauth"
  environment {
    variables = {
      refresh_token = "Wd3kR8mQ5xT2pN7v"
    }
  }
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Load([]string{dir}, Options{})
	for _, c := range []struct {
		addr, path string
		secret     bool
	}{
		{"aws_cognito_user_pool_client.web", "token_validity_units.0.refresh_token", false},
		{"aws_lambda_function.oauth", "environment.0.variables.refresh_token", true},
	} {
		rs := res.Graph.ByAddress(c.addr)
		if len(rs) != 1 {
			t.Fatalf("%s: %d resources", c.addr, len(rs))
		}
		v := rs[0].Get(c.path)
		if v == nil {
			t.Fatalf("%s: no %s", c.addr, c.path)
		}
		if v.IsSecret() != c.secret {
			t.Errorf("%s %s: secret %v, want %v", c.addr, c.path, v.IsSecret(), c.secret)
		}
	}
}

// Secrets collected while marking are those a walk of everything after
// marking collects, on every input of the rules' and policies' tests.
func TestSecretsCollectedWhileMarking(t *testing.T) {
	var dirs []string
	for _, root := range []string{"../builtin/testdata", "../policy/testdata", "../../examples", "testdata"} {
		entries, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() {
				dirs = append(dirs, filepath.Join(root, e.Name()))
			}
		}
	}
	withSecrets := 0
	for _, d := range dirs {
		opts := Options{KeepDocuments: true}
		during := Load([]string{d}, opts).Secrets
		collectAfter = true
		after := Load([]string{d}, opts).Secrets
		collectAfter = false
		if strings.Join(during, "\x00") != strings.Join(after, "\x00") {
			t.Errorf("%s: collected while marking %q, after %q", d, during, after)
		}
		if len(after) > 0 {
			withSecrets++
		}
	}
	if withSecrets < 10 {
		t.Fatalf("only %d of %d inputs hold secrets", withSecrets, len(dirs))
	}
}

// TestSecretNamesNotMaskedEverywhere: a cluster name an Argo CD cluster
// Secret repeats under "name", and the code uses as a plain value
// elsewhere, is not masked in all text (EKS-009 printed
// role/(redacted)-argocd-spoke for terraform-aws-eks-blueprints' gitops
// spokes); it stays masked in the Secret itself. The token beside it, a
// password in another Secret, and a name that is also a secret elsewhere
// stay masked in all text.
func TestSecretNamesNotMaskedEverywhere(t *testing.T) {
	dir := t.TempDir()
	tf := `
resource "aws_eks_cluster" "spoke" {
  name     = "spoke-default"
  role_arn = "arn:aws:iam::111122223333:role/spoke-default-cluster"
}

resource "aws_iam_role" "argocd" {
  name = "spoke-default-argocd-spoke"
}

resource "kubernetes_secret_v1" "cluster" {
  metadata {
    name      = "spoke-default"
    namespace = "argocd"
  }
  data = {
    name   = "spoke-default"
    server = "https://ABCDEF0123.gr7.eu-west-1.eks.amazonaws.com"
    config = "{\"bearerToken\":\"Xk7qR2vN9mT4wP8sZ3yB\"}"
    token  = "Xk7qR2vN9mT4wP8sZ3yB"
  }
}

resource "kubernetes_secret_v1" "db" {
  metadata {
    name = "db"
  }
  data = {
    name     = "orders-db"
    password = "Hq4vT8nR2kW6zM9x"
  }
}

resource "kubernetes_secret_v1" "reused" {
  metadata {
    name = "reused"
  }
  data = {
    name     = "prod-east"
    password = "prod-east"
  }
}

resource "aws_eks_cluster" "east" {
  name     = "prod-east"
  role_arn = "arn:aws:iam::111122223333:role/east"
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Load([]string{dir}, Options{})
	const msg = "granted to arn:aws:iam::111122223333:role/spoke-default-argocd-spoke"
	if got := res.Redactor.String(msg); got != msg {
		t.Errorf("cluster name masked in a message: %q", got)
	}
	for _, s := range []string{`{"bearerToken":"Xk7qR2vN9mT4wP8sZ3yB"}`, "Xk7qR2vN9mT4wP8sZ3yB", "Hq4vT8nR2kW6zM9x", "prod-east"} {
		if got := res.Redactor.String("x " + s + " y"); strings.Contains(got, s) {
			t.Errorf("secret %q not masked: %q", s, got)
		}
	}
	rs := res.Graph.ByAddress("kubernetes_secret_v1.cluster")
	if len(rs) != 1 {
		t.Fatalf("kubernetes_secret_v1.cluster: %d resources", len(rs))
	}
	if v := rs[0].Get("data.name"); v == nil || !v.IsSecret() {
		t.Errorf("the name in the Secret itself is not marked secret: %+v", v)
	}
}

// TestSecretNamesInManifests: the same for an Argo CD cluster Secret
// written as a Kubernetes manifest; its token stays masked.
func TestSecretNamesInManifests(t *testing.T) {
	dir := t.TempDir()
	y := `apiVersion: v1
kind: Secret
metadata:
  name: hub-cluster
  namespace: argocd
stringData:
  name: hub-cluster
  server: https://kubernetes.default.svc
  password: Rw7kT2qN8vM4zX6p
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: argocd
data:
  cluster: hub-cluster
`
	if err := os.WriteFile(filepath.Join(dir, "argocd.yaml"), []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Load([]string{dir}, Options{})
	if got := res.Redactor.String("cluster hub-cluster"); got != "cluster hub-cluster" {
		t.Errorf("cluster name masked in a message: %q", got)
	}
	if got := res.Redactor.String("x Rw7kT2qN8vM4zX6p"); strings.Contains(got, "Rw7kT2qN8vM4zX6p") {
		t.Errorf("password not masked: %q", got)
	}
}
