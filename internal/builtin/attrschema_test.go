package builtin

// TestAttributeSchema checks every attribute path a rule reads against the
// Terraform AWS provider's schema, so that a misspelt or renamed path (which
// reads as absent and silently takes the default branch) fails here.
//
// How the reads are found: internal/graph has a read trace (graph.ReadTrace)
// that sees every Value.Get/GetPath, Resource.Get and AttrRange, and the
// attribute of every Targets/Sources call. The test loads every rule
// fixture (plan JSON, HCL and CloudFormation twins, grouped as the fixture
// tests load them) and the examples/ directories, indexes where each value
// of each AWS resource sits (type, attribute path), runs all rules with the
// trace on, and turns each read into (type, path): the path of the value
// read from plus the steps asked for. Reading the rules' source instead
// (go/ast) cannot follow a path through the helpers that take it as an
// argument (firstPresent, trailBool, refConfigured, s3Grants, ...) nor learn
// the type of a value passed down three calls; the trace sees the real
// read with its real type, whatever the code path. What it cannot see is a
// read no fixture reaches: under it, TestAttributePathLiterals checks every
// path literal of the rules' source against the paths of all listed types
// (a misspelling is caught, a right name on the wrong type is not), and the
// "tables" subtest checks the attribute tables rules keep by type.
//
// Subtests: "provider", every read exists in the provider (or is one of
// the few CloudFormation-only attributes of cfnOnlyReads);
// "cloudformation", every read on a type CloudFormation maps to is
// produced by the mapping from some property (a template setting every
// property of every mapped type is loaded for that), or listed in
// cfnAbsent with why.
//
// The provider's schema is the checked-in list
// internal/testutil/attrschema/tf-aws.txt; its package comment says how to
// regenerate it (a new type in a rule needs that). The mapping's own
// tables are checked by internal/frontend/cfn/schema_test.go.

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/frontend/cfn"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/rule/fixture"
	"github.com/eksguard/eksguard/internal/testutil/attrschema"
)

// attrRead is one (type, path) a rule read: key is the type as the schema
// list keys it (aws_x, data.aws_x, provider.aws), steps the path without
// list indexes.
type attrRead struct {
	key   string
	steps string // joined by "\x1f": a map key may hold dots
}

func (r attrRead) path() string { return strings.ReplaceAll(r.steps, "\x1f", ".") }

// readSite says where a read was first seen.
type readSite struct {
	rule, input, code string
}

type readRecorder struct {
	mu      sync.Mutex
	origins map[*graph.Value][]origin
	reads   map[attrRead]readSite
	rule    string
	input   string
}

type origin struct {
	key   string
	steps []string
}

// schemaKey is the key of a resource's type in the schema list, or "" for
// what the provider's schema does not describe (Kubernetes objects, AWS
// CLI profiles, CI workflows, other providers).
func schemaKey(mode graph.Mode, typ string) string {
	switch {
	case mode == graph.Provider && typ == "aws":
		return "provider.aws"
	case !strings.HasPrefix(typ, "aws_"):
		return ""
	case mode == graph.Data:
		return "data." + typ
	}
	return typ
}

// index records where every value of every AWS resource of g sits.
func (rec *readRecorder) index(g *graph.Graph) {
	for _, r := range g.Resources() {
		if k := schemaKey(r.Mode, r.Type); k != "" {
			rec.walk(r.Attrs, k, nil, 0)
		}
	}
}

func (rec *readRecorder) walk(v *graph.Value, key string, steps []string, depth int) {
	if v == nil || depth > 64 {
		return
	}
	rec.origins[v] = append(rec.origins[v], origin{key, steps})
	switch v.Kind {
	case graph.List:
		for _, e := range v.List {
			rec.walk(e, key, steps, depth+1)
		}
	case graph.Map:
		for k, e := range v.Map.All() {
			rec.walk(e, key, append(steps[:len(steps):len(steps)], k), depth+1)
		}
	}
}

func (rec *readRecorder) record(key string, steps []string) {
	var clean []string
	for _, s := range steps {
		if s != "" && !isIndexStep(s) {
			clean = append(clean, s)
		}
	}
	if len(clean) == 0 {
		return
	}
	k := attrRead{key, strings.Join(clean, "\x1f")}
	if _, ok := rec.reads[k]; !ok {
		rec.reads[k] = readSite{rule: rec.rule, input: rec.input, code: ruleCaller()}
	}
}

func isIndexStep(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// ruleCaller is the first non-test frame in this package: the rule code
// that made the read.
func ruleCaller() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if strings.Contains(f.File, "/internal/builtin/") && !strings.HasSuffix(f.File, "_test.go") {
			return filepath.Base(f.File) + ":" + itoa(f.Line)
		}
		if !more {
			return "?"
		}
	}
}

func (rec *readRecorder) trace() *graph.ReadTrace {
	return &graph.ReadTrace{
		Get: func(v *graph.Value, path []string) {
			rec.mu.Lock()
			defer rec.mu.Unlock()
			for _, o := range rec.origins[v] {
				rec.record(o.key, append(o.steps[:len(o.steps):len(o.steps)], splitSteps(path)...))
			}
		},
		Edge: func(holder *graph.Resource, types []string, attr string) {
			if attr == "" {
				return
			}
			rec.mu.Lock()
			defer rec.mu.Unlock()
			if holder != nil {
				if k := schemaKey(holder.Mode, holder.Type); k != "" {
					rec.record(k, strings.Split(attr, "."))
				}
				return
			}
			for _, t := range types {
				if k := schemaKey(graph.Managed, t); k != "" {
					rec.record(k, strings.Split(attr, "."))
				}
			}
		},
	}
}

// splitSteps splits Get's steps further at dots: rules write
// Get("a.b") as well as Get("a", "b").
func splitSteps(path []string) []string {
	var out []string
	for _, p := range path {
		out = append(out, strings.Split(p, ".")...)
	}
	return out
}

// traceRuleReads runs every rule over every fixture group and example and
// returns what they read.
func traceRuleReads(t *testing.T) map[attrRead]readSite {
	t.Helper()
	rec := &readRecorder{reads: map[attrRead]readSite{}}
	run := func(input string, g *graph.Graph) {
		rec.origins = map[*graph.Value][]origin{}
		rec.index(g)
		prev := graph.SetReadTrace(rec.trace())
		defer graph.SetReadTrace(prev)
		for _, r := range All() {
			rec.mu.Lock()
			rec.rule, rec.input = r.ID, input
			rec.mu.Unlock()
			rule.Run([]*rule.Rule{r}, g, fixtureConfig())
		}
	}
	dirs, err := filepath.Glob(filepath.Join("testdata", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		tmp := t.TempDir()
		if _, err := fixture.Prepare(dir, tmp); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		groups, err := fixture.Groups(tmp)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		for _, grp := range groups {
			run(dir, frontend.Load(grp, frontend.Options{}).Graph)
		}
	}
	examples, err := filepath.Glob(filepath.Join("..", "..", "examples", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range examples {
		if st, err := os.Stat(ex); err == nil && st.IsDir() {
			run(filepath.ToSlash(ex), frontend.Load([]string{ex}, frontend.Options{}).Graph)
		}
	}
	return rec.reads
}

func TestAttributeSchema(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every rule over every fixture")
	}
	reads := traceRuleReads(t)
	if len(reads) < 100 {
		t.Fatalf("the trace saw %d attribute reads; is graph.ReadTrace still called?", len(reads))
	}
	produced := cfnProduced(t)
	t.Run("provider", func(t *testing.T) { checkProviderReads(t, reads, produced) })
	t.Run("cloudformation", func(t *testing.T) { checkCFNReads(t, reads, produced) })
	t.Run("tables", checkTables)
}

// cfnOnlyReads are the reads of attributes the provider does not have,
// each with why: CloudFormation properties Terraform has no attribute for,
// which the front-end keeps under their snake_case name and a rule reads
// there. Each must still be produced by the mapping and still be missing
// from the provider, or the entry is stale.
var cfnOnlyReads = map[attrRead]string{
	{"aws_flow_log", "resource_id"}:   "CloudFormation's ResourceId when the template leaves ResourceType open (a parameter); Terraform always names vpc_id, subnet_id, ...",
	{"aws_flow_log", "resource_type"}: "read with resource_id, see there",
	{"aws_kms_key", "origin"}:         "CloudFormation's Origin (EXTERNAL key material); Terraform declares such keys as aws_kms_external_key",
}

func sortedReads(reads map[attrRead]readSite) []attrRead {
	keys := make([]attrRead, 0, len(reads))
	for k := range reads {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].key != keys[j].key {
			return keys[i].key < keys[j].key
		}
		return keys[i].steps < keys[j].steps
	})
	return keys
}

// checkProviderReads: every (type, path) read exists in the provider.
func checkProviderReads(t *testing.T, reads map[attrRead]readSite, produced map[string]map[string]string) {
	sch := attrschema.Terraform()
	types := map[string]bool{}
	for _, k := range sortedReads(reads) {
		types[k.key] = true
		s := reads[k]
		if !sch.Has(k.key) {
			t.Errorf("%s (rule %s, on %s) reads %s.%s, but %s is not in the provider attribute list: "+
				"a type the provider does not have, or a new one (regenerate the list: see internal/testutil/attrschema)",
				s.code, s.rule, s.input, k.key, k.path(), k.key)
			continue
		}
		if _, ok, why := sch.Resolve(k.key, strings.Split(k.steps, "\x1f")); !ok {
			if _, ok := cfnOnlyReads[k]; ok {
				continue
			}
			t.Errorf("%s (rule %s, on %s) reads %s.%s: %s", s.code, s.rule, s.input, k.key, k.path(), why)
		}
	}
	for _, k := range sortedCFNOnly() {
		if _, _, why := sch.Resolve(k.key, strings.Split(k.steps, "\x1f")); why == "" {
			t.Errorf("cfnOnlyReads[%s %s] is stale: the provider has that attribute", k.key, k.path())
		}
		if _, ok := produced[k.key][k.steps]; !ok {
			t.Errorf("cfnOnlyReads[%s %s]: the CloudFormation mapping does not produce it", k.key, k.path())
		}
	}
	t.Logf("%d distinct (type, attribute path) reads over %d types checked against %s", len(reads), len(types), sch.Source)
}

func sortedCFNOnly() []attrRead {
	out := make([]attrRead, 0, len(cfnOnlyReads))
	for k := range cfnOnlyReads {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key+out[i].steps < out[j].key+out[j].steps })
	return out
}

// cfnAbsent are the attributes rules read on a type CloudFormation maps to
// that no CloudFormation property becomes, with why. A key is "<type>
// <path>" and covers what lies below the path; the type * is any type.
var cfnAbsent = map[string]string{
	"* arn":                              "computed by AWS: a template reads it with Fn::GetAtt, never sets it",
	"* id":                               "computed by AWS: a template reads it with Ref, never sets it",
	"aws_kms_key custom_key_store_id":    "AWS::KMS::Key has no custom key store property",
	"aws_launch_configuration user_data": "CloudFormation's UserData is base64, mapped to user_data_base64",
	"aws_network_acl ingress":            "CloudFormation declares entries as AWS::EC2::NetworkAclEntry (aws_network_acl_rule)",
	"aws_s3_bucket acl":                  "Terraform's inline form (AWS provider before v4); CloudFormation's AccessControl maps to aws_s3_bucket_acl",
	"aws_s3_bucket grant":                "Terraform's inline form (AWS provider before v4); CloudFormation has only canned ACLs",
	"aws_s3_bucket policy":               "Terraform's inline form; CloudFormation's is AWS::S3::BucketPolicy (aws_s3_bucket_policy)",
	"aws_s3_bucket server_side_encryption_configuration": "Terraform's inline form (AWS provider before v4); CloudFormation's BucketEncryption maps to aws_s3_bucket_server_side_encryption_configuration",
	"aws_s3_bucket_acl access_control_policy":            "CloudFormation sets only a canned ACL (AccessControl)",
	"aws_secretsmanager_secret policy":                   "CloudFormation's is AWS::SecretsManager::ResourcePolicy (aws_secretsmanager_secret_policy)",
}

// cfnTemplateStrings are property values for a second generated template,
// for the mapping's other branch where a value decides (a root device
// name, a flow log of a VPC); the first has "x" everywhere.
var cfnTemplateStrings = map[string]string{
	"AWS::EC2::Instance BlockDeviceMappings.DeviceName":                    "/dev/xvda",
	"AWS::AutoScaling::LaunchConfiguration BlockDeviceMappings.DeviceName": "/dev/xvda",
	"AWS::EC2::FlowLog ResourceType":                                       "VPC",
}

// checkCFNReads: every (type, path) a rule reads on a type CloudFormation
// maps to is produced by the mapping from some property, or listed in
// cfnAbsent. A property the mapping leaves under another name than the
// one the rule reads fails here.
func checkCFNReads(t *testing.T, reads map[attrRead]readSite, produced map[string]map[string]string) {
	tf := attrschema.Terraform()
	used := map[string]bool{}
	for _, k := range sortedReads(reads) {
		p := produced[k.key]
		if p == nil {
			continue // no CloudFormation type becomes this one
		}
		steps := strings.Split(k.steps, "\x1f")
		// The path as the schema spells it: a map's user keys and list
		// indexes dropped.
		if m, ok, _ := tf.Resolve(k.key, steps); ok {
			steps = strings.Split(m, ".")
		}
		if _, ok := p[strings.Join(steps, "\x1f")]; ok {
			continue
		}
		if ex := cfnAbsentKey(k.key, steps); ex != "" {
			used[ex] = true
			continue
		}
		s := reads[k]
		t.Errorf("%s (rule %s) reads %s.%s, which no CloudFormation property becomes: rename the property to it in "+
			"internal/frontend/cfn/mapping.go, or list it in cfnAbsent with why", s.code, s.rule, k.key, k.path())
	}
	for _, k := range sortedKeysOf(cfnAbsent) {
		if !used[k] {
			t.Errorf("cfnAbsent[%q] is stale: no rule reads it unproduced any more", k)
		}
	}
}

func cfnAbsentKey(key string, steps []string) string {
	for i := len(steps); i > 0; i-- {
		p := strings.Join(steps[:i], ".")
		for _, k := range []string{key + " " + p, "* " + p} {
			if _, ok := cfnAbsent[k]; ok && (!strings.HasPrefix(k, "* ") || i == len(steps)) {
				return k
			}
		}
	}
	return ""
}

func sortedKeysOf(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkTables checks the attribute names rules keep in tables by type,
// which a fixture may never reach.
func checkTables(t *testing.T) {
	sch := attrschema.Terraform()
	for typ, attrs := range secComputed {
		for a := range attrs {
			if _, ok, why := sch.Resolve(typ, []string{a}); !ok {
				t.Errorf("secComputed[%q][%q]: %s", typ, a, why)
			}
		}
	}
}

// cfnProduced loads a template setting every property of every listed
// CloudFormation type and returns, per Terraform type key, each
// attribute path the mapping produced (list indexes left out), with the
// CloudFormation property it came from.
func cfnProduced(t *testing.T) map[string]map[string]string {
	t.Helper()
	cf := attrschema.CloudFormation()
	out := map[string]map[string]string{}
	for _, strs := range []map[string]string{nil, cfnTemplateStrings} {
		cfnProduce(cf, strs, out)
	}
	return out
}

func cfnProduce(cf *attrschema.Schema, strs map[string]string, out map[string]map[string]string) {
	tmpl, where := cf.Template(cf.Types(), strs)
	g := graph.New()
	cfn.Load(g, tmpl, "synth.yaml", cfn.Options{})
	for _, r := range g.Resources() {
		k := schemaKey(r.Mode, r.Type)
		if k == "" {
			continue
		}
		if out[k] == nil {
			out[k] = map[string]string{}
		}
		var walk func(v *graph.Value, steps []string)
		walk = func(v *graph.Value, steps []string) {
			if len(steps) > 0 {
				out[k][strings.Join(steps, "\x1f")] = where[int(v.Range.Line)]
			}
			switch v.Kind {
			case graph.Map:
				for name, e := range v.Map.All() {
					walk(e, append(steps[:len(steps):len(steps)], name))
				}
			case graph.List:
				for _, e := range v.List {
					walk(e, steps)
				}
			}
		}
		walk(r.Attrs, nil)
	}
}

// nonAWSPathLiterals are the path literals of the rules (outside the
// Kubernetes and CI workflow files, which read other documents) that name
// no provider attribute, with what they read.
var nonAWSPathLiterals = map[string]string{
	"aws_access_key_id": "a key of an AWS CLI profile (awscli:profile)",
	"jobs":              "a GitHub Actions workflow (github:workflow)",
	"steps":             "a GitHub Actions workflow (github:workflow)",
	"with":              "a GitHub Actions workflow (github:workflow)",
	"spec":              "a Kubernetes object (k8s:EC2NodeClass, k8s:NodePool)",
	"spec.role":         "a Kubernetes object (k8s:EC2NodeClass)",
}

// TestAttributePathLiterals is the static net under the trace, for reads
// no fixture reaches: every string literal the rules pass as an attribute
// path (to Get, GetPath, AttrRange, Targets, Sources, the verdict calls,
// and this package's functions' attr, path, prefix and base parameters)
// must be an attribute path of some provider type in the list, or the
// end of one (a path read below a block). It knows no types, so it
// catches a misspelling, not a name read on the wrong type.
func TestAttributePathLiterals(t *testing.T) {
	sch := attrschema.Terraform()
	tails := map[string]bool{}
	for _, typ := range sch.Types() {
		for p := range sch.Paths(typ) {
			for s := strings.Split(p, "."); len(s) > 0; s = s[1:] {
				tails[strings.Join(s, ".")] = true
			}
		}
	}
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var parsed []*ast.File
	pathParams := map[string][]int{} // function → indexes of path parameters (-1: the variadic rest)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.HasPrefix(f, "k8s_") || f == "cicd.go" {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, af)
		for _, d := range af.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil {
				continue
			}
			i := 0
			for _, fld := range fd.Type.Params.List {
				for _, n := range fld.Names {
					if isPathParam(n.Name) {
						if _, variadic := fld.Type.(*ast.Ellipsis); variadic {
							pathParams[fd.Name.Name] = append(pathParams[fd.Name.Name], -1-i)
						} else {
							pathParams[fd.Name.Name] = append(pathParams[fd.Name.Name], i)
						}
					}
					i++
				}
			}
		}
	}
	methods := map[string][]int{"Get": {-1}, "GetPath": {0}, "AttrRange": {0}, "Targets": {1}, "Sources": {1},
		"Pass": {1}, "Fail": {1}, "Unknown": {1}, "Report": {2}}
	pathLit := regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$`)
	n := 0
	for _, af := range parsed {
		ast.Inspect(af, func(node ast.Node) bool {
			call, ok := node.(*ast.CallExpr)
			if !ok {
				return true
			}
			var idx []int
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				idx = methods[fn.Sel.Name]
			case *ast.Ident:
				idx = pathParams[fn.Name]
			}
			for _, i := range idx {
				args := call.Args
				switch {
				case i < 0 && -1-i < len(args):
					args = args[-1-i:]
				case i >= 0 && i < len(args):
					args = args[i : i+1]
				default:
					continue
				}
				for _, a := range args {
					lit, ok := a.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					s, err := strconv.Unquote(lit.Value)
					if err != nil || !pathLit.MatchString(s) {
						continue
					}
					n++
					var steps []string
					for _, st := range strings.Split(s, ".") {
						if !isIndexStep(st) {
							steps = append(steps, st)
						}
					}
					if p := strings.Join(steps, "."); !tails[p] && nonAWSPathLiterals[s] == "" {
						t.Errorf("%s: %q is no attribute path of any type in the provider attribute list, nor the end of one",
							fset.Position(lit.Pos()), s)
					}
				}
			}
			return true
		})
	}
	if n < 200 {
		t.Fatalf("found %d path literals; has the way rules read attributes changed?", n)
	}
	t.Logf("%d path literals checked", n)
}

func isPathParam(name string) bool {
	switch name {
	case "attr", "attrs", "path", "paths", "dotted", "prefix", "base":
		return true
	}
	return strings.HasSuffix(name, "Attr")
}
