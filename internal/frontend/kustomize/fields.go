package kustomize

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/resource"
)

// Field positions. kustomize's origin annotation names only the file an
// object was first written in, so eksguard works out, per field, which
// source line set it: the object's document in its base file, overwritten
// by the patches and transformers of every kustomization the object went
// through, in the order kustomize applies them (a base's own patches, then
// its components, then the overlay's). Each line of the emitted object
// then takes the position of its field or, for a field no source line
// names (a default, a merge result), of the nearest enclosing field.

// srcPos is a line of a source file, as shown in reports.
type srcPos struct {
	file string
	line int
}

// fieldMap holds the source line of fields, by keyed path.
type fieldMap map[string]srcPos

// segment is a path step: a mapping key, or a sequence item named by its
// merge key (name, and the keys Kubernetes merges ports and mounts by)
// or else by index, so a strategic merge patch's containers find the
// emitted containers they were merged into.
func segment(parent string, item *yaml.Node, i int) string {
	if item.Kind == yaml.MappingNode {
		for _, k := range []string{"name", "containerPort", "mountPath", "devicePath", "port", "ip"} {
			if v := mapValue(item, k); v != nil && v.Kind == yaml.ScalarNode {
				return parent + "[" + k + "=" + v.Value + "]"
			}
		}
	}
	return parent + "[" + strconv.Itoa(i) + "]"
}

// set records n and every node under it as written at file, with path p.
func (fm fieldMap) set(p, file string, n *yaml.Node) {
	if n == nil {
		return
	}
	fm[p] = srcPos{file, n.Line}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			fm.set(p+"/"+k.Value, file, v)
			fm[p+"/"+k.Value] = srcPos{file, k.Line}
		}
	case yaml.SequenceNode:
		for i, it := range n.Content {
			fm.set(segment(p, it, i), file, it)
		}
	}
}

// merge records what a strategic merge patch n wrote at path p: a field
// the object did not have, or a scalar it replaced, takes the patch's
// line; a map or list the object already had keeps its own line, as the
// patch only merged into it.
func (fm fieldMap) merge(p, file string, n *yaml.Node, keyLine int) {
	if n == nil {
		return
	}
	if _, had := fm[p]; !had || n.Kind == yaml.ScalarNode {
		fm[p] = srcPos{file, keyLine}
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			fm.merge(p+"/"+k.Value, file, v, k.Line)
		}
	case yaml.SequenceNode:
		for i, it := range n.Content {
			fm.merge(segment(p, it, i), file, it, it.Line)
		}
	}
}

// lookup returns the position of path p or of its nearest ancestor.
func (fm fieldMap) lookup(p string) (srcPos, bool) {
	for {
		if s, ok := fm[p]; ok {
			return s, true
		}
		i := strings.LastIndexAny(p, "/[")
		if i <= 0 {
			return srcPos{}, false
		}
		p = p[:i]
	}
}

// fieldLines places each line of the emitted object y: the file and line
// of the field it starts, from the object's base document and the patches
// and transformers that wrote to it. ok is false when nothing better than
// the object's own position is known.
func (b *build) fieldLines(r *resource.Resource, o *resource.Origin, y []byte) (files []string, lines []int, ok bool) {
	if o == nil || o.Path == "" || o.Repo != "" || o.ConfiguredIn != "" {
		return nil, nil, false
	}
	var emitted yaml.Node
	if yaml.Unmarshal(y, &emitted) != nil || len(emitted.Content) == 0 {
		return nil, nil, false
	}
	obj := emitted.Content[0]
	srcFile := filepath.Join(b.absDir, o.Path)
	base := b.objectNode(srcFile, r.GetKind(), r.GetName())
	if base == nil {
		return nil, nil, false
	}
	fm := fieldMap{}
	fm.set("", b.display(srcFile), base)
	cur := ""
	if n := mapValue(mapValue(base, "metadata"), "name"); n != nil {
		cur = n.Value
	}
	b.applyChain(fm, b.kfile, resolve(srcFile), obj, r, &cur, map[string]bool{})

	n := bytes.Count(y, []byte("\n")) + 1
	files, lines = make([]string, n), make([]int, n)
	// Fields in document order; a line that starts a list item and its
	// first key is placed by the item when the item's own path is known,
	// else by the key (an item whose merge key a patch changed).
	type field struct {
		path string
		line int
	}
	var fields []field
	var walk func(p string, node *yaml.Node, line int)
	walk = func(p string, node *yaml.Node, line int) {
		fields = append(fields, field{p, line})
		switch node.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(node.Content); i += 2 {
				k, v := node.Content[i], node.Content[i+1]
				walk(p+"/"+k.Value, v, k.Line)
			}
		case yaml.SequenceNode:
			for i, it := range node.Content {
				walk(segment(p, it, i), it, it.Line)
			}
		default:
			if node.Line != line {
				fields = append(fields, field{p, node.Line})
			}
		}
	}
	walk("", obj, obj.Line)
	for pass := 0; pass < 2; pass++ {
		for _, f := range fields {
			if f.line < 1 || f.line > n || lines[f.line-1] != 0 {
				continue
			}
			s, ok := fm[f.path]
			if pass == 1 {
				s, ok = fm.lookup(f.path)
			}
			if ok {
				files[f.line-1], lines[f.line-1] = s.file, s.line
			}
		}
	}
	return files, lines, true
}

// objectNode is the document of the object of the given kind and name in
// file (the name matched as find matches it).
func (b *build) objectNode(file, kind, name string) *yaml.Node {
	objs := b.objects(file)
	line := find(objs, kind, name)
	for _, o := range objs {
		if o.kind == kind && o.line == line {
			return o.node
		}
	}
	return nil
}

// kustomization is a kustomization file as read for field positions.
type kustomization struct {
	file string // absolute
	node *yaml.Node
}

// readKustomization reads the kustomization file in dir (absolute), if any,
// through the build's rooted file system, once per build: every object
// of the build walks the same kustomizations.
func (b *build) readKustomization(dir string) *kustomization {
	if k, ok := b.kusts[dir]; ok {
		return k
	}
	k := b.parseKustomization(dir)
	if b.kusts == nil {
		b.kusts = map[string]*kustomization{}
	}
	b.kusts[dir] = k
	return k
}

func (b *build) parseKustomization(dir string) *kustomization {
	for _, n := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		f := filepath.Join(dir, n)
		if b.fs.check(f) != nil {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var doc yaml.Node
		if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
			return nil
		}
		return &kustomization{file: f, node: doc.Content[0]}
	}
	return nil
}

// applyChain records in fm what the kustomization kfile and those it
// builds on wrote to the object whose document is in src; it reports
// whether src is among kfile's resources, directly or through a base.
//
// cur is the object's name as the kustomizations seen so far left it,
// which is how the next one's patches name it.
func (b *build) applyChain(fm fieldMap, kfile, src string, obj *yaml.Node, r *resource.Resource, cur *string, seen map[string]bool) bool {
	if seen[kfile] {
		return false
	}
	seen[kfile] = true
	k := b.readKustomization(filepath.Dir(kfile))
	if k == nil {
		return false
	}
	dir := filepath.Dir(k.file)
	found := false
	for _, field := range []string{"resources", "bases"} {
		l := mapValue(k.node, field)
		if l == nil || l.Kind != yaml.SequenceNode {
			continue
		}
		for _, e := range l.Content {
			if e.Kind != yaml.ScalarNode || isRemote(e.Value) {
				continue
			}
			p := resolve(filepath.Join(dir, e.Value))
			if fi, err := os.Stat(p); err == nil && fi.IsDir() {
				if sub := b.readKustomization(p); sub != nil && b.applyChain(fm, sub.file, src, obj, r, cur, seen) {
					found = true
				}
			} else if p == src {
				found = true
			}
		}
	}
	if !found {
		return false
	}
	if l := mapValue(k.node, "components"); l != nil && l.Kind == yaml.SequenceNode {
		for _, e := range l.Content {
			if e.Kind != yaml.ScalarNode || isRemote(e.Value) {
				continue
			}
			if c := b.readKustomization(resolve(filepath.Join(dir, e.Value))); c != nil {
				b.applyOwn(fm, c, obj, r, *cur)
				*cur = rename(c, *cur, r)
			}
		}
	}
	b.applyOwn(fm, k, obj, r, *cur)
	*cur = rename(k, *cur, r)
	return true
}

// applyOwn records what the kustomization's own patches and transformers
// wrote to the object.
func (b *build) applyOwn(fm fieldMap, k *kustomization, obj *yaml.Node, r *resource.Resource, cur string) {
	dir := filepath.Dir(k.file)
	kf := b.display(k.file)
	if l := mapValue(k.node, "patchesStrategicMerge"); l != nil && l.Kind == yaml.SequenceNode {
		for _, e := range l.Content {
			b.applyPatch(fm, dir, kf, e, nil, nil, obj, r, cur)
		}
	}
	for _, field := range []string{"patches", "patchesJson6902"} {
		l := mapValue(k.node, field)
		if l == nil || l.Kind != yaml.SequenceNode {
			continue
		}
		for _, e := range l.Content {
			if e.Kind != yaml.MappingNode {
				continue
			}
			tgt := mapValue(e, "target")
			if tgt != nil && !targets(tgt, r, cur) {
				continue
			}
			if p := mapValue(e, "path"); p != nil {
				b.applyPatch(fm, dir, kf, p, tgt, nil, obj, r, cur)
			} else if p := mapValue(e, "patch"); p != nil {
				b.applyPatch(fm, dir, kf, p, tgt, p, obj, r, cur)
			}
		}
	}
	if v := mapValue(k.node, "namespace"); v != nil && v.Value != "" {
		fm["/metadata/namespace"] = srcPos{kf, keyLine(k.node, "namespace")}
	}
	// kustomize leaves some names alone (a Namespace's, a CRD's): the
	// entry wrote the name only if the emitted name carries it.
	if v := mapValue(k.node, "namePrefix"); v != nil && v.Value != "" && strings.Contains(r.GetName(), v.Value+cur) {
		fm["/metadata/name"] = srcPos{kf, keyLine(k.node, "namePrefix")}
	}
	if v := mapValue(k.node, "nameSuffix"); v != nil && v.Value != "" && strings.Contains(r.GetName(), cur+v.Value) {
		fm["/metadata/name"] = srcPos{kf, keyLine(k.node, "nameSuffix")}
	}
	if v := mapValue(k.node, "commonLabels"); v != nil && v.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(v.Content); i += 2 {
			at := srcPos{kf, v.Content[i].Line}
			for _, p := range []string{"/metadata/labels/", "/spec/selector/matchLabels/", "/spec/template/metadata/labels/"} {
				fm[p+v.Content[i].Value] = at
			}
		}
	}
	if l := mapValue(k.node, "labels"); l != nil && l.Kind == yaml.SequenceNode {
		for _, e := range l.Content {
			pairs := mapValue(e, "pairs")
			if pairs == nil || pairs.Kind != yaml.MappingNode {
				continue
			}
			withSel := mapValue(e, "includeSelectors")
			withTpl := mapValue(e, "includeTemplates")
			for i := 0; i+1 < len(pairs.Content); i += 2 {
				at := srcPos{kf, pairs.Content[i].Line}
				key := pairs.Content[i].Value
				fm["/metadata/labels/"+key] = at
				if withSel != nil && withSel.Value == "true" {
					fm["/spec/selector/matchLabels/"+key] = at
				}
				if withSel != nil && withSel.Value == "true" || withTpl != nil && withTpl.Value == "true" {
					fm["/spec/template/metadata/labels/"+key] = at
				}
			}
		}
	}
	if l := mapValue(k.node, "images"); l != nil && l.Kind == yaml.SequenceNode {
		for _, e := range l.Content {
			if n := mapValue(e, "name"); n != nil {
				images(fm, "", obj, n.Value, srcPos{kf, e.Line})
			}
		}
	}
	if l := mapValue(k.node, "replicas"); l != nil && l.Kind == yaml.SequenceNode {
		for _, e := range l.Content {
			if n := mapValue(e, "name"); n != nil && nameMatches(n.Value, r, cur) {
				fm["/spec/replicas"] = srcPos{kf, e.Line}
			}
		}
	}
}

// images records at the images entry every container image of the
// emitted object that entry rewrote: kustomize matches the entry's name
// against the image's name without tag or digest, and the emitted image
// may carry the entry's newName instead, so both are accepted.
func images(fm fieldMap, p string, n *yaml.Node, name string, at srcPos) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "image" && v.Kind == yaml.ScalarNode && imageName(v.Value) == name {
				fm[p+"/image"] = at
				continue
			}
			images(fm, p+"/"+k.Value, v, name, at)
		}
	case yaml.SequenceNode:
		for i, it := range n.Content {
			images(fm, segment(p, it, i), it, name, at)
		}
	}
}

// imageName is an image reference without its tag or digest.
func imageName(ref string) string {
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndexByte(ref, ':'); i > strings.LastIndexByte(ref, '/') {
		ref = ref[:i]
	}
	return ref
}

// rename is the name the kustomization's prefix and suffix give name,
// where the emitted name shows they were applied to the object.
func rename(k *kustomization, name string, r *resource.Resource) string {
	if v := mapValue(k.node, "namePrefix"); v != nil && strings.Contains(r.GetName(), v.Value+name) {
		name = v.Value + name
	}
	if v := mapValue(k.node, "nameSuffix"); v != nil && strings.Contains(r.GetName(), name+v.Value) {
		name += v.Value
	}
	return name
}

func keyLine(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i].Line
		}
	}
	return m.Line
}

// applyPatch records the fields a patch wrote: ref is the path entry (a
// file next to the kustomization) or, with inline set, the patch text
// written in the kustomization itself.
func (b *build) applyPatch(fm fieldMap, dir, kf string, ref, tgt, inline *yaml.Node, obj *yaml.Node, r *resource.Resource, cur string) {
	// What the patch is (its key in b.patches), and how to read it.
	var key any
	var read func() ([]byte, int)
	file := kf
	switch {
	case inline != nil:
		if inline.Kind != yaml.ScalarNode {
			return
		}
		key = inline
		read = func() ([]byte, int) {
			// A block scalar's text starts on the line after its indicator.
			if inline.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
				return []byte(inline.Value), inline.Line - 1
			}
			return []byte(inline.Value), inline.Line
		}
	case ref.Kind == yaml.ScalarNode && !isRemote(ref.Value):
		if strings.Contains(ref.Value, "\n") {
			// patchesStrategicMerge may hold the patch itself.
			key = ref
			read = func() ([]byte, int) { return []byte(ref.Value), ref.Line }
			break
		}
		abs := filepath.Join(dir, ref.Value)
		file, key = b.display(abs), abs
		read = func() ([]byte, int) {
			if b.fs.check(abs) != nil {
				return nil, 0
			}
			data, _ := os.ReadFile(abs)
			return data, 0
		}
	default:
		return
	}
	docs, ok := b.patches[key]
	if !ok {
		docs = decodePatch(read())
		if b.patches == nil {
			b.patches = map[any][]*yaml.Node{}
		}
		b.patches[key] = docs
	}
	applyPatchDocs(fm, file, docs, tgt, obj, r, cur)
}

// decodePatch reads the documents of a patch, their lines moved down by
// offset (an inline patch counted from its kustomization's start). Each
// patch is read once per build (applyPatch keeps them): every object is
// matched against the same patches.
func decodePatch(content []byte, offset int) []*yaml.Node {
	var out []*yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(content))
	for {
		var doc yaml.Node
		if dec.Decode(&doc) != nil {
			return out
		}
		if len(doc.Content) == 0 {
			continue
		}
		shift(doc.Content[0], offset)
		out = append(out, doc.Content[0])
	}
}

// applyPatchDocs records the fields the documents of one patch wrote.
func applyPatchDocs(fm fieldMap, file string, docs []*yaml.Node, tgt, obj *yaml.Node, r *resource.Resource, cur string) {
	for _, p := range docs {
		switch p.Kind {
		case yaml.SequenceNode:
			jsonPatch(fm, file, p, obj)
		case yaml.MappingNode:
			if tgt == nil && !patchNames(p, r, cur) {
				continue
			}
			for i := 0; i+1 < len(p.Content); i += 2 {
				k, v := p.Content[i], p.Content[i+1]
				switch k.Value {
				case "apiVersion", "kind":
					continue
				case "metadata":
					// The patch's name and namespace select the object;
					// its labels and annotations are written.
					for j := 0; j+1 < len(v.Content); j += 2 {
						if mk := v.Content[j].Value; mk != "name" && mk != "namespace" {
							fm.merge("/metadata/"+mk, file, v.Content[j+1], v.Content[j].Line)
						}
					}
					continue
				}
				fm.merge("/"+k.Value, file, v, k.Line)
			}
		}
	}
}

// shift moves every line of n down by offset (an inline patch's lines
// counted from the kustomization file's start).
func shift(n *yaml.Node, offset int) {
	if offset == 0 || n == nil {
		return
	}
	n.Line += offset
	for _, c := range n.Content {
		shift(c, offset)
	}
}

// jsonPatch records the fields a JSON 6902 patch's add, replace, copy and
// move operations wrote: the operation's value, at the path it names in
// the emitted object (a list index read as the item it lands on).
func jsonPatch(fm fieldMap, file string, ops *yaml.Node, obj *yaml.Node) {
	for _, op := range ops.Content {
		kind, path := mapValue(op, "op"), mapValue(op, "path")
		if kind == nil || path == nil {
			continue
		}
		switch kind.Value {
		case "add", "replace", "copy", "move":
		default:
			continue
		}
		p, ok := pointerPath(obj, path.Value)
		if !ok {
			continue
		}
		if v := mapValue(op, "value"); v != nil {
			fm.set(p, file, v)
		}
		fm[p] = srcPos{file, op.Line}
	}
}

// pointerPath turns a JSON pointer into the keyed path of the field it
// names in the emitted object.
func pointerPath(obj *yaml.Node, ptr string) (string, bool) {
	if !strings.HasPrefix(ptr, "/") {
		return "", false
	}
	p, n := "", obj
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch {
		case n != nil && n.Kind == yaml.SequenceNode:
			i, err := strconv.Atoi(tok)
			if tok == "-" {
				i, err = len(n.Content)-1, nil
			}
			if err != nil || i < 0 || i >= len(n.Content) {
				return "", false
			}
			p, n = segment(p, n.Content[i], i), n.Content[i]
		case n != nil && n.Kind == yaml.MappingNode:
			p, n = p+"/"+tok, mapValue(n, tok)
		default:
			return "", false
		}
	}
	return p, true
}

// targets reports whether a patch target selects the object, on the
// selectors kustomize offers (kind, name, namespace as regular
// expressions; label and annotation selectors of equality terms).
func targets(t *yaml.Node, r *resource.Resource, cur string) bool {
	match := func(field, value string) bool {
		v := mapValue(t, field)
		if v == nil || v.Value == "" {
			return true
		}
		re, err := regexp.Compile("^(?:" + v.Value + ")$")
		if err != nil {
			return v.Value == value
		}
		return re.MatchString(value)
	}
	if !match("kind", r.GetKind()) || !match("namespace", r.GetNamespace()) {
		return false
	}
	if v := mapValue(t, "name"); v != nil && v.Value != "" && !nameMatches(v.Value, r, cur) {
		return false
	}
	return selects(mapValue(t, "labelSelector"), r.GetLabels()) && selects(mapValue(t, "annotationSelector"), r.GetAnnotations())
}

// selects reports whether a selector of comma-separated key=value (or
// key!=value, or bare key) terms holds for the map; a term of another
// form is taken to hold, so that the patch's fields are still placed.
func selects(sel *yaml.Node, m map[string]string) bool {
	if sel == nil || sel.Value == "" {
		return true
	}
	for _, term := range strings.Split(sel.Value, ",") {
		term = strings.TrimSpace(term)
		switch {
		case strings.Contains(term, "!="):
			k, v, _ := strings.Cut(term, "!=")
			if m[strings.TrimSpace(k)] == strings.TrimSpace(v) {
				return false
			}
		case strings.Contains(term, "="):
			k, v, _ := strings.Cut(strings.Replace(term, "==", "=", 1), "=")
			if m[strings.TrimSpace(k)] != strings.TrimSpace(v) {
				return false
			}
		case strings.ContainsAny(term, " ()"):
		default:
			if _, ok := m[term]; !ok {
				return false
			}
		}
	}
	return true
}

// nameMatches reports whether a name a patch or transformer entry gives
// (possibly a regular expression) names the object: by its emitted name,
// or by its name where the entry applies (an overlay's patch names the
// object as its base named it, before the overlay's prefix and suffix).
func nameMatches(want string, r *resource.Resource, cur string) bool {
	re, err := regexp.Compile("^(?:" + want + ")$")
	for _, n := range []string{r.GetName(), cur} {
		if n == want || err == nil && re.MatchString(n) {
			return true
		}
	}
	return false
}

// patchNames reports whether a strategic merge patch (which names its
// object by kind and metadata.name) is about the object.
func patchNames(p *yaml.Node, r *resource.Resource, cur string) bool {
	k := mapValue(p, "kind")
	n := mapValue(mapValue(p, "metadata"), "name")
	if k == nil || n == nil || k.Value != r.GetKind() {
		return false
	}
	return nameMatches(n.Value, r, cur)
}
