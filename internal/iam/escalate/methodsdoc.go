package escalate

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// CatalogPaths is the number of AWS privilege-escalation paths DataDog's
// pathfinding.cloud catalogue publishes (https://pathfinding.cloud; their
// ids are listed in testdata/pathfinding-ids.txt, which a test keeps in
// step with this number).
const CatalogPaths = 65

// notShownByCode are the pathfinding.cloud paths that no method covers
// because scanning code cannot show them, each with the reason (what the
// path depends on that no declaration holds). A path listed here must not
// also be named by a variant.
var notShownByCode = map[string]string{}

// NotShownByCode returns the pathfinding.cloud ids no method covers
// because code cannot show them, with the reason for each.
func NotShownByCode() map[string]string {
	out := make(map[string]string, len(notShownByCode))
	for id, why := range notShownByCode {
		out[id] = why
	}
	return out
}

// VariantInfo is one labelled way of escalating as documentation lists
// it: the method it belongs to, its hop label, the pathfinding.cloud paths
// it covers, and what the code must show for its hops to be certain.
type VariantInfo struct {
	Method  string
	Label   string
	Catalog []string
	// Certain is the variant's Certain, or its method's Doc when the
	// variant says nothing of its own (or the method has no variants).
	Certain string
}

// Variants lists every variant of Methods(), in their order; a method
// without variants gives one, labelled with its name.
func Variants() []VariantInfo { return variantsOf(Methods()) }

func variantsOf(ms []Method) []VariantInfo {
	var out []VariantInfo
	for _, m := range ms {
		if len(m.Variants) == 0 {
			out = append(out, VariantInfo{Method: m.Name, Label: m.Name, Certain: m.Doc})
			continue
		}
		for _, v := range m.Variants {
			vi := VariantInfo{Method: m.Name, Label: v.Label, Catalog: append([]string(nil), v.Catalog...), Certain: v.Certain}
			if strings.TrimSpace(vi.Certain) == "" {
				vi.Certain = m.Doc
			}
			out = append(out, vi)
		}
	}
	return out
}

// CatalogCovered returns the distinct pathfinding.cloud ids the variants
// of Methods() name, sorted.
func CatalogCovered() []string { return coveredBy(Variants()) }

func coveredBy(vs []VariantInfo) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range vs {
		for _, id := range v.Catalog {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	sort.Strings(out)
	return out
}

// CoverageLine is the sentence documentation gives for catalogue
// coverage: "Catalogue coverage: N of 65 pathfinding.cloud paths".
func CoverageLine() string { return coverageLine(Variants()) }

func coverageLine(vs []VariantInfo) string {
	return fmt.Sprintf("Catalogue coverage: %d of %d pathfinding.cloud paths", len(coveredBy(vs)), CatalogPaths)
}

// MethodsMarkdown renders the methods table of docs/iam-paths.md (the
// section between <!-- methods:begin --> and <!-- methods:end -->): one
// row per variant of Methods(), the catalogue coverage, and the paths
// code cannot show.
func MethodsMarkdown() string { return methodsMarkdown(Variants(), notShownByCode) }

func methodsMarkdown(vs []VariantInfo, notShown map[string]string) string {
	var b strings.Builder
	b.WriteString("<!-- Generated from escalate.Methods() by `go generate ./cmd/eksguard` " +
		"(`eksguard iam methods --format markdown`); do not edit. -->\n\n")
	b.WriteString(coverageLine(vs) + "\n\n")
	b.WriteString("| method | hop label | pathfinding.cloud | certain when |\n")
	b.WriteString("|---|---|---|---|\n")
	prev := ""
	for _, v := range vs {
		method := ""
		if v.Method != prev {
			method = "`" + mdCell(v.Method) + "`"
			prev = v.Method
		}
		ids := "-"
		if len(v.Catalog) > 0 {
			ids = mdCell(strings.Join(v.Catalog, ", "))
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", method, mdCell(v.Label), ids, mdCell(v.Certain))
	}
	if len(notShown) > 0 {
		b.WriteString("\npathfinding.cloud paths that code cannot show:\n\n")
		b.WriteString("| path | why code cannot show it |\n")
		b.WriteString("|---|---|\n")
		for _, id := range sortedKeys(notShown) {
			fmt.Fprintf(&b, "| %s | %s |\n", mdCell(id), mdCell(notShown[id]))
		}
	}
	return b.String()
}

// WriteMethodsText lists the methods for the terminal: per method its
// name, then each variant's hop label with the pathfinding.cloud paths it
// covers and what makes it certain.
func WriteMethodsText(w io.Writer) error { return writeMethodsText(w, Variants()) }

func writeMethodsText(w io.Writer, vs []VariantInfo) error {
	var b strings.Builder
	for i := 0; i < len(vs); {
		j := i
		for j < len(vs) && vs[j].Method == vs[i].Method {
			j++
		}
		if i > 0 {
			b.WriteString("\n")
		}
		indent := ""
		if j-i > 1 || vs[i].Label != vs[i].Method {
			// Variants of their own: the method heads them.
			b.WriteString(vs[i].Method + "\n")
			indent = "  "
		}
		for _, v := range vs[i:j] {
			b.WriteString(indent + v.Label)
			if len(v.Catalog) > 0 {
				b.WriteString("  [" + strings.Join(v.Catalog, ", ") + "]")
			}
			b.WriteString("\n")
			b.WriteString(wrapText(v.Certain, 78, indent+"    "))
		}
		i = j
	}
	fmt.Fprintf(&b, "\n%d hop labels. %s.\n", len(vs), coverageLine(vs))
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell makes text safe inside a Markdown table cell.
func mdCell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

// wrapText fills s into lines of at most width characters (a longer word
// gets its own line), each starting with indent.
func wrapText(s string, width int, indent string) string {
	var b strings.Builder
	line := indent
	for _, word := range strings.Fields(s) {
		if line != indent && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += word
	}
	if line != indent {
		b.WriteString(line + "\n")
	}
	return b.String()
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
