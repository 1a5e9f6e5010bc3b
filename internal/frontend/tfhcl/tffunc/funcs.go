package tffunc

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/eksguard/eksguard/internal/frontend/tfhcl/tfmark"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"
)

// str is a string parameter; most functions take one and let cty handle
// unknown and marked arguments (unknown in, unknown out; marks carried to
// the result).
func str(name string) function.Parameter { return function.Parameter{Name: name, Type: cty.String} }

// anyMarked is a parameter that sees values as they are, marks and
// unknowns included. A function using it must carry marks over itself:
// cty drops the marks of an AllowMarked argument when it short-circuits
// an unknown, so such parameters also allow unknowns.
func anyMarked(name string) function.Parameter {
	return function.Parameter{Name: name, Type: cty.DynamicPseudoType, AllowNull: true,
		AllowUnknown: true, AllowDynamicType: true, AllowMarked: true}
}

func stringToString(name string, fn func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{str(name)},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			out, err := fn(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			return cty.StringVal(out), nil
		},
	})
}

// replaceFunc is Terraform's replace: a substring wrapped in slashes is a
// regular expression (RE2, with $1 references in the replacement); cty's
// replace only does literal substrings.
var replaceFunc = function.New(&function.Spec{
	Params: []function.Parameter{str("str"), str("substr"), str("replace")},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		s, sub, rep := args[0].AsString(), args[1].AsString(), args[2].AsString()
		if len(sub) > 1 && strings.HasPrefix(sub, "/") && strings.HasSuffix(sub, "/") {
			re, err := regexp.Compile(sub[1 : len(sub)-1])
			if err != nil {
				return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "invalid regular expression: %s", err)
			}
			return cty.StringVal(re.ReplaceAllString(s, rep)), nil
		}
		return cty.StringVal(strings.ReplaceAll(s, sub, rep)), nil
	},
})

// startsWithFunc accepts an unknown string because Terraform answers from
// the string's known prefix (an ARN whose account is unknown still starts
// with "arn:aws:"), and so can we.
var startsWithFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String, AllowUnknown: true}, str("prefix")},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		prefix := args[1].AsString()
		if args[0].IsKnown() {
			return cty.BoolVal(strings.HasPrefix(args[0].AsString(), prefix)), nil
		}
		if prefix == "" {
			return cty.True, nil
		}
		known := args[0].Range().StringPrefix()
		if strings.HasPrefix(known, prefix) {
			return cty.True, nil
		}
		if len(known) >= len(prefix) {
			return cty.False, nil
		}
		return cty.UnknownVal(cty.Bool), nil
	},
})

var endsWithFunc = function.New(&function.Spec{
	Params: []function.Parameter{str("str"), str("suffix")},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.BoolVal(strings.HasSuffix(args[0].AsString(), args[1].AsString())), nil
	},
})

var strContainsFunc = function.New(&function.Spec{
	Params: []function.Parameter{str("str"), str("substr")},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.BoolVal(strings.Contains(args[0].AsString(), args[1].AsString())), nil
	},
})

// allTrueFunc: a null element is false, an unknown one makes the answer
// unknown, as in Terraform.
var allTrueFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		for it := args[0].ElementIterator(); it.Next(); {
			_, v := it.Element()
			switch {
			case !v.IsKnown():
				return cty.UnknownVal(cty.Bool), nil
			case v.IsNull() || v.False():
				return cty.False, nil
			}
		}
		return cty.True, nil
	},
})

// anyTrueFunc: one true element decides even when others are unknown.
var anyTrueFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		unknown := false
		for it := args[0].ElementIterator(); it.Next(); {
			_, v := it.Element()
			switch {
			case !v.IsKnown():
				unknown = true
			case !v.IsNull() && v.True():
				return cty.True, nil
			}
		}
		if unknown {
			return cty.UnknownVal(cty.Bool), nil
		}
		return cty.False, nil
	},
})

// indexFunc is Terraform's index, which accepts tuples (cty's takes only
// lists) and fails when the value is absent.
var indexFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}, {Name: "value", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		ty := args[0].Type()
		if !ty.IsListType() && !ty.IsTupleType() {
			return cty.NilVal, function.NewArgErrorf(0, "argument must be a list or tuple")
		}
		if args[0].LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot search an empty list")
		}
		for it := args[0].ElementIterator(); it.Next(); {
			i, v := it.Element()
			eq, err := stdlib.Equal(v, args[1])
			if err != nil {
				return cty.NilVal, err
			}
			if !eq.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if eq.True() {
				return i, nil
			}
		}
		return cty.NilVal, errors.New("item not found")
	},
})

// lengthFunc is Terraform's length: strings count grapheme clusters, and
// structural values (objects, tuples) have a length too. It sees marks so
// that only the argument's own marks reach the result: the length of a
// list holding one sensitive element is not sensitive.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{anyMarked("value")},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty == cty.String || ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType() || ty == cty.DynamicPseudoType:
			return cty.Number, nil
		}
		return cty.NilType, function.NewArgErrorf(0, "argument must be a string, a collection type, or a structural type")
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		if v.IsNull() {
			return cty.NilVal, function.NewArgErrorf(0, "argument must not be null")
		}
		ty := v.Type()
		var n cty.Value
		switch {
		case ty == cty.DynamicPseudoType:
			n = cty.UnknownVal(cty.Number)
		case ty.IsTupleType():
			n = cty.NumberIntVal(int64(ty.Length()))
		case ty.IsObjectType():
			n = cty.NumberIntVal(int64(len(ty.AttributeTypes())))
		case ty == cty.String:
			if !v.IsKnown() {
				n = cty.UnknownVal(cty.Number)
				break
			}
			var err error
			if n, err = stdlib.Strlen(v); err != nil {
				return cty.NilVal, err
			}
		default:
			n = v.Length()
		}
		return n.WithMarks(marks), nil
	},
})

// lookupFunc is Terraform's lookup: maps and objects, with an optional
// default. It sees marks so that the marks of the collection and key reach
// the result but those of other elements do not: looking up a plain entry
// beside a sensitive one, or beside one known only after apply, gives a
// plain known value.
var lookupFunc = function.New(&function.Spec{
	Params:   []function.Parameter{anyMarked("inputMap"), {Name: "key", Type: cty.String, AllowUnknown: true, AllowMarked: true}},
	VarParam: &function.Parameter{Name: "default", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) > 3 {
			return cty.NilType, errors.New("lookup() takes no more than three arguments")
		}
		ty := args[0].Type()
		key, _ := args[1].Unmark()
		switch {
		case ty.IsObjectType():
			if !key.IsKnown() {
				return cty.DynamicPseudoType, nil
			}
			if ty.HasAttribute(key.AsString()) {
				return ty.AttributeType(key.AsString()), nil
			}
			if len(args) == 3 {
				return args[2].Type(), nil
			}
			return cty.NilType, function.NewArgErrorf(0, "the given object has no attribute %q", key.AsString())
		case ty.IsMapType():
			if len(args) == 3 {
				if _, err := convert.Convert(args[2], ty.ElementType()); err != nil {
					return cty.NilType, function.NewArgErrorf(2, "the default value must have the same type as the map elements")
				}
			}
			return ty.ElementType(), nil
		case ty == cty.DynamicPseudoType:
			return cty.DynamicPseudoType, nil
		}
		return cty.NilType, function.NewArgErrorf(0, "the first argument must be a map or an object")
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		m, mapMarks := args[0].Unmark()
		key, keyMarks := args[1].Unmark()
		if !m.IsKnown() || !key.IsKnown() {
			return cty.UnknownVal(retType).WithMarks(mapMarks, keyMarks), nil
		}
		if m.IsNull() {
			return cty.NilVal, function.NewArgErrorf(0, "the first argument must not be null")
		}
		k := key.AsString()
		if m.Type().IsObjectType() {
			if m.Type().HasAttribute(k) {
				return m.GetAttr(k).WithMarks(mapMarks, keyMarks), nil
			}
		} else if m.HasIndex(key).True() {
			return m.Index(key).WithMarks(mapMarks, keyMarks), nil
		}
		if len(args) == 3 {
			def, err := convert.Convert(args[2], retType)
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(2, "the default value must have the same type as the map elements")
			}
			return def.WithMarks(mapMarks, keyMarks), nil
		}
		if len(keyMarks) > 0 {
			return cty.NilVal, errors.New("lookup failed to find a sensitive key")
		}
		return cty.NilVal, fmt.Errorf("lookup failed to find key %q", k)
	},
})

var matchkeysFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "values", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "keys", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "searchset", Type: cty.List(cty.DynamicPseudoType)},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if ty, _ := convert.UnifyUnsafe([]cty.Type{args[1].Type(), args[2].Type()}); ty == cty.NilType {
			return cty.NilType, errors.New("keys and searchset must be of the same type")
		}
		return args[0].Type(), nil
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		values, keys, search := args[0], args[1], args[2]
		if values.LengthInt() != keys.LengthInt() {
			return cty.NilVal, errors.New("length of keys and values should be equal")
		}
		if values.LengthInt() == 0 {
			return cty.ListValEmpty(retType.ElementType()), nil
		}
		ty, _ := convert.UnifyUnsafe([]cty.Type{keys.Type(), search.Type()})
		keys, _ = convert.Convert(keys, ty)
		search, _ = convert.Convert(search, ty)
		if search.LengthInt() == 0 {
			return cty.ListValEmpty(retType.ElementType()), nil
		}
		// Terraform answers an empty list when a comparison is unknown; an
		// unknown list is the honest answer, and what this returns.
		var out []cty.Value
		for i, key := range keys.AsValueSlice() {
			for _, s := range search.AsValueSlice() {
				eq := key.Equals(s)
				if !eq.IsKnown() {
					return cty.UnknownVal(retType), nil
				}
				if eq.True() {
					out = append(out, values.Index(cty.NumberIntVal(int64(i))))
					break
				}
			}
		}
		if len(out) == 0 {
			return cty.ListValEmpty(retType.ElementType()), nil
		}
		return cty.ListVal(out), nil
	},
})

var errOne = errors.New("must be a list, set, or tuple value with either zero or one elements")

// oneFunc: zero elements is null of the element type, more than one an
// error.
var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			switch ty.Length() {
			case 0:
				return cty.DynamicPseudoType, nil
			case 1:
				return ty.TupleElementType(0), nil
			}
		}
		return cty.NilType, function.NewArgError(0, errOne)
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		v := args[0]
		if v.IsNull() {
			return cty.NilVal, function.NewArgErrorf(0, "argument must not be null")
		}
		n := v.Length()
		if !n.IsKnown() {
			return cty.UnknownVal(retType), nil
		}
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(retType), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			return e, nil
		}
		return cty.NilVal, function.NewArgError(0, errOne)
	},
})

var errSumType = errors.New("argument must be list, set, or tuple of number values")

var sumFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		if !ty.IsListType() && !ty.IsSetType() && !ty.IsTupleType() {
			return cty.NilType, function.NewArgErrorf(0, "argument must be list, set, or tuple. Received %s", ty.FriendlyName())
		}
		return cty.Number, nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (ret cty.Value, err error) {
		if args[0].LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot sum an empty list")
		}
		if !args[0].IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		// Adding infinities of opposite signs panics in big.Float.
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(big.ErrNaN); ok {
					ret, err = cty.NilVal, errors.New("can't compute sum of opposing infinities")
					return
				}
				panic(r)
			}
		}()
		total := cty.Zero
		for _, v := range args[0].AsValueSlice() {
			if v.IsNull() {
				return cty.NilVal, function.NewArgError(0, errSumType)
			}
			n, err := convert.Convert(v, cty.Number)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, errSumType)
			}
			total = total.Add(n)
		}
		return total, nil
	},
})

var transposeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "values", Type: cty.Map(cty.List(cty.String))}},
	Type:   function.StaticReturnType(cty.Map(cty.List(cty.String))),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		if !args[0].IsWhollyKnown() {
			return cty.UnknownVal(retType), nil
		}
		out := map[string][]cty.Value{}
		// A cty map iterates in key order, so each output list is sorted
		// by the input key as in Terraform.
		for it := args[0].ElementIterator(); it.Next(); {
			k, list := it.Element()
			if list.IsNull() {
				return cty.NilVal, errors.New("input map must not contain null list values")
			}
			for _, v := range list.AsValueSlice() {
				if v.IsNull() {
					return cty.NilVal, errors.New("input list must not contain null string values")
				}
				out[v.AsString()] = append(out[v.AsString()], k)
			}
		}
		if len(out) == 0 {
			return cty.MapValEmpty(cty.List(cty.String)), nil
		}
		m := make(map[string]cty.Value, len(out))
		for k, vs := range out {
			m[k] = cty.ListVal(vs)
		}
		return cty.MapVal(m), nil
	},
})

// removedFunc keeps a name Terraform still reserves, failing the way
// Terraform does so the author learns what to write instead.
func removedFunc(name, instead, what string) function.Function {
	err := fmt.Errorf("the %q function was deprecated in Terraform v0.12 and is no longer available; use %s syntax to write %s", name, instead, what)
	return function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "vals", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true},
		Type:     func([]cty.Value) (cty.Type, error) { return cty.NilType, err },
		Impl:     func([]cty.Value, cty.Type) (cty.Value, error) { return cty.NilVal, err },
	})
}

// base64GzipFunc flushes before closing, as Terraform does, so the bytes
// (and any hash of them a configuration compares) are Terraform's.
var base64GzipFunc = stringToString("str", func(s string) (string, error) {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		return "", err
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b.Bytes()), nil
})

// base64GunzipFunc (OpenTofu) is bounded like file reads: a small string
// must not inflate into gigabytes.
var base64GunzipFunc = stringToString("str", func(s string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", fmt.Errorf("failed to decode base64 data: %w", err)
	}
	r, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return "", fmt.Errorf("failed to gunzip: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(r, DefaultMaxFileSize+1))
	if err != nil {
		return "", fmt.Errorf("failed to gunzip: %w", err)
	}
	if len(out) > DefaultMaxFileSize {
		return "", fmt.Errorf("gunzipped data is larger than %d bytes", DefaultMaxFileSize)
	}
	if !utf8.Valid(out) {
		return "", errors.New("the result of decoding the provided string is not valid UTF-8")
	}
	return string(out), nil
})

var urlDecodeFunc = stringToString("str", url.QueryUnescape)

var base64Sha256Func = stringToString("str", func(s string) (string, error) {
	h := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(h[:]), nil
})

var base64Sha512Func = stringToString("str", func(s string) (string, error) {
	h := sha512.Sum512([]byte(s))
	return base64.StdEncoding.EncodeToString(h[:]), nil
})

var textEncodeBase64Func = function.New(&function.Spec{
	Params: []function.Parameter{str("string"), str("encoding")},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		enc, name, err := ianaEncoding(args[1].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(1, err)
		}
		out, err := enc.NewEncoder().Bytes([]byte(args[0].AsString()))
		if err != nil {
			return cty.NilVal, function.NewArgErrorf(0, "the given string contains characters that cannot be represented in %s", name)
		}
		return cty.StringVal(base64.StdEncoding.EncodeToString(out)), nil
	},
})

var textDecodeBase64Func = function.New(&function.Spec{
	Params: []function.Parameter{str("source"), str("encoding")},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		enc, name, err := ianaEncoding(args[1].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(1, err)
		}
		raw, err := base64.StdEncoding.DecodeString(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgErrorf(0, "the given value is has an invalid base64 symbol")
		}
		out, err := enc.NewDecoder().Bytes(raw)
		if err != nil || !utf8.Valid(out) {
			return cty.NilVal, function.NewArgErrorf(0, "the given string contains symbols that are not defined for %s", name)
		}
		return cty.StringVal(string(out)), nil
	},
})

func ianaEncoding(name string) (encoding.Encoding, string, error) {
	enc, err := ianaindex.IANA.Encoding(name)
	if err != nil || enc == nil {
		return nil, "", fmt.Errorf("%q is not a supported IANA encoding name or alias", name)
	}
	canonical, err := ianaindex.IANA.Name(enc)
	if err != nil {
		canonical = name
	}
	return enc, canonical, nil
}

var timeCmpFunc = function.New(&function.Spec{
	Params: []function.Parameter{str("timestamp_a"), str("timestamp_b")},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		var ts [2]time.Time
		for i := range ts {
			t, err := time.Parse(time.RFC3339, args[i].AsString())
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(i, "not a valid RFC3339 timestamp: %s", err)
			}
			ts[i] = t
		}
		return cty.NumberIntVal(int64(ts[0].Compare(ts[1]))), nil
	},
})

// toFunc converts like cty's tostring/tolist/..., but sees marks so that
// the marks of elements stay on those elements, as in Terraform: tolist of
// a tuple holding one sensitive string is not wholly sensitive.
func toFunc(want cty.Type) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{anyMarked("v")},
		Type: func(args []cty.Value) (cty.Type, error) {
			got := args[0].Type()
			if got.Equals(want) || convert.GetConversionUnsafe(got, want) != nil {
				return want, nil
			}
			switch {
			case got.IsTupleType() && want.IsTupleType():
				return cty.NilType, function.NewArgErrorf(0, "incompatible tuple type for conversion: %s", convert.MismatchMessage(got, want))
			case got.IsObjectType() && want.IsObjectType():
				return cty.NilType, function.NewArgErrorf(0, "incompatible object type for conversion: %s", convert.MismatchMessage(got, want))
			}
			return cty.NilType, function.NewArgErrorf(0, "cannot convert %s to %s", got.FriendlyName(), want.FriendlyNameForConstraint())
		},
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			out, err := convert.Convert(args[0], retType)
			if err == nil {
				return out, nil
			}
			v, marks := args[0].UnmarkDeep()
			what := v.Type().FriendlyName()
			if v.Type() == cty.String && !v.IsNull() && len(marks) == 0 {
				what = fmt.Sprintf("%q", v.AsString())
			}
			switch {
			case v.Type() == cty.String && want == cty.Bool:
				return cty.NilVal, function.NewArgErrorf(0, `cannot convert %s to bool; only the strings "true" or "false" are allowed`, what)
			case v.Type() == cty.String && want == cty.Number:
				return cty.NilVal, function.NewArgErrorf(0, "cannot convert %s to number; given string must be a decimal representation of a number", what)
			}
			return cty.NilVal, function.NewArgErrorf(0, "cannot convert %s to %s", v.Type().FriendlyName(), want.FriendlyNameForConstraint())
		},
	})
}

var sensitiveFunc = function.New(&function.Spec{
	Params: []function.Parameter{anyMarked("value")},
	Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return args[0].Mark(tfmark.Sensitive), nil
	},
})

// nonsensitiveFunc removes only the value's own sensitive mark, as in
// Terraform; sensitive elements inside it stay sensitive, and a value that
// was not sensitive is returned as it is.
var nonsensitiveFunc = function.New(&function.Spec{
	Params: []function.Parameter{anyMarked("value")},
	Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		delete(marks, tfmark.Sensitive)
		return v.WithMarks(marks), nil
	},
})

var isSensitiveFunc = function.New(&function.Spec{
	Params: []function.Parameter{anyMarked("value")},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		switch {
		case v.HasMark(tfmark.Sensitive):
			return cty.True, nil
		case !v.IsKnown():
			// Still unknown, for the same reason as the value.
			out := cty.UnknownVal(cty.Bool)
			for m := range v.Marks() {
				if w, ok := m.(tfmark.Why); ok {
					out = out.Mark(w)
				}
			}
			return out, nil
		}
		return cty.False, nil
	},
})

// ephemeralAsNullFunc returns its argument: eksguard has no ephemeral
// mark, and values from ephemeral resources are unknown to it anyway.
var ephemeralAsNullFunc = function.New(&function.Spec{
	Params: []function.Parameter{anyMarked("value")},
	Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl:   func(args []cty.Value, _ cty.Type) (cty.Value, error) { return args[0], nil },
})

var basenameFunc = stringToString("path", func(p string) (string, error) { return filepath.Base(p), nil })

var dirnameFunc = stringToString("path", func(p string) (string, error) { return filepath.Dir(p), nil })

// absPathFunc resolves against Config.Dir, Terraform's working directory,
// not eksguard's.
func (l *Library) absPathFunc() function.Function {
	return stringToString("path", func(p string) (string, error) {
		if !filepath.IsAbs(p) {
			p = filepath.Join(l.dir, p)
		}
		return filepath.ToSlash(filepath.Clean(p)), nil
	})
}

const homeReason = "the home directory of the machine running Terraform is not known"

// homeRelative reports whether p names something under a home directory;
// "~user/x" is an error in Terraform.
func homeRelative(p string) (bool, error) {
	if !strings.HasPrefix(p, "~") {
		return false, nil
	}
	if len(p) > 1 && p[1] != '/' && p[1] != filepath.Separator {
		return false, errors.New("cannot expand user-specific home dir")
	}
	return true, nil
}

// inHome tells whether path p starts at a home directory, which a scan
// cannot know: then u is the unknown to return, saying that call reads one.
func inHome(p string, ty cty.Type, call string) (u cty.Value, home bool, err error) {
	home, err = homeRelative(p)
	switch {
	case err != nil:
		return cty.NilVal, false, function.NewArgError(0, err)
	case home:
		return tfmark.Unknown(ty, call+" reads a home directory: "+homeReason), true, nil
	}
	return cty.NilVal, false, nil
}

var pathExpandFunc = function.New(&function.Spec{
	Params: []function.Parameter{str("path")},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p := args[0].AsString()
		if u, home, err := inHome(p, cty.String, "pathexpand("+strconv.Quote(p)+")"); home || err != nil {
			return u, err
		}
		return cty.StringVal(p), nil
	},
})

// unknownFunc checks its arguments like the Terraform function it stands
// for and returns an unknown value saying why.
func unknownFunc(ret cty.Type, reason string, params []function.Parameter, varParam *function.Parameter) function.Function {
	return function.New(&function.Spec{
		Params:   params,
		VarParam: varParam,
		Type:     function.StaticReturnType(ret),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return tfmark.Unknown(ret, reason), nil
		},
	})
}
