package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/eksguard/eksguard/internal/render"
	"github.com/eksguard/eksguard/internal/rule"
)

// docInvocation is one eksguard command line found in a code block.
type docInvocation struct {
	at   string   // file:line of the line it starts on
	args []string // what follows the eksguard command (or image)
}

// codeBlocks returns the fenced code blocks of a Markdown document, each
// with the line its first line is on.
func codeBlocks(doc string) (blocks []string, lines []int) {
	var cur []string
	fence, start := "", 0
	for i, ln := range strings.Split(doc, "\n") {
		t := strings.TrimSpace(ln)
		switch {
		case fence == "" && strings.HasPrefix(t, "```"):
			fence, start, cur = t[:strings.LastIndex(t, "`")+1], i+2, nil
		case fence != "" && strings.HasPrefix(t, fence) && strings.Trim(t, "`") == "":
			blocks, lines = append(blocks, strings.Join(cur, "\n")), append(lines, start)
			fence = ""
		case fence != "":
			cur = append(cur, ln)
		}
	}
	return blocks, lines
}

// shellWords splits one shell line into words, honouring quotes and
// backslashes; the operators | || && ; & end a command and come back as
// words of their own; a word starting with # starts a comment.
func shellWords(line string) []string {
	var words []string
	var w strings.Builder
	inWord, quote := false, rune(0)
	flush := func() {
		if inWord {
			words = append(words, w.String())
		}
		w.Reset()
		inWord = false
	}
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' && i+1 < len(rs) {
				i++
				w.WriteRune(rs[i])
			} else {
				w.WriteRune(c)
			}
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == '\\' && i+1 < len(rs):
			i++
			w.WriteRune(rs[i])
			inWord = true
		case c == ' ' || c == '\t':
			flush()
		case c == '#' && !inWord:
			flush()
			return words
		case strings.ContainsRune("|&;", c):
			flush()
			op := string(c)
			if i+1 < len(rs) && (rs[i+1] == '|' || rs[i+1] == '&') && rs[i+1] == c {
				op += string(c)
				i++
			}
			words = append(words, op)
		default:
			w.WriteRune(c)
			inWord = true
		}
	}
	flush()
	return words
}

// imageRef is a container image named eksguard (eksguard:dev,
// registry.example.com/platform/eksguard:1.0.0), whose entrypoint is eksguard.
var imageRef = regexp.MustCompile(`^([a-z0-9.-]+(:[0-9]+)?/)?([a-z0-9._-]+/)*eksguard:[A-Za-z0-9_.-]+$`)

// isEksguard tells whether a word runs eksguard: the command (eksguard,
// ./eksguard, $HOME/go/bin/eksguard), its package (go run ./cmd/eksguard)
// or an image of it.
func isEksguard(word string) bool {
	if strings.Contains(word, "://") {
		return false
	}
	return word == "eksguard" || strings.HasSuffix(word, "/eksguard") || imageRef.MatchString(word)
}

// docInvocations returns every eksguard command line of the code blocks of
// a Markdown file: a word that runs eksguard followed by one of its
// commands, with the words up to the end of that shell command.
func docInvocations(t *testing.T, path string) []docInvocation {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]bool{}
	for name := range commands {
		w, _, _ := strings.Cut(name, " ")
		first[w] = true
	}
	var out []docInvocation
	blocks, starts := codeBlocks(string(b))
	for bi, block := range blocks {
		lines := strings.Split(block, "\n")
		for i := 0; i < len(lines); i++ {
			at := i
			line := lines[i]
			for strings.HasSuffix(strings.TrimRight(line, " "), "\\") && i+1 < len(lines) {
				line = strings.TrimSuffix(strings.TrimRight(line, " "), "\\") + " " + lines[i+1]
				i++
			}
			words := shellWords(line)
			for j := 0; j+1 < len(words); j++ {
				if !isEksguard(words[j]) || !first[words[j+1]] {
					continue
				}
				end := j + 1
				for end < len(words) && !strings.Contains("| || && ; &", words[end]) {
					end++
				}
				out = append(out, docInvocation{at: fmt.Sprintf("%s:%d", path, starts[bi]+at), args: words[j+1 : end]})
				j = end
			}
		}
	}
	return out
}

// checkInvocation parses a documented command line with the command's own
// flag set, as eksguard would, and checks the values eksguard would
// refuse only when it runs: --format names and --fail-on.
func checkInvocation(inv docInvocation) error {
	var c *command
	name := inv.args[0]
	if len(inv.args) > 1 && commands[inv.args[0]+" "+inv.args[1]] != nil {
		name = inv.args[0] + " " + inv.args[1]
	}
	if c = commands[name]; c == nil {
		return fmt.Errorf("no command %q", name)
	}
	o := &Options{}
	fs := c.newFlagSet(o)
	if err := fs.Parse(gnuArgs(fs, inv.args[len(strings.Fields(name)):])); err != nil {
		return fmt.Errorf("eksguard %s: %v", name, err)
	}
	if name == "scan" {
		for _, f := range o.Formats {
			format, _, _ := strings.Cut(f, "=")
			if _, err := render.Get(format); err != nil {
				return fmt.Errorf("eksguard scan --format %s: %v", f, err)
			}
		}
	}
	if fs.Lookup("fail-on") != nil && fs.Changed("fail-on") {
		if _, err := rule.ParseSeverity(o.FailOn); err != nil {
			return fmt.Errorf("eksguard %s --fail-on %s: %v", name, o.FailOn, err)
		}
	}
	return nil
}

// TestDocumentedCommandLines: every eksguard command line in the code
// blocks of the CI page, the README and the other docs uses flags the
// command has, with values it accepts, so the snippets can be pasted.
func TestDocumentedCommandLines(t *testing.T) {
	docs, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	docs = append(docs, "../../README.md")
	perFile := map[string]int{}
	for _, doc := range docs {
		for _, inv := range docInvocations(t, doc) {
			perFile[filepath.Base(doc)]++
			if err := checkInvocation(inv); err != nil {
				t.Errorf("%s: %v", inv.at, err)
			}
		}
	}
	// The extraction itself must keep finding the snippets.
	if perFile["ci.md"] < 8 || perFile["README.md"] < 20 {
		t.Errorf("command lines found: %v; the extraction lost the snippets", perFile)
	}
}

// TestDocCommandLineExtraction checks the extraction and the check on
// lines of the shapes the docs use, and that a wrong flag is caught.
func TestDocCommandLineExtraction(t *testing.T) {
	doc := "text `eksguard scan --nope` outside a block\n" +
		"```yaml\n" +
		"    - uses: eksguard/eksguard@v1\n" +
		"      run: |\n" +
		"        eksguard scan . --fail-on high \\\n" +
		"          -f sarif=eksguard.sarif # comment --bogus\n" +
		"    - eksguard scan . -f junit=j.xml && echo done --bogus\n" +
		"```\n\n" +
		"```sh\n" +
		"helm template x | go run ./cmd/eksguard scan --k8s-namespace x -\n" +
		"podman run --rm -v \"$PWD:/work\" eksguard:dev rules EKS-002\n" +
		"docker build -t eksguard:dev .\n" +
		"eksguard scan . --fail-on hgh\n" +
		"eksguard scan . --formt json\n" +
		"eksguard scan . -f yaml\n" +
		"eksguard iam paths . --format mermaid\n" +
		"```\n"
	path := filepath.Join(t.TempDir(), "doc.md")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, inv := range docInvocations(t, path) {
		verdict := "ok"
		if err := checkInvocation(inv); err != nil {
			verdict = "bad"
		}
		got = append(got, fmt.Sprintf("%s %s %q", filepath.Base(inv.at), verdict, inv.args))
	}
	want := []string{
		`doc.md:5 ok ["scan" "." "--fail-on" "high" "-f" "sarif=eksguard.sarif"]`,
		`doc.md:7 ok ["scan" "." "-f" "junit=j.xml"]`,
		`doc.md:11 ok ["scan" "--k8s-namespace" "x" "-"]`,
		`doc.md:12 ok ["rules" "EKS-002"]`,
		`doc.md:14 bad ["scan" "." "--fail-on" "hgh"]`,
		`doc.md:15 bad ["scan" "." "--formt" "json"]`,
		`doc.md:16 bad ["scan" "." "-f" "yaml"]`,
		`doc.md:17 ok ["iam" "paths" "." "--format" "mermaid"]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCIDocActionInputs: the inputs the CI page gives the eksguard action
// are inputs action.yml declares. Until action.yml exists at the
// repository root there is nothing to check against.
func TestCIDocActionInputs(t *testing.T) {
	b, err := os.ReadFile("../../action.yml")
	if os.IsNotExist(err) {
		t.Skip("no action.yml at the repository root")
	}
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]any `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(b, &action); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	doc, err := os.ReadFile("../../docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks, _ := codeBlocks(string(doc))
	uses := 0
	for _, block := range blocks {
		var wf struct {
			Jobs map[string]struct {
				Steps []struct {
					Uses string         `yaml:"uses"`
					With map[string]any `yaml:"with"`
				} `yaml:"steps"`
			} `yaml:"jobs"`
		}
		if yaml.Unmarshal([]byte(block), &wf) != nil {
			continue
		}
		for _, job := range wf.Jobs {
			for _, step := range job.Steps {
				if !strings.HasPrefix(step.Uses, "eksguard/eksguard@") {
					continue
				}
				uses++
				for in := range step.With {
					if _, ok := action.Inputs[in]; !ok {
						t.Errorf("docs/ci.md gives the action input %q, which action.yml does not declare", in)
					}
				}
			}
		}
	}
	if uses == 0 {
		t.Error("docs/ci.md has no workflow using the eksguard action")
	}
}

// TestCIDocYAMLParses: every YAML snippet of the CI page is valid YAML.
func TestCIDocYAMLParses(t *testing.T) {
	doc, err := os.ReadFile("../../docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, part := range strings.Split(string(doc), "```yaml\n")[1:] {
		block, _, _ := strings.Cut(part, "\n```")
		var v any
		if err := yaml.Unmarshal([]byte(block), &v); err != nil {
			t.Errorf("docs/ci.md YAML block %d: %v", n+1, err)
		}
		n++
	}
	if n < 4 {
		t.Errorf("%d YAML blocks in docs/ci.md, want the GitHub, GitLab and pre-commit ones", n)
	}
}

// TestCIDocPreCommitHooks: the hook ids the CI page configures are hooks
// .pre-commit-hooks.yaml declares. Until that file exists at the
// repository root there is nothing to check against.
func TestCIDocPreCommitHooks(t *testing.T) {
	b, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if os.IsNotExist(err) {
		t.Skip("no .pre-commit-hooks.yaml at the repository root")
	}
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID string `yaml:"id"`
	}
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	declared := map[string]bool{}
	for _, h := range hooks {
		declared[h.ID] = true
	}
	doc, err := os.ReadFile("../../docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks, _ := codeBlocks(string(doc))
	ids := 0
	for _, block := range blocks {
		var cfg struct {
			Repos []struct {
				Repo  string `yaml:"repo"`
				Hooks []struct {
					ID string `yaml:"id"`
				} `yaml:"hooks"`
			} `yaml:"repos"`
		}
		if yaml.Unmarshal([]byte(block), &cfg) != nil {
			continue
		}
		for _, r := range cfg.Repos {
			if !strings.HasSuffix(r.Repo, "/eksguard/eksguard") {
				continue
			}
			for _, h := range r.Hooks {
				ids++
				if !declared[h.ID] {
					t.Errorf("docs/ci.md configures hook %q, which .pre-commit-hooks.yaml does not declare", h.ID)
				}
			}
		}
	}
	if ids == 0 {
		t.Error("docs/ci.md configures no eksguard hook")
	}
}
