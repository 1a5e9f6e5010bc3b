package tffunc

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/eksguard/eksguard/internal/frontend/tfhcl/tfmark"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

var (
	s   = cty.StringVal
	n   = cty.NumberIntVal
	num = cty.MustParseNumberVal
)

func strs(vs ...string) []cty.Value {
	out := make([]cty.Value, len(vs))
	for i, v := range vs {
		out[i] = s(v)
	}
	return out
}

// writeTree creates files (path -> content) below a fresh temp dir.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func newLib(t *testing.T, cfg Config) *Library {
	t.Helper()
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// eval evaluates an HCL expression the way the evaluator will: through
// hclsyntax with the library's table, so namespaced names and
// templatestring's expression argument are exercised too.
func eval(t *testing.T, l *Library, src string, vars map[string]cty.Value) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "test.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %s: %s", src, diags.Error())
	}
	return expr.Value(&hcl.EvalContext{Variables: vars, Functions: l.Functions()})
}

// docTree is the configuration directory the documentation examples use.
var docTree = map[string]string{
	"hello.txt":      "Hello World",
	"backends.tftpl": "%{ for addr in ip_addrs ~}\nbackend ${addr}:${port}\n%{ endfor ~}\n",
	"config.tftpl":   "${jsonencode({\"backends\": [for addr in ip_addrs : \"${addr}:${port}\"]})}",
	"files/a.txt":    "a",
	"files/b.txt":    "b",
	"files/c.md":     "c",
}

// TestDocumentedExamples checks each function against the examples on its
// page of Terraform's documentation (OpenTofu's for cidrcontains,
// base64gunzip and urldecode). Every built-in name must have a case.
func TestDocumentedExamples(t *testing.T) {
	dir := writeTree(t, docTree)
	l := newLib(t, Config{Dir: dir, Roots: []string{dir}})
	vars := map[string]cty.Value{
		"local": cty.ObjectVal(map[string]cty.Value{
			"raw_value": cty.ObjectVal(map[string]cty.Value{"region": s("us-east-1")}),
			"tmpl":      s("Hello, ${name}!"),
		}),
	}
	cases := []struct {
		fn, expr string
		want     cty.Value
	}{
		{"abs", `abs(23)`, n(23)},
		{"abs", `abs(-12.4)`, num("12.4")},
		{"abspath", `abspath("files/a.txt")`, s(filepath.ToSlash(filepath.Join(dir, "files", "a.txt")))},
		{"alltrue", `alltrue(["true", true])`, cty.True},
		{"alltrue", `alltrue([true, false])`, cty.False},
		{"anytrue", `anytrue(["true"])`, cty.True},
		{"anytrue", `anytrue([])`, cty.False},
		{"base64decode", `base64decode("SGVsbG8gV29ybGQ=")`, s("Hello World")},
		{"base64encode", `base64encode("Hello World")`, s("SGVsbG8gV29ybGQ=")},
		{"base64gzip", `base64gzip("test")`, s("H4sIAAAAAAAA/ypJLS4BAAAA//8BAAD//wx+f9gEAAAA")},
		{"base64gunzip", `base64gunzip("H4sIAAAAAAAA/ypJLS4BAAAA//8BAAD//wx+f9gEAAAA")`, s("test")},
		{"base64sha256", `base64sha256("hello world")`, s("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")},
		{"base64sha512", `base64sha512("hello world")`, s("MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==")},
		{"basename", `basename("foo/bar/baz.txt")`, s("baz.txt")},
		{"can", `can(regex("^ami-", "ami-123"))`, cty.True},
		{"can", `can(regex("^ami-", "xyz"))`, cty.False},
		{"ceil", `ceil(5.1)`, n(6)},
		{"chomp", `chomp("hello\n")`, s("hello")},
		{"chomp", `chomp("hello\r\n")`, s("hello")},
		{"chunklist", `chunklist(["a", "b", "c", "d", "e"], 2)`, cty.ListVal([]cty.Value{cty.ListVal(strs("a", "b")), cty.ListVal(strs("c", "d")), cty.ListVal(strs("e"))})},
		{"cidrcontains", `cidrcontains("192.168.2.0/20", "192.168.2.1")`, cty.True},
		{"cidrcontains", `cidrcontains("fd00:fd12:3456:7890::/56", "fd00:fd12:3456:7890:00a2::/72")`, cty.True},
		{"cidrhost", `cidrhost("10.12.112.0/20", 16)`, s("10.12.112.16")},
		{"cidrhost", `cidrhost("10.12.112.0/20", 268)`, s("10.12.113.12")},
		{"cidrhost", `cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)`, s("fd00:fd12:3456:7890::22")},
		{"cidrnetmask", `cidrnetmask("172.16.0.0/12")`, s("255.240.0.0")},
		{"cidrsubnet", `cidrsubnet("172.16.0.0/12", 4, 2)`, s("172.18.0.0/16")},
		{"cidrsubnet", `cidrsubnet("10.1.2.0/24", 4, 15)`, s("10.1.2.240/28")},
		{"cidrsubnet", `cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)`, s("fd00:fd12:3456:7800:a200::/72")},
		{"cidrsubnets", `cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)`, cty.ListVal(strs("10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"))},
		{"cidrsubnets", `cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)`, cty.ListVal(strs("fd00:fd12:3456:7800::/72", "fd00:fd12:3456:7800:100::/72", "fd00:fd12:3456:7800:200::/72", "fd00:fd12:3456:7800:300::/88"))},
		{"coalesce", `coalesce("a", "b")`, s("a")},
		{"coalesce", `coalesce("", "b")`, s("b")},
		{"coalesce", `coalesce(1, 2)`, n(1)},
		{"coalescelist", `coalescelist([], ["c", "d"])`, cty.TupleVal(strs("c", "d"))},
		{"compact", `compact(["a", "", "b", null, "c"])`, cty.ListVal(strs("a", "b", "c"))},
		{"concat", `concat(["a", ""], ["b", "c"])`, cty.TupleVal(strs("a", "", "b", "c"))},
		{"contains", `contains(["a", "b", "c"], "a")`, cty.True},
		{"contains", `contains(["a", "b", "c"], "d")`, cty.False},
		{"csvdecode", "csvdecode(\"a,b,c\\n1,2,3\\n4,5,6\")", cty.ListVal([]cty.Value{
			cty.ObjectVal(map[string]cty.Value{"a": s("1"), "b": s("2"), "c": s("3")}),
			cty.ObjectVal(map[string]cty.Value{"a": s("4"), "b": s("5"), "c": s("6")}),
		})},
		{"dirname", `dirname("foo/bar/baz.txt")`, s("foo/bar")},
		{"distinct", `distinct(["a", "b", "a", "c", "d", "b"])`, cty.ListVal(strs("a", "b", "c", "d"))},
		{"element", `element(["a", "b", "c"], 1)`, s("b")},
		{"element", `element(["a", "b", "c"], 3)`, s("a")},
		{"endswith", `endswith("hello world", "world")`, cty.True},
		{"endswith", `endswith("hello world", "hello")`, cty.False},
		{"ephemeralasnull", `ephemeralasnull("x")`, s("x")},
		{"file", `file("hello.txt")`, s("Hello World")},
		{"filebase64", `filebase64("hello.txt")`, s("SGVsbG8gV29ybGQ=")},
		{"filebase64sha256", `filebase64sha256("hello.txt")`, s("pZGm1Av0IEBKARczz7exkNYsZb8LzaMrV7J32a2fFG4=")},
		{"filebase64sha512", `filebase64sha512("hello.txt")`, s("LHT9F+2v2A6ER7DUZ0HuJDt+t03SFJoKsbkkb7MDgvJ+hT2FhXGeDmfL2g2qj1FnEGRhXWRa4nrLFb+xRH9Fmw==")},
		{"fileexists", `fileexists("hello.txt")`, cty.True},
		{"fileexists", `fileexists("nope.txt")`, cty.False},
		{"filemd5", `filemd5("hello.txt")`, s("b10a8db164e0754105b7a99be72e3fe5")},
		{"fileset", `fileset("files", "*.txt")`, cty.SetVal(strs("a.txt", "b.txt"))},
		{"filesha1", `filesha1("hello.txt")`, s("0a4d55a8d778e5022fab701977c5d840bbc486d0")},
		{"filesha256", `filesha256("hello.txt")`, s("a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e")},
		{"filesha512", `filesha512("hello.txt")`, s("2c74fd17edafd80e8447b0d46741ee243b7eb74dd2149a0ab1b9246fb30382f27e853d8585719e0e67cbda0daa8f51671064615d645ae27acb15bfb1447f459b")},
		{"flatten", `flatten([["a", "b"], [], ["c"]])`, cty.TupleVal(strs("a", "b", "c"))},
		{"floor", `floor(4.9)`, n(4)},
		{"format", `format("Hello, %s!", "Ander")`, s("Hello, Ander!")},
		{"format", `format("There are %d lights", 4)`, s("There are 4 lights")},
		{"formatdate", `formatdate("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z")`, s("02 Jan 2018 23:12 UTC")},
		{"formatdate", `formatdate("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z")`, s("Tuesday, 02-Jan-18 23:12:01 UTC")},
		{"formatlist", `formatlist("Hello, %s!", ["Valentina", "Ander"])`, cty.ListVal(strs("Hello, Valentina!", "Hello, Ander!"))},
		{"indent", "indent(2, \"[\\n  foo,\\n  bar,\\n]\\n\")", s("[\n    foo,\n    bar,\n  ]\n  ")},
		{"index", `index(["a", "b", "c"], "b")`, n(1)},
		{"issensitive", `issensitive(sensitive("x"))`, cty.True},
		{"issensitive", `issensitive("x")`, cty.False},
		{"join", `join("-", ["foo", "bar", "baz"])`, s("foo-bar-baz")},
		{"join", `join(", ", ["foo"])`, s("foo")},
		{"jsondecode", `jsondecode("{\"hello\": \"world\"}")`, cty.ObjectVal(map[string]cty.Value{"hello": s("world")})},
		{"jsondecode", `jsondecode("true")`, cty.True},
		{"jsonencode", `jsonencode({"hello"="world"})`, s(`{"hello":"world"}`)},
		{"keys", `keys({a=1, c=2, d=3})`, cty.TupleVal(strs("a", "c", "d"))},
		{"keys", `keys(tomap({a=1, c=2}))`, cty.ListVal(strs("a", "c"))},
		{"length", `length([])`, n(0)},
		{"length", `length(["a", "b"])`, n(2)},
		{"length", `length({"a" = "b"})`, n(1)},
		{"length", `length("hello")`, n(5)},
		{"length", `length("👾🕹️")`, n(2)},
		{"log", `log(16, 2)`, n(4)},
		{"lookup", `lookup({a="ay", b="bee"}, "a", "what?")`, s("ay")},
		{"lookup", `lookup({a="ay", b="bee"}, "c", "what?")`, s("what?")},
		{"lookup", `lookup(tomap({a="ay"}), "a")`, s("ay")},
		{"lower", `lower("HELLO")`, s("hello")},
		{"matchkeys", `matchkeys(["i-123", "i-abc", "i-def"], ["us-west", "us-east", "us-east"], ["us-east"])`, cty.ListVal(strs("i-abc", "i-def"))},
		{"max", `max(12, 54, 3)`, n(54)},
		{"md5", `md5("hello world")`, s("5eb63bbbe01eeed093cb22bb8f5acdc3")},
		{"merge", `merge({a="b", c="d"}, {e="f", c="z"})`, cty.ObjectVal(map[string]cty.Value{"a": s("b"), "c": s("z"), "e": s("f")})},
		{"min", `min(12, 54, 3)`, n(3)},
		{"nonsensitive", `nonsensitive(sensitive("x"))`, s("x")},
		{"one", `one([])`, cty.NullVal(cty.DynamicPseudoType)},
		{"one", `one(["hello"])`, s("hello")},
		{"one", `one(tolist([]))`, cty.NullVal(cty.DynamicPseudoType)},
		{"parseint", `parseint("100", 10)`, n(100)},
		{"parseint", `parseint("FF", 16)`, n(255)},
		{"parseint", `parseint("-10", 16)`, n(-16)},
		{"pathexpand", `pathexpand("/etc/resolv.conf")`, s("/etc/resolv.conf")},
		{"pow", `pow(3, 2)`, n(9)},
		{"range", `range(3)`, cty.ListVal([]cty.Value{n(0), n(1), n(2)})},
		{"range", `range(1, 4)`, cty.ListVal([]cty.Value{n(1), n(2), n(3)})},
		{"regex", `regex("[a-z]+", "53453453.345345aaabbbccc23454")`, s("aaabbbccc")},
		{"regex", `regex("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01")`, cty.TupleVal(strs("2019", "02", "01"))},
		{"regexall", `regexall("[a-z]+", "1234abcd5678efgh9")`, cty.ListVal(strs("abcd", "efgh"))},
		{"replace", `replace("1 + 2 + 3", "+", "-")`, s("1 - 2 - 3")},
		{"replace", `replace("hello world", "/w.*d/", "everybody")`, s("hello everybody")},
		{"replace", `replace("arn:aws:iam::111122223333:role/x", "/^(.*role/)/", "")`, s("x")},
		{"replace", `replace("hello world", "/(h)(e)/", "$2$1")`, s("ehllo world")},
		{"reverse", `reverse([1, 2, 3])`, cty.TupleVal([]cty.Value{n(3), n(2), n(1)})},
		{"sensitive", `nonsensitive(sensitive("x")) == "x"`, cty.True},
		{"setintersection", `setintersection(["a", "b"], ["b", "c"], ["b", "d"])`, cty.SetVal(strs("b"))},
		{"setproduct", `setproduct(toset(["development", "staging"]), toset(["app1", "app2"]))`, cty.SetVal([]cty.Value{
			cty.TupleVal(strs("development", "app1")), cty.TupleVal(strs("development", "app2")),
			cty.TupleVal(strs("staging", "app1")), cty.TupleVal(strs("staging", "app2")),
		})},
		{"setsubtract", `setsubtract(["a", "b", "c"], ["a", "c"])`, cty.SetVal(strs("b"))},
		{"setunion", `setunion(["a", "b"], ["b", "c"], ["d"])`, cty.SetVal(strs("a", "b", "c", "d"))},
		{"sha1", `sha1("hello world")`, s("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed")},
		{"sha256", `sha256("hello world")`, s("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")},
		{"sha512", `sha512("hello world")`, s("309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f")},
		{"signum", `signum(-13)`, n(-1)},
		{"slice", `slice(["a", "b", "c", "d"], 1, 3)`, cty.TupleVal(strs("b", "c"))},
		{"sort", `sort(["e", "d", "a", "x"])`, cty.ListVal(strs("a", "d", "e", "x"))},
		{"split", `split(",", "foo,bar,baz")`, cty.ListVal(strs("foo", "bar", "baz"))},
		{"startswith", `startswith("hello world", "hello")`, cty.True},
		{"startswith", `startswith("hello world", "world")`, cty.False},
		{"strcontains", `strcontains("hello world", "wor")`, cty.True},
		{"strcontains", `strcontains("hello world", "wod")`, cty.False},
		{"strrev", `strrev("hello")`, s("olleh")},
		{"substr", `substr("hello world", 1, 4)`, s("ello")},
		{"sum", `sum([10, 13, 6, 4.5])`, num("33.5")},
		{"templatefile", `templatefile("backends.tftpl", { port = 8080, ip_addrs = ["10.0.0.1", "10.0.0.2"] })`, s("backend 10.0.0.1:8080\nbackend 10.0.0.2:8080\n")},
		{"templatefile", `templatefile("config.tftpl", { port = 8080, ip_addrs = ["10.0.0.1"] })`, s(`{"backends":["10.0.0.1:8080"]}`)},
		{"templatestring", `templatestring(local.tmpl, { name = "Alex" })`, s("Hello, Alex!")},
		{"textdecodebase64", `textdecodebase64("SABlAGwAbABvACAAVwBvAHIAbABkAA==", "UTF-16LE")`, s("Hello World")},
		{"textencodebase64", `textencodebase64("Hello World", "UTF-16LE")`, s("SABlAGwAbABvACAAVwBvAHIAbABkAA==")},
		{"timeadd", `timeadd("2017-11-22T00:00:00Z", "10m")`, s("2017-11-22T00:10:00Z")},
		{"timecmp", `timecmp("2017-11-22T00:00:00Z", "2017-11-22T00:00:00Z")`, n(0)},
		{"timecmp", `timecmp("2017-11-22T00:00:00Z", "2017-11-22T01:00:00Z")`, n(-1)},
		{"timecmp", `timecmp("2017-11-22T01:00:00Z", "2017-11-22T00:00:00Z")`, n(1)},
		{"timecmp", `timecmp("2017-11-22T01:00:00Z", "2017-11-22T00:00:00-01:00")`, n(0)},
		{"title", `title("hello world")`, s("Hello World")},
		{"tobool", `tobool("true")`, cty.True},
		{"tolist", `tolist(["a", "b", "c"])`, cty.ListVal(strs("a", "b", "c"))},
		{"tomap", `tomap({"a" = 1, "b" = 2})`, cty.MapVal(map[string]cty.Value{"a": n(1), "b": n(2)})},
		{"tonumber", `tonumber("1")`, n(1)},
		{"toset", `toset(["a", "b", "c", "a"])`, cty.SetVal(strs("a", "b", "c"))},
		{"tostring", `tostring("hello")`, s("hello")},
		{"tostring", `tostring(1)`, s("1")},
		{"transpose", `transpose({"a" = ["1", "2"], "b" = ["2", "3"]})`, cty.MapVal(map[string]cty.Value{
			"1": cty.ListVal(strs("a")), "2": cty.ListVal(strs("a", "b")), "3": cty.ListVal(strs("b")),
		})},
		{"trim", `trim("?!hello?!", "!?")`, s("hello")},
		{"trimprefix", `trimprefix("helloworld", "hello")`, s("world")},
		{"trimspace", `trimspace("  hello\n\n")`, s("hello")},
		{"trimsuffix", `trimsuffix("helloworld", "world")`, s("hello")},
		{"try", `try(local.raw_value.regions, [local.raw_value.region])`, cty.TupleVal(strs("us-east-1"))},
		{"upper", `upper("hello")`, s("HELLO")},
		{"urldecode", `urldecode("Hello+World%21")`, s("Hello World!")},
		{"urlencode", `urlencode("Hello World!")`, s("Hello+World%21")},
		{"urlencode", `urlencode("☃")`, s("%E2%98%83")},
		{"uuidv5", `uuidv5("dns", "www.terraform.io")`, s("a5008fae-b28c-5ba5-96cd-82b4c53552d6")},
		{"uuidv5", `uuidv5("url", "https://www.terraform.io/")`, s("9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5")},
		{"values", `values({a=3, c=2, d=1})`, cty.TupleVal([]cty.Value{n(3), n(2), n(1)})},
		{"yamldecode", `yamldecode("hello: world")`, cty.ObjectVal(map[string]cty.Value{"hello": s("world")})},
		{"yamlencode", `yamlencode({"a":"b", "c":"d"})`, s("\"a\": \"b\"\n\"c\": \"d\"\n")},
		{"yamlencode", `yamlencode({"foo":[1, 2, 3], "bar": "baz"})`, s("\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n")},
		{"zipmap", `zipmap(["a", "b"], [1, 2])`, cty.ObjectVal(map[string]cty.Value{"a": n(1), "b": n(2)})},
		{"core::abs", `core::abs(-1)`, n(1)},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.fn] = true
		t.Run(c.fn+": "+c.expr, func(t *testing.T) {
			got, diags := eval(t, l, c.expr, vars)
			if diags.HasErrors() {
				t.Fatalf("error: %s", diags.Error())
			}
			if !got.RawEquals(c.want) {
				t.Errorf("got  %#v\nwant %#v", got, c.want)
			}
		})
	}
	// Functions whose documented behaviour is an error or an unknown are
	// covered by the tests below.
	for _, name := range []string{"list", "map", "bcrypt", "plantimestamp", "rsadecrypt", "timestamp", "uuid"} {
		covered[name] = true
	}
	for _, name := range Names() {
		if !covered[name] {
			t.Errorf("no documented example for %s", name)
		}
	}
}

func TestNamesAreTheTable(t *testing.T) {
	l := newLib(t, Config{Dir: t.TempDir()})
	fns := l.Functions()
	names := Names()
	for _, name := range names {
		if _, ok := fns[name]; !ok {
			t.Errorf("%s is in Names but not in Functions", name)
		}
		if _, ok := fns["core::"+name]; !ok {
			t.Errorf("core::%s is missing", name)
		}
	}
	if len(fns) != 2*len(names) {
		t.Errorf("Functions has %d entries, want %d (each name plain and core::)", len(fns), 2*len(names))
	}
	if _, ok := fns["type"]; ok {
		t.Error("type() is console-only in Terraform and must not be in the table")
	}
	for _, want := range []string{"one", "alltrue", "templatestring", "ephemeralasnull", "issensitive", "plantimestamp"} {
		if !slices.Contains(names, want) {
			t.Errorf("Names lacks %s", want)
		}
	}
}

// TestErrors checks documented failures: Terraform errors here, so must we
// (a wrong value would be worse than no value).
func TestErrors(t *testing.T) {
	l := newLib(t, Config{Dir: t.TempDir()})
	cases := []struct{ expr, want string }{
		{`list("a")`, "tolist([ ... ])"},
		{`map("a", "b")`, "tomap({ ... })"},
		{`one(["a", "b"])`, "zero or one elements"},
		{`index(["a"], "b")`, "item not found"},
		{`lookup({a="b"}, "c")`, `"c"`},
		{`cidrnetmask("fd00::/64")`, "IPv6"},
		{`cidrsubnet("10.0.0.0/30", 4, 0)`, "insufficient address space"},
		{`cidrsubnet("10.0.0.0/24", 2, 4)`, "does not accommodate"},
		{`cidrhost("10.0.0.0/30", 4)`, "does not accommodate"},
		{`cidrsubnets("10.0.0.0/30", 1, 1, 1)`, "not enough remaining address space"},
		{`sum([])`, "empty"},
		{`base64decode("/w==")`, "UTF-8"},
		{`coalesce(null, "")`, "no non-null"},
		{`textencodebase64("x", "no-such-encoding")`, "IANA"},
		{`timecmp("yesterday", "2017-11-22T00:00:00Z")`, "RFC3339"},
		{`matchkeys(["a"], ["x", "y"], ["x"])`, "length of keys and values"},
		{`pathexpand("~bob/x")`, "user-specific"},
		{`tobool("yes")`, `only the strings "true" or "false"`},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			got, diags := eval(t, l, c.expr, nil)
			if !diags.HasErrors() {
				t.Fatalf("no error; got %#v", got)
			}
			if !strings.Contains(diags.Error(), c.want) {
				t.Errorf("error %q does not mention %q", diags.Error(), c.want)
			}
		})
	}
}

// TestUnknownWithReason: what Terraform knows only when it runs is unknown
// here, and says why.
func TestUnknownWithReason(t *testing.T) {
	dir := writeTree(t, docTree)
	l := newLib(t, Config{Dir: dir, Roots: []string{dir}})
	cases := []struct{ expr, reason string }{
		{`timestamp()`, "timestamp() is known only when Terraform runs"},
		{`plantimestamp()`, "plantimestamp()"},
		{`uuid()`, "uuid()"},
		{`bcrypt("hello")`, "bcrypt()"},
		{`bcrypt("hello", 12)`, "bcrypt()"},
		{`rsadecrypt("eczGaDhXDbOFRZ...", "-----BEGIN RSA PRIVATE KEY-----")`, "rsadecrypt()"},
		{`pathexpand("~/.ssh/id_rsa")`, "home directory"},
		{`file("~/.ssh/id_rsa.pub")`, "home directory"},
		{`fileexists("~/.aws/config")`, "home directory"},
		{`upper(timestamp())`, "timestamp() is known only when Terraform runs"},
		{`"at ${timestamp()}"`, "timestamp() is known only when Terraform runs"},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			got, diags := eval(t, l, c.expr, nil)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if got.IsKnown() {
				t.Fatalf("known: %#v", got)
			}
			reasons := tfmark.Reasons(got)
			if len(reasons) == 0 || !strings.Contains(strings.Join(reasons, "|"), c.reason) {
				t.Errorf("reasons %q do not include %q", reasons, c.reason)
			}
		})
	}
}

func TestStartsWithKnownPrefix(t *testing.T) {
	l := newLib(t, Config{Dir: t.TempDir()})
	arn := cty.UnknownVal(cty.String).Refine().StringPrefix("arn:aws:iam::").NewValue()
	vars := map[string]cty.Value{"arn": arn}
	for expr, want := range map[string]cty.Value{
		`startswith(arn, "arn:aws:")`:          cty.True,
		`startswith(arn, "arn:gcp:")`:          cty.False,
		`startswith(arn, "arn:aws:iam::1111")`: cty.UnknownVal(cty.Bool),
	} {
		got, diags := eval(t, l, expr, vars)
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		if got.IsKnown() != want.IsKnown() || (want.IsKnown() && !got.RawEquals(want)) {
			t.Errorf("%s = %#v, want %#v", expr, got, want)
		}
	}
}

func TestMarks(t *testing.T) {
	dir := writeTree(t, map[string]string{"greet.tftpl": "hi ${name}"})
	l := newLib(t, Config{Dir: dir, Roots: []string{dir}})
	why := tfmark.Unknown(cty.String, "aws_iam_role.x.arn is known only after apply")
	vars := map[string]cty.Value{
		"secret": s("hunter2").Mark(tfmark.Sensitive),
		"arn":    why,
	}
	sens := func(v cty.Value) bool { return v.HasMark(tfmark.Sensitive) }

	t.Run("upper: a sensitive argument makes the result sensitive", func(t *testing.T) {
		got, _ := eval(t, l, `upper(secret)`, vars)
		if !sens(got) || !got.RawEquals(s("HUNTER2").Mark(tfmark.Sensitive)) {
			t.Errorf("got %#v", got)
		}
	})
	t.Run("sha256: sensitive in, sensitive out", func(t *testing.T) {
		got, _ := eval(t, l, `sha256(secret)`, vars)
		if !sens(got) {
			t.Errorf("got %#v", got)
		}
	})
	t.Run("sensitive: marks a plain value", func(t *testing.T) {
		got, _ := eval(t, l, `sensitive("x")`, vars)
		if !got.RawEquals(s("x").Mark(tfmark.Sensitive)) {
			t.Errorf("got %#v", got)
		}
	})
	t.Run("nonsensitive: removes the mark and only that mark", func(t *testing.T) {
		got, _ := eval(t, l, `nonsensitive(secret)`, vars)
		if sens(got) || !got.RawEquals(s("hunter2")) {
			t.Errorf("got %#v", got)
		}
		got, _ = eval(t, l, `nonsensitive(sensitive(arn))`, vars)
		if sens(got) || len(tfmark.Reasons(got)) != 1 {
			t.Errorf("got %#v, want the unknown reason kept", got)
		}
	})
	t.Run("issensitive", func(t *testing.T) {
		for expr, want := range map[string]cty.Value{`issensitive(secret)`: cty.True, `issensitive("x")`: cty.False} {
			got, _ := eval(t, l, expr, vars)
			if !got.RawEquals(want) {
				t.Errorf("%s = %#v", expr, got)
			}
		}
		got, _ := eval(t, l, `issensitive(arn)`, vars)
		if got.IsKnown() || len(tfmark.Reasons(got)) != 1 {
			t.Errorf("issensitive(unknown) = %#v, want unknown with its reason", got)
		}
	})
	t.Run("length: an element's mark does not make the count sensitive", func(t *testing.T) {
		got, _ := eval(t, l, `length([secret, "b"])`, vars)
		if !got.RawEquals(n(2)) {
			t.Errorf("got %#v", got)
		}
		got, _ = eval(t, l, `length(sensitive(["a"]))`, vars)
		if !got.RawEquals(n(1).Mark(tfmark.Sensitive)) {
			t.Errorf("got %#v", got)
		}
	})
	t.Run("tolist: marks stay on their elements", func(t *testing.T) {
		got, _ := eval(t, l, `tolist([secret, "b"])`, vars)
		want := cty.ListVal([]cty.Value{s("hunter2").Mark(tfmark.Sensitive), s("b")})
		if !got.RawEquals(want) {
			t.Errorf("got %#v", got)
		}
	})
	t.Run("tostring: an unknown keeps its reason", func(t *testing.T) {
		got, _ := eval(t, l, `tostring(arn)`, vars)
		if got.IsKnown() || len(tfmark.Reasons(got)) != 1 {
			t.Errorf("got %#v", got)
		}
	})
	t.Run("lookup: only the chosen element's marks", func(t *testing.T) {
		got, _ := eval(t, l, `lookup({a = secret, b = "y"}, "b")`, vars)
		if !got.RawEquals(s("y")) {
			t.Errorf("got %#v", got)
		}
		got, _ = eval(t, l, `lookup({a = secret, b = "y"}, "a")`, vars)
		if !sens(got) {
			t.Errorf("got %#v", got)
		}
		got, _ = eval(t, l, `lookup(sensitive({a = "x"}), "a")`, vars)
		if !sens(got) {
			t.Errorf("got %#v", got)
		}
		got, _ = eval(t, l, `lookup({a = arn, b = "y"}, "b")`, vars)
		if !got.RawEquals(s("y")) {
			t.Errorf("an unknown sibling leaked into the result: %#v", got)
		}
	})
	t.Run("templatefile: a sensitive var makes the whole result sensitive", func(t *testing.T) {
		got, _ := eval(t, l, `templatefile("greet.tftpl", {name = "bob", other = secret})`, vars)
		if !got.RawEquals(s("hi bob").Mark(tfmark.Sensitive)) {
			t.Errorf("got %#v", got)
		}
	})
	t.Run("templatefile: an unknown var gives an unknown result with its reason", func(t *testing.T) {
		got, _ := eval(t, l, `templatefile("greet.tftpl", {name = arn})`, vars)
		if got.IsKnown() || len(tfmark.Reasons(got)) != 1 {
			t.Errorf("got %#v", got)
		}
	})
	t.Run("file: a sensitive path makes the content sensitive", func(t *testing.T) {
		got, diags := eval(t, l, `file(sensitive("greet.tftpl"))`, vars)
		if diags.HasErrors() || !got.RawEquals(s("hi ${name}").Mark(tfmark.Sensitive)) {
			t.Errorf("got %#v %s", got, diags.Error())
		}
	})
}

// fileTree is a scanned tree plus a secret beside it, reachable only
// through symlinks that escape.
func fileTree(t *testing.T) (root, outside string) {
	t.Helper()
	base := t.TempDir()
	root = filepath.Join(base, "repo")
	outside = filepath.Join(base, "outside")
	for p, c := range map[string]string{
		"repo/main.tf":               "x",
		"repo/hello.txt":             "Hello World",
		"repo/big.txt":               strings.Repeat("x", 17),
		"repo/cap.txt":               strings.Repeat("x", 16),
		"repo/bin.dat":               "\xff\xfe",
		"repo/a.txt":                 "a",
		"repo/b.txt":                 "b",
		"repo/c.txt":                 "c",
		"repo/.hidden.txt":           "h",
		"repo/modules/vpc/main.tf":   "vpc",
		"repo/modules/vpc/vars.json": "{}",
		"repo/modules/eks/main.tf":   "eks",
		"repo/modules/eks/deep/x.tf": "x",
		"repo/tmpl/recurse.tftpl":    `${templatefile("tmpl/ok.tftpl", {})}`,
		"repo/tmpl/ok.tftpl":         `${upper("ok")}`,
		"repo/tmpl/missing.tftpl":    `${nope}`,
		"repo/tmpl/list.tftpl":       `${items}`,
		"outside/secret.txt":         "SECRET-CONTENT",
		"outside/dir/leak.tf":        "SECRET-CONTENT",
	} {
		full := filepath.Join(base, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"repo/escape.txt":   filepath.Join(outside, "secret.txt"),
		"repo/rel-escape":   "../outside/secret.txt",
		"repo/inside.txt":   "hello.txt",
		"repo/links/outdir": filepath.Join(outside, "dir"),
	}
	for link, target := range links {
		full := filepath.Join(base, filepath.FromSlash(link))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, full); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	return root, outside
}

func TestFileConfinement(t *testing.T) {
	root, outside := fileTree(t)
	l := newLib(t, Config{Dir: root, Roots: []string{root}, MaxFileSize: 16})
	ok := map[string]cty.Value{
		`file("hello.txt")`:                            s("Hello World"),
		`file("./modules/../hello.txt")`:               s("Hello World"),
		`file("inside.txt")`:                           s("Hello World"), // a symlink within the root is fine
		`file("cap.txt")`:                              s(strings.Repeat("x", 16)),
		`file("` + filepath.Join(root, "a.txt") + `")`: s("a"),
		`filebase64("bin.dat")`:                        s("//4="),
		`fileexists("modules/vpc/main.tf")`:            cty.True,
	}
	for expr, want := range ok {
		got, diags := eval(t, l, expr, nil)
		if diags.HasErrors() || !got.RawEquals(want) {
			t.Errorf("%s = %#v %s, want %#v", expr, got, diags.Error(), want)
		}
	}
	refused := map[string]string{
		`file("escape.txt")`:                                   "escape.txt",
		`file("rel-escape")`:                                   "rel-escape",
		`filesha256("escape.txt")`:                             "escape.txt",
		`fileexists("escape.txt")`:                             "escape.txt",
		`file("../outside/secret.txt")`:                        "outside",
		`file("` + filepath.Join(outside, "secret.txt") + `")`: "outside",
		`file("/etc/passwd")`:                                  "outside",
		`file("big.txt")`:                                      "larger than 16 bytes",
		`file("bin.dat")`:                                      "UTF-8",
		`file("nope.txt")`:                                     "no file exists at nope.txt",
		`file("modules")`:                                      "not a regular file",
		`fileexists("modules")`:                                "directory",
		`templatefile("escape.txt", {})`:                       "escape.txt",
		`fileset(".", "links/outdir/*")`:                       "links/outdir",
		`fileset(".", "../outside/*")`:                         "outside",
	}
	for expr, want := range refused {
		got, diags := eval(t, l, expr, nil)
		if !diags.HasErrors() {
			t.Errorf("%s was not refused: %#v", expr, got)
			continue
		}
		msg := diags.Error()
		if !strings.Contains(msg, want) {
			t.Errorf("%s: error %q does not mention %q", expr, msg, want)
		}
		if strings.Contains(msg, "SECRET") {
			t.Errorf("%s: error leaks file content: %q", expr, msg)
		}
	}
}

func TestFileNamesRelativeToRoot(t *testing.T) {
	root, _ := fileTree(t)
	// The module's directory is below the root; its errors name paths from
	// the root, not the machine's absolute paths.
	l := newLib(t, Config{Dir: filepath.Join(root, "modules", "vpc"), Roots: []string{root}})
	_, diags := eval(t, l, `file("missing.txt")`, nil)
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "modules/vpc/missing.txt") || strings.Contains(diags.Error(), root) {
		t.Errorf("error: %s", diags.Error())
	}
	got, diags := eval(t, l, `file("main.tf")`, nil)
	if diags.HasErrors() || !got.RawEquals(s("vpc")) {
		t.Errorf("got %#v %s", got, diags.Error())
	}
}

func TestNestedRoots(t *testing.T) {
	root, outside := fileTree(t)
	// A module cache outside the scanned tree is a second root.
	l := newLib(t, Config{Dir: root, Roots: []string{root, filepath.Join(outside, "dir")}})
	got, diags := eval(t, l, `file("`+filepath.Join(outside, "dir", "leak.tf")+`")`, nil)
	if diags.HasErrors() || !got.RawEquals(s("SECRET-CONTENT")) {
		t.Errorf("a file in the second root: %#v %s", got, diags.Error())
	}
	// Reaching the secret beside that root is still refused.
	if _, diags := eval(t, l, `file("`+filepath.Join(outside, "secret.txt")+`")`, nil); !diags.HasErrors() {
		t.Error("a file beside the second root was read")
	}
}

func TestFileset(t *testing.T) {
	root, _ := fileTree(t)
	l := newLib(t, Config{Dir: root, Roots: []string{root}})
	cases := map[string][]string{
		`fileset(".", "*.txt")`:                     {".hidden.txt", "a.txt", "b.txt", "big.txt", "c.txt", "cap.txt", "escape.txt", "hello.txt", "inside.txt"},
		`fileset(".", "?.txt")`:                     {"a.txt", "b.txt", "c.txt"},
		`fileset(".", "[ab].txt")`:                  {"a.txt", "b.txt"},
		`fileset(".", "[!ab].txt")`:                 {"c.txt"},
		`fileset(".", "{a,c}.txt")`:                 {"a.txt", "c.txt"},
		`fileset("modules", "**/*.tf")`:             {"eks/deep/x.tf", "eks/main.tf", "vpc/main.tf"},
		`fileset("modules", "*/main.tf")`:           {"eks/main.tf", "vpc/main.tf"},
		`fileset("modules", "vpc/*.{tf,json}")`:     {"vpc/main.tf", "vpc/vars.json"},
		`fileset("modules/eks", "**")`:              {"deep/x.tf", "main.tf"},
		`fileset("modules", "*")`:                   {},
		`fileset(".", "modules/eks/deep/x.tf")`:     {"modules/eks/deep/x.tf"},
		`fileset("nope", "*")`:                      {},
		`fileset("${path}/modules", "vpc/main.tf")`: {"vpc/main.tf"},
	}
	vars := map[string]cty.Value{"path": s(root)}
	for expr, want := range cases {
		got, diags := eval(t, l, expr, vars)
		if expr == `fileset(".", "*.txt")` {
			// escape.txt is a symlink leaving the root: the set is refused
			// rather than silently shortened.
			if !diags.HasErrors() || !strings.Contains(diags.Error(), "escape.txt") {
				t.Errorf("%s = %#v, want an error naming escape.txt", expr, got)
			}
			continue
		}
		if diags.HasErrors() {
			t.Errorf("%s: %s", expr, diags.Error())
			continue
		}
		wantVal := cty.SetValEmpty(cty.String)
		if len(want) > 0 {
			wantVal = cty.SetVal(strs(want...))
		}
		if !got.RawEquals(wantVal) {
			t.Errorf("%s = %#v, want %#v", expr, got, wantVal)
		}
	}
}

func TestTemplates(t *testing.T) {
	root, _ := fileTree(t)
	l := newLib(t, Config{Dir: root, Roots: []string{root}})
	vars := map[string]cty.Value{
		"local": cty.ObjectVal(map[string]cty.Value{
			"tmpl":     s("${upper(x)}"),
			"readfile": s(`${file("hello.txt")}`),
			"recurse":  s(`${templatestring(y, {})}`),
			"tmpls":    cty.MapVal(map[string]cty.Value{"a": s("A=${x}")}),
		}),
	}
	ok := map[string]cty.Value{
		`templatefile("tmpl/ok.tftpl", {})`:                   s("OK"),
		`templatefile("tmpl/list.tftpl", {items = ["a"]})`:    cty.TupleVal(strs("a")),
		`templatefile("tmpl/list.tftpl", tomap({items = 1}))`: n(1),
		`templatestring(local.tmpl, {x = "a"})`:               s("A"),
		`templatestring(local.tmpls["a"], {x = "b"})`:         s("A=b"),
	}
	for expr, want := range ok {
		got, diags := eval(t, l, expr, vars)
		if diags.HasErrors() || !got.RawEquals(want) {
			t.Errorf("%s = %#v %s, want %#v", expr, got, diags.Error(), want)
		}
	}
	refused := map[string]string{
		`templatefile("tmpl/recurse.tftpl", {})`:    "cannot call templatefile from inside a template",
		`templatefile("tmpl/missing.tftpl", {})`:    `vars map does not contain key "nope"`,
		`templatefile("tmpl/ok.tftpl", "x")`:        "must be a map or an object",
		`templatefile("tmpl/ok.tftpl", {"1a" = 1})`: "invalid template variable name",
		`templatestring(local.readfile, {})`:        "filesystem function file",
		`templatestring(local.recurse, {y = "z"})`:  "cannot call templatestring",
		`templatestring("${x}", {x = 1})`:           "templatestring renders a template stored elsewhere",
		`templatestring("literal", {})`:             "templatestring renders a template stored elsewhere",
		`templatestring(upper(local.tmpl), {})`:     "direct reference",
	}
	for expr, want := range refused {
		got, diags := eval(t, l, expr, vars)
		if !diags.HasErrors() {
			t.Errorf("%s was not refused: %#v", expr, got)
			continue
		}
		if !strings.Contains(diags.Error(), want) {
			t.Errorf("%s: error %q does not mention %q", expr, diags.Error(), want)
		}
	}
}

func TestAbsPathUsesDir(t *testing.T) {
	l := newLib(t, Config{Dir: "/work/repo/env/prod"})
	got, diags := eval(t, l, `abspath("../../modules/x")`, nil)
	if diags.HasErrors() || !got.RawEquals(s("/work/repo/modules/x")) {
		t.Errorf("got %#v %s", got, diags.Error())
	}
	if _, err := New(Config{Dir: "relative"}); err == nil {
		t.Error("a relative Dir was accepted")
	}
}

func TestClose(t *testing.T) {
	root, _ := fileTree(t)
	l, err := New(Config{Dir: root, Roots: []string{root}})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, diags := eval(t, l, `file("hello.txt")`, nil); !diags.HasErrors() {
		t.Error("read after Close")
	}
}

// TestConcurrent runs the shared table from many goroutines; with -race it
// checks the table and the roots hold no unsynchronised state.
func TestConcurrent(t *testing.T) {
	root, _ := fileTree(t)
	l := newLib(t, Config{Dir: root, Roots: []string{root}})
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				expr := fmt.Sprintf(`"${file("hello.txt")} ${length(fileset("modules", "**/*.tf"))} ${templatefile("tmpl/ok.tftpl", {})} %d"`, i*j)
				got, diags := eval(t, l, expr, nil)
				want := fmt.Sprintf("Hello World 3 OK %d", i*j)
				if diags.HasErrors() || !got.RawEquals(s(want)) {
					errs <- fmt.Sprintf("%#v %s", got, diags.Error())
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestCIDRQuirks: behaviours Terraform documents beyond the examples.
func TestCIDRQuirks(t *testing.T) {
	l := newLib(t, Config{Dir: t.TempDir()})
	for expr, want := range map[string]cty.Value{
		// Leading zeros are decimal, not octal (the documented "historical accident").
		`cidrhost("010.1.0.0/16", 1)`: s("10.1.0.1"),
		// A negative host number counts back from the end of the range.
		`cidrhost("10.1.0.0/16", -1)`: s("10.1.255.255"),
		`cidrhost("10.1.0.0/16", -2)`: s("10.1.255.254"),
		// IPv6 prefixes may be extended by more than 32 bits in cidrsubnet.
		`cidrsubnet("fd00::/16", 48, 1)`: s("fd00:0:0:1::/64"),
		`cidrsubnet("10.0.0.0/8", 0, 0)`: s("10.0.0.0/8"),
	} {
		got, diags := eval(t, l, expr, nil)
		if diags.HasErrors() || !got.RawEquals(want) {
			t.Errorf("%s = %#v %s, want %#v", expr, got, diags.Error(), want)
		}
	}
	if _, diags := eval(t, l, `cidrsubnets("fd00::/16", 33)`, nil); !diags.HasErrors() || !strings.Contains(diags.Error(), "more than 32 bits") {
		t.Errorf("cidrsubnets accepted 33 new bits: %s", diags.Error())
	}
}
