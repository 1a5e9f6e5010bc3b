package escalate

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/docsection"
)

// TestMethodsDocUpToDate fails when the methods table of docs/iam-paths.md
// no longer matches the methods it is generated from.
func TestMethodsDocUpToDate(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/iam-paths.md")
	if err != nil {
		t.Fatalf("reading docs/iam-paths.md: %v", err)
	}
	have, err := docsection.Get(doc, "methods")
	if err != nil {
		t.Fatalf("docs/iam-paths.md: %v", err)
	}
	if !bytes.Equal(have, []byte(MethodsMarkdown())) {
		t.Fatalf("the methods table of docs/iam-paths.md is stale; regenerate it with: go generate ./cmd/eksguard")
	}
}

// TestHopLabelsUnique: a hop label belongs to one variant of one method,
// so the table says, for any hop, which way it was made.
func TestHopLabelsUnique(t *testing.T) {
	names := map[string]bool{}
	owner := map[string]string{}
	for _, m := range Methods() {
		if m.Name == "" || m.Find == nil {
			t.Errorf("method %q: name and Find are required", m.Name)
		}
		if names[m.Name] {
			t.Errorf("two methods are named %s", m.Name)
		}
		names[m.Name] = true
		for _, l := range m.Labels() {
			switch {
			case strings.TrimSpace(l) == "":
				t.Errorf("method %s: a variant has no label", m.Name)
			case l == "administrator":
				t.Errorf("method %s: the label administrator is the hop of principals that are administrators already", m.Name)
			case owner[l] != "":
				t.Errorf("label %s is a variant of both %s and %s", l, owner[l], m.Name)
			}
			owner[l] = m.Name
		}
	}
}

// The table and the text listing show every variant with its catalogue
// ids, and fall back to the method's description for a variant that says
// nothing of what makes it certain.
func TestMethodsRendering(t *testing.T) {
	ms := []Method{
		{Name: "plain", Doc: "Plain method | with a pipe."},
		{Name: "multi", Doc: "Multi method.", Variants: []Variant{
			{Label: "multi:a", Catalog: []string{"iam-005", "iam-017"}, Certain: "The code shows a."},
			{Label: "multi:b", Catalog: []string{"iam-005"}},
		}},
	}
	vs := variantsOf(ms)
	md := methodsMarkdown(vs, map[string]string{"x-001": "Needs state no code holds."})
	for _, want := range []string{
		"Catalogue coverage: 2 of 65 pathfinding.cloud paths\n",
		"| `plain` | `plain` | - | Plain method \\| with a pipe. |\n",
		"| `multi` | `multi:a` | iam-005, iam-017 | The code shows a. |\n",
		"|  | `multi:b` | iam-005 | Multi method. |\n",
		"| x-001 | Needs state no code holds. |\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	var b strings.Builder
	if err := writeMethodsText(&b, vs); err != nil {
		t.Fatal(err)
	}
	want := "plain\n    Plain method | with a pipe.\n\n" +
		"multi\n  multi:a  [iam-005, iam-017]\n      The code shows a.\n  multi:b  [iam-005]\n      Multi method.\n\n" +
		"3 hop labels. Catalogue coverage: 2 of 65 pathfinding.cloud paths.\n"
	if b.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", b.String(), want)
	}
}

// Every method of Methods() appears in the generated table.
func TestMethodsMarkdownListsEveryLabel(t *testing.T) {
	md := MethodsMarkdown()
	for _, m := range Methods() {
		for _, l := range m.Labels() {
			if !strings.Contains(md, "| `"+mdCell(l)+"` |") {
				t.Errorf("table lacks %s", l)
			}
		}
	}
}
