package tfplan

import (
	"bytes"
	"errors"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/jsonpos"
)

// Sniff tells cheaply whether data may be a plan worth reading with
// Decode: it holds the names Detect looks for. They are searched for in
// the whole of it: a plan whose keys were sorted (jq -S, plangen) has its
// configuration before format_version.
func Sniff(data []byte) bool {
	return bytes.Contains(data, []byte(`"format_version"`)) &&
		(bytes.Contains(data, []byte(`"resource_changes"`)) || bytes.Contains(data, []byte(`"planned_values"`)))
}

// Decode reads a plan from its bytes into g as Load reads its parsed
// document, keeping only what Load reads: of each resource change the
// values after the change, merged with what is unknown until apply as the
// change is read (not the values before it, nor the change's other
// parts); of planned_values only the values of resources no change gives
// values to; of prior_state only data sources; the configuration and the
// root variables. Outputs, checks and the rest are skipped. A plan parsed
// whole holds eight times its size as values (1.6 GB for a 200 MB plan),
// most of them read by no one.
//
// ok is false, and g is left as it was, when data is not a plan or not
// JSON jsonpos.Parse reads: read it that way then, which says why.
func Decode(g *graph.Graph, data []byte, file string) (diags diag.List, ok bool) {
	p, ok := DecodeBytes(data, file)
	if !ok {
		return nil, false
	}
	return p.Load(g), true
}

// Decoded is a plan Decode has read from its bytes and not yet loaded
// into a graph. It keeps nothing of the bytes: a caller that lets go of
// them before Load builds the graph without them (193 MB of a 200 MB
// plan's loading peak).
type Decoded struct {
	doc  *planDoc
	file string
}

// DecodeBytes is the first half of Decode: ok is false when data is not a
// plan or not JSON jsonpos.Parse reads.
func DecodeBytes(data []byte, file string) (p *Decoded, ok bool) {
	d, err := decodePlan(data, file)
	if err != nil || !Detect(d.root) {
		return nil, false
	}
	return &Decoded{doc: d, file: file}, true
}

// Load is the second half of Decode: the plan's resources, references
// and diagnostics, into g.
func (p *Decoded) Load(g *graph.Graph) diag.List {
	return loadPlan(g, p.doc, p.file, true)
}

var errNotObject = errors.New("not a JSON object")

type decoder struct {
	doc  *jsonpos.Doc
	dec  *jsonpos.Decoder
	plan planDoc
	// kept holds the resources' attributes, copied there once merged
	// with what is known after apply (see graph.Arena).
	kept graph.Arena
}

type deferredPart struct {
	key  string
	at   graph.Range
	part jsonpos.Part
}

// decodePlan builds the planDoc Load builds from the parsed document. Each
// value kept is decoded as jsonpos.Parse decodes it, so Load finds the
// same values at the same positions; a part in a shape Terraform does not
// write is decoded whole and read as Load reads it.
func decodePlan(data []byte, file string) (*planDoc, error) {
	d := &decoder{doc: jsonpos.NewDoc(data, file)}
	d.dec = d.doc.Decoder()
	if d.dec.PeekKind() != '{' {
		return nil, errNotObject
	}
	// The root keeps format_version, variables and configuration, and,
	// for Detect, a null in place of the sections read into records.
	root, err := d.dec.Object(0, func(key string, _ graph.Range) (*graph.Value, error) {
		var err error
		switch key {
		case "format_version", "variables", "configuration":
			return d.dec.Value(1)
		case "planned_values":
			d.plan.planned, err = d.path(1, []string{"root_module"}, false)
			return graph.NewNull(), err
		case "prior_state":
			d.plan.prior, err = d.path(1, []string{"values", "root_module"}, true)
			return graph.NewNull(), err
		case "resource_changes":
			return graph.NewNull(), d.changes(1)
		}
		_, err = d.dec.Skip(1)
		return nil, err
	})
	if err != nil {
		return nil, err
	}
	if err := d.dec.End(); err != nil {
		return nil, err
	}
	d.plan.root = root
	err = d.resolve()
	// A copy, not &d.plan: a pointer into the decoder would keep its
	// document, and with it every byte of the plan, as long as the plan.
	plan := d.plan
	return &plan, err
}

// path reads the module at path below the value at depth (planned_values'
// root_module, prior_state's values.root_module).
func (d *decoder) path(depth int, path []string, prior bool) ([]*resourceRec, error) {
	if d.dec.PeekKind() != '{' {
		v, err := d.dec.Value(depth)
		if err != nil {
			return nil, err
		}
		return walkModule(v.Get(path...), 0, nil), nil
	}
	var out []*resourceRec
	_, err := d.dec.Object(depth, func(key string, _ graph.Range) (*graph.Value, error) {
		var err error
		switch {
		case key != path[0]:
			_, err = d.dec.Skip(depth + 1)
		case len(path) == 1:
			out, err = d.module(depth+1, 0, prior)
		default:
			out, err = d.path(depth+1, path[1:], prior)
		}
		return nil, err
	})
	return out, err
}

// module reads a module (at nesting depth of the document, module depth
// of the plan's module tree): its resources, then those of its child
// modules, as walkModule lists them.
func (d *decoder) module(depth, mdepth int, prior bool) ([]*resourceRec, error) {
	if d.dec.PeekKind() != '{' || mdepth > maxModuleDepth {
		v, err := d.dec.Value(depth)
		if err != nil {
			return nil, err
		}
		return walkModule(v, mdepth, nil), nil
	}
	var res, kids []*resourceRec
	_, err := d.dec.Object(depth, func(key string, _ graph.Range) (*graph.Value, error) {
		var err error
		switch key {
		case "resources":
			err = d.items(depth+1, func(depth int) error {
				r, err := d.resource(depth, prior)
				res = append(res, r)
				return err
			}, func(v *graph.Value) { res = append(res, resourceOf(v)) })
		case "child_modules":
			err = d.items(depth+1, func(depth int) error {
				m, err := d.module(depth, mdepth+1, prior)
				kids = append(kids, m...)
				return err
			}, func(v *graph.Value) { kids = walkModule(v, mdepth+1, kids) })
		default:
			_, err = d.dec.Skip(depth + 1)
		}
		return nil, err
	})
	return append(res, kids...), err
}

// items reads the value at depth as Items lists it: each element of an
// array with elem, anything else decoded whole and each of its Items
// given to whole.
func (d *decoder) items(depth int, elem func(depth int) error, whole func(*graph.Value)) error {
	if d.dec.PeekKind() != '[' {
		v, err := d.dec.Value(depth)
		if err != nil {
			return err
		}
		for _, x := range v.Items() {
			whole(x)
		}
		return nil
	}
	_, err := d.dec.Array(depth, func() (*graph.Value, error) {
		return nil, elem(depth + 1)
	})
	return err
}

// resource reads a resource of planned_values or prior_state, its values
// left for resolve.
func (d *decoder) resource(depth int, prior bool) (*resourceRec, error) {
	if d.dec.PeekKind() != '{' {
		v, err := d.dec.Value(depth)
		if err != nil {
			return nil, err
		}
		return resourceOf(v), nil
	}
	var parts []deferredPart
	var id ident
	v, err := d.dec.Object(depth, func(key string, at graph.Range) (*graph.Value, error) {
		switch key {
		case "address", "mode", "type", "name":
			return nil, d.ident(&id, key, depth+1, at)
		case "values", "sensitive_values":
			p, err := d.dec.Skip(depth + 1)
			parts = append(parts, deferredPart{key: key, at: at, part: p})
			return nil, err
		}
		_, err := d.dec.Skip(depth + 1)
		return nil, err
	})
	if err != nil {
		return nil, err
	}
	r := &resourceRec{addr: id.addr, mode: id.mode, typ: id.typ, name: id.name, rng: id.rangeIn(v)}
	r.parts = parts
	return r, nil
}

// ident is what a resource or a change says it is. Its members are read
// as text, not kept as values: a plan has four for each resource in
// planned_values and four more for each change.
type ident struct {
	addr, mode, typ, name string
	addrAt                graph.Range
	hasAddr               bool
}

func (d *decoder) ident(id *ident, key string, depth int, at graph.Range) error {
	s, rng, err := d.dec.Str(depth, at)
	switch key {
	case "address":
		id.addr, id.addrAt, id.hasAddr = s, rng, true
	case "mode":
		id.mode = s
	case "type":
		id.typ = s
	case "name":
		id.name = s
	}
	return err
}

// rangeIn is the range of the object v it was read from, placed at its
// address as rangeOf places it.
func (id *ident) rangeIn(v *graph.Value) graph.Range {
	r := v.Range
	if id.hasAddr && id.addrAt.Line > 0 {
		r.Line, r.Column = id.addrAt.Line, id.addrAt.Column
	}
	return r
}

// changes reads resource_changes, each change prepared as it is read.
func (d *decoder) changes(depth int) error {
	add := func(rc *graph.Value, id *ident) {
		c := changeOf(rc)
		if id != nil {
			c.addr, c.mode, c.typ, c.name, c.rng = id.addr, id.mode, id.typ, id.name, id.rangeIn(rc)
		}
		c.ownUnknown = true
		c.prepare()
		// What prepare has used, and the values of a change Load reads
		// no further (no address, or a lone delete), Load does not read.
		c.before, c.beforeSensitive, c.afterSensitive = nil, nil, nil
		if c.addr == "" || c.deleteOnly {
			c.after, c.afterUnknown = nil, nil
		}
		// Merged, the attributes are final: copied side by side, the
		// walks over the graph and the collector meet each resource's
		// values in a few cache lines instead of scattered among what
		// decoding dropped. (Copied as decoded, before the merge, the
		// maps the merge grows would have moved out again.)
		if c.after != nil && c.afterUnknown == nil {
			c.after = d.kept.Copy(c.after)
		}
		d.plan.changes = append(d.plan.changes, c)
	}
	return d.items(depth, func(depth int) error {
		if d.dec.PeekKind() != '{' {
			v, err := d.dec.Value(depth)
			if err == nil {
				add(v, nil)
			}
			return err
		}
		var id ident
		rc, err := d.dec.Object(depth, func(key string, at graph.Range) (*graph.Value, error) {
			switch key {
			case "address", "mode", "type", "name":
				return nil, d.ident(&id, key, depth+1, at)
			case "change":
				if d.dec.PeekKind() != '{' {
					return d.dec.Value(depth + 1)
				}
				return d.dec.Object(depth+1, func(key string, _ graph.Range) (*graph.Value, error) {
					switch key {
					case "actions", "after", "after_unknown", "after_sensitive":
						return d.dec.Value(depth + 2)
					}
					// before and before_sensitive: Load only masks them
					// in the document, which nothing reads here.
					_, err := d.dec.Skip(depth + 2)
					return nil, err
				})
			}
			_, err := d.dec.Skip(depth + 1)
			return nil, err
		})
		if err == nil {
			add(rc, &id)
		}
		return err
	}, func(rc *graph.Value) { add(rc, nil) })
}

// resolve decodes the values of the planned_values resources that no
// resource change gives values to, and of prior_state data sources; the
// others Load never reads.
func (d *decoder) resolve() error {
	changed := map[string]bool{}
	for _, c := range d.plan.changes {
		// As in Load.change: a change other than a lone delete with a
		// non-null after replaces the planned values.
		if c.addr != "" && !c.deleteOnly && c.after != nil && c.after.Kind != graph.Null {
			changed[c.addr] = true
		}
	}
	decode := func(r *resourceRec) error {
		for _, p := range r.parts {
			v, err := d.doc.Decode(p.part, &p.at)
			if err != nil {
				return err
			}
			if p.key == "values" {
				r.values = v
			} else {
				r.sensitive = v
			}
		}
		r.parts = nil
		return nil
	}
	for _, r := range d.plan.planned {
		if !changed[r.addr] {
			if err := decode(r); err != nil {
				return err
			}
		}
		r.parts = nil
	}
	for _, r := range d.plan.prior {
		if graph.Mode(r.mode) == graph.Data {
			if err := decode(r); err != nil {
				return err
			}
		}
		r.parts = nil
	}
	return nil
}
