package tfhcl

import (
	"reflect"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// rebased returns a copy of p, the parse of a file at from, as the parse
// of a file with the same content at to: every range in its syntax tree
// and diagnostics names to instead. terraform init copies a module into
// a root module's .terraform directory for every call of it, so a root
// module holds the same files many times over; copying a tree costs less
// than lexing and parsing it again, which allocates a token per word of
// the file.
func rebased(p *parsedFile, from, to string) *parsedFile {
	r := rebaser{from: from, to: to, seen: map[uintptr]reflect.Value{}}
	out := &parsedFile{}
	r.into(reflect.ValueOf(&out.body).Elem(), reflect.ValueOf(p.body))
	r.into(reflect.ValueOf(&out.hd).Elem(), reflect.ValueOf(p.hd))
	if p.deep != nil {
		d := *p.deep
		if d.File == from {
			d.File = to
		}
		out.deep = &d
	}
	return out
}

type rebaser struct {
	from, to string
	// seen keeps a pointer's copy, so a node reached twice (a splat's
	// symbol is both its Item and inside its Each) is copied once and the
	// copy keeps the tree's shape.
	seen map[uintptr]reflect.Value
}

var (
	rangeType    = reflect.TypeOf(hcl.Range{})
	anonSymType  = reflect.TypeOf(hclsyntax.AnonSymbolExpr{})
	opType       = reflect.TypeOf(hclsyntax.Operation{})
	hclPkg       = rangeType.PkgPath()
	hclsyntaxPkg = anonSymType.PkgPath()
	ownedTypes   sync.Map // reflect.Type → bool
	copiedFields sync.Map // reflect.Type → []int
)

// owned tells whether values of t belong to the syntax tree and are
// copied: HCL's own types and the containers holding them. Anything else
// (cty values and types in literals and index keys) is immutable and
// shared, as are the operators, which are HCL's package variables and
// compared by address.
func owned(t reflect.Type) bool {
	if o, ok := ownedTypes.Load(t); ok {
		return o.(bool)
	}
	var o bool
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		o = t != reflect.PointerTo(opType) && owned(t.Elem())
	case reflect.Interface, reflect.Struct:
		o = t != opType && (t.PkgPath() == hclPkg || t.PkgPath() == hclsyntaxPkg)
	}
	ownedTypes.Store(t, o)
	return o
}

// fields are the exported fields of struct type t that hold something of
// the tree (a range, a node, a list of them).
func fields(t reflect.Type) []int {
	if f, ok := copiedFields.Load(t); ok {
		return f.([]int)
	}
	var f []int
	for i := range t.NumField() {
		if sf := t.Field(i); sf.IsExported() && owned(sf.Type) {
			f = append(f, i)
		}
	}
	copiedFields.Store(t, f)
	return f
}

func (r *rebaser) value(v reflect.Value) reflect.Value {
	c := reflect.New(v.Type()).Elem()
	r.into(c, v)
	return c
}

// into sets dst, which is settable and of v's type, to a copy of v.
func (r *rebaser) into(dst, v reflect.Value) {
	t := v.Type()
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() || !owned(t) {
			dst.Set(v)
			return
		}
		if c, ok := r.seen[v.Pointer()]; ok {
			dst.Set(c)
			return
		}
		c := reflect.New(t.Elem())
		r.seen[v.Pointer()] = c
		if t.Elem() == anonSymType {
			// Its other fields are the values it takes during evaluation
			// (and their lock): a copy starts without any.
			r.into(c.Elem().FieldByName("SrcRange"), v.Elem().FieldByName("SrcRange"))
		} else {
			r.into(c.Elem(), v.Elem())
		}
		dst.Set(c)
	case reflect.Interface:
		if v.IsNil() || !owned(v.Elem().Type()) {
			dst.Set(v)
			return
		}
		dst.Set(r.value(v.Elem()))
	case reflect.Slice:
		if v.IsNil() || !owned(t) {
			dst.Set(v)
			return
		}
		c := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			r.into(c.Index(i), v.Index(i))
		}
		dst.Set(c)
	case reflect.Map:
		if v.IsNil() || !owned(t) {
			dst.Set(v)
			return
		}
		c := reflect.MakeMapWithSize(t, v.Len())
		for it := v.MapRange(); it.Next(); {
			c.SetMapIndex(it.Key(), r.value(it.Value()))
		}
		dst.Set(c)
	case reflect.Struct:
		// Unexported fields (a body's hidden attributes, empty in a parse)
		// come along with the struct; the tree's are copied below.
		dst.Set(v)
		if t == rangeType {
			if f := dst.Field(0); f.String() == r.from {
				f.SetString(r.to)
			}
			return
		}
		if !owned(t) {
			return
		}
		for _, i := range fields(t) {
			r.into(dst.Field(i), v.Field(i))
		}
	default:
		dst.Set(v)
	}
}
