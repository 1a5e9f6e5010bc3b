package kustomize

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/resource"
)

// object is one object written in a file, with the line of its kind.
type object struct {
	kind, name string
	line       int
	node       *yaml.Node
}

// objects returns the objects of the YAML file name (every document, and
// the items of a List), read once per build.
func (b *build) objects(name string) []object {
	if o, ok := b.docs[name]; ok {
		return o
	}
	var out []object
	if b.fs.check(name) == nil {
		if content, err := os.ReadFile(name); err == nil {
			dec := yaml.NewDecoder(bytes.NewReader(content))
			for {
				var doc yaml.Node
				if err := dec.Decode(&doc); err != nil {
					if !errors.Is(err, io.EOF) {
						break
					}
					break
				}
				if len(doc.Content) == 0 {
					continue
				}
				out = appendObject(out, doc.Content[0])
			}
		}
	}
	b.docs[name] = out
	return out
}

func appendObject(out []object, m *yaml.Node) []object {
	if m.Kind != yaml.MappingNode {
		return out
	}
	o := object{line: m.Line, node: m}
	if k := mapValue(m, "kind"); k != nil {
		o.kind = k.Value
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == "kind" {
				o.line = m.Content[i].Line
			}
		}
	}
	if n := mapValue(mapValue(m, "metadata"), "name"); n != nil {
		o.name = n.Value
	}
	out = append(out, o)
	if strings.HasSuffix(o.kind, "List") {
		if items := mapValue(m, "items"); items != nil && items.Kind == yaml.SequenceNode {
			for _, it := range items.Content {
				out = appendObject(out, it)
			}
		}
	}
	return out
}

// find returns the line of the object of the given kind whose name is
// name or, as the build may have added a prefix or suffix to it, is
// contained in name (the longest such); 1 when there is none.
func find(objs []object, kind, name string) int {
	best, bestLen := 0, -1
	for _, o := range objs {
		if o.kind != kind {
			continue
		}
		switch {
		case o.name == name:
			return o.line
		case o.name != "" && strings.Contains(name, o.name) && len(o.name) > bestLen:
			best, bestLen = o.line, len(o.name)
		}
	}
	if bestLen >= 0 {
		return best
	}
	// A single object of that kind in the file is the one.
	n := 0
	for _, o := range objs {
		if o.kind == kind {
			n++
			best = o.line
		}
	}
	if n == 1 {
		return best
	}
	return 1
}

// position returns the file and line an emitted object comes from: the
// resource file its origin annotation names, or for a generated object the
// generator's entry in the kustomization (or generator config) file.
// A patch does not change the position: an object a patch changed is
// placed in the file it was first written in (kustomize's transformer
// annotations name only the kustomization that applied the patch).
func (b *build) position(o *resource.Origin, r *resource.Resource) (string, int) {
	if o == nil {
		return b.display(b.kfile), 1
	}
	if o.Repo != "" {
		f := o.Repo + "//" + o.Path
		if o.Ref != "" {
			f += "?ref=" + o.Ref
		}
		return f, 1
	}
	if o.ConfiguredIn != "" {
		abs := filepath.Join(b.absDir, o.ConfiguredIn)
		by := o.ConfiguredBy
		if isKustomizationFile(abs) {
			return b.display(abs), generatorLine(b.objects(abs), by.Kind, by.Name)
		}
		return b.display(abs), find(b.objects(abs), by.Kind, by.Name)
	}
	if o.Path == "" {
		return b.display(b.kfile), 1
	}
	abs := filepath.Join(b.absDir, o.Path)
	return b.display(abs), find(b.objects(abs), r.GetKind(), r.GetName())
}

// generatorLine returns the line of the entry of a builtin generator in a
// kustomization file (configMapGenerator or secretGenerator, by name), or
// the line of the file's generators list, or 1.
func generatorLine(objs []object, kind, name string) int {
	if len(objs) == 0 {
		return 1
	}
	k := objs[0].node
	field := map[string]string{"ConfigMapGenerator": "configMapGenerator", "SecretGenerator": "secretGenerator"}[kind]
	if field == "" {
		field = "generators"
	}
	l := mapValue(k, field)
	if l == nil {
		return 1
	}
	if l.Kind == yaml.SequenceNode {
		for _, it := range l.Content {
			if n := mapValue(it, "name"); n != nil && n.Value == name {
				return it.Line
			}
		}
	}
	return l.Line
}
