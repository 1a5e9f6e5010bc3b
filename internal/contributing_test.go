package internal_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The guide for contributors is checked against the code it describes, so
// that it cannot drift into telling people what is no longer true.

func readGuide(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../CONTRIBUTING.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var codeSpan = regexp.MustCompile("`([^`]+)`")

// TestContributingLayerTable: the guide's table of layers has the layers
// of internal/layers_test.go in the same order, each allowed the same
// layers, and every package it names sits in that layer.
func TestContributingLayerTable(t *testing.T) {
	var rows [][]string
	in := false
	for _, line := range strings.Split(readGuide(t), "\n") {
		if strings.HasPrefix(line, "| layer | packages | may import |") {
			in = true
			continue
		}
		if in && !strings.HasPrefix(line, "|") {
			break
		}
		if in && !strings.HasPrefix(line, "|---") {
			cells := strings.Split(strings.Trim(line, "|"), "|")
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			rows = append(rows, cells)
		}
	}
	if len(rows) != len(layers) {
		t.Fatalf("CONTRIBUTING.md lists %d layers, internal/layers_test.go %d", len(rows), len(layers))
	}
	for i, l := range layers {
		row := rows[i]
		if len(row) != 3 || row[0] != l.name {
			t.Errorf("row %d of the guide's layer table is %q, want layer %q", i+1, row, l.name)
			continue
		}
		allowed := []string{}
		if row[2] != "nothing of the module" {
			allowed = strings.Split(row[2], ", ")
		}
		if !slices.Equal(allowed, l.imports) {
			t.Errorf("layer %q: the guide says it may import %q, the table %q", l.name, allowed, l.imports)
		}
		for _, m := range codeSpan.FindAllStringSubmatch(row[1], -1) {
			p := m[1]
			if !strings.HasPrefix(p, "cmd/") {
				p = "internal/" + p
			}
			if j, _ := place(layers, strings.TrimSuffix(p, "/...")); j != i {
				t.Errorf("the guide puts %s in layer %q, internal/layers_test.go does not", p, l.name)
			}
		}
	}
}

var (
	repoDirs = regexp.MustCompile(`^(internal|cmd|docs|examples|scripts|\.ci)/[^ ]*$`)
	goFile   = regexp.MustCompile(`^[a-z_]+\.go$`)
	mdLink   = regexp.MustCompile(`\]\(([^)]+)\)`)
)

// TestContributingPathsExist: every file or directory of the repository
// the guide names, in code spans or links, exists; a placeholder
// (<ID>) stands for any name, so what precedes it must exist.
func TestContributingPathsExist(t *testing.T) {
	guide := readGuide(t)
	goFiles := map[string]bool{}
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".go") {
			goFiles[d.Name()] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	exists := func(p string) {
		checked++
		if _, err := os.Stat(filepath.Join("..", filepath.FromSlash(p))); err != nil {
			t.Errorf("CONTRIBUTING.md names %s, which does not exist", p)
		}
	}
	// Words of code blocks and code spans: a path to a file stands alone
	// or begins a command (.ci/fuzz 30s, internal/iam/managed/gen/extract.sh).
	var words []string
	var prose strings.Builder
	inBlock := false
	for _, line := range strings.Split(guide, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inBlock = !inBlock
			continue
		}
		if inBlock {
			words = append(words, strings.Fields(line)...)
		} else {
			prose.WriteString(line + "\n")
		}
	}
	for _, m := range codeSpan.FindAllStringSubmatch(prose.String(), -1) {
		if f := strings.Fields(m[1]); len(f) > 0 {
			words = append(words, f[0])
		}
	}
	for _, w := range words {
		switch {
		case goFile.MatchString(w):
			checked++
			if !goFiles[w] {
				t.Errorf("CONTRIBUTING.md names %s, which is no Go file of the repository", w)
			}
		case repoDirs.MatchString(w):
			p, _, _ := strings.Cut(w, "<")
			exists(strings.TrimSuffix(p, "/..."))
		}
	}
	for _, m := range mdLink.FindAllStringSubmatch(guide, -1) {
		if u := m[1]; !strings.Contains(u, "://") {
			p, _, _ := strings.Cut(u, "#")
			exists(p)
		}
	}
	if checked < 40 {
		t.Errorf("checked %d paths of CONTRIBUTING.md; the extraction lost them", checked)
	}
}
