package builtin

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/secret"
)

// k8sWorkloadRules check images, resources, service-account tokens and
// environment of each workload.
var k8sWorkloadRules = []*rule.Rule{wlResources, wlLatestTag, wlRegistry, wlTokenAutomount, wlSecretEnv, wlPlainCredential}

// ---------------------------------------------------------------------------
// K8S-021 requests and limits

// wlRequired are the resource settings every container must end up with.
// CPU limits are left out on purpose: CPU is compressible, a limit only
// throttles (often well below the limit because of CFS quota periods), and
// the CPU request already guarantees each container its share under
// contention. Memory is not compressible: without a limit one container can
// take the node's memory and get its neighbours OOM-killed or evicted.
var wlRequired = []struct{ section, res, key string }{
	{"requests", "cpu", "requests.cpu"},
	{"requests", "memory", "requests.memory"},
	{"limits", "memory", "limits.memory"},
}

var wlResources = &rule.Rule{
	ID:       "K8S-021",
	Title:    "Container has no CPU/memory request or no memory limit",
	Severity: rule.Low,
	Service:  "Kubernetes",
	Types:    append(append([]string{}, graph.WorkloadTypes...), "k8s:LimitRange"),
	Rationale: "The scheduler places pods by their requests, and the kubelet evicts pods that use more memory than " +
		"they requested first. A container with no requests is best-effort: it is packed onto nodes without regard " +
		"for what it uses and is the first to be killed; a container with no memory limit can use all of a node's " +
		"memory, starving or OOM-killing its neighbours (a noisy or compromised tenant becomes a denial of service " +
		"for the others, which the DevSecOps settings page's quotas are meant to prevent). eksguard requires requests.cpu, " +
		"requests.memory and limits.memory. It does not require limits.cpu: CPU is compressible, a CPU limit only " +
		"throttles the container (often while the node has idle CPU), and the CPU request already guarantees its " +
		"share under contention; set one where a hard ceiling is wanted. A value counts as set when the container " +
		"sets it, when a request is implied by the container's own limit (Kubernetes copies a limit to a missing " +
		"request), or when a LimitRange of type Container in the workload's namespace supplies it (default, " +
		"defaultRequest, or the max/min Kubernetes derives them from). Ephemeral containers cannot carry resources " +
		"and are not judged. A LimitRange whose namespace or limits are not knowable makes the verdict unknown. " + nsUnitRationale,
	Remediation: "Set resources.requests.cpu, resources.requests.memory and resources.limits.memory on every " +
		"container and init container, sized from observed usage (pad the memory limit 20-30% above the observed " +
		"peak), or give the namespace a LimitRange that supplies defaults, together with a ResourceQuota.",
	Example: `apiVersion: v1
kind: LimitRange
metadata:
  name: container-defaults
  namespace: team-a
spec:
  limits:
    - type: Container
      defaultRequest:
        cpu: 100m
        memory: 128Mi
      default:
        memory: 256Mi
---
# or per container:
containers:
  - name: api
    image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2
    resources:
      requests:
        cpu: 250m
        memory: 256Mi
      limits:
        memory: 320Mi`,
	References: []rule.Reference{RefDevSecOps,
		bpg("pod-security", "_set_requests_and_limits_for_each_container_to_avoid_resource_contention_and_dos_attacks",
			"Set requests and limits for each container to avoid resource contention and DoS attacks"),
		awsdoc("Kubernetes: Resource management for pods and containers", "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"),
		awsdoc("Kubernetes: Limit ranges", "https://kubernetes.io/docs/concepts/policy/limit-range/")},
	Run: func(p *rule.Pass) {
		byNS, unknownNS := objectsByNamespace(p.Graph, "k8s:LimitRange")
		units := nsUnits(p.Graph)
		for _, ps := range workloads(p.Graph) {
			unit := units[ps.Res]
			sees := func(lr *graph.Resource) bool {
				return ps.Res.Coexists(lr) && sameUnit(unit, units[lr])
			}
			cs, unk := ps.containers()
			if unk {
				p.Unknown(ps.Res, ps.Path, "%s: the container list is not knowable from code", ps.Name)
			}
			ns, nsOK := namespaceOf(ps.Res)
			for _, c := range cs {
				if c.Field == "ephemeralContainers" {
					continue
				}
				var missing, unsure []string
				for _, req := range wlRequired {
					key := req.key
					t := rule.Or(wlResourceSet(c, req.section, req.res),
						wlNamespaceDefault(sees, byNS, unknownNS, ns, nsOK, req.section, req.res))
					switch t {
					case rule.False:
						missing = append(missing, key)
					case rule.TriUnknown:
						unsure = append(unsure, key)
					}
				}
				switch {
				case len(missing) > 0:
					p.Fail(ps.Res, c.firstPresent(ps.Res, "resources", ""), "%s: container %s sets no %s and no LimitRange of its namespace supplies a default",
						ps.Name, c.Name, strings.Join(missing, ", "))
				case len(unsure) > 0:
					p.Unknown(ps.Res, c.firstPresent(ps.Res, "resources", ""), "%s: container %s: whether %s is set (by the container or a LimitRange of its namespace) is not knowable from code",
						ps.Name, c.Name, strings.Join(unsure, ", "))
				default:
					p.Pass(ps.Res, c.Path)
				}
			}
		}
	},
}

// wlResourceSet reports whether the container itself sets resources.<section>.<res>.
// A missing request is filled from the container's own limit by
// Kubernetes, so a limit counts for the request too.
func wlResourceSet(c container, section, res string) rule.Tri {
	resources := c.V.Get("resources")
	t := wlPresent(resources.Get(section, res))
	if section == "requests" {
		t = rule.Or(t, wlPresent(resources.Get("limits", res)))
	}
	return t
}

func wlPresent(v *graph.Value) rule.Tri {
	switch {
	case v.IsUnknown():
		return rule.TriUnknown
	case v.IsNull():
		return rule.False
	}
	return rule.True
}

// wlNamespaceDefault reports whether a LimitRange of the namespace supplies
// the setting. LimitRanges whose namespace is not knowable may be the
// namespace's: they can only make the answer unknown.
//
// Only LimitRanges deployed beside the workload count (sees): not those of
// an alternative rendering (see graph.Resource.Coexists) nor of another
// root module (see sameUnit).
func wlNamespaceDefault(sees func(*graph.Resource) bool, byNS map[string][]*graph.Resource, unknownNS []*graph.Resource, ns string, nsOK bool,
	section, res string) rule.Tri {
	out := rule.False
	if nsOK {
		for _, lr := range byNS[ns] {
			if sees(lr) {
				out = rule.Or(out, wlLimitRangeSupplies(lr, section, res))
			}
		}
	} else {
		// The workload could be in any namespace: any LimitRange that would
		// supply the value might be its own.
		for _, lrs := range byNS {
			for _, lr := range lrs {
				if sees(lr) {
					out = rule.Or(out, wlMaybe(wlLimitRangeSupplies(lr, section, res)))
				}
			}
		}
	}
	for _, lr := range unknownNS {
		if sees(lr) {
			out = rule.Or(out, wlMaybe(wlLimitRangeSupplies(lr, section, res)))
		}
	}
	return out
}

// wlMaybe weakens a certainty to "possibly": used when the thing that would
// make it true may not apply.
func wlMaybe(t rule.Tri) rule.Tri {
	if t == rule.False {
		return rule.False
	}
	return rule.TriUnknown
}

// wlLimitRangeSupplies reports whether a LimitRange gives containers a
// value for resources.<section>.<res>. Kubernetes fills a Container item's
// missing default limit from max, and its missing default request from the
// default limit, then from min, before applying them.
func wlLimitRangeSupplies(lr *graph.Resource, section, res string) rule.Tri {
	limits := lr.Get("spec.limits")
	if limits.IsUnknown() {
		return rule.TriUnknown
	}
	keys := []string{"default", "max"}
	if section == "requests" {
		keys = []string{"defaultRequest", "default", "max", "min"}
	}
	out := rule.False
	for _, item := range limits.Items() {
		if item.IsUnknown() {
			out = rule.Or(out, rule.TriUnknown)
			continue
		}
		typ, ok := rule.StringOr(item.Get("type"), "")
		if !ok {
			out = rule.Or(out, rule.TriUnknown)
			continue
		}
		if typ != "Container" {
			continue
		}
		for _, k := range keys {
			out = rule.Or(out, wlPresent(item.Get(k).Get(res)))
		}
	}
	return out
}

// ---------------------------------------------------------------------------
// Image references (K8S-022, K8S-023)

// wlImage is a parsed image reference: [host[:port]/]path[:tag][@digest].
type wlImage struct {
	Host, Path, Tag, Digest string
}

// Repo is host/path, what a registry glob with a path is matched against.
func (i wlImage) Repo() string { return i.Host + "/" + i.Path }

// wlParseImage splits an image reference the way container runtimes
// normalise it: the first component is a registry only when it looks like a
// host (has a dot or a port, is localhost, or has upper-case letters);
// otherwise the image is on Docker Hub, whose one-component names live
// under library/. The tag is what follows the last ':' after the last '/',
// so a registry port is never taken for a tag.
func wlParseImage(s string) wlImage {
	var img wlImage
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '@'); i >= 0 {
		img.Digest, s = s[i+1:], s[:i]
	}
	if c := strings.LastIndexByte(s, ':'); c > strings.LastIndexByte(s, '/') {
		img.Tag, s = s[c+1:], s[:c]
	}
	first, rest, found := strings.Cut(s, "/")
	if found && (strings.ContainsAny(first, ".:") || first == "localhost" || strings.ToLower(first) != first) {
		img.Host, img.Path = strings.ToLower(first), rest
	} else {
		img.Host, img.Path = "docker.io", s
	}
	switch img.Host {
	case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com":
		img.Host = "docker.io"
	}
	if img.Host == "docker.io" && !strings.Contains(img.Path, "/") {
		img.Path = "library/" + img.Path
	}
	return img
}

// wlDigestHex is how many lower-case hex digits each digest algorithm that
// container runtimes accept takes (the OCI image spec's registered
// algorithms, as github.com/opencontainers/go-digest validates them).
var wlDigestHex = map[string]int{"sha256": 64, "sha384": 96, "sha512": 128}

// wlDigestProblem says why a digest (algorithm:hex) is malformed, or ""
// when it is well-formed and so pins the image. The kubelet parses image
// references with the distribution reference grammar and go-digest's
// validation, which admit only the registered algorithms, each with its
// exact number of lower-case hex digits; any other digest makes the whole
// reference invalid (InvalidImageName).
func wlDigestProblem(d string) string {
	alg, hex, ok := strings.Cut(d, ":")
	if !ok || alg == "" {
		return "it has no algorithm (sha256:<64 hex digits>)"
	}
	n, known := wlDigestHex[alg]
	if !known {
		return fmt.Sprintf("algorithm %q is not one image references admit (sha256, sha384, sha512)", alg)
	}
	if len(hex) != n {
		return fmt.Sprintf("%s takes %d hex digits, this one has %d", alg, n, len(hex))
	}
	for _, c := range hex {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return fmt.Sprintf("%s takes lower-case hex digits only, and %q is not one", alg, c)
		}
	}
	return ""
}

// wlEachImage calls fn for every container whose image is known, and
// reports unknown for the others. Containers without an image are invalid
// manifests and get no verdict.
func wlEachImage(p *rule.Pass, fn func(ps podSpec, c container, image string)) {
	for _, ps := range workloads(p.Graph) {
		cs, unk := ps.containers()
		if unk {
			p.Unknown(ps.Res, ps.Path, "%s: the container list is not knowable from code", ps.Name)
		}
		for _, c := range cs {
			v := c.Get("image")
			image, ok := rule.StringOr(v, "")
			switch {
			case !ok:
				p.Unknown(ps.Res, c.firstPresent(ps.Res, "image", ""),
					"%s: the image of container %s is not knowable from code", ps.Name, c.Name)
			case strings.TrimSpace(image) != "":
				fn(ps, c, image)
			}
		}
	}
}

var wlLatestTag = &rule.Rule{
	ID:       "K8S-022",
	Title:    "Container image uses the latest tag or no tag",
	Severity: rule.Medium,
	Service:  "Kubernetes",
	Types:    graph.WorkloadTypes,
	Rationale: "An image without a tag is pulled as :latest, and :latest (like any mutable tag) names whatever was " +
		"pushed last: nodes that pull at different times run different code, a rollback redeploys the same moving " +
		"target, and whoever can push to the repository can change what runs in the cluster without touching the " +
		"manifest. A version tag in an ECR repository with immutable tags, or a digest (@sha256: and 64 lower-case hex " +
		"digits; sha384 and sha512 take 96 and 128), pins what runs; a digest wins over any tag written beside it. A " +
		"malformed digest (too short, upper-case, another algorithm) makes the whole reference invalid: it pins " +
		"nothing and fails, with what is wrong with the digest. A registry port (registry:5000/app) is not a tag.",
	Remediation: "Reference images by an explicit version tag from a repository with immutable tags, or by digest; " +
		"never :latest.",
	Example: `containers:
  - name: api
    image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2
  - name: proxy
    image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/envoy@sha256:5f4e1c0a9d2b7e8f3a6c1d0b9e8f7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a`,
	References: []rule.Reference{
		bpg("image-security", "_use_immutable_tags_with_ecr", "Use immutable tags with ECR"),
		awsdoc("Kubernetes: Images (image names, tags and digests)", "https://kubernetes.io/docs/concepts/containers/images/#image-names"),
		awsdoc("Kubernetes: Configuration best practices (container images)", "https://kubernetes.io/docs/concepts/configuration/overview/")},
	Run: func(p *rule.Pass) {
		wlEachImage(p, func(ps podSpec, c container, image string) {
			img := wlParseImage(image)
			var digestProblem string
			if strings.Contains(image, "@") {
				digestProblem = wlDigestProblem(img.Digest)
			}
			switch {
			case strings.Contains(image, "@") && digestProblem == "":
				p.Pass(ps.Res, c.Path)
			case digestProblem != "":
				p.Fail(ps.Res, c.At("image"), "%s: container %s uses image %q whose digest is malformed: %s. The reference is "+
					"invalid (the kubelet refuses it as InvalidImageName) and pins nothing",
					ps.Name, c.Name, image, digestProblem)
			case img.Tag == "":
				p.Fail(ps.Res, c.At("image"), "%s: container %s uses image %q with no tag, which pulls :latest: what runs changes with every push",
					ps.Name, c.Name, image)
			case img.Tag == "latest":
				p.Fail(ps.Res, c.At("image"), "%s: container %s uses image %q: the latest tag changes with every push",
					ps.Name, c.Name, image)
			default:
				p.Pass(ps.Res, c.Path)
			}
		})
	},
}

var wlRegistry = &rule.Rule{
	ID:       "K8S-023",
	Title:    "Container image comes from a registry outside the allow-list",
	Severity: rule.Medium,
	Service:  "Kubernetes",
	Types:    graph.WorkloadTypes,
	Rationale: "Images pulled straight from public registries run code nobody in the organisation built, scanned or " +
		"can keep available: a compromised or typo-squatted upstream image, or a deleted tag, reaches the cluster " +
		"directly. Mirroring images into the platform's own registry (Amazon ECR by default, as in AOS Edge, where " +
		"images are synced into ECR and nodes only read from it) puts scanning, immutability and access control in " +
		"front of every pull. The allow-list is configurable (globs on host or host/path, * matches any run of " +
		"characters); it defaults to Amazon ECR private registries of any account and region. Image names without " +
		"a registry host (nginx, bitnami/redis) come from Docker Hub (docker.io).",
	Remediation: "Mirror the image into an allowed registry (for example with ECR pull-through cache or a sync job) " +
		"and reference it there, or add the registry to the allow-list if it is approved.",
	Example: `containers:
  - name: redis
    # mirrored from docker.io/bitnami/redis through an ECR pull-through cache rule
    image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/bitnami/redis:7.2.4`,
	References: []rule.Reference{RefAosEdge,
		cis("5.1.4", "Minimize Container Registries to only those approved"),
		bpg("image-security", "_create_a_set_of_curated_images", "Create a set of curated images"),
		awsdoc("Amazon ECR: Sync an upstream registry with pull through cache", "https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html")},
	Run: func(p *rule.Pass) {
		allowed := p.Config.Registries()
		wlEachImage(p, func(ps podSpec, c container, image string) {
			img := wlParseImage(image)
			if wlRegistryAllowed(img, allowed) {
				p.Pass(ps.Res, c.Path)
				return
			}
			p.Fail(ps.Res, c.At("image"), "%s: container %s pulls %q from %s, which is not an allowed registry (%s)",
				ps.Name, c.Name, image, img.Host, strings.Join(allowed, ", "))
		})
	},
}

// wlRegistryAllowed matches an image against registry globs. A glob
// without '/' names registry hosts and is matched against the host alone,
// so "*.amazonaws.com" cannot be satisfied by a path; a glob with a path
// matches host/path, either whole or as a prefix ending at a '/'.
func wlRegistryAllowed(img wlImage, patterns []string) bool {
	repo := strings.ToLower(img.Repo())
	for _, pat := range patterns {
		pat = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(pat), "/"))
		switch {
		case pat == "":
		case strings.Contains(pat, "/"):
			if globMatch(pat, repo) || globMatch(pat+"/*", repo) {
				return true
			}
		case globMatch(pat, img.Host):
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// K8S-024 service-account token automount

// wlServiceAccountTypes are the resources that declare ServiceAccounts:
// manifests and the Terraform kubernetes provider's resources.
var wlServiceAccountTypes = []string{"k8s:ServiceAccount", "kubernetes_service_account", "kubernetes_service_account_v1"}

// wlSAIndex finds ServiceAccounts by namespace and name; those whose
// namespace or name is not knowable are kept apart, as they may be any.
type wlSAIndex struct {
	byKey map[string]*graph.Resource
	vague []*graph.Resource
}

// wlSAIdentity reads a ServiceAccount's namespace and name. The Terraform
// provider defaults the namespace to "default"; manifests already carry
// theirs.
func wlSAIdentity(r *graph.Resource) (ns, name string, ok bool) {
	ns, nsOK := rule.StringOr(r.Get("metadata.namespace"), "default")
	name, nameOK := rule.StringOr(r.Get("metadata.name"), "")
	return ns, name, nsOK && nameOK
}

// wlSAAutomount is where a ServiceAccount keeps its automount setting.
func wlSAAutomount(r *graph.Resource) string {
	if strings.HasPrefix(r.Type, "k8s:") {
		return "automountServiceAccountToken"
	}
	return "automount_service_account_token"
}

func wlIndexServiceAccounts(g *graph.Graph) wlSAIndex {
	idx := wlSAIndex{byKey: map[string]*graph.Resource{}}
	for _, r := range g.OfType(wlServiceAccountTypes...) {
		ns, name, ok := wlSAIdentity(r)
		if !ok {
			idx.vague = append(idx.vague, r)
			continue
		}
		if _, dup := idx.byKey[ns+"/"+name]; !dup {
			idx.byKey[ns+"/"+name] = r
		}
	}
	return idx
}

// mayBe reports whether a ServiceAccount of unknown identity could be ns/name.
func (idx wlSAIndex) mayBe(ns, name string) bool {
	for _, r := range idx.vague {
		n, nOK := rule.StringOr(r.Get("metadata.namespace"), "default")
		m, mOK := rule.StringOr(r.Get("metadata.name"), "")
		if (!nOK || n == ns) && (!mOK || m == name) {
			return true
		}
	}
	return false
}

var wlTokenAutomount = &rule.Rule{
	ID:       "K8S-024",
	Title:    "Service account token is mounted into the pod automatically",
	Severity: rule.Medium,
	Service:  "Kubernetes",
	Types:    append(append([]string{}, graph.WorkloadTypes...), wlServiceAccountTypes...),
	Rationale: "Unless told otherwise Kubernetes mounts a token of the pod's ServiceAccount into every container. " +
		"Most applications never call the Kubernetes API, but anyone who gets code execution in the pod can read the " +
		"token and act with the ServiceAccount's RBAC permissions (and, for the default account, whatever has been " +
		"bound to it over time). automountServiceAccountToken on the pod spec wins when set; otherwise the " +
		"ServiceAccount's own setting applies, and both default to true. The ServiceAccount is " +
		"spec.serviceAccountName (or the deprecated serviceAccount), default \"default\", in the pod's namespace. " +
		"When it is \"default\" and not among the scanned objects the pod fails: Kubernetes creates that account " +
		"itself, with automount on. When a named ServiceAccount is not among the scanned objects the verdict is " +
		"unknown: it is created elsewhere (a chart, eksctl, another repository) and its setting is not in the code.",
	Remediation: "Set automountServiceAccountToken: false on the pod spec, or on its ServiceAccount (including each " +
		"namespace's default account). IRSA and EKS Pod Identity keep working: they inject their own projected " +
		"token. Pods that do call the Kubernetes API can keep automount on, or better mount a projected " +
		"serviceAccountToken volume into just the container that needs it.",
	Example: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: team-a
automountServiceAccountToken: false
---
# or on the pod template:
spec:
  template:
    spec:
      serviceAccountName: api
      automountServiceAccountToken: false`,
	References: []rule.Reference{
		cis("4.1.6", "Ensure that Service Account Tokens are only mounted where necessary"),
		bpg("identity-and-access-management", "_disable_auto_mounting_of_service_account_tokens", "Disable auto-mounting of service account tokens"),
		bpg("pod-security", "_disable_serviceaccount_token_mounts", "Disable ServiceAccount token mounts"),
		awsdoc("Kubernetes: Opt out of API credential automounting", "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting")},
	Run: func(p *rule.Pass) {
		idx := wlIndexServiceAccounts(p.Graph)
		for _, ps := range workloads(p.Graph) {
			wlCheckAutomount(p, idx, ps)
		}
	},
}

func wlCheckAutomount(p *rule.Pass, idx wlSAIndex, ps podSpec) {
	what := ps.Name
	if ps.Spec == nil {
		// No pod template at all: nothing runs, nothing to judge.
		return
	}
	if ps.Spec.IsUnknown() {
		p.Unknown(ps.Res, ps.Path, "%s: the pod spec is not knowable from code", what)
		return
	}
	if v := ps.Get("automountServiceAccountToken"); !v.IsNull() {
		switch rule.BoolOr(v, true) {
		case rule.True:
			p.Fail(ps.Res, ps.At("automountServiceAccountToken"), "%s: the pod spec sets automountServiceAccountToken: true, so its ServiceAccount's token is mounted into every container", what)
		case rule.False:
			p.Pass(ps.Res, ps.Path)
		default:
			p.Unknown(ps.Res, ps.At("automountServiceAccountToken"), "%s: automountServiceAccountToken is not knowable from code", what)
		}
		return
	}
	saField := "serviceAccountName"
	v := ps.Get(saField)
	if v.IsNull() {
		saField = "serviceAccount"
		v = ps.Get(saField)
	}
	where := firstPresent(ps.Res, ps.At(saField), ps.Path)
	name, ok := rule.StringOr(v, "default")
	if !ok {
		p.Unknown(ps.Res, where, "%s: the pod sets no automountServiceAccountToken and its ServiceAccount name is not knowable from code", what)
		return
	}
	if name == "" {
		name = "default"
	}
	ns, ok := namespaceOf(ps.Res)
	if !ok {
		p.Unknown(ps.Res, where, "%s: the pod sets no automountServiceAccountToken and its namespace (where ServiceAccount %s is looked up) is not knowable from code", what, name)
		return
	}
	sa := idx.byKey[ns+"/"+name]
	switch {
	case sa != nil:
		switch rule.BoolOr(sa.Get(wlSAAutomount(sa)), true) {
		case rule.True:
			p.Fail(ps.Res, where, "%s: neither the pod nor its ServiceAccount %s/%s (%s) sets automountServiceAccountToken: false, so its token is mounted into every container",
				what, ns, name, sa.Address)
		case rule.False:
			p.Pass(ps.Res, ps.Path)
		default:
			p.Unknown(ps.Res, where, "%s: the pod sets no automountServiceAccountToken and that of ServiceAccount %s/%s is not knowable from code", what, ns, name)
		}
	case idx.mayBe(ns, name):
		p.Unknown(ps.Res, where, "%s: the pod sets no automountServiceAccountToken and a scanned ServiceAccount whose name or namespace is not knowable may be %s/%s", what, ns, name)
	case name == "default":
		p.Fail(ps.Res, where, "%s: the pod sets no automountServiceAccountToken and runs as the default ServiceAccount of %s, which Kubernetes creates with token automount on",
			what, ns)
	default:
		p.Unknown(ps.Res, where, "%s: the pod sets no automountServiceAccountToken and ServiceAccount %s/%s is not among the scanned objects: whether it disables automount is not knowable",
			what, ns, name)
	}
}

// ---------------------------------------------------------------------------
// K8S-025 Secrets in environment variables

var wlSecretEnv = &rule.Rule{
	ID:       "K8S-025",
	Title:    "Secret exposed to a container through environment variables",
	Severity: rule.Low,
	Service:  "Kubernetes",
	Types:    graph.WorkloadTypes,
	Rationale: "Environment variables leak: applications and crash handlers print them, they are inherited by every " +
		"child process, shown by debugging tools and /proc/<pid>/environ, and they never change while the " +
		"container runs, so a rotated secret needs a restart. A Secret mounted as a volume lives on a tmpfs, can be " +
		"limited to the keys and file modes needed, is updated in place when the Secret changes, and is removed " +
		"with the pod. env[].valueFrom.secretKeyRef and envFrom[].secretRef both copy Secrets into the environment.",
	Remediation: "Mount the Secret as a volume (or through the Secrets Store CSI driver with AWS Secrets Manager) and " +
		"have the application read the file.",
	Example: `containers:
  - name: api
    volumeMounts:
      - name: db
        mountPath: /var/run/secrets/db
        readOnly: true
volumes:
  - name: db
    secret:
      secretName: db-credentials
      defaultMode: 0400`,
	References: []rule.Reference{RefAosEdge,
		cis("4.4.1", "Prefer using secrets as files over secrets as environment variables"),
		bpg("data-encryption-and-secrets-management", "_use_volume_mounts_instead_of_environment_variables", "Use volume mounts instead of environment variables"),
		awsdoc("Kubernetes: Good practices for Kubernetes Secrets", "https://kubernetes.io/docs/concepts/security/secrets-good-practices/")},
	Run: func(p *rule.Pass) {
		wlEachContainerEnv(p, func(ps podSpec, c container) (failed bool, unknownAt, _ string) {
			what := ps.Name
			env := c.Get("env")
			if env.IsUnknown() {
				unknownAt = c.At("env")
			}
			for i, e := range env.Items() {
				ref := e.Get("valueFrom", "secretKeyRef")
				switch {
				case ref.IsUnknown():
					if unknownAt == "" {
						rel := "env." + strconv.Itoa(i)
						unknownAt = c.firstPresent(ps.Res, rel+".valueFrom", rel)
					}
				case !ref.IsNull():
					failed = true
					p.Fail(ps.Res, c.At("env."+strconv.Itoa(i)+".valueFrom.secretKeyRef"), "%s: container %s reads key %s of Secret %s into environment variable %s",
						what, c.Name, wlShow(ref.Get("key")), wlShow(ref.Get("name")), wlShow(e.Get("name")))
				}
			}
			envFrom := c.Get("envFrom")
			if envFrom.IsUnknown() && unknownAt == "" {
				unknownAt = c.At("envFrom")
			}
			for i, e := range envFrom.Items() {
				ref := e.Get("secretRef")
				switch {
				case ref.IsUnknown():
					if unknownAt == "" {
						rel := "envFrom." + strconv.Itoa(i)
						unknownAt = c.firstPresent(ps.Res, rel+".secretRef", rel)
					}
				case !ref.IsNull():
					failed = true
					p.Fail(ps.Res, c.At("envFrom."+strconv.Itoa(i)+".secretRef"), "%s: container %s loads every key of Secret %s into its environment",
						what, c.Name, wlShow(ref.Get("name")))
				}
			}
			return failed, unknownAt, ""
		}, "whether it takes Secrets into its environment")
	},
}

// wlEachContainerEnv runs check on every container. check reports its own
// failures and says whether it found any and, for the first value it could
// not judge, where it lies and why; the container then passes when nothing
// failed and nothing was unknown. question is the generic reason.
func wlEachContainerEnv(p *rule.Pass, check func(ps podSpec, c container) (failed bool, unknownAt, why string), question string) {
	for _, ps := range workloads(p.Graph) {
		cs, unk := ps.containers()
		if unk {
			p.Unknown(ps.Res, ps.Path, "%s: the container list is not knowable from code", ps.Name)
		}
		for _, c := range cs {
			failed, unknownAt, why := check(ps, c)
			switch {
			case failed:
			case unknownAt != "":
				if why == "" {
					why = question + " is not knowable from code"
				}
				p.Unknown(ps.Res, unknownAt, "%s: container %s: %s", ps.Name, c.Name, why)
			default:
				p.Pass(ps.Res, c.Path)
			}
		}
	}
}

// wlShow renders a name for a message.
func wlShow(v *graph.Value) string {
	s, ok := rule.StringOr(v, "")
	switch {
	case !ok:
		return "(not knowable)"
	case s == "":
		return "(unnamed)"
	}
	return strconv.Quote(s)
}

// ---------------------------------------------------------------------------
// K8S-026 credentials in plain text

var wlPlainCredential = &rule.Rule{
	ID:       "K8S-026",
	Title:    "Credential written in plain text in a container's environment",
	Severity: rule.High,
	Service:  "Kubernetes",
	Types:    graph.WorkloadTypes,
	Rationale: "A literal env value is part of the manifest: it sits in the Git history of every clone, in CI logs " +
		"and rendered charts, and in the pod spec that anyone allowed to get pods or deployments can read (no " +
		"Secret permission needed). It cannot be rotated without a commit and a redeploy. eksguard flags a " +
		"variable whose name says it holds a credential (PASSWORD, PASSWD, SECRET, TOKEN, API_KEY, ACCESS_KEY, " +
		"PRIVATE_KEY, CREDENTIALS...) and carries a non-empty literal, and any literal shaped like a well-known " +
		"credential whatever its name (AWS access key IDs, PEM private keys, GitHub, Slack, Google and Stripe keys, " +
		"JSON Web Tokens, URLs with an embedded password). Not flagged: empty values, $(VAR) and ${VAR} " +
		"references, template placeholders, booleans and numbers, paths and URLs without a password, and names " +
		"that point at a location or setting rather than the secret itself (TOKEN_FILE, PASSWORD_PATH, SECRET_NAME, " +
		"..._URL). A credential-named variable whose value comes from a Terraform input unknown until apply is " +
		"unknown: if it is a credential it still ends up in the pod spec in plain text. Values are never printed.",
	Remediation: "Remove the value from the manifest and rotate the credential (it is in the history); store it in AWS " +
		"Secrets Manager or a Kubernetes Secret and mount it as a file (Secrets Store CSI driver, External Secrets).",
	Example: `containers:
  - name: api
    env:
      - name: DB_PASSWORD_FILE
        value: /var/run/secrets/db/password
    volumeMounts:
      - name: db
        mountPath: /var/run/secrets/db
        readOnly: true`,
	References: []rule.Reference{RefAosEdge,
		bpg("data-encryption-and-secrets-management", "_use_an_external_secrets_provider", "Use an external secrets provider"),
		cis("4.4.2", "Consider external secret storage"),
		awsdoc("Kubernetes: Good practices for Kubernetes Secrets", "https://kubernetes.io/docs/concepts/security/secrets-good-practices/")},
	Run: func(p *rule.Pass) {
		wlEachContainerEnv(p, func(ps podSpec, c container) (failed bool, unknownAt, why string) {
			env := c.Get("env")
			if env.IsUnknown() {
				return false, c.At("env"), "its env list is not knowable from code"
			}
			for i, e := range env.Items() {
				if e.IsUnknown() {
					if unknownAt == "" {
						unknownAt = c.At("env." + strconv.Itoa(i))
					}
					continue
				}
				switch f, msg := wlJudgeEnv(e); f {
				case rule.True:
					failed = true
					rel := "env." + strconv.Itoa(i)
					p.Fail(ps.Res, c.firstPresent(ps.Res, rel+".value", rel), "%s: container %s: %s", ps.Name, c.Name, msg)
				case rule.TriUnknown:
					if unknownAt == "" {
						rel := "env." + strconv.Itoa(i)
						unknownAt, why = c.firstPresent(ps.Res, rel+".value", rel), msg
					}
				}
			}
			return failed, unknownAt, why
		}, "whether an environment variable holds a literal credential")
	},
}

// wlJudgeEnv decides whether one env entry holds a literal credential; the
// message describes it without its value.
func wlJudgeEnv(e *graph.Value) (rule.Tri, string) {
	val := e.Get("value")
	if val.IsNull() {
		return rule.False, ""
	}
	name, nameOK := rule.StringOr(e.Get("name"), "")
	secretName := rule.TriUnknown
	if nameOK {
		secretName = rule.Of(wlSecretLikeName(name))
	}
	label := "an environment variable whose name is not knowable"
	if nameOK {
		label = "environment variable " + name
	}
	s, ok := rule.StringOr(val, "")
	if !ok {
		if val.IsUnknown() && secretName != rule.False {
			return rule.TriUnknown, label + " takes a value not knowable from code: if it is a credential it is written into the pod spec in plain text"
		}
		return rule.False, ""
	}
	if kind := wlSecretShape(s); kind != "" {
		return rule.True, fmt.Sprintf("%s holds %s in plain text (%s)", label, kind, wlMask(s))
	}
	if wlNotACredential(s) {
		return rule.False, ""
	}
	switch secretName {
	case rule.True:
		return rule.True, fmt.Sprintf("%s holds a literal credential (%s)", label, wlMask(s))
	case rule.TriUnknown:
		return rule.TriUnknown, label + " carries a literal value: whether the name marks it as a credential is not knowable"
	}
	return rule.False, ""
}

// wlMask stands for a secret in messages: reports, logs and CI output
// must not repeat it, not even in part.
func wlMask(string) string { return "value masked" }

// The judgement of names and values lives in internal/secret, which the
// front-ends share to mask what it recognises.
var (
	wlSecretLikeName = secret.LikeName
	wlNotACredential = secret.NotACredential
	wlSecretShape    = secret.WellKnownShape
)
