package frontend

import (
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
)

// valueLink connects resources that name each other by a literal value
// rather than by reference: a node group whose launch template is given by
// name, a bucket policy that repeats the bucket name. Front-ends record
// references where the source has them; this catches the rest, whatever
// format both sides came from.
type valueLink struct {
	fromType, fromPath string
	toType, toPath     string
}

var valueLinks = []valueLink{
	{"aws_eks_node_group", "launch_template.name", "aws_launch_template", "name"},
	{"aws_eks_node_group", "launch_template.id", "aws_launch_template", "id"},
	{"aws_eks_node_group", "node_role_arn", "aws_iam_role", "arn"},
	{"aws_eks_node_group", "subnet_ids", "aws_subnet", "id"},
	{"aws_eks_cluster", "vpc_config.subnet_ids", "aws_subnet", "id"},
	{"aws_eks_cluster", "vpc_config.security_group_ids", "aws_security_group", "id"},
	{"aws_eks_cluster", "encryption_config.provider.key_arn", "aws_kms_key", "arn"},
	{"aws_eks_cluster", "encryption_config.provider.key_arn", "aws_kms_alias", "arn"},
	{"aws_eks_addon", "cluster_name", "aws_eks_cluster", "name"},
	{"aws_eks_access_entry", "cluster_name", "aws_eks_cluster", "name"},
	{"aws_eks_access_policy_association", "cluster_name", "aws_eks_cluster", "name"},
	{"aws_eks_node_group", "cluster_name", "aws_eks_cluster", "name"},
	{"aws_eks_pod_identity_association", "cluster_name", "aws_eks_cluster", "name"},
	{"aws_iam_role_policy_attachment", "role", "aws_iam_role", "name"},
	{"aws_security_group_rule", "security_group_id", "aws_security_group", "id"},
	{"aws_vpc_security_group_ingress_rule", "security_group_id", "aws_security_group", "id"},
	{"aws_autoscaling_group", "launch_configuration", "aws_launch_configuration", "name"},
	{"aws_autoscaling_group", "launch_template.id", "aws_launch_template", "id"},
	{"aws_autoscaling_group", "launch_template.name", "aws_launch_template", "name"},
	{"aws_autoscaling_group", "vpc_zone_identifier", "aws_subnet", "id"},
	{"aws_instance", "subnet_id", "aws_subnet", "id"},

	// The settings of an S3 bucket split into separate resources (AWS
	// provider v4+) name the bucket in "bucket", often literally
	// (bucket = "acme-logs") where the team's older code or another stack
	// wrote it that way. A bucket's id is its name.
	{"aws_s3_bucket_public_access_block", "bucket", "aws_s3_bucket", "bucket"},
	{"aws_s3_bucket_public_access_block", "bucket", "aws_s3_bucket", "id"},
	{"aws_s3_bucket_acl", "bucket", "aws_s3_bucket", "bucket"},
	{"aws_s3_bucket_acl", "bucket", "aws_s3_bucket", "id"},
	{"aws_s3_bucket_policy", "bucket", "aws_s3_bucket", "bucket"},
	{"aws_s3_bucket_policy", "bucket", "aws_s3_bucket", "id"},
	{"aws_s3_bucket_server_side_encryption_configuration", "bucket", "aws_s3_bucket", "bucket"},
	{"aws_s3_bucket_server_side_encryption_configuration", "bucket", "aws_s3_bucket", "id"},
	{"aws_s3_bucket_versioning", "bucket", "aws_s3_bucket", "bucket"},
	{"aws_s3_bucket_versioning", "bucket", "aws_s3_bucket", "id"},
	{"aws_s3_bucket_logging", "bucket", "aws_s3_bucket", "bucket"},
	{"aws_s3_bucket_logging", "bucket", "aws_s3_bucket", "id"},
	{"aws_s3_bucket_ownership_controls", "bucket", "aws_s3_bucket", "bucket"},
	{"aws_s3_bucket_ownership_controls", "bucket", "aws_s3_bucket", "id"},

	// A key policy names its key by id or ARN.
	{"aws_kms_key_policy", "key_id", "aws_kms_key", "key_id"},
	{"aws_kms_key_policy", "key_id", "aws_kms_key", "id"},
	{"aws_kms_key_policy", "key_id", "aws_kms_key", "arn"},
	{"aws_flow_log", "vpc_id", "aws_vpc", "id"},
	{"aws_network_acl_rule", "network_acl_id", "aws_network_acl", "id"},
	// secret_id takes the secret's ARN or name; a secret's id is its ARN.
	{"aws_secretsmanager_secret_version", "secret_id", "aws_secretsmanager_secret", "id"},
	{"aws_secretsmanager_secret_version", "secret_id", "aws_secretsmanager_secret", "arn"},
	{"aws_secretsmanager_secret_version", "secret_id", "aws_secretsmanager_secret", "name"},
	{"aws_ecr_repository_policy", "repository", "aws_ecr_repository", "name"},
	{"aws_lb_listener", "load_balancer_arn", "aws_lb", "arn"},
}

// Link adds value-based edges. Each target type and attribute is indexed
// once, however many rows read it, so the cost is linear in the number of
// resources.
//
// A literal value names one resource, so it links each instance of a
// count, for_each or module to its own target (bucket = each.value), where
// a reference to a resource written with a computed index
// (aws_s3_bucket.this[each.key].id) is linked by the front-ends to every
// instance.
//
// A value that a reference already accounts for is not matched by name:
// bucket = aws_s3_bucket.a.bucket (or .id) has an edge to aws_s3_bucket.a,
// whose name is the value written, and another bucket declared with the
// same name elsewhere in the scan is not what the code points at. A value
// is accounted for when the attribute refers to a managed resource of the
// target type whose identity (any attribute the rows match that attribute
// against: bucket and id, name, arn ...) equals it, whichever attribute
// the reference named. Values no reference explains are matched by name.
func Link(g *graph.Graph) {
	linkKubernetes(g)
	indexes := map[[2]string]map[string][]*graph.Resource{}
	// identities lists, per source type, source attribute and target
	// type, the target attributes the rows match values against.
	identities := map[[3]string][]string{}
	for _, vl := range valueLinks {
		k := [3]string{vl.fromType, vl.fromPath, vl.toType}
		identities[k] = append(identities[k], vl.toPath)
	}
	// The edges are added once every row is read, so that only the
	// front-ends' references, never another row's value edges, account
	// for a value.
	type valueEdge struct {
		from, to *graph.Resource
		attr     string
	}
	var edges []valueEdge
	// The values the sources hold are read first, each resource's for
	// all its rows at once, and a target type's index built only when
	// some source holds one: in a plan most of them are known only after
	// apply, and reading every subnet's id, or every node group's
	// attributes once for each row, for nothing missed the cache at each
	// on a large one.
	type source struct {
		f      *graph.Resource
		values []string
	}
	sources := make([][]source, len(valueLinks))
	rowsOf := map[string][]int{}
	var fromTypes []string
	for i, vl := range valueLinks {
		if rowsOf[vl.fromType] == nil {
			fromTypes = append(fromTypes, vl.fromType)
		}
		rowsOf[vl.fromType] = append(rowsOf[vl.fromType], i)
	}
	parts := make([][]string, len(valueLinks))
	for i, vl := range valueLinks {
		parts[i] = strings.Split(vl.fromPath, ".")
	}
	for _, t := range fromTypes {
		for _, f := range g.OfType(t) {
			for _, i := range rowsOf[t] {
				if vs := leaves(f.Attrs, parts[i]); len(vs) > 0 {
					sources[i] = append(sources[i], source{f, vs})
				}
			}
		}
	}
	for i, vl := range valueLinks {
		if len(sources[i]) == 0 {
			continue
		}
		key := [2]string{vl.toType, vl.toPath}
		index, ok := indexes[key]
		if !ok {
			index = map[string][]*graph.Resource{}
			for _, t := range g.OfType(vl.toType) {
				if v := t.Get(vl.toPath); v != nil && v.Kind == graph.String && v.Str != "" {
					index[v.Str] = append(index[v.Str], t)
				}
			}
			indexes[key] = index
		}
		if len(index) == 0 {
			continue
		}
		ids := identities[[3]string{vl.fromType, vl.fromPath, vl.toType}]
		for _, src := range sources[i] {
			// The references are read only for a value the index holds.
			var refs []*graph.Resource
			refsRead := false
			for _, leaf := range src.values {
				if len(index[leaf]) == 0 {
					continue
				}
				if !refsRead {
					refs, refsRead = g.Targets(src.f, vl.fromPath, vl.toType), true
				}
				if referenced(refs, ids, leaf) {
					continue
				}
				for _, t := range index[leaf] {
					edges = append(edges, valueEdge{src.f, t, vl.fromPath})
				}
			}
		}
	}
	for _, e := range edges {
		g.Link(e.from, e.to, e.attr)
	}
}

// referenced reports whether one of the managed resources a reference
// points at has value as one of its identity attributes. A data source
// reads an existing resource, which may be the one another part of the
// scan manages under that name, so it accounts for nothing.
func referenced(refs []*graph.Resource, ids []string, value string) bool {
	for _, t := range refs {
		if t.Mode != graph.Managed {
			continue
		}
		for _, id := range ids {
			if v := t.Get(id); v != nil && v.Kind == graph.String && v.Str == value {
				return true
			}
		}
	}
	return false
}

// leaves returns the known strings at a path (the parts of a dotted one),
// descending into every element of lists met on the way (a path may cross
// several blocks).
func leaves(v *graph.Value, path []string) []string {
	var out []string
	var walk func(v *graph.Value, parts []string)
	walk = func(v *graph.Value, parts []string) {
		if v == nil {
			return
		}
		if v.Kind == graph.List {
			for _, e := range v.List {
				walk(e, parts)
			}
			return
		}
		if len(parts) == 0 {
			if v.Kind == graph.String && v.Str != "" {
				out = append(out, v.Str)
			}
			return
		}
		if v.Kind == graph.Map {
			walk(v.Map.Get(parts[0]), parts[1:])
		}
	}
	walk(v, path)
	return out
}

// linkKubernetes adds the references Kubernetes objects make by name: a
// namespaced object to the Namespace it lives in, a workload to its
// ServiceAccount, a binding to its Role or ClusterRole, and a
// ServiceAccount to the IAM role its IRSA annotation names, which may be
// declared in Terraform or CloudFormation beside the manifests. Each kind
// of link indexes its targets once, so the cost is linear.
func linkKubernetes(g *graph.Graph) {
	str := func(v *graph.Value) string {
		if v == nil || v.Kind != graph.String {
			return ""
		}
		return v.Str
	}
	namespaces := map[string]*graph.Resource{}
	for _, r := range g.OfType("k8s:Namespace", "kubernetes_namespace", "kubernetes_namespace_v1") {
		if n := str(r.Get("metadata.name")); n != "" {
			namespaces[n] = r
		}
	}
	accounts := map[string]*graph.Resource{}
	for _, r := range g.OfType("k8s:ServiceAccount") {
		accounts[str(r.Get("metadata.namespace"))+"/"+str(r.Get("metadata.name"))] = r
	}
	roles := map[string]*graph.Resource{}
	for _, r := range g.OfType("k8s:Role", "k8s:ClusterRole") {
		key := strings.TrimPrefix(r.Type, "k8s:") + "/" + str(r.Get("metadata.name"))
		if r.Type == "k8s:Role" {
			key += "@" + str(r.Get("metadata.namespace"))
		}
		roles[key] = r
	}
	// The IAM roles by ARN and name, read when a ServiceAccount names
	// one: a plan of thousands of roles may have no ServiceAccount.
	var iamByARN, iamByName map[string][]*graph.Resource
	iamIndex := func() {
		if iamByARN != nil {
			return
		}
		iamByARN, iamByName = map[string][]*graph.Resource{}, map[string][]*graph.Resource{}
		for _, r := range g.OfType("aws_iam_role") {
			if a := str(r.Get("arn")); a != "" {
				iamByARN[a] = append(iamByARN[a], r)
			}
			if n := str(r.Get("name")); n != "" {
				iamByName[n] = append(iamByName[n], r)
			}
		}
	}
	for _, r := range g.Resources() {
		if !strings.HasPrefix(r.Type, "k8s:") {
			continue
		}
		ns := str(r.Get("metadata.namespace"))
		if t := namespaces[ns]; t != nil {
			g.Link(r, t, "metadata.namespace")
		}
		if spec, ok := graph.PodSpecPath(r.Type); ok {
			sa := str(r.Get(spec + ".serviceAccountName"))
			if sa == "" {
				sa = "default"
			}
			if t := accounts[ns+"/"+sa]; t != nil {
				g.Link(r, t, spec+".serviceAccountName")
			}
			continue
		}
		switch r.Type {
		case "k8s:RoleBinding", "k8s:ClusterRoleBinding":
			key := str(r.Get("roleRef.kind")) + "/" + str(r.Get("roleRef.name"))
			if str(r.Get("roleRef.kind")) == "Role" {
				key += "@" + ns
			}
			if t := roles[key]; t != nil {
				g.Link(r, t, "roleRef.name")
			}
		case "k8s:ServiceAccount":
			ann := r.Get("metadata.annotations")
			if ann == nil || ann.Kind != graph.Map {
				continue
			}
			arn := str(ann.Map.Get("eks.amazonaws.com/role-arn"))
			if arn == "" {
				continue
			}
			iamIndex()
			targets := iamByARN[arn]
			if len(targets) == 0 {
				if i := strings.LastIndexByte(arn, '/'); i >= 0 && strings.Contains(arn, ":role/") {
					targets = iamByName[arn[i+1:]]
				}
			}
			for _, t := range targets {
				g.Link(r, t, "metadata.annotations")
			}
		}
	}
}
