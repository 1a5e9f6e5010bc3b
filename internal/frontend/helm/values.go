package helm

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	chartv2 "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/strvals"
)

// Values positions. A rendered value that a template copies straight
// from .Values (`key: {{ .Values.a.b }}`, or a block written by
// `toYaml .Values.a`) is also placed at the values file line that set it,
// the line a user edits to change it. Values files are read here, with
// positions, in the order Helm gives them precedence, so the line named
// is the one whose value won.

// ValuePos is a line of a values file.
type ValuePos struct {
	File string
	Line int
}

// valuesFile is one values file as written.
type valuesFile struct {
	name string     // as reported
	root *yaml.Node // its mapping, nil when not a mapping
}

func readValuesFile(disk, name string) *valuesFile {
	data, err := os.ReadFile(disk)
	if err != nil {
		return nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	return &valuesFile{name: name, root: doc.Content[0]}
}

// find returns the node at path in the first file, of files in
// precedence order, that sets it. A file that sets a prefix of the path
// to a list or a scalar replaces what the files below it hold there
// (Helm merges maps only), so the search stops at it.
func find(files []*valuesFile, keys []string) (*valuesFile, *yaml.Node, *yaml.Node) {
	for _, f := range files {
		if f == nil {
			continue
		}
		var key *yaml.Node
		n := f.root
		for i, k := range keys {
			switch {
			case n.Kind == yaml.MappingNode:
				var next *yaml.Node
				for j := 0; j+1 < len(n.Content); j += 2 {
					if n.Content[j].Value == k {
						key, next = n.Content[j], n.Content[j+1]
					}
				}
				n = next
			case n.Kind == yaml.SequenceNode:
				idx, err := strconv.Atoi(k)
				if err != nil || idx < 0 || idx >= len(n.Content) {
					return nil, nil, nil
				}
				key, n = n.Content[idx], n.Content[idx]
			default:
				return nil, nil, nil
			}
			if n == nil {
				break
			}
			if n.Kind == yaml.AliasNode && n.Alias != nil {
				n = n.Alias
			}
			if i < len(keys)-1 && n.Kind != yaml.MappingNode && n.Kind != yaml.SequenceNode {
				// A scalar or null set above the path: it replaced the
				// maps of the files below (or, null, deleted them).
				return nil, nil, nil
			}
			if i < len(keys)-1 && n.Kind == yaml.SequenceNode {
				// A list replaces the lists of the files below.
				return findIn(f, n, keys[i+1:])
			}
		}
		if n != nil {
			return f, key, n
		}
	}
	return nil, nil, nil
}

// findIn walks the rest of a path inside a list a file set.
func findIn(f *valuesFile, n *yaml.Node, keys []string) (*valuesFile, *yaml.Node, *yaml.Node) {
	var key *yaml.Node
	for _, k := range keys {
		switch n.Kind {
		case yaml.SequenceNode:
			idx, err := strconv.Atoi(k)
			if err != nil || idx < 0 || idx >= len(n.Content) {
				return nil, nil, nil
			}
			key, n = n.Content[idx], n.Content[idx]
		case yaml.MappingNode:
			var next *yaml.Node
			for j := 0; j+1 < len(n.Content); j += 2 {
				if n.Content[j].Value == k {
					key, next = n.Content[j], n.Content[j+1]
				}
			}
			if next == nil {
				return nil, nil, nil
			}
			n = next
		default:
			return nil, nil, nil
		}
	}
	return f, key, n
}

// valueScopes says, per chart of the tree (by its full path, web or
// web/charts/cache), which values files its templates read .Values from
// and under which key: a dependency reads the parent's files under its
// name (or alias), then its own values.yaml.
type valueScope struct {
	files  []*valuesFile
	prefix []string
}

// scopes builds the value scopes of the chart in dir for one release:
// user files (highest precedence first), the variant, values.yaml.
func scopes(ch *chartv2.Chart, dir string, set []string, user []string, variant string) map[string][]valueScope {
	var top []*valuesFile
	if len(set) > 0 {
		// --helm-set wins over every file and has no line: a value it
		// sets is placed nowhere else.
		m := map[string]any{}
		for _, s := range set {
			_ = strvals.ParseInto(s, m)
		}
		var n yaml.Node
		if n.Encode(m) == nil && n.Kind == yaml.MappingNode {
			top = append(top, &valuesFile{root: &n})
		}
	}
	for i := len(user) - 1; i >= 0; i-- {
		top = append(top, readValuesFile(user[i], filepath.ToSlash(user[i])))
	}
	name := filepath.ToSlash(filepath.Clean(dir))
	if variant != "" {
		top = append(top, readValuesFile(filepath.Join(dir, filepath.FromSlash(variant)), name+"/"+variant))
	}
	top = append(top, readValuesFile(filepath.Join(dir, "values.yaml"), name+"/values.yaml"))
	out := map[string][]valueScope{}
	var walk func(c *chartv2.Chart, disk string, parents []valueScope, full string)
	walk = func(c *chartv2.Chart, disk string, parents []valueScope, full string) {
		out[full] = parents
		entries := depEntries(disk, disk == "")
		for _, d := range c.Dependencies() {
			e, ok := entries[d.Name()]
			depDisk := ""
			var own *valuesFile
			if ok && !strings.HasSuffix(e, ".tgz") {
				depDisk = e
				own = readValuesFile(filepath.Join(filepath.FromSlash(e), "values.yaml"), e+"/values.yaml")
			}
			// A dependency is rendered under its alias, and reads the
			// parent's values under that name, once per alias.
			names := []string{}
			if c.Metadata != nil {
				for _, md := range c.Metadata.Dependencies {
					if md != nil && md.Name == d.Name() && md.Alias != "" {
						names = append(names, md.Alias)
					}
				}
			}
			if len(names) == 0 {
				names = []string{d.Name()}
			}
			for _, as := range names {
				var sub []valueScope
				for _, p := range parents {
					sub = append(sub, valueScope{files: p.files, prefix: append(append([]string(nil), p.prefix...), as)})
				}
				if own != nil {
					sub = append(sub, valueScope{files: []*valuesFile{own}})
				}
				walk(d, depDisk, sub, full+"/charts/"+as)
			}
		}
	}
	walk(ch, dir, []valueScope{{files: top}}, ch.Name())
	return out
}

// lookup finds where the value at keys, as a chart of scope reads it,
// was set.
//
// A value --helm-set gives, or a file sets to a list or scalar above the
// path, is found nowhere: the files below it do not hold the value used.
func lookup(scope []valueScope, keys []string) (*valuesFile, *yaml.Node, *yaml.Node) {
	for _, s := range scope {
		full := append(append([]string(nil), s.prefix...), keys...)
		if f, k, n := find(s.files, full); f != nil {
			if f.name == "" {
				return nil, nil, nil
			}
			return f, k, n
		}
	}
	return nil, nil, nil
}

var (
	// A line whose value is one action reading a value, through filters
	// that keep it as it is written: key: {{ .Values.a.b | quote }}.
	directRE = regexp.MustCompile(`^\s*(?:-\s+)?[^\s:#{][^:#{]*:\s+["']?\{\{-?\s*\$?\.Values\.([A-Za-z0-9_.]+)\s*((?:\|\s*(?:quote|squote|toString|int|int64|float64|lower|upper|trim|toYaml)\s*)*)-?\}\}["']?\s*$`)
	// An action writing a block from a value: toYaml .Values.a, or
	// .Values.a | toYaml, usually indented by nindent.
	blockRE = regexp.MustCompile(`toYaml\s+\(?\$?\.Values\.([A-Za-z0-9_.]+)|\$?\.Values\.([A-Za-z0-9_.]+)\s*\|\s*toYaml`)
)

// placeValues records, for each document, the values file lines of the
// rendered lines that copy a value.
func placeValues(docs []Doc, srcs map[string]source, sc map[string][]valueScope) {
	for i := range docs {
		d := &docs[i]
		src, ok := srcs[d.Template]
		if !ok || src.archive || len(d.Lines) == 0 {
			continue
		}
		chart := chartOfTemplate(d.Template)
		scope, ok := sc[chart]
		if !ok {
			continue
		}
		tpl := strings.Split(src.text, "\n")
		var rendered yaml.Node
		if yaml.Unmarshal(d.YAML, &rendered) != nil || len(rendered.Content) == 0 {
			continue
		}
		d.From = map[int]ValuePos{}
		// Scalars: the rendered line written by a template line that
		// copies one value, when the rendered value is that value.
		each(rendered.Content[0], func(key, val *yaml.Node) {
			if val.Kind != yaml.ScalarNode || key.Line < 1 || key.Line > len(d.Lines) {
				return
			}
			t := d.Lines[key.Line-1]
			if t < 1 || t > len(tpl) {
				return
			}
			m := directRE.FindStringSubmatch(tpl[t-1])
			if m == nil || !keyWrites(tpl[t-1], key.Value) {
				return
			}
			f, _, n := lookup(scope, strings.Split(m[1], "."))
			if f != nil && n.Kind == yaml.ScalarNode && n.Value == val.Value {
				d.From[val.Line] = ValuePos{f.name, n.Line}
			}
		})
		// Blocks: the lines under a key whose template writes it with
		// toYaml of a value, each at the values line of the same field.
		each(rendered.Content[0], func(key, val *yaml.Node) {
			if val.Kind != yaml.MappingNode && val.Kind != yaml.SequenceNode || key.Line < 1 || key.Line > len(d.Lines) {
				return
			}
			t := d.Lines[key.Line-1]
			for _, tl := range []int{t, t + 1} {
				if tl < 1 || tl > len(tpl) {
					continue
				}
				m := blockRE.FindStringSubmatch(tpl[tl-1])
				if m == nil {
					continue
				}
				p := m[1]
				if p == "" {
					p = m[2]
				}
				if tl == t+1 && keyRE.MatchString(tpl[tl-1]) {
					continue // the next line is a key of its own
				}
				keys := strings.Split(p, ".")
				if f, _, n := lookup(scope, keys); f != nil && n.Kind == val.Kind {
					placeBlock(d.From, scope, keys, val)
				}
				return
			}
		})
		if len(d.From) == 0 {
			d.From = nil
		}
	}
}

// placeBlock places every field of a rendered block at the values line
// that set the same field.
func placeBlock(from map[int]ValuePos, scope []valueScope, keys []string, val *yaml.Node) {
	switch val.Kind {
	case yaml.MappingNode:
		for j := 0; j+1 < len(val.Content); j += 2 {
			k, v := val.Content[j], val.Content[j+1]
			sub := append(append([]string(nil), keys...), k.Value)
			if f, key, _ := lookup(scope, sub); f != nil {
				from[k.Line] = ValuePos{f.name, key.Line}
				if v.Line != k.Line {
					placeBlock(from, scope, sub, v)
				} else if v.Kind == yaml.ScalarNode {
					from[v.Line] = ValuePos{f.name, key.Line}
				} else {
					placeBlock(from, scope, sub, v)
				}
			}
		}
	case yaml.SequenceNode:
		for j, it := range val.Content {
			sub := append(append([]string(nil), keys...), strconv.Itoa(j))
			if f, _, n := lookup(scope, sub); f != nil {
				if _, taken := from[it.Line]; !taken {
					from[it.Line] = ValuePos{f.name, n.Line}
				}
				placeBlock(from, scope, sub, it)
			}
		}
	}
}

// each calls fn on every mapping entry under n.
func each(n *yaml.Node, fn func(key, val *yaml.Node)) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			fn(n.Content[i], n.Content[i+1])
			each(n.Content[i+1], fn)
		}
	case yaml.SequenceNode:
		for _, it := range n.Content {
			each(it, fn)
		}
	}
}

// keyWrites reports whether the template line writes the key.
func keyWrites(line, key string) bool {
	m := keyRE.FindStringSubmatch(line)
	return m != nil && strings.Trim(m[1], `"'`) == key
}

// chartOfTemplate is the chart path of a template name
// (web/charts/cache/templates/x.yaml: web/charts/cache).
func chartOfTemplate(name string) string {
	dir := path.Dir(name)
	for dir != "." && dir != "/" {
		if path.Base(dir) == "templates" {
			return path.Dir(dir)
		}
		dir = path.Dir(dir)
	}
	return ""
}
