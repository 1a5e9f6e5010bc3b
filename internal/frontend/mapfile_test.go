package frontend

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

// Every .json input read through a mapping loads as when read into
// memory: plans decoded from the mapping, and every other kind (copied
// before its front-end sees it), with raw documents kept or not.
func TestMappedInputsLoadAsRead(t *testing.T) {
	dir := t.TempDir()
	plan := plangen.Generate(30)
	files := map[string][]byte{
		"plan.json":      plan,
		"bom.json":       append([]byte{0xef, 0xbb, 0xbf}, plangen.Generate(3)...),
		"truncated.json": plan[:len(plan)/2],
		"binary.json":    {0x7b, 0x00, 0x01},
		"package.json":   []byte(`{"name": "web"}`),
		"cfn.json":       []byte(`{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {}}}}`),
		"pod.json":       []byte(`{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}`),
		"policy.json":    []byte(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}`),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	summary := func(res *Result) string {
		var lines []string
		for _, r := range res.Graph.Resources() {
			lines = append(lines, fmt.Sprintf("%s %v %v %d", r.Address, r.Range, r.Attrs.Keys(), len(res.Graph.Out(r))))
		}
		for _, f := range res.Files {
			lines = append(lines, "file "+f.Path+" "+string(f.Kind))
		}
		for _, d := range res.Diags {
			lines = append(lines, "diag "+d.Error())
		}
		for _, d := range res.Documents {
			lines = append(lines, fmt.Sprintf("doc %s %s %d %d", d.File, d.Kind, d.Index, len(d.Value.Keys())))
		}
		sort.Strings(lines)
		return strings.Join(lines, "\n")
	}
	defer func(m int64) { mapMin = m }(mapMin)
	for _, keep := range []bool{false, true} {
		mapMin = 1 << 62
		read := summary(Load([]string{dir}, Options{KeepDocuments: keep}))
		mapMin = 1
		mapped := summary(Load([]string{dir}, Options{KeepDocuments: keep}))
		if read != mapped {
			t.Errorf("keep documents %v: mapped inputs load otherwise than read ones:\nread:\n%s\nmapped:\n%s", keep, read, mapped)
		}
		if !strings.Contains(read, "file "+filepath.ToSlash(filepath.Join(dir, "plan.json"))+" terraform-plan") {
			t.Fatalf("the plan was not read as one:\n%s", read)
		}
	}
}
