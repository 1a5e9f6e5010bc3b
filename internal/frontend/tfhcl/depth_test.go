package tfhcl

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// tokenDepth is the deepest nesting over HCL's tokens, counted as
// lexedDepth counts it: the oracle scanDepth must agree with.
func tokenDepth(data []byte) int {
	toks, _ := hclsyntax.LexConfig(data, "f.tf", hcl.InitialPos)
	depth, deepest := 0, 0
	for _, t := range toks {
		switch t.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			depth++
			deepest = max(deepest, depth)
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd:
			depth = max(0, depth-1)
		}
	}
	return deepest
}

// depthCases are the lexer's corners: escapes, literal $${ and %%{, the
// ~ strip markers, heredoc markers and where they count, comments, and
// braces that close an interpolation or not.
var depthCases = []string{
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
}

// TestScanDepthMatchesLexer: wherever the scan is sure of itself, it
// counts exactly the depth HCL's tokens give, on crafted corners, on every
// .tf file of the repository's testdata and examples, and on nesting past
// the limit, where it must hand over to the lexer.
func TestScanDepthMatchesLexer(t *testing.T) {
	check := func(name string, src []byte) {
		t.Helper()
		got, sure := scanDepth(src, 1<<30)
		if want := tokenDepth(src); sure && got != want {
			t.Errorf("%s: scan counts %d levels, the lexer %d:\n%.300q", name, got, want, src)
		}
	}
	for i, s := range depthCases {
		check(fmt.Sprintf("case %d", i), []byte(s))
	}
	for _, s := range hostileHCL {
		check("hostile", []byte(s))
	}
	files := 0
	for _, root := range []string{"testdata", "../../../examples"} {
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tfvars")) {
				if b, err := os.ReadFile(p); err == nil {
					files++
					check(p, b)
					if _, sure := scanDepth(b, rawMaxDepth); !sure {
						t.Errorf("%s: an ordinary file was handed to the lexer", p)
					}
				}
			}
			return nil
		})
	}
	if files < 50 {
		t.Fatalf("only %d files checked", files)
	}
}

// TestScanDepthHandsOver: the scan is unsure exactly where it promises to
// be (input that is not UTF-8, a heredoc marker that is not ASCII, a lone
// carriage return in a heredoc, nesting past the limit), and the verdict
// there is the lexer's.
func TestScanDepthHandsOver(t *testing.T) {
	deep := "a = " + strings.Repeat("[", rawMaxDepth+1) + "\n"
	for _, tt := range []struct {
		src            string
		handOver, deep bool
	}{
		{"a = \"\xff\"\n", true, false},
		{"a = <<EOTé\nx\nEOTé\n", true, false},
		{"a = <<é\nx\né\n", true, false},
		{"a = <<EOT\nx\ry\nEOT\n", true, false},
		{deep, true, true},
		{"a = \"" + strings.Repeat("${\"", rawMaxDepth) + "\"\n", false, false},
		{"a = \"" + strings.Repeat("${\"", rawMaxDepth+1) + "\"\n", true, true},
		{"a = <<EOT\n" + strings.Repeat("${", rawMaxDepth+1) + "\n", true, true},
	} {
		if _, sure := scanDepth([]byte(tt.src), rawMaxDepth); sure == tt.handOver {
			t.Errorf("%.40q: handed over to the lexer: %v, want %v", tt.src, !sure, tt.handOver)
		}
		pos, deep := tooDeepToParse([]byte(tt.src), "f.tf")
		lpos, ldeep := lexedDepth([]byte(tt.src), "f.tf")
		if deep != tt.deep || deep != ldeep || pos != lpos {
			t.Errorf("%.40q: too deep %v at %v, want %v (lexer: %v at %v)", tt.src, deep, pos, tt.deep, ldeep, lpos)
		}
	}
	// Just within the limit, sure of itself, and not refused.
	within := "a = " + strings.Repeat("[", rawMaxDepth) + strings.Repeat("]", rawMaxDepth) + "\n"
	if d, sure := scanDepth([]byte(within), rawMaxDepth); !sure || d != rawMaxDepth {
		t.Errorf("within the limit: depth %d, sure %v", d, sure)
	}
	if _, deep := tooDeepToParse([]byte(within), "f.tf"); deep {
		t.Error("a file nested exactly to the limit is refused")
	}
}

// FuzzScanDepth: on any input, a scan that is sure of itself counts the
// lexer's depth.
func FuzzScanDepth(f *testing.F) {
	for _, s := range depthCases {
		f.Add([]byte(s))
	}
	for _, s := range hostileHCL {
		f.Add([]byte(s))
	}
	addTestdata(f, func(b []byte, _ string) { f.Add(b) })
	f.Fuzz(func(t *testing.T, src []byte) {
		got, sure := scanDepth(src, 1<<30)
		if want := tokenDepth(src); sure && got != want {
			t.Fatalf("scan counts %d levels, the lexer %d", got, want)
		}
		pos, deep := tooDeepToParse(src, "f.tf")
		lpos, ldeep := lexedDepth(src, "f.tf")
		if deep != ldeep || pos != lpos {
			t.Fatalf("too deep %v at %v, the lexer says %v at %v", deep, pos, ldeep, lpos)
		}
	})
}

// BenchmarkNestingGuard: the nesting guard over the repository's example
// configurations, by the byte scan and by lexing (what the guard cost
// before), in bytes per second.
func BenchmarkNestingGuard(b *testing.B) {
	var files [][]byte
	size := 0
	filepath.WalkDir("../../../examples", func(p string, d os.DirEntry, err error) error {
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
		check func([]byte, string) (hcl.Pos, bool)
	}{{"scan", tooDeepToParse}, {"lexer", lexedDepth}} {
		b.Run(guard.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, src := range files {
					if _, deep := guard.check(src, "f.tf"); deep {
						b.Fatal("refused")
					}
				}
			}
		})
	}
}
