package hclguard

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// counts are the deepest nesting and longest chain over HCL's tokens,
// counted as lexed counts them but with no limit: the oracle scan must
// agree with.
func counts(data []byte, mode Mode) (deepest, longest int) {
	var toks hclsyntax.Tokens
	if mode == Template {
		toks, _ = hclsyntax.LexTemplate(data, "f", hcl.InitialPos)
	} else {
		toks, _ = hclsyntax.LexConfig(data, "f", hcl.InitialPos)
	}
	n := newNesting()
	for _, t := range toks {
		n.token(t.Type, 1<<30, 1<<30)
	}
	return n.deepest, n.longest
}

// cases are the lexer's corners: escapes, literal $${ and %%{, the ~
// strip markers, heredoc markers and where they count, comments, braces
// that close an interpolation or not; identifiers that hold a -, numbers
// that hold an exponent, operators of two characters, what resets a chain.
var cases = []string{
	"a = 1\n",
	"a = [({x = 1})]\n",
	`a = "${b}"`,
	`a = "${"${"${x}"}"}"`,
	`a = "$${x} %%{x} $$${x} %%%{x} $%{x} %${x} $$$${x} \${x} \\${x} \\\${x}"`,
	`a = "${~ x ~}%{~ if y ~}z%{~ endif ~}"`,
	`a = "${x}}}}"` + "\nb = [[[\n",
	"a = \"unterminated ${x\nb = [[\n",
	"a = \"x \\\n ${y}\"\n",
	"a = \"${ { a = 1 } }\"\n",
	"a = \"${ {} }\" b = \"${ } }\"\n",
	"a = ~} } } ~}\nb = [\n",
	"a = <<EOT\n${x}\n  EOT\nb = [[\n",
	"a = <<-EOT\n  ${x} EOT\n  EOT\nb = [[\n",
	"a = <<EOT\r\nx {\r\nEOT\r\nb = [\n",
	"a = <<EOT\n$\nEOT\n[[[\n",
	"a = <<EOT\n$$\n%%\nEOT\n[[\n",
	"a = <<EOT\nx $5 %q ${y}\nEOT\n[(\n",
	"a = <<EOT\n${x}EOT\nEOT\n{{\n",
	"a = <<EOT\n${<<INNER\n  ${y}\n  INNER\n}\nEOT\n[\n",
	"a = <<EOT\n\u00a0EOT\u00a0\n[[\n",
	"a = <<EOT \nEOT\n[\n",
	"a = <<<EOT\n[\nEOT\n[\n",
	"a = <<-\nEOT\n[\n",
	"a = <<EOT\nno end [[[\n",
	"a = <<EOT\nEOT",
	"# { [ (\n// ${ }\n/* [[[ */ [\n",
	"/* unterminated {{ [[\n",
	"/*/ [ */ [",
	"a = 1 # ${ \"\n[\n",
	"a = \"# not a comment [\" [\n",
	"a = \"a\\\"b[\" [\n",
	"a = f(x)[0]\n",
	"a = { for k, v in m : k => [v] }\n",
	"a = \"%{ for x in y }${x}%{ endfor }\"\n",
	"a = \"${\"\n",
	"a = \"$\"\nb = \"%\"\n",
	"\ufeffa = [1]\n",
	"a = \"é${x}\" # ü {\n",
	"}}}}[[[\n",
	"a = $$${ [\n",
	"a = \"${x} ${ \"${y}\" }\"[\n",
	"x = <<EOT\n%{ if a }\nEOT\n%{ endif }\nEOT\n[\n",
	// Chains.
	"a = !!!-+-true\n",
	"a = b + c * d / e % f - g\n",
	"a = x == y != z < 1 <= 2 > 3 >= 4 && p || q\n",
	"a = c ? 1 : d ? 2 : e ? 3 : 4\n",
	"a = x[*].y[*][0].z.*.w\n",
	"a = x[0][1][\"k\"][y][z]\n",
	"a = a-b-c - d - e-f\n",
	"a = 1e-5 - 1E+5 + 2e5 - 1e-x + 1.e5 - 1..2 - 1.2.3 - 1. - 1.-2 - 3e - 3e+\n",
	"a = 1-2-3 - x1-2 - _-_ - 9a-b\n",
	"a = x => y ==> z === w !== v\n",
	"a = x & y && z &&& w | v || u ||| t\n",
	"a = x <<= y << z <<EOT\nb\nEOT\n",
	"a = x /* c */ / y // z\nb = -1\n",
	"a = x /*/ - y */ * z\n",
	"a = x */ y\n",
	"a = [-1, -2, -3]\nb = { x = -1, y = -2 }\nc = f(-1, -2)\n",
	"a = { x = -1\n y = -2\n z: -3\n w: -4 }\n",
	"a = -x\nb = -y\nc = -z\n",
	"a = f(-1 + (-2 + -3)) - [-1][0]\n",
	"a = [for x in !y : !x if !z]\n",
	"a = \"%{if a}%{if b}x%{else}y%{endif}%{endif}\"\n",
	"a = <<EOT\n%{for x in y}%{if x}-${!x}%{endif}%{endfor}\nEOT\n",
	"a = \"${-x}\" - \"%{if !y}z%{endif}\"\n",
	"a = x ? y : z\n?\n:\n",
	"a = x...y..z.w::v\n",
	"a = $x - @y - `z - 'w - ^v - ;u - ~t\n",
	"a = x\r-y\r\n-z\n",
	"a = -(\n-\n-\nx)\n",
	"a = ,-,-=-=-\n",
	"a == -b\n",
}

// templates are sources read as templates (a .tf.json string, a
// templatefile): their text is no code, only what interpolations and
// directives hold is.
var templates = []string{
	"",
	"plain - text + with * operators ? and [ brackets ( and \"quotes\\\"",
	"${a - b} and ${c ? d : e}",
	"%{if a}x%{else}y%{endif} - %{for x in y}${x}%{endfor}",
	"$${a - b} %%{if} $ % ${\"-${x}\"}",
	"${<<EOT\n${-x}\nEOT\n}",
	"line\r\nline\n${ [-1, -2] }",
	"\ufeff${-x}",
	"${",
	"%{",
	"${ x } } }",
}

// compare compares the scan with the tokens' counts, wherever the scan is
// sure of itself.
func compare(t *testing.T, name string, src []byte, mode Mode) {
	t.Helper()
	deep, long, _, sure := scan(src, mode == Template, 1<<30, 1<<30)
	if wantDeep, wantLong := counts(src, mode); sure && (deep != wantDeep || long != wantLong) {
		t.Errorf("%s: scan counts %d levels and a chain of %d, the lexer %d and %d:\n%.300q", name, deep, long, wantDeep, wantLong, src)
	}
}

// repoConfigs calls f with every Terraform file of the repository: .tf
// and .tfvars files, and the templates of the examples.
func repoConfigs(t testing.TB, f func(path string, src []byte, mode Mode)) (files int) {
	filepath.WalkDir("../../../..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		mode := Config
		switch {
		case strings.HasSuffix(p, ".tf"), strings.HasSuffix(p, ".tfvars"):
		case strings.HasSuffix(p, ".tftpl"), strings.HasSuffix(p, ".tpl"):
			mode = Template
		default:
			return nil
		}
		if b, err := os.ReadFile(p); err == nil {
			files++
			f(p, b, mode)
		}
		return nil
	})
	return files
}

// TestScanMatchesLexer: wherever the scan is sure of itself, it counts
// exactly the nesting and chain HCL's tokens give, on crafted corners, on
// every Terraform file of the repository, and past the limits, where it
// must hand over to the lexer.
func TestScanMatchesLexer(t *testing.T) {
	for i, s := range cases {
		compare(t, fmt.Sprintf("case %d", i), []byte(s), Config)
	}
	for i, s := range templates {
		compare(t, fmt.Sprintf("template %d", i), []byte(s), Template)
		compare(t, fmt.Sprintf("template %d as code", i), []byte(s), Config)
	}
	for _, s := range hostile {
		compare(t, "hostile", []byte(s), Config)
		compare(t, "hostile as a template", []byte(s), Template)
	}
	files := repoConfigs(t, func(p string, b []byte, mode Mode) {
		compare(t, p, b, mode)
		if _, _, _, sure := scan(b, mode == Template, MaxDepth, MaxChain); !sure {
			t.Errorf("%s: an ordinary file was handed to the lexer", p)
		}
	})
	if files < 300 {
		t.Fatalf("only %d files checked", files)
	}
}

// TestCounts: what is counted, on shapes whose count is known.
func TestCounts(t *testing.T) {
	for _, tt := range []struct {
		src         string
		mode        Mode
		deep, chain int
	}{
		{"a = b + c * d\n", Config, 0, 2},
		{"a = !!!-true\n", Config, 0, 4},
		{"a = a-b-c\n", Config, 0, 0},
		{"a = 1e-5 - 2\n", Config, 0, 1},
		{"a = x == y && z != w\n", Config, 0, 3},
		{"a = x => y\n", Config, 0, 0},
		{"a = c ? 1 : d ? 2 : 3\n", Config, 0, 2},
		// The * of a [*] is inside the brackets: only the [ stays.
		{"a = x[*][*]\n", Config, 1, 3},
		{"a = x.*.y\n", Config, 0, 1},
		{"a = [-1, -2, -3]\n", Config, 1, 2},
		{"a = -1\nb = -2\nc = -3\n", Config, 0, 1},
		{"a = -f(-g(-1))\n", Config, 2, 3},
		{"a = \"%{if a}%{if b}x%{endif}%{endif}\"\n", Config, 1, 4},
		{"x - y ${-z}", Template, 1, 1},
		{"%{if a}${!b}%{endif}", Template, 1, 2},
	} {
		if d, c := counts([]byte(tt.src), tt.mode); d != tt.deep || c != tt.chain {
			t.Errorf("%q: %d levels and a chain of %d, want %d and %d", tt.src, d, c, tt.deep, tt.chain)
		}
	}
}

// TestHandsOver: the scan is unsure exactly where it promises to be
// (input that is not UTF-8, a character outside ASCII in code or in a
// heredoc marker, a lone carriage return in a heredoc or a template's
// text, nesting or chain past the limit), and the verdict there is the lexer's.
func TestHandsOver(t *testing.T) {
	deep := "a = " + strings.Repeat("[", MaxDepth+1) + "\n"
	long := "a = " + strings.Repeat("-", MaxChain+1) + "1\n"
	for _, tt := range []struct {
		src              string
		mode             Mode
		handOver, refuse bool
		chain            bool
	}{
		{"a = \"\xff\"\n", Config, true, false, false},
		{"a = <<EOTé\nx\nEOTé\n", Config, true, false, false},
		{"a = <<é\nx\né\n", Config, true, false, false},
		{"a = <<EOT\nx\ry\nEOT\n", Config, true, false, false},
		{"a = bé-c\n", Config, true, false, false},
		{"a = é - c\n", Config, true, false, false},
		{"a = \"é\" - c # é\n", Config, false, false, false},
		{"é - ${x}", Template, false, false, false},
		{"x\ry ${-z}", Template, true, false, false},
		{"x\r\ny ${-z}", Template, false, false, false},
		{deep, Config, true, true, false},
		{long, Config, true, true, true},
		{long, Expression, true, true, true},
		{"${" + long + "}", Template, true, true, true},
		{"${" + long + "}", Config, true, true, true},
		{strings.Repeat("- ", MaxChain+1), Template, false, false, false},
		{strings.Repeat("- ", MaxChain+1), Config, true, true, true},
		{"a = \"" + strings.Repeat("${\"", MaxDepth) + "\"\n", Config, false, false, false},
		{"a = \"" + strings.Repeat("${\"", MaxDepth+1) + "\"\n", Config, true, true, false},
		{"a = <<EOT\n" + strings.Repeat("${", MaxDepth+1) + "\n", Config, true, true, false},
		{"a = \"" + strings.Repeat("%{if x}", MaxChain) + "\"\n", Config, false, false, false},
		{"a = \"" + strings.Repeat("%{if x}", MaxChain+1) + "\"\n", Config, true, true, true},
		{"a = " + strings.Repeat("1 + ", MaxChain) + "1\n", Config, false, false, false},
		{"a = " + strings.Repeat("x ? 1 : ", MaxChain) + "1\n", Config, false, false, false},
		{"a = " + strings.Repeat("x ? 1 : ", MaxChain+1) + "1\n", Config, true, true, true},
		{"a = x" + strings.Repeat("[*]", MaxChain-1) + "\n", Config, false, false, false},
		{"a = x" + strings.Repeat("[*]", MaxChain) + "\n", Config, true, true, true},
		{"a = [" + strings.Repeat("-1, ", 3*MaxChain) + "]\n", Config, false, false, false},
		{strings.Repeat("a = -1\n", 3*MaxChain), Config, false, false, false},
		// The chains of the levels open add up.
		{"a = (" + strings.Repeat("-1 + ", MaxChain/4) + "f(" + strings.Repeat("-", MaxChain/2) + "1))\n", Config, false, false, false},
		{"a = (" + strings.Repeat("-1 + ", MaxChain/4) + "f(" + strings.Repeat("-", MaxChain/2+1) + "1))\n", Config, true, true, true},
	} {
		if _, _, _, sure := scan([]byte(tt.src), tt.mode == Template, MaxDepth, MaxChain); sure == tt.handOver {
			t.Errorf("%.40q: handed over to the lexer: %v, want %v", tt.src, !sure, tt.handOver)
		}
		r, bad := Check([]byte(tt.src), "f.tf", hcl.InitialPos, tt.mode)
		lr, lbad := lexed([]byte(tt.src), "f.tf", hcl.InitialPos, tt.mode, limits{MaxDepth, MaxChain})
		if bad != tt.refuse || bad != lbad || r != lr || (bad && r.Chain != tt.chain) {
			t.Errorf("%.40q: refused %v (%+v), want %v, chain %v (lexer: %v, %+v)", tt.src, bad, r, tt.refuse, tt.chain, lbad, lr)
		}
	}
	// Just within the limit, sure of itself, and not refused.
	within := "a = " + strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth) + "\n"
	if d, _, _, sure := scan([]byte(within), false, MaxDepth, MaxChain); !sure || d != MaxDepth {
		t.Errorf("within the limit: depth %d, sure %v", d, sure)
	}
	if _, bad := Check([]byte(within), "f.tf", hcl.InitialPos, Config); bad {
		t.Error("a file nested exactly to the limit is refused")
	}
}

// TestRefusalPosition: the refusal names the token that passes the limit,
// from the start given (a .tf.json string's place in its file).
func TestRefusalPosition(t *testing.T) {
	src := "a = 1\nb = x" + strings.Repeat(" + y", MaxChain) + " - z\n"
	r, bad := Check([]byte(src), "f.tf", hcl.InitialPos, Config)
	if want := (hcl.Pos{Line: 2, Column: 7 + 4*MaxChain, Byte: 12 + 4*MaxChain}); !bad || !r.Chain || r.Pos != want {
		t.Errorf("refused %v at %+v, want the - at %+v", bad, r.Pos, want)
	}
	tmpl := "x\n${" + strings.Repeat("[", MaxDepth+1)
	r, bad = Check([]byte(tmpl), "f.tf.json", hcl.Pos{Line: 7, Column: 12, Byte: 100}, Template)
	if want := (hcl.Pos{Line: 8, Column: 2 + MaxDepth, Byte: 103 + MaxDepth}); !bad || r.Chain || r.Pos != want {
		t.Errorf("refused %v at %+v, want the deepest [ at %+v", bad, r.Pos, want)
	}
	d := r.Diagnostic("f.tf.json", "this string")
	if d.Subject.Start != r.Pos || d.Summary != "nesting too deep" || !strings.Contains(d.Detail, "this string is not read") {
		t.Errorf("diagnostic %+v", d)
	}
}

// hostile are shapes that have hurt HCL readers.
var hostile = []string{
	"a = " + strings.Repeat("!", 3*MaxChain) + "true\n",
	"a = " + strings.Repeat("-", 3*MaxChain) + "1\n",
	"a = x" + strings.Repeat("[*]", 3*MaxChain) + "\n",
	"a = " + strings.Repeat("x ? y : ", 3*MaxChain) + "z\n",
	"a = " + strings.Repeat("x ? ", 3*MaxChain) + "y" + strings.Repeat(" : z", 3*MaxChain) + "\n",
	"a = " + strings.Repeat("x + ", 3*MaxChain) + "y\n",
	"a = \"" + strings.Repeat("%{if x}", 3*MaxChain) + strings.Repeat("%{endif}", 3*MaxChain) + "\"\n",
	"a = " + strings.Repeat("[", 3*MaxDepth) + "\n",
	"a = " + strings.Repeat("-[", MaxDepth) + "\n",
}

// FuzzScan: on any input, read as a configuration or as a template, a
// scan that is sure of itself counts the lexer's nesting and chain, and
// the guard's verdict is the lexer's.
func FuzzScan(f *testing.F) {
	for _, s := range cases {
		f.Add([]byte(s), false)
	}
	for _, s := range templates {
		f.Add([]byte(s), true)
	}
	for _, s := range hostile {
		f.Add([]byte(s), false)
	}
	filepath.WalkDir("../testdata", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tfvars")) {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b, false)
			}
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, src []byte, template bool) {
		mode := Config
		if template {
			mode = Template
		}
		wantDeep, wantLong := counts(src, mode)
		deep, long, _, sure := scan(src, template, 1<<30, 1<<30)
		if sure && (deep != wantDeep || long != wantLong) {
			t.Fatalf("scan counts %d levels and a chain of %d, the lexer %d and %d", deep, long, wantDeep, wantLong)
		}
		// Small limits too, so that the fuzzer passes them and the
		// lexing of a prefix is tried.
		for _, lim := range []limits{{0, 0}, {1, 2}, {2, 3}, {MaxDepth, MaxChain}} {
			deep, long, _, sure := scan(src, template, lim.depth, lim.chain)
			if passed := wantDeep > lim.depth || wantLong > lim.chain; sure && (passed || deep != wantDeep || long != wantLong) {
				t.Fatalf("limits %v: scan sure of %d levels and a chain of %d, the lexer counts %d and %d", lim, deep, long, wantDeep, wantLong)
			}
			r, bad := check(src, "f.tf", hcl.Pos{Line: 3, Column: 2, Byte: 7}, mode, lim)
			lr, lbad := lexed(src, "f.tf", hcl.Pos{Line: 3, Column: 2, Byte: 7}, mode, lim)
			if bad != lbad || r != lr {
				t.Fatalf("limits %v: refused %v at %+v, the lexer says %v at %+v", lim, bad, r, lbad, lr)
			}
		}
	})
}

// BenchmarkNestingGuard: the guard over the repository's example
// configurations, by the byte scan and by lexing, in bytes per second.
func BenchmarkNestingGuard(b *testing.B) {
	var files [][]byte
	size := 0
	filepath.WalkDir("../../../../examples", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tf") {
			if src, err := os.ReadFile(p); err == nil {
				files = append(files, src)
				size += len(src)
			}
		}
		return nil
	})
	for _, guard := range []struct {
		name  string
		check func([]byte, string, hcl.Pos, Mode) (Refusal, bool)
	}{{"scan", Check}, {"lexer", func(src []byte, filename string, start hcl.Pos, mode Mode) (Refusal, bool) {
		return lexed(src, filename, start, mode, limits{MaxDepth, MaxChain})
	}}} {
		b.Run(guard.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, src := range files {
					if _, bad := guard.check(src, "f.tf", hcl.InitialPos, Config); bad {
						b.Fatal("refused")
					}
				}
			}
		})
	}
}

// TestRealConfigurations: on the Terraform of real repositories (the
// directory EKSGUARD_REAL_CONFIGS names, such as copies of
// terraform-aws-eks, -vpc, -kms and eks-blueprints-addons), the scan
// counts what the lexer counts, hands none over, and refuses nothing; it
// logs the deepest nesting and longest chain met, the margin the limits
// leave. .tf.json strings and template files are read as templates.
func TestRealConfigurations(t *testing.T) {
	root := os.Getenv("EKSGUARD_REAL_CONFIGS")
	if root == "" {
		t.Skip("EKSGUARD_REAL_CONFIGS names no directory")
	}
	var files, sources, handed, deepest, longest int
	var deepestAt, longestAt string
	one := func(name string, src []byte, mode Mode) {
		sources++
		compare(t, name, src, mode)
		d, l, _, sure := scan(src, mode == Template, MaxDepth, MaxChain)
		if !sure {
			handed++
			t.Logf("%s: handed to the lexer", name)
		}
		if r, bad := Check(src, name, hcl.InitialPos, mode); bad {
			t.Errorf("%s: refused at %+v", name, r)
		}
		if d > deepest {
			deepest, deepestAt = d, name
		}
		if l > longest {
			longest, longestAt = l, name
		}
	}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		switch {
		case strings.HasSuffix(p, ".tf"), strings.HasSuffix(p, ".tfvars"):
			files++
			one(p, b, Config)
		case strings.HasSuffix(p, ".tftpl"), strings.HasSuffix(p, ".tpl"):
			files++
			one(p, b, Template)
		case strings.HasSuffix(p, ".tf.json"):
			var doc any
			if json.Unmarshal(b, &doc) != nil {
				return nil
			}
			files++
			var walk func(v any)
			walk = func(v any) {
				switch v := v.(type) {
				case string:
					one(p, []byte(v), Template)
				case []any:
					for _, e := range v {
						walk(e)
					}
				case map[string]any:
					for _, e := range v {
						walk(e)
					}
				}
			}
			walk(doc)
		}
		return nil
	})
	t.Logf("%d files, %d sources; %d handed to the lexer; deepest nesting %d (%s), longest chain %d (%s)",
		files, sources, handed, deepest, deepestAt, longest, longestAt)
	if files == 0 {
		t.Fatalf("no Terraform file under %s", root)
	}
}

// TestLexedTo: the lexer asked about a prefix answers for the whole source
// where the scan stopped, and declines where a prefix could mislead it.
func TestLexedTo(t *testing.T) {
	start := hcl.Pos{Line: 4, Column: 3, Byte: 20}
	for _, tt := range []struct {
		src  string
		stop int
		lim  limits
		ok   bool
	}{
		{"a = " + strings.Repeat("-", 50) + "1\n", 4 + 3, limits{5, 3}, true},
		{"\ufeffa = [[[\n", 3 + 5, limits{1, 10}, true},
		{"a = \"${\"${x}\"}\"\n", 8, limits{1, 10}, true},
		// A /* whose */ lies past the cut: the prefix leaves / and * side
		// by side, and would refuse the [ the comment holds.
		{"/* x [  */ [\n", 5, limits{0, 10}, false},
		// A < or / at the stop could open a heredoc or a comment.
		{"a = <<EOT\nx\nEOT\n", 4, limits{0, 0}, false},
		{"a = /* x */ 1\n", 4, limits{0, 0}, false},
		// A stop that is not where the lexer refuses.
		{"a = -x - y\n", 4, limits{0, 1}, false},
	} {
		r, ok := lexedTo([]byte(tt.src), tt.stop, "f.tf", start, Config, tt.lim)
		lr, lbad := lexed([]byte(tt.src), "f.tf", start, Config, tt.lim)
		if ok != tt.ok || (ok && (!lbad || r != lr)) {
			t.Errorf("%q at %d: %+v, %v; the whole source's lexer: %+v, %v", tt.src, tt.stop, r, ok, lr, lbad)
		}
	}
	// The scan's stop on a hostile source is where the lexer refuses, and
	// the prefix it lexes is a few bytes past it.
	src := []byte("x = " + strings.Repeat("!", 3*MaxChain) + "true\n")
	_, _, stop, sure := scan(src, false, MaxDepth, MaxChain)
	if r, ok := lexedTo(src, stop, "f.tf", hcl.InitialPos, Config, limits{MaxDepth, MaxChain}); sure || !ok || stop != 4+MaxChain || r.Pos.Column != 5+MaxChain {
		t.Errorf("stop %d (sure %v): %+v, %v", stop, sure, r, ok)
	}
}
