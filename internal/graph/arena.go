package graph

// Arena copies values kept together into shared allocations: a tree of
// values, its maps' fields and its lists, side by side in memory in the
// order a walk meets them, and a few objects for the collector instead of
// one or two for each value. Whatever is copied keeps the rest of its
// allocation alive: only for what is kept as long (a plan's resource
// attributes, kept as long as the graph).
type Arena struct {
	vals   []Value
	fields []Fields
	ents   []Field
	ptrs   []*Value
}

const arenaChunk = 256

// Copy returns a deep copy of v in the arena. What the values hold besides
// their tree (a number, a document, why one is unknown) is shared with v,
// which the caller drops.
func (a *Arena) Copy(v *Value) *Value {
	if v == nil {
		return nil
	}
	if len(a.vals) == 0 {
		a.vals = make([]Value, arenaChunk)
	}
	c := &a.vals[0]
	a.vals = a.vals[1:]
	*c = *v
	switch {
	case v.Map != nil:
		c.Map = a.fieldsOf(v.Map)
	case len(v.List) > 0:
		c.List = a.list(len(v.List))
		for i, e := range v.List {
			c.List[i] = a.Copy(e)
		}
	}
	return c
}

func (a *Arena) fieldsOf(f *Fields) *Fields {
	if len(a.fields) == 0 {
		a.fields = make([]Fields, arenaChunk/4)
	}
	c := &a.fields[0]
	a.fields = a.fields[1:]
	if f.big != nil {
		c.big = make(map[string]*Value, len(f.big))
		for k, e := range f.big {
			c.big[k] = a.Copy(e)
		}
		return c
	}
	if n := len(f.small); n > 0 {
		if len(a.ents) < n {
			a.ents = make([]Field, max(arenaChunk, n))
		}
		// Room for exactly these keys: a key set later reallocates
		// rather than writing over the next map's.
		c.small = a.ents[:n:n]
		a.ents = a.ents[n:]
		for i, e := range f.small {
			c.small[i] = Field{e.Key, a.Copy(e.Value)}
		}
	}
	return c
}

func (a *Arena) list(n int) []*Value {
	if len(a.ptrs) < n {
		a.ptrs = make([]*Value, max(arenaChunk, n))
	}
	l := a.ptrs[:n:n]
	a.ptrs = a.ptrs[n:]
	return l
}
