package cli

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestDownloadModulesFlag: --download-modules fetches a module terraform
// init has not installed (here an archive on the loopback interface) into
// --module-cache, and its resources are checked; without the flag the
// call is reported unread and the scan incomplete. --account-id and
// --region reach the evaluator.
func TestDownloadModulesFlag(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	mod := `resource "aws_launch_template" "nodes" {
  name = "nodes"
  metadata_options {
    http_tokens = "optional"
  }
}
`
	_ = tw.WriteHeader(&tar.Header{Name: "main.tf", Mode: 0o644, Size: int64(len(mod)), Typeflag: tar.TypeReg})
	_, _ = tw.Write([]byte(mod))
	_ = tw.Close()
	_ = zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(buf.Bytes()) }))
	defer srv.Close()
	dir := writeFiles(t, map[string]string{"main.tf": fmt.Sprintf(`
module "nodes" {
  source = "%s/nodes.tar.gz"
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

resource "aws_sns_topic" "t" {
  name = "arn:aws:sns:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:x"
}
`, srv.URL)})

	_, r := scanJSON(t, dir)
	if len(r.Summary.Incomplete) != 1 || r.Summary.Incomplete[0].Call != "module.nodes" {
		t.Errorf("offline: want module.nodes unread, got %+v", r.Summary.Incomplete)
	}
	code, r := scanJSON(t, "--download-modules", "--module-cache", t.TempDir(), dir)
	if code != ExitGate || len(r.Summary.Incomplete) != 0 {
		t.Fatalf("exit %d, incomplete %+v, errors %v", code, r.Summary.Incomplete, r.Errors)
	}
	found := false
	for _, f := range r.Findings {
		found = found || (f.RuleID == "NODE-001" && f.Resource == "module.nodes.aws_launch_template.nodes")
	}
	if !found {
		t.Errorf("the fetched module's launch template is not checked: %+v", r.Findings)
	}

	// A policy that prints the topic's name shows what the evaluator made
	// of the caller identity and region.
	pol := writeFiles(t, map[string]string{"name.rego": `# METADATA
# custom:
#   id: T-NAME
#   selector:
#     type: aws_sns_topic
package name

import rego.v1

deny contains sprintf("name %v", [input.name])
`})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, `name {"__unknown__": true, "partial": "arn:aws:sns:${Unknown}:${Account}:x", "reason": "the AWS region is not known: give --region"}`},
		{[]string{"--account-id", "111122223333", "--region", "eu-west-1"}, "name arn:aws:sns:eu-west-1:111122223333:x"},
	} {
		_, r := scanJSON(t, append(append([]string{"--policy", pol}, tc.args...), dir)...)
		got := ""
		for _, f := range r.Findings {
			if f.RuleID == "T-NAME" {
				got = f.Message
			}
		}
		if got != tc.want {
			t.Errorf("%v: %q, want %q", tc.args, got, tc.want)
		}
	}
}
