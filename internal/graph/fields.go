package graph

import (
	"iter"
	"sort"
)

// Fields holds the keys and values of a map value. Most maps of real inputs
// are small (a Kubernetes manifest's maps hold one to six keys; 41% of them
// one), and a Go map costs about 250 bytes however few keys it holds: a
// header and a group of eight slots. Up to smallMax keys are therefore kept
// in a slice sorted by key (24 bytes a key), and only larger maps in a Go
// map, where lookups stay constant-time and building stays linear.
//
// Like a Go map it is a reference: values that share a *Fields see each
// other's writes. A nil *Fields reads as an empty map; writing to it panics,
// as writing to a nil Go map does.
type Fields struct {
	small []Field
	big   map[string]*Value
}

// Field is one key and its value.
type Field struct {
	Key   string
	Value *Value
}

// smallMax is the most keys kept in the sorted slice: a linear scan over
// eight keys, most of which differ in length, is as fast as hashing the key.
const smallMax = 8

// NewFields returns empty fields with room for n keys.
func NewFields(n int) *Fields {
	if n > smallMax {
		return &Fields{big: make(map[string]*Value, n)}
	}
	if n <= 0 {
		return &Fields{}
	}
	return &Fields{small: make([]Field, 0, n)}
}

// FieldsOf returns fields holding the entries of m (nil m: none). m is not
// kept.
func FieldsOf(m map[string]*Value) *Fields {
	f := NewFields(len(m))
	if f.big != nil {
		for k, v := range m {
			f.big[k] = v
		}
		return f
	}
	for k, v := range m {
		f.small = append(f.small, Field{k, v})
	}
	sort.Slice(f.small, func(i, j int) bool { return f.small[i].Key < f.small[j].Key })
	return f
}

// FieldsFrom returns fields holding entries, sized to them: a parser
// gathers an object's members in a scratch slice and makes its fields once
// (growing them key by key would reallocate the slice at each doubling).
// A later entry of a key replaces an earlier one, as when setting them in
// order; dup reports whether any key came twice. entries is not kept.
func FieldsFrom(entries []Field) (f *Fields, dup bool) {
	if len(entries) > smallMax {
		m := make(map[string]*Value, len(entries))
		for _, e := range entries {
			m[e.Key] = e.Value
		}
		if len(m) > smallMax {
			return &Fields{big: m}, len(m) < len(entries)
		}
		return FieldsOf(m), true
	}
	f = &Fields{small: make([]Field, 0, len(entries))}
	for _, e := range entries {
		if f.Has(e.Key) {
			dup = true
		}
		f.Set(e.Key, e.Value)
	}
	return f, dup
}

// Len is the number of keys.
func (f *Fields) Len() int {
	if f == nil {
		return 0
	}
	if f.big != nil {
		return len(f.big)
	}
	return len(f.small)
}

// find is the index of k in small, or where it would be inserted, and
// whether it is there.
func (f *Fields) find(k string) (int, bool) {
	for i := range f.small {
		if c := f.small[i].Key; c >= k {
			return i, c == k
		}
	}
	return len(f.small), false
}

// Get returns the value of k, nil when absent.
func (f *Fields) Get(k string) *Value {
	if f == nil {
		return nil
	}
	if f.big != nil {
		return f.big[k]
	}
	for i := range f.small {
		if f.small[i].Key == k {
			return f.small[i].Value
		}
	}
	return nil
}

// Lookup returns the value of k and whether k is present (its value may be
// nil).
func (f *Fields) Lookup(k string) (*Value, bool) {
	if f == nil {
		return nil, false
	}
	if f.big != nil {
		v, ok := f.big[k]
		return v, ok
	}
	for i := range f.small {
		if f.small[i].Key == k {
			return f.small[i].Value, true
		}
	}
	return nil, false
}

// Has reports whether k is present.
func (f *Fields) Has(k string) bool {
	_, ok := f.Lookup(k)
	return ok
}

// Set sets k to v.
func (f *Fields) Set(k string, v *Value) {
	if f.big != nil {
		f.big[k] = v
		return
	}
	i, ok := f.find(k)
	if ok {
		f.small[i].Value = v
		return
	}
	if len(f.small) == smallMax {
		f.big = make(map[string]*Value, 2*smallMax)
		for _, e := range f.small {
			f.big[e.Key] = e.Value
		}
		f.big[k] = v
		f.small = nil
		return
	}
	f.small = append(f.small, Field{})
	copy(f.small[i+1:], f.small[i:])
	f.small[i] = Field{k, v}
}

// Grow makes room for n more keys, so that setting them reallocates
// nothing: a plan front-end merging the attributes known only after apply
// into each resource grew every map key by key, and kept the slack.
func (f *Fields) Grow(n int) {
	if n <= 0 || f.big != nil {
		return
	}
	want := len(f.small) + n
	if want > smallMax {
		f.big = make(map[string]*Value, want)
		for _, e := range f.small {
			f.big[e.Key] = e.Value
		}
		f.small = nil
		return
	}
	if cap(f.small) < want {
		small := make([]Field, len(f.small), want)
		copy(small, f.small)
		f.small = small
	}
}

// Delete removes k.
func (f *Fields) Delete(k string) {
	if f == nil {
		return
	}
	if f.big != nil {
		delete(f.big, k)
		if len(f.big) <= smallMax {
			// Back to the slice, so that equal maps are stored alike
			// whatever their history.
			small := make([]Field, 0, len(f.big))
			for k, v := range f.big {
				small = append(small, Field{k, v})
			}
			sort.Slice(small, func(i, j int) bool { return small[i].Key < small[j].Key })
			f.small, f.big = small, nil
		}
		return
	}
	if i, ok := f.find(k); ok {
		f.small = append(f.small[:i], f.small[i+1:]...)
	}
}

// All yields every key and value: in key order up to smallMax keys, in Go
// map order (varying from run to run) above. Use Value.Keys for a sorted
// walk.
func (f *Fields) All() iter.Seq2[string, *Value] {
	return func(yield func(string, *Value) bool) {
		if f == nil {
			return
		}
		if f.big != nil {
			for k, v := range f.big {
				if !yield(k, v) {
					return
				}
			}
			return
		}
		for _, e := range f.small {
			if !yield(e.Key, e.Value) {
				return
			}
		}
	}
}

// GoMap returns the entries as a new Go map.
func (f *Fields) GoMap() map[string]*Value {
	m := make(map[string]*Value, f.Len())
	for k, v := range f.All() {
		m[k] = v
	}
	return m
}
