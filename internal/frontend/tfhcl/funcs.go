package tfhcl

import (
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl/tfmark"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	"go.yaml.in/yaml/v3"
)

// maxReadFile bounds file()/templatefile() so a scanned repository cannot
// make the loader read something huge.
const maxReadFile = 4 << 20

// functions returns the Terraform built-in functions eksguard evaluates,
// for a module in dir. A function missing from this table makes the
// expression unknown (HCL reports "call to unknown function", which the
// evaluator turns into an unknown value), never false.
func functions(dir, root string) map[string]function.Function {
	f := map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc, "max": stdlib.MaxFunc,
		"min": stdlib.MinFunc, "parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc, "signum": stdlib.SignumFunc,
		"log":   stdlib.LogFunc,
		"chomp": stdlib.ChompFunc, "format": stdlib.FormatFunc, "formatlist": stdlib.FormatListFunc,
		"indent": stdlib.IndentFunc, "join": stdlib.JoinFunc, "lower": stdlib.LowerFunc, "upper": stdlib.UpperFunc,
		"regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc, "replace": stdlib.ReplaceFunc,
		"split": stdlib.SplitFunc, "strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc,
		"title": stdlib.TitleFunc, "trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc,
		"trimsuffix": stdlib.TrimSuffixFunc, "trimspace": stdlib.TrimSpaceFunc,
		"chunklist": stdlib.ChunklistFunc, "coalesce": stdlib.CoalesceFunc, "coalescelist": stdlib.CoalesceListFunc,
		"compact": stdlib.CompactFunc, "concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc,
		"distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc,
		"index": stdlib.IndexFunc, "keys": stdlib.KeysFunc, "length": stdlib.LengthFunc,
		"lookup": stdlib.LookupFunc, "merge": stdlib.MergeFunc, "range": stdlib.RangeFunc,
		"reverse": stdlib.ReverseListFunc, "setintersection": stdlib.SetIntersectionFunc,
		"setproduct": stdlib.SetProductFunc, "setsubtract": stdlib.SetSubtractFunc, "setunion": stdlib.SetUnionFunc,
		"slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc,
		"jsondecode": stdlib.JSONDecodeFunc, "jsonencode": stdlib.JSONEncodeFunc, "csvdecode": stdlib.CSVDecodeFunc,
		"formatdate": stdlib.FormatDateFunc, "timeadd": stdlib.TimeAddFunc,
		"tostring": stdlib.MakeToFunc(cty.String), "tonumber": stdlib.MakeToFunc(cty.Number),
		"tobool": stdlib.MakeToFunc(cty.Bool), "toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)), "tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"try": tryfunc.TryFunc, "can": tryfunc.CanFunc,
		"base64encode": stringFunc(func(s string) (string, error) { return base64.StdEncoding.EncodeToString([]byte(s)), nil }),
		"base64decode": stringFunc(func(s string) (string, error) {
			b, err := base64.StdEncoding.DecodeString(s)
			return string(b), err
		}),
		"yamlencode": yamlEncodeFunc,
		"cidrsubnet": cidrSubnetFunc,
	}
	f["file"] = stringFunc(func(p string) (string, error) { return readFile(dir, root, p) })
	f["templatefile"] = templateFileFunc(dir, root, f)
	return f
}

func stringFunc(fn func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "s", Type: cty.String}},
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

// readFile reads a file relative to the module, refusing paths that leave
// the scanned tree.
func readFile(dir, root, p string) (string, error) {
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rootAbs, _ := filepath.Abs(root)
	if rel, err := filepath.Rel(rootAbs, abs); err != nil || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("%s is outside the scanned directory", p)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return "", err
	}
	if fi.Size() > maxReadFile {
		return "", fmt.Errorf("%s is larger than %d bytes", p, maxReadFile)
	}
	b, err := os.ReadFile(abs)
	return string(b), err
}

var yamlEncodeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "v", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if !args[0].IsWhollyKnown() {
			return cty.UnknownVal(cty.String), nil
		}
		js, err := ctyjson.Marshal(args[0], args[0].Type())
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		var v any
		if err := yaml.Unmarshal(js, &v); err != nil {
			return cty.UnknownVal(cty.String), err
		}
		out, err := yaml.Marshal(v)
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		return cty.StringVal(string(out)), nil
	},
})

var cidrSubnetFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}, {Name: "newbits", Type: cty.Number}, {Name: "netnum", Type: cty.Number}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		_, ipnet, err := net.ParseCIDR(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		nb, _ := args[1].AsBigFloat().Int64()
		num, _ := args[2].AsBigFloat().Int64()
		ones, bits := ipnet.Mask.Size()
		if nb < 0 || ones+int(nb) > bits || nb > 62 || num < 0 || num >= int64(1)<<uint(nb) {
			return cty.UnknownVal(cty.String), fmt.Errorf("cidrsubnet: %d new bits and number %d do not fit %s", nb, num, ipnet)
		}
		ip := make(net.IP, len(ipnet.IP))
		copy(ip, ipnet.IP)
		// Write netnum into the nb bits that follow the prefix.
		for i := int64(0); i < nb; i++ {
			bit := (num >> uint(nb-1-i)) & 1
			pos := ones + int(i)
			if bit == 1 {
				ip[pos/8] |= 1 << uint(7-pos%8)
			}
		}
		out := net.IPNet{IP: ip, Mask: net.CIDRMask(ones+int(nb), bits)}
		return cty.StringVal(out.String()), nil
	},
})

func templateFileFunc(dir, root string, funcs map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "vars", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			src, err := readFile(dir, root, args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			expr, diags := hclsyntax.ParseTemplate([]byte(src), args[0].AsString(), hcl.InitialPos)
			if diags.HasErrors() {
				return cty.UnknownVal(cty.String), diags
			}
			vars := map[string]cty.Value{}
			if v := args[1]; v.IsKnown() && !v.IsNull() && (v.Type().IsObjectType() || v.Type().IsMapType()) {
				vars = v.AsValueMap()
			}
			out, diags := expr.Value(&hcl.EvalContext{Variables: vars, Functions: funcs})
			if diags.HasErrors() || !out.IsKnown() {
				return cty.UnknownVal(cty.String), nil
			}
			return out, nil
		},
	})
}

// stubFunctions gives every function a module calls that eksguard cannot
// evaluate (a provider-defined function, one it lacks, one Terraform does
// not have) a stand-in that returns an unknown saying so, so the rest of
// the expression is still evaluated and the reason reaches the finding.
func (l *loader) stubFunctions(def *moduleDef) {
	for name, u := range def.funcs {
		if _, ok := l.funcs[name]; ok && l.stubbed[name] == nil {
			continue
		}
		s := l.stubbed[name]
		if s == nil {
			s = &funcUse{first: u.first}
			l.stubbed[name] = s
			l.funcs[name] = unknownFunc(stubReason(name))
		}
		s.n += u.n
	}
}

func stubReason(name string) string {
	switch {
	case strings.HasPrefix(name, "provider::"):
		return "the provider-defined function " + name + "() is not evaluated by eksguard"
	case strings.Contains(name, "::"):
		return "there is no function named " + name + "()"
	}
	return "there is no Terraform function named " + name + "()"
}

func unknownFunc(reason string) function.Function {
	return function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true,
			AllowDynamicType: true, AllowMarked: true},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return tfmark.Unknown(cty.DynamicPseudoType, reason), nil
		},
	})
}

// noticeStubs reports each function eksguard could not evaluate once,
// at its first call, with how often it is called.
func (l *loader) noticeStubs() {
	names := make([]string, 0, len(l.stubbed))
	for n := range l.stubbed {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		u := l.stubbed[n]
		r := rangeOf(u.first)
		sev := diag.Notice
		if !strings.HasPrefix(n, "provider::") {
			sev = diag.Warning // Terraform itself would refuse the call
		}
		l.diags = append(l.diags, diag.Diagnostic{Severity: sev, File: r.File, Line: r.Line, Column: r.Column,
			Summary: stubReason(n), Detail: fmt.Sprintf("called %d times; the values computed with it are unknown", u.n)})
	}
}
