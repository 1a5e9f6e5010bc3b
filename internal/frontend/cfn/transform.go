package cfn

import (
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
)

// Transforms run inside CloudFormation when a change set is made: an
// AWS::Include snippet lives in S3, a macro is a Lambda function in the
// account. Neither is in the repository, so what they add cannot be
// checked; each is reported as an unread part of the input (the scan is
// incomplete) rather than as a broken template, and the rest of the
// template is still read.

const (
	transformKey = "Fn::Transform"
	includeName  = "AWS::Include"
	samName      = "AWS::Serverless-2016-10-31"
	// languageExtensions adds intrinsic functions the evaluator implements
	// itself (Fn::Length, Fn::ToJsonString); only Fn::ForEach is left
	// unexpanded, and that is reported where it is written.
	languageExtensions = "AWS::LanguageExtensions"
)

// unread records a part of the template that was not read, in the shape
// of an unread module call so every report format lists it: the call is
// the template path and the logical place, the source what would fill it.
func (l *loader) unread(rng graph.Range, summary, place, source, reason string) {
	l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Warning, File: l.file, Line: int(rng.Line), Column: int(rng.Column),
		Summary: summary, Detail: reason,
		Unread: &diag.Unread{Call: l.file + "#" + place, Source: source, Reason: reason}})
}

// transforms reports the template's Transform section and every
// Fn::Transform written in it, and notes which sections may hold names the
// template does not show (see open).
func (l *loader) transforms(tmpl *graph.Value) {
	for i, t := range tmpl.Map.Get("Transform").Items() {
		place := "Transform"
		if tmpl.Map.Get("Transform").Kind == graph.List {
			place = joinIndex(place, i)
		}
		switch {
		case t.Kind == graph.String && t.Str == samName:
			l.sam = true
		case t.Kind == graph.String && t.Str == languageExtensions:
		default:
			// A snippet or macro applied to the whole template may add
			// any section: nothing missing can be called an error.
			l.transform(t, place)
			for _, s := range []string{"Resources", "Mappings", "Conditions"} {
				l.open[s] = true
			}
		}
	}
	for _, k := range tmpl.Keys() {
		if k != "Transform" {
			l.findTransforms(tmpl.Map.Get(k), k, k, 0)
		}
	}
}

// findTransforms walks a section for Fn::Transform keys.
func (l *loader) findTransforms(v *graph.Value, section, place string, depth int) {
	if v == nil || depth > maxDepth {
		return
	}
	switch v.Kind {
	case graph.Map:
		for _, k := range v.Keys() {
			if k == transformKey {
				l.transform(v.Map.Get(k), joinPath(place, k))
				l.open[section] = true
				continue
			}
			l.findTransforms(v.Map.Get(k), section, joinPath(place, k), depth+1)
		}
	case graph.List:
		for i, e := range v.List {
			l.findTransforms(e, section, joinIndex(place, i), depth+1)
		}
	}
}

// transform reports one transform: t is its argument ({Name, Parameters})
// or, in the Transform section, a macro name.
func (l *loader) transform(t *graph.Value, place string) {
	rng := l.at(t.Range)
	name := t
	if t.Kind == graph.Map {
		name = t.Map.Get("Name")
	}
	n, _ := knownString(name)
	switch {
	case n == includeName:
		l.unread(rng, "AWS::Include snippet not read", place, includeLocation(t.Get("Parameters", "Location")),
			"AWS::Include snippet is not in the repository")
	case n == "":
		l.unread(rng, "transform not read", place, "(computed)",
			"the transform's name is not a literal string, so what it adds is not known")
	default:
		l.unread(rng, "macro not expanded", place, n,
			"macro "+n+" runs in CloudFormation at deploy time; its output is not in the repository")
	}
}

// includeLocation renders an include's S3 location as written; a !Sub
// keeps its template string, which still tells the reader where to look.
func includeLocation(v *graph.Value) string {
	switch {
	case v == nil:
		return "(no Location)"
	case v.Kind == graph.String:
		return v.Str
	case intrinsicName(v) == "Fn::Sub":
		a := v.Map.Get("Fn::Sub")
		if a.Kind == graph.List && len(a.List) > 0 {
			a = a.List[0]
		}
		if a.Kind == graph.String {
			return a.Str
		}
	}
	return "(computed)"
}

// isTransformOnly reports a value that is only a transform's placeholder:
// {Fn::Transform: ...}, which the snippet or macro replaces.
func isTransformOnly(v *graph.Value) bool {
	return v != nil && v.Kind == graph.Map && v.Map.Get(transformKey) != nil && v.Map.Get("Type") == nil
}

func joinIndex(p string, i int) string {
	return p + "[" + strconv.Itoa(i) + "]"
}

// samImplicit reports names SAM defines without a resource of that
// logical ID in the template: the implicit APIs of function events, and
// the referenceable properties (MyFunction.Alias, MyApi.Stage).
func (l *loader) samImplicit(name string) bool {
	if !l.sam {
		return false
	}
	if name == "ServerlessRestApi" || name == "ServerlessHttpApi" {
		return true
	}
	base, _, ok := strings.Cut(name, ".")
	_, known := l.resources[base]
	return ok && known
}
