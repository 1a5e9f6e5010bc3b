// Package tffunc is the table of Terraform's built-in functions for HCL
// evaluation, with Terraform's semantics rather than cty's generic ones
// (replace with /regex/, length counting grapheme clusters, lookup on
// objects, coalesce skipping empty strings...).
//
// Three things differ from Terraform on purpose, because eksguard reads a
// repository instead of running in it:
//   - functions whose result depends on the moment or the machine Terraform
//     runs on (timestamp, uuid, bcrypt, pathexpand("~")...) return an unknown
//     value marked with tfmark.Why saying so, instead of a made-up value;
//   - file functions read only below Config.Roots, through os.Root, so a
//     scanned repository cannot make eksguard read /etc/shadow or follow a
//     symlink out of the tree, and never more than Config.MaxFileSize bytes;
//   - there is no ephemeral mark, so ephemeralasnull returns its argument.
package tffunc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/hashicorp/go-cty-funcs/collection"
	"github.com/hashicorp/go-cty-funcs/crypto"
	"github.com/hashicorp/go-cty-funcs/encoding"
	"github.com/hashicorp/go-cty-funcs/uuid"
	ctyyaml "github.com/zclconf/go-cty-yaml"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// DefaultMaxFileSize is the cap on one file read when Config.MaxFileSize
// is zero: large enough for any policy document or user-data template,
// small enough that a scanned repository cannot exhaust memory.
const DefaultMaxFileSize = 4 << 20

// Config says where file functions resolve and may read.
type Config struct {
	// Dir is the directory relative paths are resolved from. Terraform
	// resolves file paths from its working directory, the root module's
	// directory (that is why modules write file("${path.module}/x")).
	// Absolute.
	Dir string
	// Roots are the directories reads may reach (the scanned tree; a module
	// cache). A path outside every root is refused, and so is one that
	// escapes a root through a symlink. Dir and Roots are compared
	// lexically to choose the root; os.Root then enforces the confinement.
	Roots []string
	// MaxFileSize caps one file read (default DefaultMaxFileSize).
	MaxFileSize int64
}

// Library holds the opened roots and the function table built over them.
type Library struct {
	dir   string
	max   int64
	roots []openRoot
	funcs map[string]function.Function
}

type openRoot struct {
	dir  string // absolute, cleaned
	root *os.Root
}

// New opens every root and builds the function table once.
func New(cfg Config) (*Library, error) {
	if !filepath.IsAbs(cfg.Dir) {
		return nil, fmt.Errorf("tffunc: Dir %q is not absolute", cfg.Dir)
	}
	l := &Library{dir: filepath.Clean(cfg.Dir), max: cfg.MaxFileSize}
	if l.max <= 0 {
		l.max = DefaultMaxFileSize
	}
	for _, d := range cfg.Roots {
		if !filepath.IsAbs(d) {
			l.Close()
			return nil, fmt.Errorf("tffunc: root %q is not absolute", d)
		}
		r, err := os.OpenRoot(d)
		if err != nil {
			l.Close()
			return nil, fmt.Errorf("tffunc: open root: %w", err)
		}
		l.roots = append(l.roots, openRoot{dir: filepath.Clean(d), root: r})
	}
	// The longest root first, so a module cache inside the scanned tree is
	// the root that names its files.
	sort.SliceStable(l.roots, func(i, j int) bool { return len(l.roots[i].dir) > len(l.roots[j].dir) })
	l.funcs = l.build()
	return l, nil
}

// Functions returns the table. It is built once and shared: callers must
// not modify it. The functions hold no mutable state, so the table is safe
// for concurrent use.
func (l *Library) Functions() map[string]function.Function { return l.funcs }

// Close closes the roots; file functions fail afterwards.
func (l *Library) Close() error {
	var errs []error
	for _, r := range l.roots {
		errs = append(errs, r.root.Close())
	}
	return errors.Join(errs...)
}

// builtins lists every name Terraform 1.10 and OpenTofu 1.9 treat as a
// built-in function. list and map are kept because Terraform still reserves
// them (calling them is an error that says what to write instead, not
// "unknown function"). cidrcontains, base64gunzip and urldecode are
// OpenTofu's; Terraform reports them as unknown functions.
var builtins = []string{
	"abs", "abspath", "alltrue", "anytrue", "base64decode", "base64encode",
	"base64gunzip", "base64gzip", "base64sha256", "base64sha512", "basename",
	"bcrypt", "can", "ceil", "chomp", "chunklist", "cidrcontains", "cidrhost",
	"cidrnetmask", "cidrsubnet", "cidrsubnets", "coalesce", "coalescelist",
	"compact", "concat", "contains", "csvdecode", "dirname", "distinct",
	"element", "endswith", "ephemeralasnull", "file", "filebase64",
	"filebase64sha256", "filebase64sha512", "fileexists", "filemd5", "fileset",
	"filesha1", "filesha256", "filesha512", "flatten", "floor", "format",
	"formatdate", "formatlist", "indent", "index", "issensitive", "join",
	"jsondecode", "jsonencode", "keys", "length", "list", "log", "lookup",
	"lower", "map", "matchkeys", "max", "md5", "merge", "min", "nonsensitive",
	"one", "parseint", "pathexpand", "plantimestamp", "pow", "range", "regex",
	"regexall", "replace", "reverse", "rsadecrypt", "sensitive",
	"setintersection", "setproduct", "setsubtract", "setunion", "sha1",
	"sha256", "sha512", "signum", "slice", "sort", "split", "startswith",
	"strcontains", "strrev", "substr", "sum", "templatefile", "templatestring",
	"textdecodebase64", "textencodebase64", "timeadd", "timecmp", "timestamp",
	"title", "tobool", "tolist", "tomap", "tonumber", "toset", "tostring",
	"transpose", "trim", "trimprefix", "trimspace", "trimsuffix", "try",
	"upper", "urldecode", "urlencode", "uuid", "uuidv5", "values",
	"yamldecode", "yamlencode", "zipmap",
}

// Names returns every built-in function name (without the core:: prefix
// Terraform 1.8+ also accepts; Functions has both spellings).
func Names() []string { return slices.Clone(builtins) }

// fileFuncs are the functions that read the filesystem; templatestring may
// not call them, since its template comes from a value rather than from
// the configuration's files.
var fileFuncs = []string{
	"file", "fileexists", "fileset", "filebase64", "filebase64sha256",
	"filebase64sha512", "filemd5", "filesha1", "filesha256", "filesha512",
	"templatefile",
}

var templateFuncs = []string{"templatefile", "templatestring"}

func (l *Library) build() map[string]function.Function {
	f := map[string]function.Function{
		// Numbers: cty's, as Terraform uses them.
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc,
		"log": stdlib.LogFunc, "max": stdlib.MaxFunc, "min": stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc, "signum": stdlib.SignumFunc,

		// Strings.
		"chomp": stdlib.ChompFunc, "format": stdlib.FormatFunc, "formatlist": stdlib.FormatListFunc,
		"indent": stdlib.IndentFunc, "join": stdlib.JoinFunc, "lower": stdlib.LowerFunc,
		"upper": stdlib.UpperFunc, "regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc,
		"split": stdlib.SplitFunc, "strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc,
		"title": stdlib.TitleFunc, "trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc,
		"trimsuffix": stdlib.TrimSuffixFunc, "trimspace": stdlib.TrimSpaceFunc,
		"replace": replaceFunc, "startswith": startsWithFunc, "endswith": endsWithFunc,
		"strcontains": strContainsFunc,

		// Collections.
		"chunklist": stdlib.ChunklistFunc, "coalesce": collection.CoalesceFunc,
		"coalescelist": stdlib.CoalesceListFunc, "compact": stdlib.CompactFunc,
		"concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc,
		"distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc,
		"flatten": stdlib.FlattenFunc, "keys": stdlib.KeysFunc, "merge": stdlib.MergeFunc,
		"range": stdlib.RangeFunc, "reverse": stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc, "setproduct": stdlib.SetProductFunc,
		"setsubtract": stdlib.SetSubtractFunc, "setunion": stdlib.SetUnionFunc,
		"slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "values": stdlib.ValuesFunc,
		"zipmap":  stdlib.ZipmapFunc,
		"alltrue": allTrueFunc, "anytrue": anyTrueFunc, "index": indexFunc,
		"length": lengthFunc, "lookup": lookupFunc, "matchkeys": matchkeysFunc,
		"one": oneFunc, "sum": sumFunc, "transpose": transposeFunc,
		"list": removedFunc("list", "tolist([ ... ])", "a literal list"),
		"map":  removedFunc("map", "tomap({ ... })", "a literal map"),

		// Encoding.
		"base64encode": encoding.Base64EncodeFunc, "base64decode": encoding.Base64DecodeFunc,
		"base64gzip": base64GzipFunc, "base64gunzip": base64GunzipFunc,
		"textencodebase64": textEncodeBase64Func, "textdecodebase64": textDecodeBase64Func,
		"urlencode": encoding.URLEncodeFunc, "urldecode": urlDecodeFunc,
		"csvdecode": stdlib.CSVDecodeFunc, "jsonencode": stdlib.JSONEncodeFunc,
		"jsondecode": bounded(stdlib.JSONDecodeFunc, jsonDepth),
		"yamlencode": ctyyaml.YAMLEncodeFunc, "yamldecode": bounded(ctyyaml.YAMLDecodeFunc, yamlSize),

		// Hashes and crypto.
		"md5": crypto.Md5Func, "sha1": crypto.Sha1Func, "sha256": crypto.Sha256Func,
		"sha512": crypto.Sha512Func, "base64sha256": base64Sha256Func,
		"base64sha512": base64Sha512Func, "uuidv5": uuid.V5Func,

		// Network.
		"cidrhost": cidrHostFunc, "cidrnetmask": cidrNetmaskFunc, "cidrsubnet": cidrSubnetFunc,
		"cidrsubnets": cidrSubnetsFunc, "cidrcontains": cidrContainsFunc,

		// Date and time.
		"formatdate": stdlib.FormatDateFunc, "timeadd": stdlib.TimeAddFunc, "timecmp": timeCmpFunc,

		// Types and marks.
		"tostring": toFunc(cty.String), "tonumber": toFunc(cty.Number), "tobool": toFunc(cty.Bool),
		"toset": toFunc(cty.Set(cty.DynamicPseudoType)), "tolist": toFunc(cty.List(cty.DynamicPseudoType)),
		"tomap": toFunc(cty.Map(cty.DynamicPseudoType)),
		"try":   tryFunc, "can": canFunc,
		"sensitive": sensitiveFunc, "nonsensitive": nonsensitiveFunc, "issensitive": isSensitiveFunc,
		"ephemeralasnull": ephemeralAsNullFunc,

		// Paths, without reading anything.
		"basename": basenameFunc, "dirname": dirnameFunc, "abspath": l.absPathFunc(),
		"pathexpand": pathExpandFunc,

		// Known only when Terraform runs.
		"timestamp":     unknownFunc(cty.String, "timestamp() is known only when Terraform runs", nil, nil),
		"plantimestamp": unknownFunc(cty.String, "plantimestamp() is known only when Terraform plans", nil, nil),
		"uuid":          unknownFunc(cty.String, "uuid() is random: a new value each time Terraform runs", nil, nil),
		"bcrypt": unknownFunc(cty.String, "bcrypt() uses a random salt: a new hash each time Terraform runs",
			[]function.Parameter{{Name: "str", Type: cty.String}}, &function.Parameter{Name: "cost", Type: cty.Number}),
		"rsadecrypt": unknownFunc(cty.String, "rsadecrypt() is not evaluated: it needs a private key eksguard does not use",
			[]function.Parameter{{Name: "ciphertext", Type: cty.String}, {Name: "privatekey", Type: cty.String}}, nil),
	}
	for name, fn := range l.fileFunctions() {
		f[name] = fn
	}

	// A template may call every function but the template functions (no
	// recursion, as in Terraform); a templatestring template may not read
	// files either, because its text did not come from the configuration.
	inFile := withRefused(f, templateFuncs, "cannot call %s from inside a template")
	inString := withRefused(inFile, fileFuncs, "cannot call the filesystem function %s from a templatestring template; pass its result in vars instead")
	f["templatefile"] = l.templateFileFunc(inFile)
	f["templatestring"] = templateStringFunc(inString)

	for _, name := range builtins {
		if _, ok := f[name]; !ok {
			panic("tffunc: no implementation for " + name)
		}
	}
	for _, name := range builtins {
		f["core::"+name] = f[name]
	}
	return f
}

// withRefused copies funcs, replacing each named function (and its core::
// spelling) by one that fails with msg.
func withRefused(funcs map[string]function.Function, names []string, msg string) map[string]function.Function {
	out := make(map[string]function.Function, len(funcs)+len(names))
	for k, v := range funcs {
		out[k] = v
	}
	for _, n := range names {
		err := fmt.Errorf(msg, n)
		refused := function.New(&function.Spec{
			VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowNull: true,
				AllowUnknown: true, AllowDynamicType: true, AllowMarked: true},
			Type: func([]cty.Value) (cty.Type, error) { return cty.NilType, err },
			Impl: func([]cty.Value, cty.Type) (cty.Value, error) { return cty.NilVal, err },
		})
		out[n] = refused
		out["core::"+n] = refused
	}
	return out
}
