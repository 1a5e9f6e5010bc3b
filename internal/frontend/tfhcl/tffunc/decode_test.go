package tffunc

import (
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// TestDecodeBounds: jsondecode and yamldecode read documents nested up to
// the bound and refuse, before decoding, one nested past it or whose
// aliases expand past the values bound, in milliseconds where decoding it
// took minutes or gigabytes.
func TestDecodeBounds(t *testing.T) {
	l := newLib(t, Config{Dir: t.TempDir()})
	r := strings.Repeat
	laughs := "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
	for i := 0; i < 8; i++ {
		p, c := string(rune('a'+i)), string(rune('b'+i))
		laughs += c + ": &" + c + " [" + strings.TrimSuffix(r("*"+p+",", 10), ",") + "]\n"
	}
	for _, tt := range []struct {
		fn, doc string
		want    string // "" when it decodes
	}{
		{"jsondecode", r("[", maxDecodeDepth) + r("]", maxDecodeDepth), ""},
		{"jsondecode", `{"a": "` + r("[", 1000) + `", "b": [[{"c": "\"]]]"}]]}`, ""},
		{"jsondecode", r("[", maxDecodeDepth+1) + r("]", maxDecodeDepth+1), "nests deeper than 256 levels"},
		{"jsondecode", r(`{"a":`, 1000000) + "1" + r("}", 1000000), "nests deeper than 256 levels"},
		{"yamldecode", "a: " + r("[", maxDecodeDepth-1) + r("]", maxDecodeDepth-1), ""},
		{"yamldecode", "a: " + r("[", maxDecodeDepth) + r("]", maxDecodeDepth), "nests deeper than 256 levels"},
		{"yamldecode", r("- ", maxDecodeDepth+1) + "x", "nests deeper than 256 levels"},
		{"yamldecode", "a: " + r("[", 1000000) + r("]", 1000000), "nests deeper than 256 levels"},
		{"yamldecode", "a: &a [x]\nb: [*a, *a, *a]\n", ""},
		{"yamldecode", laughs, "more than 2000000 values"},
		{"yamldecode", "a: [\n", "did not find expected node content"},
		{"yamldecode", "a: &a [*a]\n", "refers to a node that holds it"},
	} {
		got, diags := eval(t, l, tt.fn+"(doc)", map[string]cty.Value{"doc": cty.StringVal(tt.doc)})
		switch {
		case tt.want == "" && diags.HasErrors():
			t.Errorf("%s(%.40q): %s", tt.fn, tt.doc, diags.Error())
		case tt.want != "" && (!diags.HasErrors() || !strings.Contains(diags.Error(), tt.want)):
			t.Errorf("%s(%.40q): %#v, %v; want an error saying %q", tt.fn, tt.doc, got, diags, tt.want)
		}
	}
}
