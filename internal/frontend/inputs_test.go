package frontend

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

func writeFile(t *testing.T, p string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func toUTF16(s string, bigEndian bool) []byte {
	var out []byte
	if bigEndian {
		out = []byte{0xfe, 0xff}
	} else {
		out = []byte{0xff, 0xfe}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// diagsWith returns the diagnostics whose text contains each of words.
func diagsWith(ds diag.List, words ...string) diag.List {
	var out diag.List
	for _, d := range ds {
		s := d.String()
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(s, w)
		}
		if ok {
			out = append(out, d)
		}
	}
	return out
}

// TestEncodings: a UTF-8 BOM or UTF-16 (either byte order, with its BOM)
// gives the same resources at the same positions as plain UTF-8, in every
// format, given explicitly or met in a walk.
func TestEncodings(t *testing.T) {
	inputs := map[string]string{
		"plan.json": `{"format_version": "1.2",
  "resource_changes": [
    {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
     "change": {"actions": ["create"], "after": {"bucket": "b"}}}]}
`,
		"cfn.json":    "{\n  \"Resources\": {\n    \"Q\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {}}\n  }\n}\n",
		"cfn.yaml":    "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub 'q-${AWS::Region}'\n",
		"ns.yaml":     "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n",
		"policy.json": "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]\n}\n",
		"config":      "[profile acme-prod-admin]\nregion = eu-west-1\nsso_start_url = https://acme.awsapps.com/start\n",
		"scan.sarif.json": `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "rules": [{"id": "R1"}]}},
  "results": [{"ruleId": "R1", "level": "error", "message": {"text": "bad"},
    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.tf"}, "region": {"startLine": 3}}}]}]}]}
`,
	}
	type shape struct {
		files []string
		addrs []string
		diags int
	}
	shapeOf := func(res *Result) shape {
		var s shape
		for _, f := range res.Files {
			s.files = append(s.files, filepath.Base(f.Path)+"="+string(f.Kind))
		}
		for _, r := range res.Graph.Resources() {
			s.addrs = append(s.addrs, r.Address+"@"+itoa(int(r.Range.Line))+":"+itoa(int(r.Range.Column)))
		}
		s.diags = len(res.Diags)
		return s
	}
	encodings := map[string]func(string) []byte{
		"utf-8":     func(s string) []byte { return []byte(s) },
		"utf-8 BOM": func(s string) []byte { return append([]byte("\ufeff"), s...) },
		"utf-16le":  func(s string) []byte { return toUTF16(s, false) },
		"utf-16be":  func(s string) []byte { return toUTF16(s, true) },
	}
	var want shape
	for _, enc := range []string{"utf-8", "utf-8 BOM", "utf-16le", "utf-16be"} {
		for name, src := range inputs {
			dir := t.TempDir()
			p := writeFile(t, filepath.Join(dir, name), encodings[enc](src))
			for _, explicit := range []bool{true, false} {
				arg := dir
				if explicit {
					arg = p
				}
				res := Load([]string{arg}, Options{})
				got := shapeOf(res)
				if len(res.Files) != 1 || len(res.Diags) != 0 {
					t.Errorf("%s %s (explicit %v): files %v, diagnostics %v", enc, name, explicit, res.Files, res.Diags)
					continue
				}
				if enc == "utf-8" {
					continue
				}
				want = shapeOf(Load([]string{writeFile(t, filepath.Join(t.TempDir(), name), []byte(src))}, Options{}))
				if strings.Join(got.addrs, " ") != strings.Join(want.addrs, " ") {
					t.Errorf("%s %s: resources at %v, in UTF-8 at %v", enc, name, got.addrs, want.addrs)
				}
			}
		}
	}
	// Imported findings keep the positions they name.
	res := Load([]string{writeFile(t, filepath.Join(t.TempDir(), "r.json"), toUTF16(inputs["scan.sarif.json"], false))}, Options{})
	if len(res.Imported) != 1 || res.Imported[0].Line != 3 {
		t.Errorf("UTF-16 SARIF: imported %+v", res.Imported)
	}
	// Positions inside the decoded file: the bucket attribute is on line 4.
	res = Load([]string{writeFile(t, filepath.Join(t.TempDir(), "p.json"), toUTF16(inputs["plan.json"], false))}, Options{})
	if rs := res.Graph.Resources(); len(rs) != 1 || rs[0].Get("bucket").Range.Line != 4 {
		t.Errorf("UTF-16 plan: resources %v", rs)
	}
}

func itoa(n int) string {
	var b []byte
	if n == 0 {
		return "0"
	}
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// TestBinaryInputs: binary content gets one diagnostic per file, before
// any parser sees it: a notice when a walk only guessed the kind from the
// name, an error when the user named the file or it is a .tf file.
func TestBinaryInputs(t *testing.T) {
	noise := make([]byte, 64<<10)
	for i := range noise {
		noise[i] = byte(i*7919 + i/3)
	}
	latin1 := []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n")

	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "plan.json"), noise)
	writeFile(t, filepath.Join(dir, "x.yaml"), noise)
	writeFile(t, filepath.Join(dir, "l.yaml"), latin1)
	writeFile(t, filepath.Join(dir, "ok.yaml"), []byte("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n"))
	res := Load([]string{dir}, Options{})
	if len(res.Diags) != 3 || len(diagsWith(res.Diags, "notice", "binary file")) != 3 {
		t.Errorf("walk: want one binary notice each for plan.json, x.yaml and l.yaml, got %v", res.Diags)
	}
	if res.Graph.Len() != 1 {
		t.Errorf("the text input is still read: %d resources", res.Graph.Len())
	}

	res = Load([]string{filepath.Join(dir, "plan.json")}, Options{})
	if len(res.Diags) != 1 || res.Diags[0].Severity != diag.Error || !strings.Contains(res.Diags[0].Summary, "binary") {
		t.Errorf("explicit: want one binary error, got %v", res.Diags)
	}

	tf := t.TempDir()
	writeFile(t, filepath.Join(tf, "main.tf"), noise)
	writeFile(t, filepath.Join(tf, "vpc.tf"), []byte("resource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n"))
	writeFile(t, filepath.Join(tf, "u16.tf"), toUTF16("locals {\n  a = 1\n}\n", false))
	res = Load([]string{tf}, Options{KeepDocuments: true})
	bin := diagsWith(res.Diags, "main.tf")
	if len(bin) != 1 || bin[0].Severity != diag.Error || !strings.Contains(bin[0].Summary, "binary") {
		t.Errorf("binary main.tf: want one error, got %d: %v", len(bin), bin)
	}
	if u := diagsWith(res.Diags, "u16.tf"); len(u) != 1 {
		t.Errorf("UTF-16 .tf: want one diagnostic, got %v", u)
	}
	only := t.TempDir()
	writeFile(t, filepath.Join(only, "main.tf"), noise)
	if res := Load([]string{only}, Options{}); len(res.Files) != 0 || len(res.Diags) != 1 {
		t.Errorf("a directory of one binary .tf file: files %v, diagnostics %v", res.Files, res.Diags)
	}
	if len(res.Graph.ByAddress("aws_vpc.v")) != 1 {
		t.Error("the directory's other .tf files are still evaluated")
	}
	if len(res.Files) != 1 || res.Files[0].Count != 1 {
		t.Errorf("files %+v: want one Terraform directory of 1 readable .tf file", res.Files)
	}
	for _, d := range res.Documents {
		if !strings.HasSuffix(d.File, "vpc.tf") {
			t.Errorf("document kept for %s", d.File)
		}
	}
}

// TestTerraformFileCount: a Terraform root counts its .tf files and those
// of the local modules it calls, not one per directory.
func TestTerraformFileCount(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 5; i++ {
		writeFile(t, filepath.Join(dir, "f"+itoa(i)+".tf"), []byte("locals {\n  x"+itoa(i)+" = 1\n}\n"))
	}
	writeFile(t, filepath.Join(dir, "main.tf"), []byte("module \"m\" {\n  source = \"./modules/m\"\n}\n"))
	writeFile(t, filepath.Join(dir, "modules/m/a.tf"), []byte("variable \"v\" {\n  default = 1\n}\n"))
	writeFile(t, filepath.Join(dir, "modules/m/b.tf.json"), []byte(`{"locals": {"y": 2}}`))
	res := Load([]string{dir}, Options{})
	if len(res.Files) != 1 || res.Files[0].Count != 8 || res.Files[0].Kind != KindTerraform {
		t.Errorf("files %+v, diagnostics %v: want one Terraform root of 8 files", res.Files, res.Diags)
	}
}

// TestNothingToRead: a scan that reads nothing is an error naming the
// path, not an empty success.
func TestNothingToRead(t *testing.T) {
	empty := t.TempDir()
	writeFile(t, filepath.Join(empty, "README.md"), []byte("# nothing here\n"))
	res := Load([]string{empty}, Options{})
	if len(res.Diags) != 1 || res.Diags[0].Severity != diag.Error || !strings.Contains(res.Diags[0].Summary, "no input of a kind eksguard reads under "+empty) {
		t.Errorf("empty directory: %v", res.Diags)
	}
	res = Load([]string{filepath.Join(empty, "missing")}, Options{})
	if len(res.Diags) != 1 || !strings.Contains(res.Diags[0].Summary, "cannot read") {
		t.Errorf("a missing path is reported once, as unreadable: %v", res.Diags)
	}
	ok := t.TempDir()
	writeFile(t, filepath.Join(ok, "ns.yaml"), []byte("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n"))
	if res := Load([]string{empty, ok}, Options{}); len(res.Diags) != 0 {
		t.Errorf("an empty directory beside one with input is no error: %v", res.Diags)
	}
	if res := Load([]string{"-"}, Options{Stdin: bytes.NewReader(plangen.Generate(1))}); len(res.Diags) != 0 {
		t.Errorf("stdin: %v", res.Diags)
	}
}
