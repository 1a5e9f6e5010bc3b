package tfplan

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

// sameAttrs reports where two attribute trees differ: kind, value,
// position, secrecy or what is known of an unknown.
func sameAttrs(a, b *graph.Value, path string) string {
	if a == nil || b == nil {
		if a != b {
			return path + ": one is absent"
		}
		return ""
	}
	if a.Kind != b.Kind || a.Bool != b.Bool || a.Str != b.Str || a.Range != b.Range || len(a.List) != len(b.List) ||
		a.Map.Len() != b.Map.Len() || a.IsSecret() != b.IsSecret() || !reflect.DeepEqual(a.Why(), b.Why()) || (a.Num() != b.Num() && a.Num() == a.Num()) {
		return fmt.Sprintf("%s: %s %+v / %s %+v", path, a, a.Range, b, b.Range)
	}
	for i := range a.List {
		if d := sameAttrs(a.List[i], b.List[i], fmt.Sprint(path, "[", i, "]")); d != "" {
			return d
		}
	}
	for k, x := range a.Map.All() {
		if d := sameAttrs(x, b.Map.Get(k), path+"."+k); d != "" {
			return d
		}
	}
	return ""
}

// sameGraph reports where two graphs differ: resources, their attributes
// with positions, and every edge in the order rules meet it.
func sameGraph(a, b *graph.Graph) string {
	var ja, jb bytes.Buffer
	if err := a.WriteJSON(&ja); err != nil {
		return err.Error()
	}
	if err := b.WriteJSON(&jb); err != nil {
		return err.Error()
	}
	if !bytes.Equal(ja.Bytes(), jb.Bytes()) {
		return "graph JSON differs"
	}
	for i, ra := range a.Resources() {
		rb := b.Resources()[i]
		if d := sameAttrs(ra.Attrs, rb.Attrs, ra.Address); d != "" {
			return d
		}
		if ra.ConfigAddr != rb.ConfigAddr || ra.ModulePath != rb.ModulePath {
			return ra.Address + ": configuration address or module path differs"
		}
		for _, dir := range []func(*graph.Graph, *graph.Resource) []graph.Edge{(*graph.Graph).Out, (*graph.Graph).In} {
			ea, eb := dir(a, ra), dir(b, rb)
			if len(ea) != len(eb) {
				return ra.Address + ": edges differ"
			}
			for j := range ea {
				if ea[j].From.ID != eb[j].From.ID || ea[j].To.ID != eb[j].To.ID || ea[j].Attr != eb[j].Attr {
					return fmt.Sprintf("%s: edge %d differs", ra.Address, j)
				}
			}
		}
	}
	return ""
}

// decodeLikeLoad checks that Decode reads data exactly as Parse and Load
// do, refusing what they refuse.
func decodeLikeLoad(t testing.TB, data []byte) {
	t.Helper()
	gd := graph.New()
	diags, ok := Decode(gd, data, "plan.json")
	root, err := jsonpos.Parse(data, "plan.json")
	if err != nil || !Detect(root) {
		if ok || gd.Len() != 0 {
			t.Fatalf("Decode read what Parse and Detect refuse (%v)", err)
		}
		return
	}
	if !ok {
		t.Fatal("Decode refused a plan Parse reads")
	}
	gl := graph.New()
	want := Load(gl, root, "plan.json")
	if fmt.Sprint(diags) != fmt.Sprint(want) {
		t.Fatalf("diagnostics %v, want %v", diags, want)
	}
	if d := sameGraph(gl, gd); d != "" {
		t.Fatal(d)
	}
}

// deepModules is a plan whose modules nest n deep, a resource in each.
func deepModules(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"format_version": "1.2", "planned_values": {"root_module": `)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"resources": [{"address": "a.b%d", "values": {}}], "child_modules": [`, i)
	}
	b.WriteString(`{}` + strings.Repeat(`]}`, n) + `}}`)
	return []byte(b.String())
}

// TestDecodeLikeLoad: reading a plan from its bytes, the parts Load does
// not read skipped, gives the graph that parsing it whole and Load give:
// the rules' plans, the test plans here, generated ones, and plans whose
// parts come in another order or shape than Terraform writes.
func TestDecodeLikeLoad(t *testing.T) {
	srcs := map[string][]byte{
		"unknownPlan":  []byte(unknownPlan),
		"refPlan":      []byte(refPlan),
		"providerPlan": []byte(providerPlan),
		"plangen":      plangen.Generate(200),
		"compact":      plangen.GenerateCompact(200),
		// The resource changes first; the prior state's resource without
		// its mode; a planned resource whose change deletes it, one whose
		// change has no after, one changed twice.
		"reordered": []byte(`{"resource_changes": [
		  {"change": {"after": {"a": 1}, "actions": ["update"], "after_unknown": {"b": true}, "before": {"a": 0}}, "address": "aws_s3_bucket.x", "type": "aws_s3_bucket", "name": "x"},
		  {"address": "aws_s3_bucket.gone", "change": {"actions": ["delete"], "after": null}},
		  {"address": "aws_s3_bucket.same", "change": {"actions": ["no-op"], "after": null}},
		  {"address": "aws_s3_bucket.twice", "change": {"actions": ["delete"], "after": {"v": 1}}},
		  {"address": "aws_s3_bucket.twice", "change": {"actions": ["create"], "after": {"v": 2}}}],
		 "prior_state": {"values": {"root_module": {"resources": [
		  {"address": "data.aws_ami.a", "values": {"id": "ami-1"}},
		  {"address": "data.aws_ami.b", "mode": "data", "type": "aws_ami", "name": "b", "values": {"id": "ami-2"}, "sensitive_values": {"id": true}},
		  {"address": "aws_s3_bucket.old", "mode": "managed", "values": {"bucket": "old"}}]}}},
		 "planned_values": {"outputs": {"o": {"value": 1}}, "root_module": {
		  "resources": [
		   {"values": {"a": 9}, "address": "aws_s3_bucket.x", "mode": "managed"},
		   {"address": "aws_s3_bucket.gone", "values": {"g": 1}},
		   {"address": "aws_s3_bucket.same", "values": {"s": 1}, "sensitive_values": {"s": true}},
		   {"address": "aws_s3_bucket.twice", "values": {"v": 0}},
		   {"address": "aws_s3_bucket.kept", "values": {"k": [1, {"l": 2}]}}],
		  "child_modules": {"resources": {"address": "module.m.aws_sqs_queue.q", "values": {"name": "q"}}}}},
		 "format_version": "1.2", "output_changes": {"o": {"after": 1}}, "checks": []}`),
		// Shapes Terraform does not write, read whole.
		"shapes": []byte(`{"format_version": "1.2", "planned_values": [{"root_module": {"resources": [{"address": "a.b", "values": {"x": 1}}]}}],
		  "resource_changes": {"address": "a.c", "change": [{"after": {"y": 2}, "actions": ["create"]}]},
		  "prior_state": {"values": [{"root_module": {"resources": [{"address": "data.d.e", "mode": "data", "values": {}}]}}]}}`),
		// Child modules before resources; changes with no after, an
		// after unknown as a whole, no address; resources not objects.
		"order": []byte(`{"format_version": "1.2", "planned_values": {"root_module": {
		  "child_modules": [{"resources": [{"address": "module.c.a.b", "values": {"x": 1}}], "child_modules": 7}, "x"],
		  "resources": [{"address": "a.first", "values": {"y": 2}, "sensitive_values": {"y": true}}, 3, null, [{"address": "a.list"}]]}},
		  "resource_changes": [
		   {"address": "a.first", "change": {"actions": ["update"], "after": null, "after_unknown": {"z": true}}},
		   {"address": "a.new", "change": {"actions": ["create"], "after": null, "after_unknown": {"z": [true]}}},
		   {"address": "a.whole", "change": {"actions": ["create"], "after": {"q": 1}, "after_unknown": true, "after_sensitive": true}},
		   {"change": {"actions": ["create"], "after": {"q": 1}}}, 5,
		   {"address": "module.c.a.b", "change": {"actions": ["create"], "after": {"x": 2}, "before": {"x": 1}, "before_sensitive": {"x": true}}}]}`),
		// Addresses written twice, on the line after their key, not as
		// strings; a type that is a number.
		"identities": []byte("{\"format_version\": \"1.2\", \"resource_changes\": [" +
			"{\"address\":\n \"a.first\", \"address\": \"a.dup\", \"type\": 5, \"name\": \"dup\", \"change\": {\"actions\": [\"create\"], \"after\": {\"x\": 1}}}," +
			"{\"address\": {\"no\": 1}, \"change\": {\"actions\": [\"create\"], \"after\": {\"x\": 2}}}]," +
			"\"planned_values\": {\"root_module\": {\"resources\": [{\"address\": 7, \"values\": {}}, " +
			"{\"address\":\n  \"p.q\", \"mode\": \"managed\", \"values\": {\"v\": 1}}, {\"mode\": null, \"address\": \"p.r\", \"values\": {}}]}}}"),
		"deep modules": deepModules(70),
		"not a plan":   []byte(`{"format_version": "1.2", "outputs": {}}`),
		"broken":       []byte(`{"format_version": "1.2", "planned_values": {}, "checks": [1,}`),
		"too deep":     []byte(`{"format_version": "1.2", "planned_values": {}, "checks": ` + string(bytes.Repeat([]byte("["), 300)) + string(bytes.Repeat([]byte("]"), 300)) + `}`),
		"trailing":     []byte(`{"format_version": "1.2", "planned_values": {}} {}`),
		"duplicate":    []byte(`{"format_version": "1.2", "planned_values": {}, "checks": {"a": 1, "a": 2}}`),
	}
	plans, _ := filepath.Glob("../../builtin/testdata/*/plan/*.json")
	more, _ := filepath.Glob("../../builtin/testdata/*/plan.json")
	for _, p := range append(append(plans, more...), "../../../examples/seed-eks/tfplan.json") {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		srcs[p] = b
	}
	for name, src := range srcs {
		t.Run(filepath.Base(name), func(t *testing.T) { decodeLikeLoad(t, src) })
	}
}

// TestSniff: every plan is taken, keys sorted or not; JSON of other kinds
// is not.
func TestSniff(t *testing.T) {
	for _, p := range [][]byte{plangen.Generate(2000), plangen.GenerateCompact(10), []byte(unknownPlan), []byte(refPlan)} {
		if !Sniff(p) {
			t.Errorf("plan not taken: %.80s", p)
		}
	}
	for _, s := range []string{`{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}`, `{"apiVersion": "v1", "kind": "Pod"}`,
		`{"format_version": "1.0", "outputs": {}}`} {
		if Sniff([]byte(s)) {
			t.Errorf("taken for a plan: %s", s)
		}
	}
}

// Load leaves a document's after_unknown as written: raw policies read
// it. Only a change decoded for itself alone gives its leaves away as the
// unknowns.
func TestLoadKeepsAfterUnknown(t *testing.T) {
	src := []byte(`{"format_version": "1.2", "resource_changes": [
	  {"address": "aws_iam_role.r", "type": "aws_iam_role", "name": "r", "change": {"actions": ["create"],
	   "after": {"name": "r"}, "after_unknown": {"arn": true, "tags": {"a": true}, "list": [true, false]}}}]}`)
	root, err := jsonpos.Parse(src, "plan.json")
	if err != nil {
		t.Fatal(err)
	}
	Load(graph.New(), root, "plan.json")
	unk := root.Get("resource_changes", "0", "change", "after_unknown")
	for _, path := range [][]string{{"arn"}, {"tags", "a"}, {"list", "0"}} {
		if v := unk.Get(path...); v == nil || v.Kind != graph.Bool || !v.Bool {
			t.Errorf("after_unknown.%s is %v after Load, want true as written", strings.Join(path, "."), v)
		}
	}
}
