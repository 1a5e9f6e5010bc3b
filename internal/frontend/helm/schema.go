package helm

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chartv2 "helm.sh/helm/v4/pkg/chart/v2"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
)

// Values schemas. helm template refuses to render a release whose values
// break the chart's values.schema.json (or a dependency's, against the
// values under its name). eksguard checks the same, with the same
// validator, but reads nothing the schema points to outside itself: Helm
// would fetch an http(s) or file reference, and a scan must not, so a
// schema with such a reference is not checked (a notice says so) and the
// release is rendered.

// errSchemaRef is a reference the schema loader refused to follow.
type errSchemaRef struct{ url string }

func (e errSchemaRef) Error() string { return "reference to " + e.url + " not followed" }

// noFetch loads no document but the permissive one Helm gives urn:
// references it cannot resolve.
type noFetch struct{}

func (noFetch) Load(url string) (any, error) {
	if strings.HasPrefix(url, "urn:") {
		return jsonschema.UnmarshalJSON(strings.NewReader("true"))
	}
	return nil, errSchemaRef{url}
}

// schemaProblem is why a release's values were not checked, or how they
// broke the schema.
type schemaProblem struct {
	invalid   error  // the values break a schema: not rendered
	unchecked string // a schema could not be checked: rendered, with a notice
}

// checkSchemas validates the coalesced values against the chart's schema
// and, recursively, each dependency's schema against its values, as Helm's
// ValidateAgainstSchema does.
func checkSchemas(ch *chartv2.Chart, values map[string]any) schemaProblem {
	var sb strings.Builder
	var unchecked []string
	var walk func(c *chartv2.Chart, vals map[string]any)
	walk = func(c *chartv2.Chart, vals map[string]any) {
		if len(c.Schema) > 0 {
			err := validateOne(c.Schema, vals)
			var ref errSchemaRef
			switch {
			case err == nil:
			case errors.As(err, &ref):
				unchecked = append(unchecked, c.Name()+": "+ref.Error())
			default:
				var verr *jsonschema.ValidationError
				if !errors.As(err, &verr) {
					unchecked = append(unchecked, c.Name()+": "+err.Error())
					break
				}
				fmt.Fprintf(&sb, "%s:\n%s\n", c.Name(), strings.TrimSpace(err.Error()))
			}
		}
		for _, sub := range c.Dependencies() {
			raw, ok := vals[sub.Name()]
			if !ok || raw == nil {
				continue
			}
			m, ok := raw.(map[string]any)
			if !ok {
				fmt.Fprintf(&sb, "%s:\ninvalid type for values: expected object (map), got %T\n", sub.Name(), raw)
				continue
			}
			walk(sub, m)
		}
	}
	walk(ch, values)
	var p schemaProblem
	if sb.Len() > 0 {
		p.invalid = errors.New("values don't meet the specifications of the schema(s) in the following chart(s):\n" + strings.TrimSpace(sb.String()))
	}
	p.unchecked = strings.Join(unchecked, "; ")
	return p
}

func validateOne(schemaJSON []byte, values map[string]any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unable to validate schema: %v", r)
		}
	}()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return err
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(noFetch{})
	if err := c.AddResource("file:///values.schema.json", doc); err != nil {
		return err
	}
	s, err := c.Compile("file:///values.schema.json")
	if err != nil {
		var lerr *jsonschema.LoadURLError
		if errors.As(err, &lerr) {
			return errSchemaRef{lerr.URL}
		}
		return err
	}
	return s.Validate(values)
}

// releaseSchemas checks one release's values as helm template would
// before rendering: on the chart with its dependencies processed, against
// the coalesced values.
func releaseSchemas(files []chartFile, vals map[string]any, caps *common.Capabilities) schemaProblem {
	has := false
	for _, f := range files {
		has = has || path.Base(f.name) == "values.schema.json"
	}
	if !has {
		// Archived dependencies may still hold one: load to look.
		for _, f := range files {
			has = has || strings.HasSuffix(f.name, ".tgz")
		}
	}
	if !has {
		return schemaProblem{}
	}
	ch, err := loadFiles(files)
	if err != nil {
		return schemaProblem{}
	}
	if !hasSchema(ch) {
		return schemaProblem{}
	}
	if err := chartutil.ProcessDependencies(ch, copyValues(vals)); err != nil {
		return schemaProblem{}
	}
	rv, err := util.ToRenderValuesWithSchemaValidation(ch, copyValues(vals), common.ReleaseOptions{Name: "schema", Namespace: "default", IsInstall: true}, caps, true)
	if err != nil {
		return schemaProblem{}
	}
	coalesced, ok := rv["Values"].(common.Values)
	if !ok {
		return schemaProblem{}
	}
	return checkSchemas(ch, coalesced.AsMap())
}

func hasSchema(c *chartv2.Chart) bool {
	if len(c.Schema) > 0 {
		return true
	}
	for _, d := range c.Dependencies() {
		if hasSchema(d) {
			return true
		}
	}
	return false
}
