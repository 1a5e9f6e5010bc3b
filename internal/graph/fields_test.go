package graph

import (
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"testing"
)

// TestFieldsMatchGoMap: random sets, deletes and reads on Fields and on a Go
// map agree at every step, across the switch between the sorted slice and
// the Go map in both directions; a small map yields its keys in order and
// equal maps are stored alike whatever the order they were built in.
func TestFieldsMatchGoMap(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for round := 0; round < 200; round++ {
		hint := rng.Intn(2 * smallMax)
		f := NewFields(hint)
		want := map[string]*Value{}
		deleted := false
		nkeys := 1 + rng.Intn(24)
		for step := 0; step < 300; step++ {
			k := "k" + strconv.Itoa(rng.Intn(nkeys))
			switch rng.Intn(3) {
			case 0, 1:
				v := NewNumber(float64(step))
				f.Set(k, v)
				want[k] = v
			case 2:
				f.Delete(k)
				delete(want, k)
				deleted = true
			}
			if f.Len() != len(want) {
				t.Fatalf("round %d step %d: Len %d, want %d", round, step, f.Len(), len(want))
			}
			// Built with room for more than smallMax keys, a map is a Go
			// map from the start, until a delete leaves smallMax or fewer.
			if (f.big != nil) != (len(want) > smallMax || hint > smallMax && !deleted) {
				t.Fatalf("round %d step %d: %d keys stored in the map: %v", round, step, len(want), f.big != nil)
			}
			probe := "k" + strconv.Itoa(rng.Intn(nkeys+2))
			got, ok := f.Lookup(probe)
			w, wok := want[probe]
			if got != w || ok != wok || f.Get(probe) != w || f.Has(probe) != wok {
				t.Fatalf("round %d step %d: Lookup(%q) = %v %v, want %v %v", round, step, probe, got, ok, w, wok)
			}
		}
		seen := map[string]*Value{}
		var order []string
		for k, v := range f.All() {
			seen[k] = v
			order = append(order, k)
		}
		if !reflect.DeepEqual(seen, want) {
			t.Fatalf("round %d: All yields %v, want %v", round, seen, want)
		}
		if f.big == nil && !sort.StringsAreSorted(order) {
			t.Fatalf("round %d: small map yields %v, not in key order", round, order)
		}
		if f.big == nil && !slices.Equal(FieldsOf(want).small, f.small) {
			t.Fatalf("round %d: %+v built by Set and Delete, %+v by FieldsOf", round, f, FieldsOf(want))
		}
		if !reflect.DeepEqual(f.GoMap(), want) {
			t.Fatalf("round %d: GoMap %v, want %v", round, f.GoMap(), want)
		}
	}
}

// TestFieldsNil: a nil *Fields reads as an empty map, as a nil Go map does.
func TestFieldsNil(t *testing.T) {
	var f *Fields
	if f.Len() != 0 || f.Get("a") != nil || f.Has("a") {
		t.Fatal("nil Fields is not empty")
	}
	f.Delete("a")
	for k := range f.All() {
		t.Fatalf("nil Fields yields %q", k)
	}
	if m := f.GoMap(); m == nil || len(m) != 0 {
		t.Fatalf("GoMap of nil: %v", m)
	}
	if v := NewMap(nil); v.Map == nil || v.Map.Len() != 0 {
		t.Fatalf("NewMap(nil): %+v", v)
	}
	// A map value made without fields reads as an empty map everywhere.
	v := &Value{Kind: Map}
	if v.Keys() == nil || len(v.Keys()) != 0 || v.Get("a") != nil || v.String() != "{}" {
		t.Fatalf("map without fields: keys %v, string %s", v.Keys(), v.String())
	}
}

// TestFieldsAllStops: a loop that breaks stops the walk, for both forms.
func TestFieldsAllStops(t *testing.T) {
	for _, n := range []int{3, smallMax + 3} {
		f := NewFields(0)
		for i := range n {
			f.Set(strconv.Itoa(i), NewNull())
		}
		seen := 0
		for range f.All() {
			seen++
			break
		}
		if seen != 1 {
			t.Fatalf("%d keys: %d yielded after break", n, seen)
		}
	}
}

// TestKeysSorted: Keys is sorted for small and large maps alike.
func TestKeysSorted(t *testing.T) {
	for _, n := range []int{0, 1, 5, smallMax, smallMax + 1, 40} {
		m := map[string]*Value{}
		var want []string
		for i := range n {
			k := strconv.Itoa(n*7 - i*3)
			m[k] = NewNull()
			want = append(want, k)
		}
		slices.Sort(want)
		want = slices.Compact(want)
		if got := NewMap(m).Keys(); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("%d keys: %v, want %v", n, got, want)
		}
	}
}

// BenchmarkFieldsGet reads the keys a rule reads from a pod spec's small
// maps; BenchmarkGoMapGet is the same with the Go map Fields replaced.
func BenchmarkFieldsGet(b *testing.B) {
	keys := []string{"containers", "securityContext", "serviceAccountName", "volumes", "hostNetwork"}
	f := NewFields(len(keys))
	for _, k := range keys {
		f.Set(k, NewNull())
	}
	probes := append(keys, "hostPID", "initContainers")
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range probes {
			_ = f.Get(p)
		}
	}
}

func BenchmarkGoMapGet(b *testing.B) {
	keys := []string{"containers", "securityContext", "serviceAccountName", "volumes", "hostNetwork"}
	m := map[string]*Value{}
	for _, k := range keys {
		m[k] = NewNull()
	}
	probes := append(keys, "hostPID", "initContainers")
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range probes {
			_ = m[p]
		}
	}
}

// TestFieldsFrom: entries become fields as setting them in order would,
// with duplicates reported, on both sides of smallMax.
func TestFieldsFrom(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for round := 0; round < 300; round++ {
		n := rng.Intn(3 * smallMax)
		var entries []Field
		want := NewFields(0)
		dup := false
		for i := 0; i < n; i++ {
			k := "k" + strconv.Itoa(rng.Intn(2*smallMax))
			v := NewNumber(float64(i))
			entries = append(entries, Field{k, v})
			if want.Has(k) {
				dup = true
			}
			want.Set(k, v)
		}
		got, gotDup := FieldsFrom(entries)
		if gotDup != dup || !reflect.DeepEqual(got.GoMap(), want.GoMap()) {
			t.Fatalf("round %d: %v dup %v, want %v dup %v", round, got.GoMap(), gotDup, want.GoMap(), dup)
		}
		if (got.big != nil) != (got.Len() > smallMax) {
			t.Fatalf("round %d: %d keys, stored in the map: %v", round, got.Len(), got.big != nil)
		}
		if got.big == nil && cap(got.small) > len(entries) {
			t.Fatalf("round %d: room for %d keys, %d given", round, cap(got.small), len(entries))
		}
	}
}

// Grow leaves room for the keys to come, and past smallMax keeps them in a
// Go map; either way the fields read as before.
func TestFieldsGrow(t *testing.T) {
	f := NewFields(0)
	f.Set("b", NewString("1"))
	f.Grow(3)
	if cap(f.small) < 4 {
		t.Fatalf("cap %d after Grow(3) on one key", cap(f.small))
	}
	before := cap(f.small)
	for _, k := range []string{"d", "a", "c"} {
		f.Set(k, NewString(k))
	}
	if cap(f.small) != before {
		t.Errorf("setting the grown-for keys reallocated: cap %d, was %d", cap(f.small), before)
	}
	if got := f.Len(); got != 4 {
		t.Fatalf("Len %d, want 4", got)
	}
	var keys []string
	for k := range f.All() {
		keys = append(keys, k)
	}
	if fmt.Sprint(keys) != "[a b c d]" {
		t.Errorf("keys %v, want sorted a b c d", keys)
	}
	f.Grow(smallMax)
	if f.big == nil || f.small != nil || f.Len() != 4 || f.Get("b").Str != "1" {
		t.Errorf("Grow past smallMax: big %v small %v len %d", f.big != nil, f.small != nil, f.Len())
	}
}
