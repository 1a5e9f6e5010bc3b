package graph

import (
	"strconv"
	"testing"
)

// Copy gives a tree equal to its source in everything a reader sees
// (kinds, texts, numbers, positions, marks, reasons) that shares none of
// its values, maps or lists: setting a key in one copied map changes
// neither the source nor the maps copied next to it.
func TestArenaCopy(t *testing.T) {
	big := map[string]*Value{}
	for i := range smallMax + 4 {
		big["k"+strconv.Itoa(i)] = NewNumber(float64(i))
	}
	secret := NewString("hunter2")
	secret.MarkSecret()
	unknown := NewUnknown()
	unknown.SetWhy(&Unknowable{Reason: "known after apply"})
	src := NewMap(map[string]*Value{
		"a":    NewString("x"),
		"n":    NewNumber(42),
		"l":    NewList(NewBool(true), NewNull(), NewMap(map[string]*Value{"b": secret})),
		"big":  NewMap(big),
		"u":    unknown,
		"none": NewList(),
	})
	src.Range = Range{File: "p.json", Line: 3, Column: 5, EndLine: 9}
	var a Arena
	var copies []*Value
	for range 3 {
		copies = append(copies, a.Copy(src))
	}
	for i, c := range copies {
		if c.String() != src.String() || c.Range != src.Range {
			t.Fatalf("copy %d: %s at %v, want %s at %v", i, c.String(), c.Range, src.String(), src.Range)
		}
		if !c.Get("l").List[2].Get("b").IsSecret() || c.Get("u").Reason() != "known after apply" || c.Get("n").Num() != 42 {
			t.Fatalf("copy %d lost a mark, a reason or a number", i)
		}
		var shared func(x, y *Value) bool
		shared = func(x, y *Value) bool {
			if x == nil || y == nil {
				return false
			}
			if x == y || x.Map != nil && x.Map == y.Map || len(x.List) > 0 && &x.List[0] == &y.List[0] {
				return true
			}
			for k, e := range x.Map.All() {
				if shared(e, y.Map.Get(k)) {
					return true
				}
			}
			for j, e := range x.List {
				if shared(e, y.List[j]) {
					return true
				}
			}
			return false
		}
		if shared(c, src) {
			t.Fatalf("copy %d shares a value, a map or a list with its source", i)
		}
	}
	copies[0].Map.Set("zz", NewString("added"))
	copies[0].Get("l").List[2].Map.Set("c", NewString("added"))
	if src.Get("zz") != nil || copies[1].Get("zz") != nil || copies[1].Get("l").List[2].Get("c") != nil {
		t.Fatal("a key set in one copy shows in another or in the source")
	}
	if copies[1].String() != src.String() || copies[2].String() != src.String() {
		t.Fatal("setting a key in one copy changed the others")
	}
}
