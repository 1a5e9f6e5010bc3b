package builtin

import (
	"errors"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
	"go.yaml.in/yaml/v3"
)

// awsAuthTypes are the ConfigMap shapes that can write aws-auth: the
// manifest, and the Terraform kubernetes provider's resources whose
// metadata and data read the same.
var awsAuthTypes = []string{"k8s:ConfigMap", "kubernetes_config_map", "kubernetes_config_map_v1", "kubernetes_config_map_v1_data"}

// awsAuthKeys are the data keys that map IAM principals to Kubernetes
// users and groups, with the field naming the principal in each entry.
var awsAuthKeys = []struct{ key, arnField, what string }{
	{"mapRoles", "rolearn", "role"},
	{"mapUsers", "userarn", "user"},
}

// awsAuthEntry is one mapping of mapRoles or mapUsers.
type awsAuthEntry struct {
	ARN string
	// Line is the entry's line within the string, 1-based.
	Line    int
	Masters bool
}

// awsAuthEntries parses a mapRoles or mapUsers document (YAML or JSON).
func awsAuthEntries(doc, arnField string) ([]awsAuthEntry, error) {
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &root); err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(root.Content) == 0 {
		return nil, nil
	}
	list := awsAuthDeref(root.Content[0])
	if list.Kind == yaml.ScalarNode && list.ShortTag() == "!!null" {
		return nil, nil
	}
	if list.Kind != yaml.SequenceNode {
		return nil, errors.New("not a list of mappings")
	}
	var out []awsAuthEntry
	for _, item := range list.Content {
		item = awsAuthDeref(item)
		if item.Kind != yaml.MappingNode {
			return nil, errors.New("an entry is not a mapping")
		}
		e := awsAuthEntry{Line: item.Line}
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, v := item.Content[i].Value, awsAuthDeref(item.Content[i+1])
			switch k {
			case arnField:
				e.ARN = v.Value
			case "groups":
				groups := []*yaml.Node{v}
				if v.Kind == yaml.SequenceNode {
					groups = v.Content
				}
				for _, g := range groups {
					if g = awsAuthDeref(g); g.Kind == yaml.ScalarNode && g.Value == "system:masters" {
						e.Masters = true
					}
				}
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// awsAuthDeref follows one YAML alias.
func awsAuthDeref(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// awsAuthLaidOut reports whether the lines of the string v sit in the
// source right below its key, as in a YAML literal block (mapRoles: |),
// so that line k of the string is line Range.Line+k of the file.
//
// The YAML reader places every value at its key and records no end line.
// Other sources do not lay the string out: a JSON string holds its line
// breaks as escapes (the JSON reader records where maps end), and a
// Terraform value records an end line whether it is a heredoc or the
// output of yamlencode, whose lines are not the source's. Those findings
// stay on the key.
func awsAuthLaidOut(obj, data, v *graph.Value) bool {
	n := strings.Count(strings.TrimRight(v.Str, "\n"), "\n") + 1
	if n < 2 || v.Range.Line == 0 || v.Range.EndLine != 0 || data.Range.EndLine != 0 {
		return false
	}
	// A double-quoted YAML string with escaped line breaks is followed
	// by the next key on the very next line.
	return !awsAuthLineTaken(obj, v, v.Range.File, int(v.Range.Line)+1, int(v.Range.Line)+n)
}

// awsAuthLineTaken reports whether a value of x other than skip is written
// between lines first and last, which a laid-out block would occupy.
func awsAuthLineTaken(x, skip *graph.Value, file string, first, last int) bool {
	if x == nil || x == skip {
		return false
	}
	if x.Range.File == file && int(x.Range.Line) >= first && int(x.Range.Line) <= last {
		return true
	}
	for _, e := range x.List {
		if awsAuthLineTaken(e, skip, file, first, last) {
			return true
		}
	}
	for _, e := range x.Map.All() {
		if awsAuthLineTaken(e, skip, file, first, last) {
			return true
		}
	}
	return false
}

// awsAuthCandidate reports whether an object whose name or namespace is
// unknown could be aws-auth: only one holding role or user mappings.
func awsAuthCandidate(data *graph.Value) bool {
	if data.IsUnknown() {
		return true
	}
	for _, k := range awsAuthKeys {
		if data.Get(k.key) != nil {
			return true
		}
	}
	return false
}

func runAwsAuthMasters(p *rule.Pass) {
	for _, r := range p.Graph.OfType(awsAuthTypes...) {
		name, okName := rule.StringOr(r.Get("metadata.name"), "")
		// The Terraform resources default to the "default" namespace; the
		// manifest reader already fills it in.
		ns, okNS := rule.StringOr(r.Get("metadata.namespace"), "default")
		data := r.Get("data")
		if !okName || !okNS {
			if awsAuthCandidate(data) {
				path := "metadata.namespace"
				if !okName {
					path = "metadata.name"
				}
				p.Unknown(r, path,
					"a ConfigMap holding role or user mappings has a name or namespace known only after apply; it may be aws-auth")
			}
			continue
		}
		if name != "aws-auth" || ns != "kube-system" {
			continue
		}
		if data.IsUnknown() {
			p.Unknown(r, "data", "aws-auth data is known only after apply")
			continue
		}
		judged := false
		for _, k := range awsAuthKeys {
			v := data.Get(k.key)
			if v.IsNull() {
				continue
			}
			path := "data." + k.key
			doc, ok := rule.StringOr(v, "")
			if !ok {
				p.Unknown(r, path, "aws-auth %s is known only after apply", k.key)
				judged = true
				continue
			}
			entries, err := awsAuthEntries(doc, k.arnField)
			if err != nil {
				// The authenticator cannot read it either, so the mappings
				// it would apply are not knowable.
				p.Unknown(r, path, "aws-auth %s cannot be parsed (%v); EKS would not load these mappings", k.key, err)
				judged = true
				continue
			}
			laidOut := awsAuthLaidOut(r.Attrs, data, v)
			for _, e := range entries {
				if !e.Masters {
					continue
				}
				arn := e.ARN
				if arn == "" {
					arn = "(no " + k.arnField + ")"
				}
				var at graph.Range
				if laidOut {
					at = graph.Range{File: v.Range.File, Line: graph.Clamp32(int(v.Range.Line) + e.Line)}
				}
				p.FailAt(r, path, at, "aws-auth maps IAM %s %s to system:masters: it gets unrestricted cluster-admin that RBAC "+
					"cannot limit, audit or revoke", k.what, arn)
				judged = true
			}
		}
		if !judged {
			p.Pass(r, firstPresent(r, "data.mapRoles", "data.mapUsers", "data", "metadata.name"))
		}
	}
}
