package rule

import (
	"fmt"
	"math/rand"
	"reflect"
	"sort"
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
)

// oldLess is the order SortResults kept before it stopped building the
// "address#path" strings; the new comparison must give the same order.
func oldLess(a, b Result) bool {
	if a.Rule.ID != b.Rule.ID {
		return a.Rule.ID < b.Rule.ID
	}
	if a.Range.File != b.Range.File {
		return a.Range.File < b.Range.File
	}
	if a.Range.Line != b.Range.Line {
		return a.Range.Line < b.Range.Line
	}
	key := func(r Result) string {
		if r.Resource == nil {
			return ""
		}
		return r.Resource.Address + "#" + r.Path
	}
	return key(a) < key(b)
}

func TestSortResultsMatchesConcatenatedKeys(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	// Few letters, '#' among them and short strings, so that one address
	// is often a prefix of another and '#' meets other bytes.
	word := func() string {
		const letters = "a#b.A"
		b := make([]byte, rng.Intn(4))
		for i := range b {
			b[i] = letters[rng.Intn(len(letters))]
		}
		return string(b)
	}
	rules := []*Rule{{ID: "A-1"}, {ID: "A-2"}}
	for iter := 0; iter < 200; iter++ {
		rs := make([]Result, 60)
		for i := range rs {
			rs[i] = Result{Rule: rules[rng.Intn(2)], Path: word(), Message: fmt.Sprint(i),
				Range: graph.Range{File: []string{"a.tf", "b.tf"}[rng.Intn(2)], Line: rng.Int31n(2)}}
			if rng.Intn(8) > 0 {
				rs[i].Resource = &graph.Resource{Address: word()}
			}
		}
		want := append([]Result(nil), rs...)
		sort.SliceStable(want, func(i, j int) bool { return oldLess(want[i], want[j]) })
		SortResults(rs)
		if !reflect.DeepEqual(rs, want) {
			t.Fatalf("iteration %d: order differs from the concatenated keys' order", iter)
		}
	}
}

func TestCompareJoined(t *testing.T) {
	for _, c := range []struct{ a, b [3]string }{
		{[3]string{"ab", "#", "c"}, [3]string{"a", "#", "bc"}},
		{[3]string{"a", "#", ""}, [3]string{"a", "#", "x"}},
		{[3]string{"a", "#", "x"}, [3]string{"a#", "#", ""}},
		{[3]string{}, [3]string{"", "#", ""}},
		{[3]string{"x", "#", "y"}, [3]string{"x", "#", "y"}},
	} {
		want := 0
		if a, b := c.a[0]+c.a[1]+c.a[2], c.b[0]+c.b[1]+c.b[2]; a < b {
			want = -1
		} else if a > b {
			want = 1
		}
		if got := compareJoined(c.a, c.b); got != want {
			t.Errorf("compareJoined(%q, %q) = %d, want %d", c.a, c.b, got, want)
		}
		if got := compareJoined(c.b, c.a); got != -want {
			t.Errorf("compareJoined(%q, %q) = %d, want %d", c.b, c.a, got, -want)
		}
	}
}

// RunCounted gives what Run gives without the passes, and counts them.
func TestRunCountedCountsPasses(t *testing.T) {
	g := graph.New()
	var rs []*graph.Resource
	for i := 0; i < 5; i++ {
		rs = append(rs, g.Add(&graph.Resource{Type: "t", Name: fmt.Sprint(i), Address: fmt.Sprintf("t.%d", i),
			Attrs: &graph.Value{Kind: graph.Map, Map: graph.NewFields(0)}}))
	}
	rules := []*Rule{
		{ID: "X-2", Run: func(p *Pass) {
			for i, r := range rs {
				switch i % 3 {
				case 0:
					p.Pass(r, "a")
				case 1:
					p.Fail(r, "a", "bad %d", i)
				default:
					p.Unknown(r, "b", "not known")
				}
			}
		}},
		{ID: "X-1", Run: func(p *Pass) {
			p.Pass(rs[0], "")
			p.Pass(rs[1], "")
			panic("boom") // passes before a crash still count
		}},
	}
	all := Run(rules, g, nil)
	got, passes := RunCounted(rules, g, nil)
	var want []Result
	wantPasses := map[string]int{}
	for _, r := range all {
		if r.Status == StatusPass {
			wantPasses[r.Rule.ID]++
			continue
		}
		want = append(want, r)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RunCounted results:\n%+v\nwant\n%+v", got, want)
	}
	if passes[0] != wantPasses["X-2"] || passes[1] != wantPasses["X-1"] || passes[0] != 2 || passes[1] != 2 {
		t.Errorf("passes = %v, want [2 2] (%v)", passes, wantPasses)
	}
}
