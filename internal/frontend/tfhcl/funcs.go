package tfhcl

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl/tffunc"
	"github.com/eksguard/eksguard/internal/frontend/tfhcl/tfmark"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// openFunctions builds the function table of one root module: Terraform's
// built-ins (package tffunc), their file functions resolving paths from
// the root module's directory as Terraform does from its working
// directory, and reading only inside the scanned tree and the cache of
// fetched modules. The table is a copy: stand-ins for the functions
// eksguard cannot evaluate are added to it as modules are read.
func (l *loader) openFunctions() (closeFn func()) {
	roots := []string{}
	if abs, err := filepath.Abs(l.opts.Root); err == nil {
		roots = append(roots, abs)
	}
	if l.opts.Fetcher != nil {
		if d, err := l.opts.Fetcher.CacheRoot(); err == nil {
			// Made now: the root must exist before the modules are fetched.
			if os.MkdirAll(d, 0o755) == nil {
				roots = append(roots, d)
			}
		}
	}
	lib, err := tffunc.New(tffunc.Config{Dir: l.rootDir, Roots: roots})
	if err != nil {
		l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Warning, File: l.opts.Root,
			Summary: "file functions are not available", Detail: err.Error()})
		lib, err = tffunc.New(tffunc.Config{Dir: l.rootDir})
		if err != nil {
			l.funcs = map[string]function.Function{}
			return func() {}
		}
	}
	l.funcs = map[string]function.Function{}
	for n, f := range lib.Functions() {
		l.funcs[n] = l.b.metered(f)
	}
	return func() { _ = lib.Close() }
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
		l.diags = append(l.diags, diag.Diagnostic{Severity: sev, File: r.File, Line: int(r.Line), Column: int(r.Column),
			Summary: stubReason(n), Detail: fmt.Sprintf("called %d times; the values computed with it are unknown", u.n)})
	}
}
