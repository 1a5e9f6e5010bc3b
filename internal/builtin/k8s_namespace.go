package builtin

import (
	"fmt"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

// k8sNamespaceRules check what each namespace that runs workloads must
// hold: default-deny network policies, DNS egress, quotas, admission labels.
var k8sNamespaceRules = []*rule.Rule{nsDefaultDeny, nsDNSEgress, nsResourceQuota, nsLimitRange, nsPodSecurityLabel, nsDefaultNamespace}

// netpolTypes are the resources that define a NetworkPolicy: manifests
// (YAML or kubernetes_manifest) and the Terraform kubernetes provider's own
// resources, whose spec mirrors the API in snake_case blocks.
var netpolTypes = []string{"k8s:NetworkPolicy", "kubernetes_network_policy", "kubernetes_network_policy_v1"}

var (
	nsQuotaTypes      = []string{"k8s:ResourceQuota", "kubernetes_resource_quota", "kubernetes_resource_quota_v1"}
	nsLimitRangeTypes = []string{"k8s:LimitRange", "kubernetes_limit_range", "kubernetes_limit_range_v1"}
)

// nsUnitRationale is how the namespace-wide rules read a scan of several
// deployments (see workloadNamespace).
const nsUnitRationale = "In a scan of several Terraform root modules (one per example or environment), each root is " +
	"taken to deploy to a cluster of its own: a namespace's objects count for the workloads of the same root (its " +
	"Terraform resources and the manifests in files under its directory), while objects in files outside every root " +
	"module may be applied anywhere and count for all. Without Terraform, all scanned manifests are one deployment."

// nsTypes lists what a namespace-wide rule reads besides its own objects.
func nsTypes(own ...string) []string {
	out := append([]string{}, own...)
	out = append(out, namespaceTypes...)
	return append(out, graph.WorkloadTypes...)
}

// nsObjectsByNamespace is objectsByNamespace for namespaced kinds that may
// also be written as Terraform kubernetes provider resources: those name no
// namespace when they go to the provider's default, "default" (manifests
// always carry one, the front-end fills it in).
func nsObjectsByNamespace(g *graph.Graph, types ...string) (map[string][]*graph.Resource, []*graph.Resource) {
	by, unknownNS := objectsByNamespace(g, types...)
	if tf := by[""]; len(tf) > 0 {
		by["default"] = append(by["default"], tf...)
		delete(by, "")
	}
	return by, unknownNS
}

// nsAnchor is where a verdict about a namespace points: the name of its
// Namespace object, else the namespace field of its first workload.
//
// A Namespace object shared by alternatives (declared once, for every
// release) or by root modules (declared outside all of them) would carry
// one verdict per alternative or root: the verdict goes to the first
// workload instead.
func nsAnchor(w *workloadNamespace) (*graph.Resource, string) {
	if w.Decl != nil && (w.First.Alternative.Group == "" || w.Decl.Alternative == w.First.Alternative) && w.Owns(w.Decl) {
		return w.Decl, firstPresent(w.Decl, "metadata.name", "metadata")
	}
	return w.First, firstPresent(w.First, "metadata.namespace", "metadata")
}

// nsJudged returns the namespaces the namespace-wide rules judge: those
// running workloads, less the ones Kubernetes and EKS run themselves.
func nsJudged(g *graph.Graph) (out []*workloadNamespace, unknownNS []*graph.Resource) {
	all, unknownNS := workloadNamespaces(g)
	for _, w := range all {
		if !systemNamespaces[w.Name] {
			out = append(out, w)
		}
	}
	return out, unknownNS
}

// nsReportUnknownNamespace reports workloads whose namespace is known only
// after apply: which namespace's objects apply to them cannot be told.
func nsReportUnknownNamespace(p *rule.Pass, ws []*graph.Resource, what string) {
	for _, r := range ws {
		p.Unknown(r, firstPresent(r, "metadata.namespace", "metadata"),
			"%s runs in a namespace known only after apply, so whether that namespace has %s cannot be told", kindName(r), what)
	}
}

// ---------------------------------------------------------------------
// Network policies, read in one shape whatever they were written in.

// netpol is one network policy. Manifests use the API's camelCase fields;
// Terraform's kubernetes_network_policy uses snake_case and nests each
// object as a one-element block list, which graph.Value.Get descends.
type netpol struct {
	Res *graph.Resource
	tf  bool
}

func newNetpol(r *graph.Resource) netpol { return netpol{Res: r, tf: r.Type != "k8s:NetworkPolicy"} }

var netpolSnake = map[string]string{
	"podSelector": "pod_selector", "policyTypes": "policy_types", "matchLabels": "match_labels",
	"matchExpressions": "match_expressions", "namespaceSelector": "namespace_selector",
	"ipBlock": "ip_block", "endPort": "end_port",
}

// key names a field in the policy's own spelling.
func (np netpol) key(camel string) string {
	if np.tf {
		if s, ok := netpolSnake[camel]; ok {
			return s
		}
	}
	return camel
}

func (np netpol) spec(field string) *graph.Value { return np.Res.Get("spec." + np.key(field)) }

func (np netpol) field(v *graph.Value, camel string) *graph.Value { return v.Get(np.key(camel)) }

// netpolAbsent reports an object that is not there: missing, null, or an
// empty block list (how a Terraform plan writes an unset block).
func netpolAbsent(v *graph.Value) bool {
	return v.IsNull() || (v.Kind == graph.List && len(v.List) == 0)
}

// selectsAll is True when the policy's podSelector selects every pod of its
// namespace: absent, {} or with empty matchLabels and matchExpressions.
func (np netpol) selectsAll() rule.Tri { return np.selectorEmpty(np.spec("podSelector")) }

func (np netpol) selectorEmpty(sel *graph.Value) rule.Tri {
	if sel.IsUnknown() {
		return rule.TriUnknown
	}
	if netpolAbsent(sel) {
		return rule.True
	}
	out := rule.True
	for _, f := range []string{"matchLabels", "matchExpressions"} {
		v := np.field(sel, f)
		switch {
		case v.IsUnknown():
			out = rule.And(out, rule.TriUnknown)
		case v.IsNull():
		case v.Kind == graph.Map && v.Map.Len() == 0, v.Kind == graph.List && len(v.List) == 0:
		default:
			return rule.False
		}
	}
	return out
}

// hasType is True when the policy's effective policyTypes include dir
// ("Ingress" or "Egress"). The API server fills an empty policyTypes with
// Ingress, plus Egress when the policy has at least one egress rule.
func (np netpol) hasType(dir string) rule.Tri {
	pt := np.spec("policyTypes")
	if pt.IsUnknown() {
		return rule.TriUnknown
	}
	if len(pt.Items()) == 0 {
		if dir == "Ingress" {
			return rule.True
		}
		eg := np.spec("egress")
		if eg.IsUnknown() {
			return rule.TriUnknown
		}
		return rule.Of(len(eg.Items()) > 0)
	}
	types, unknown := rule.Strings(pt)
	if containsString(types, dir) {
		return rule.True
	}
	if unknown {
		return rule.TriUnknown
	}
	return rule.False
}

// noRules is True when the policy allows nothing in direction dir: any
// rule, even an empty one ({} admits every peer and port), allows traffic.
func (np netpol) noRules(dir string) rule.Tri {
	v := np.spec(strings.ToLower(dir))
	if v.IsUnknown() {
		return rule.TriUnknown
	}
	return rule.Of(len(v.Items()) == 0)
}

// deniesByDefault is True when the policy isolates every pod of its
// namespace in direction dir without allowing anything back.
func (np netpol) deniesByDefault(dir string) rule.Tri {
	return rule.And(np.selectsAll(), np.hasType(dir), np.noRules(dir))
}

// netpolEval holds one policy's default-deny verdicts, computed once.
type netpolEval struct {
	np      netpol
	ingress rule.Tri
	egress  rule.Tri
	dnsUDP  rule.Tri
	dnsTCP  rule.Tri
}

func (e *netpolEval) deny(dir string) rule.Tri {
	if dir == "Ingress" {
		return e.ingress
	}
	return e.egress
}

func (e *netpolEval) dns(proto string) rule.Tri {
	if proto == "UDP" {
		return e.dnsUDP
	}
	return e.dnsTCP
}

// netpolIndex is every network policy of a scan, grouped by namespace and
// evaluated once.
type netpolIndex struct {
	byNS map[string][]*netpolEval
	// unknownNS are policies whose namespace is known only after apply:
	// they may belong to any namespace.
	unknownNS []*netpolEval
}

func indexNetpols(g *graph.Graph, withDNS bool) netpolIndex {
	eval := func(r *graph.Resource) *netpolEval {
		np := newNetpol(r)
		e := &netpolEval{np: np, ingress: np.deniesByDefault("Ingress"), egress: np.deniesByDefault("Egress")}
		if withDNS {
			e.dnsUDP, e.dnsTCP = np.allowsDNS("UDP"), np.allowsDNS("TCP")
		}
		return e
	}
	by, unk := nsObjectsByNamespace(g, netpolTypes...)
	idx := netpolIndex{byNS: map[string][]*netpolEval{}}
	for ns, rs := range by {
		for _, r := range rs {
			idx.byNS[ns] = append(idx.byNS[ns], eval(r))
		}
	}
	for _, r := range unk {
		idx.unknownNS = append(idx.unknownNS, eval(r))
	}
	return idx
}

// combine folds one verdict over the policies of a namespace: True when
// one of them holds. A namespace that would not hold becomes unknown when
// a policy of unknown namespace might hold and might be one of its own.
func (idx netpolIndex) combine(w *workloadNamespace, get func(*netpolEval) rule.Tri) rule.Tri {
	out := rule.False
	for _, e := range idx.byNS[w.Name] {
		if w.Sees(e.np.Res) {
			out = rule.Or(out, get(e))
		}
	}
	if out != rule.True {
		for _, e := range idx.unknownNS {
			if w.Sees(e.np.Res) && get(e) != rule.False {
				out = rule.Or(out, rule.TriUnknown)
				break
			}
		}
	}
	return out
}

// undecided names the policies that left a namespace's verdict open.
func (idx netpolIndex) undecided(w *workloadNamespace, get func(*netpolEval) rule.Tri) string {
	var names []string
	for _, e := range idx.byNS[w.Name] {
		if w.Sees(e.np.Res) && get(e) == rule.TriUnknown {
			names = append(names, kindName(e.np.Res))
		}
	}
	for _, e := range idx.unknownNS {
		if w.Sees(e.np.Res) && get(e) != rule.False {
			names = append(names, kindName(e.np.Res)+" (its namespace)")
		}
	}
	return strings.Join(names, ", ")
}

// ---------------------------------------------------------------------
// DNS egress to kube-dns.

// kube-dns is reached in kube-system, whose only label Kubernetes
// guarantees is the automatic kubernetes.io/metadata.name. CoreDNS pods on
// EKS carry k8s-app: kube-dns (the upstream name kept for compatibility)
// and eks.amazonaws.com/component: coredns. Selectors on any other label
// cannot be judged from code.
var (
	netpolKubeSystemLabels = map[string]string{"kubernetes.io/metadata.name": "kube-system"}
	netpolKubeDNSLabels    = map[string]string{"k8s-app": "kube-dns", "eks.amazonaws.com/component": "coredns"}
	// netpolDNSPortNames are the names kube-dns gives its port 53 per
	// protocol; a named port in a policy matches container ports of that
	// name and protocol.
	netpolDNSPortNames = map[string]string{"UDP": "dns", "TCP": "dns-tcp"}
)

// allowsDNS is True when the policy lets every pod of its namespace reach
// kube-dns on port 53 over proto. Egress rules count only when the policy
// is an egress policy.
func (np netpol) allowsDNS(proto string) rule.Tri {
	eg := np.spec("egress")
	if eg.IsUnknown() {
		return rule.TriUnknown
	}
	allowed := rule.False
	for _, r := range eg.Items() {
		if r.IsUnknown() {
			allowed = rule.Or(allowed, rule.TriUnknown)
			continue
		}
		allowed = rule.Or(allowed, rule.And(np.portsAdmit(r, proto), np.peersReachKubeDNS(r)))
	}
	return rule.And(np.selectsAll(), np.hasType("Egress"), allowed)
}

// portsAdmit is True when an egress rule's ports admit 53 over proto; a
// rule without ports admits every port.
func (np netpol) portsAdmit(r *graph.Value, proto string) rule.Tri {
	ports := r.Get("ports")
	if ports.IsUnknown() {
		return rule.TriUnknown
	}
	items := ports.Items()
	if len(items) == 0 {
		return rule.True
	}
	out := rule.False
	for _, e := range items {
		out = rule.Or(out, np.portAdmits(e, proto))
	}
	return out
}

func (np netpol) portAdmits(e *graph.Value, proto string) rule.Tri {
	if e.IsUnknown() {
		return rule.TriUnknown
	}
	// A port entry without protocol is TCP (API default, and Terraform's).
	p, ok := rule.StringOr(e.Get("protocol"), "TCP")
	if !ok {
		return rule.TriUnknown
	}
	if !strings.EqualFold(p, proto) {
		return rule.False
	}
	port := e.Get("port")
	switch {
	case port.IsUnknown():
		return rule.TriUnknown
	case port.IsNull():
		return rule.True // every port of the protocol
	}
	n, numeric := rule.NumberOr(port, 0)
	if !numeric {
		name, ok := rule.StringOr(port, "")
		if !ok {
			return rule.TriUnknown
		}
		return rule.Of(name == netpolDNSPortNames[proto])
	}
	end := np.field(e, "endPort")
	if end.IsUnknown() {
		return rule.TriUnknown
	}
	m, ok := rule.NumberOr(end, 0)
	if !ok {
		return rule.TriUnknown
	}
	// A Terraform plan writes an unset end_port as 0; the API requires
	// endPort >= port, so 0 can only mean "no range".
	if m == 0 {
		return rule.Of(n == 53)
	}
	return rule.Of(n <= 53 && 53 <= m)
}

// peersReachKubeDNS is True when an egress rule's destinations include the
// kube-dns pods; a rule without destinations reaches everywhere.
func (np netpol) peersReachKubeDNS(r *graph.Value) rule.Tri {
	to := r.Get("to")
	if to.IsUnknown() {
		return rule.TriUnknown
	}
	peers := to.Items()
	if len(peers) == 0 {
		return rule.True
	}
	out := rule.False
	for _, peer := range peers {
		out = rule.Or(out, np.peerReachesKubeDNS(peer))
	}
	return out
}

func (np netpol) peerReachesKubeDNS(peer *graph.Value) rule.Tri {
	if peer.IsUnknown() {
		return rule.TriUnknown
	}
	ip := np.field(peer, "ipBlock")
	if ip.IsUnknown() {
		return rule.TriUnknown
	}
	if !netpolAbsent(ip) {
		// ipBlock is meant for addresses outside the cluster; whether it
		// matches pod IPs is up to the network plugin.
		return rule.False
	}
	nsSel, podSel := np.field(peer, "namespaceSelector"), np.field(peer, "podSelector")
	if netpolAbsent(nsSel) {
		// A podSelector alone picks pods of the policy's own namespace,
		// never kube-system (system namespaces are not judged).
		return rule.False
	}
	out := np.selectorMatches(nsSel, netpolKubeSystemLabels)
	if !netpolAbsent(podSel) || podSel.IsUnknown() {
		out = rule.And(out, np.selectorMatches(podSel, netpolKubeDNSLabels))
	}
	return out
}

// selectorMatches evaluates a label selector against an object of which
// only the labels in known are certain: a requirement on any other key is
// unknown.
func (np netpol) selectorMatches(sel *graph.Value, known map[string]string) rule.Tri {
	if sel.IsUnknown() {
		return rule.TriUnknown
	}
	if netpolAbsent(sel) {
		return rule.True
	}
	out := rule.True
	ml := np.field(sel, "matchLabels")
	if ml.IsUnknown() {
		out = rule.TriUnknown
	}
	if ml != nil && ml.Kind == graph.Map {
		for _, k := range ml.Keys() {
			want, ok := rule.StringOr(ml.Map.Get(k), "")
			have, isKnown := known[k]
			switch {
			case !ok || !isKnown:
				out = rule.And(out, rule.TriUnknown)
			default:
				out = rule.And(out, rule.Of(want == have))
			}
		}
	}
	exprs := np.field(sel, "matchExpressions")
	if exprs.IsUnknown() {
		return rule.And(out, rule.TriUnknown)
	}
	for _, x := range exprs.Items() {
		out = rule.And(out, netpolExpression(x, known))
	}
	return out
}

// netpolExpression evaluates one matchExpressions requirement.
func netpolExpression(x *graph.Value, known map[string]string) rule.Tri {
	if x.IsUnknown() {
		return rule.TriUnknown
	}
	key, ok1 := rule.StringOr(x.Get("key"), "")
	op, ok2 := rule.StringOr(x.Get("operator"), "")
	if !ok1 || !ok2 {
		return rule.TriUnknown
	}
	have, isKnown := known[key]
	if !isKnown {
		return rule.TriUnknown
	}
	values, unk := rule.Strings(x.Get("values"))
	in := containsString(values, have)
	switch op {
	case "Exists":
		return rule.True
	case "DoesNotExist":
		return rule.False
	case "In":
		if in {
			return rule.True
		}
		if unk {
			return rule.TriUnknown
		}
		return rule.False
	case "NotIn":
		if in {
			return rule.False
		}
		if unk {
			return rule.TriUnknown
		}
		return rule.True
	}
	// The API rejects other operators: the selector never applies.
	return rule.False
}

// ---------------------------------------------------------------------
// Rules.

var nsDefaultDeny = &rule.Rule{
	ID:       "K8S-001",
	Title:    "Namespace runs workloads without a default-deny NetworkPolicy for ingress and egress",
	Severity: rule.Medium,
	Service:  "Kubernetes",
	Types:    nsTypes(netpolTypes...),
	Rationale: "A pod that no NetworkPolicy selects accepts connections from, and opens connections to, every pod in " +
		"the cluster and every address the node can reach. One compromised pod can then scan and attack every " +
		"service, and send data anywhere. A policy with podSelector {} whose policyTypes list Ingress and Egress and " +
		"that has no ingress or egress rules isolates every pod of its namespace; other policies then open only the " +
		"flows that are needed. Two policies, one per direction, count the same. A policy without policyTypes only " +
		"covers Ingress (plus Egress when it has egress rules, which then allow traffic), and ingress: [{}] allows " +
		"everything. Policies must be enforced: on EKS, turn on network policy in the VPC CNI add-on or run another " +
		"policy engine. " + nsUnitRationale,
	Remediation: "Add to every namespace that runs workloads a NetworkPolicy selecting all pods (podSelector: {}) " +
		"with policyTypes [Ingress, Egress] and no rules, then add policies allowing the flows each workload needs " +
		"(DNS first, see K8S-002).",
	Example: nsFixDenyPolicy("team-a", []string{"Ingress", "Egress"}),
	References: []rule.Reference{RefDevSecOps,
		bpg("network-security", "_create_a_default_deny_policy", "Create a default deny policy"),
		bpg("tenant-isolation", "_network_policies", "Tenant isolation: network policies"),
		cis("4.3.2", "Ensure that all Namespaces have Network Policies defined"),
		awsdoc("Kubernetes: Network Policies, default policies", "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies")},
	Run: func(p *rule.Pass) {
		nss, unknownNS := nsJudged(p.Graph)
		idx := indexNetpols(p.Graph, false)
		for _, w := range nss {
			r, path := nsAnchor(w)
			var open, undecided []string
			var why []string
			all := rule.True
			for _, dir := range []string{"Ingress", "Egress"} {
				get := func(e *netpolEval) rule.Tri { return e.deny(dir) }
				t := idx.combine(w, get)
				all = rule.And(all, t)
				switch t {
				case rule.False:
					open = append(open, strings.ToLower(dir))
				case rule.TriUnknown:
					undecided = append(undecided, strings.ToLower(dir))
					if u := idx.undecided(w, get); !containsString(why, u) {
						why = append(why, u)
					}
				}
			}
			switch all {
			case rule.True:
				p.Pass(r, path)
			case rule.False:
				p.FailFix(r, path, nsFixDenyPolicy(w.Name, netpolTitle(open)),
					"namespace %q runs workloads but %s not denied by default: add a NetworkPolicy with "+
						"podSelector: {}, policyTypes [%s] and no %s rules", w.Name, netpolDirs(open),
					strings.Join(netpolTitle(open), ", "), strings.Join(open, " or "))
			default:
				p.Unknown(r, path, "whether namespace %q denies %s by default cannot be told: it hinges on values known only after apply in %s",
					w.Name, strings.Join(undecided, " and "), strings.Join(why, "; "))
			}
		}
		nsReportUnknownNamespace(p, unknownNS, "a default-deny NetworkPolicy")
	},
}

// netpolDirs phrases the directions left open: "ingress is", "ingress and
// egress are".
func netpolDirs(dirs []string) string {
	if len(dirs) == 1 {
		return dirs[0] + " is"
	}
	return strings.Join(dirs, " and ") + " are"
}

func netpolTitle(dirs []string) []string {
	out := make([]string, len(dirs))
	for i, d := range dirs {
		out[i] = strings.ToUpper(d[:1]) + d[1:]
	}
	return out
}

var nsDNSEgress = &rule.Rule{
	ID:       "K8S-002",
	Title:    "Namespace denies egress by default without allowing DNS to kube-dns over UDP and TCP 53",
	Severity: rule.Low,
	Service:  "Kubernetes",
	Types:    nsTypes(netpolTypes...),
	Rationale: "Once egress is denied by default, pods cannot resolve names unless a policy lets them reach kube-dns " +
		"(CoreDNS in kube-system) on port 53. DNS uses UDP and falls back to TCP for large answers, so both are " +
		"needed; without them workloads fail in ways that push teams to drop the default deny. The allow counts when " +
		"a policy selecting all pods of the namespace has an egress rule whose ports admit 53 (no ports means every " +
		"port; a port without protocol is TCP; the named ports dns and dns-tcp are kube-dns's) and whose destinations " +
		"include kube-dns: no destinations, namespaceSelector {}, or a namespaceSelector on the automatic label " +
		"kubernetes.io/metadata.name: kube-system, optionally with a podSelector on k8s-app: kube-dns. A selector on " +
		"other namespace labels cannot be judged from code; an ipBlock does not reach pods. " + nsUnitRationale,
	Remediation: "Add a NetworkPolicy selecting all pods of the namespace that allows egress to kube-dns in kube-system " +
		"on UDP and TCP port 53.",
	Example: nsFixDNS("team-a"),
	References: []rule.Reference{RefDevSecOps,
		bpg("network-security", "_create_a_rule_to_allow_dns_queries", "Create a rule to allow DNS queries"),
		bpg("tenant-isolation", "_network_policies", "Tenant isolation: network policies"),
		awsdoc("Kubernetes: DNS for Services and Pods", "https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/")},
	Run: func(p *rule.Pass) {
		nss, _ := nsJudged(p.Graph)
		idx := indexNetpols(p.Graph, true)
		egress := func(e *netpolEval) rule.Tri { return e.egress }
		for _, w := range nss {
			deny := idx.combine(w, egress)
			if deny == rule.False {
				continue
			}
			r, path := nsAnchor(w)
			var missing, undecided, why []string
			for _, proto := range []string{"UDP", "TCP"} {
				get := func(e *netpolEval) rule.Tri { return e.dns(proto) }
				switch idx.combine(w, get) {
				case rule.False:
					missing = append(missing, proto)
				case rule.TriUnknown:
					undecided = append(undecided, proto)
					if u := idx.undecided(w, get); !containsString(why, u) {
						why = append(why, u)
					}
				}
			}
			switch {
			case len(missing) == 0 && len(undecided) == 0:
				p.Pass(r, path)
			case len(missing) > 0 && deny == rule.True:
				p.FailFix(r, path, nsFixDNS(w.Name),
					"egress of namespace %q is denied by default (%s) but no policy selecting all its pods "+
						"allows DNS to kube-dns over %s port 53: pods cannot resolve names", w.Name,
					netpolDenier(idx, w), strings.Join(missing, " and "))
			case len(missing) > 0:
				p.Unknown(r, path, "egress of namespace %q may be denied by default (%s) and DNS to kube-dns over %s port 53 is not allowed",
					w.Name, idx.undecided(w, egress), strings.Join(missing, " and "))
			default:
				p.Unknown(r, path, "whether namespace %q allows DNS to kube-dns over %s port 53 cannot be told from code: it hinges on %s "+
					"(a selector on labels of kube-system or its pods that the code does not show, or values known only after apply)",
					w.Name, strings.Join(undecided, " and "), strings.Join(why, "; "))
			}
		}
	},
}

// netpolDenier names the policies that deny a namespace's egress.
func netpolDenier(idx netpolIndex, w *workloadNamespace) string {
	var names []string
	for _, e := range idx.byNS[w.Name] {
		if w.Sees(e.np.Res) && e.egress == rule.True {
			names = append(names, kindName(e.np.Res))
		}
	}
	return strings.Join(names, ", ")
}

// nsHasObject is the shared body of the quota and limit-range rules: each
// judged namespace needs one object of the types whose content effective
// reports as limiting something.
func nsHasObject(p *rule.Pass, types []string, kind string, effective func(*graph.Resource) rule.Tri, emptyWhat string) {
	nss, unknownNS := nsJudged(p.Graph)
	by, unk := nsObjectsByNamespace(p.Graph, types...)
	// Objects of unknown namespace can only turn a failing namespace into
	// an unknown one; one that may count is enough.
	for _, w := range nss {
		r, path := nsAnchor(w)
		var unkMay []string
		for _, o := range unk {
			if w.Sees(o) && effective(o) != rule.False {
				unkMay = append(unkMay, kindName(o))
			}
		}
		has := rule.False
		var empty, undecided []string
		for _, o := range by[w.Name] {
			if !w.Sees(o) {
				continue
			}
			t := effective(o)
			has = rule.Or(has, t)
			switch t {
			case rule.False:
				empty = append(empty, kindName(o))
			case rule.TriUnknown:
				undecided = append(undecided, kindName(o))
			}
		}
		if has != rule.True && len(unkMay) > 0 {
			has = rule.Or(has, rule.TriUnknown)
			for _, n := range unkMay {
				undecided = append(undecided, n+" (its namespace)")
			}
		}
		switch has {
		case rule.True:
			p.Pass(r, path)
		case rule.False:
			if len(empty) > 0 {
				p.Fail(r, path, "namespace %q runs workloads but its %s sets %s: add limits to it", w.Name,
					strings.Join(empty, ", "), emptyWhat)
			} else {
				p.FailFix(r, path, nsFixObject(kind, w.Name), "namespace %q runs workloads but has no %s: add one", w.Name, kind)
			}
		default:
			p.Unknown(r, path, "whether namespace %q has an effective %s hinges on values known only after apply: %s",
				w.Name, kind, strings.Join(undecided, ", "))
		}
	}
	nsReportUnknownNamespace(p, unknownNS, "a "+kind)
}

// nsNonEmpty is True when v holds at least one entry (a map key or a list
// element).
func nsNonEmpty(v *graph.Value) rule.Tri {
	switch {
	case v.IsUnknown():
		return rule.TriUnknown
	case v == nil:
		return rule.False
	case v.Kind == graph.Map:
		return rule.Of(v.Map.Len() > 0)
	case v.Kind == graph.List:
		return rule.Of(len(v.List) > 0)
	}
	return rule.False
}

var nsResourceQuota = &rule.Rule{
	ID:       "K8S-003",
	Title:    "Namespace runs workloads without a ResourceQuota",
	Severity: rule.Low,
	Service:  "Kubernetes",
	Types:    nsTypes(nsQuotaTypes...),
	Rationale: "Without a ResourceQuota a namespace can claim all the CPU, memory, pods and storage of the cluster: a " +
		"runaway deployment, a fork bomb of Jobs or a compromised workload starves every other team's pods and can " +
		"cause evictions across nodes. Kubernetes sets no quota by default. A ResourceQuota with no hard limits counts " +
		"as none. " + nsUnitRationale,
	Remediation: "Add a ResourceQuota to every namespace that runs workloads, capping at least requests and limits of CPU " +
		"and memory and the number of pods.",
	Example: nsFixObject("ResourceQuota", "team-a"),
	References: []rule.Reference{RefDevSecOps,
		bpg("tenant-isolation", "_quotas", "Tenant isolation: quotas"),
		awsdoc("Kubernetes: Resource Quotas", "https://kubernetes.io/docs/concepts/policy/resource-quotas/")},
	Run: func(p *rule.Pass) {
		nsHasObject(p, nsQuotaTypes, "ResourceQuota", func(r *graph.Resource) rule.Tri {
			return nsNonEmpty(r.Get("spec.hard"))
		}, "no hard limits (spec.hard is empty)")
	},
}

var nsLimitRange = &rule.Rule{
	ID:       "K8S-004",
	Title:    "Namespace runs workloads without a LimitRange",
	Severity: rule.Low,
	Service:  "Kubernetes",
	Types:    nsTypes(nsLimitRangeTypes...),
	Rationale: "A LimitRange gives containers that declare no requests or limits sane defaults and caps what one " +
		"container may ask for. Without it, a container without limits can use a whole node's memory and CPU, and " +
		"under a ResourceQuota on CPU or memory pods that omit requests are rejected outright. Kubernetes sets none " +
		"by default. A LimitRange with no limits counts as none. " + nsUnitRationale,
	Remediation: "Add a LimitRange to every namespace that runs workloads, with default and defaultRequest values and a " +
		"max for containers.",
	Example: nsFixObject("LimitRange", "team-a"),
	References: []rule.Reference{RefDevSecOps,
		bpg("tenant-isolation", "_quotas", "Tenant isolation: quotas and limit ranges"),
		awsdoc("Kubernetes: Limit Ranges", "https://kubernetes.io/docs/concepts/policy/limit-range/")},
	Run: func(p *rule.Pass) {
		nsHasObject(p, nsLimitRangeTypes, "LimitRange", func(r *graph.Resource) rule.Tri {
			// Terraform's kubernetes_limit_range writes each entry as a
			// spec.limit block.
			return rule.Or(nsNonEmpty(r.Get("spec.limits")), nsNonEmpty(r.Get("spec.limit")))
		}, "no limits (spec.limits is empty)")
	},
}

// psaEnforceLabel is the Pod Security Admission label that rejects pods
// breaking the namespace's level.
const psaEnforceLabel = "pod-security.kubernetes.io/enforce"

var nsPodSecurityLabel = &rule.Rule{
	ID:       "K8S-005",
	Title:    "Namespace does not enforce a Pod Security Standard (pod-security.kubernetes.io/enforce)",
	Severity: rule.Medium,
	Service:  "Kubernetes",
	Types:    nsTypes(),
	Rationale: "Pod Security Admission, built into the API server, rejects pods that break the Pod Security Standard " +
		"named by the namespace's pod-security.kubernetes.io/enforce label. Without the label the cluster default " +
		"applies, which on EKS is privileged: any pod may run privileged, share the host's namespaces or mount its " +
		"filesystem, and a compromised deployment pipeline or tenant can take over nodes. privileged enforces nothing. " +
		"Every scanned Namespace is judged (system namespaces aside); a namespace that runs workloads but is not " +
		"declared in the scanned code has labels that cannot be read, which is reported as unknown. " + nsUnitRationale,
	Remediation: "Label every namespace with pod-security.kubernetes.io/enforce: restricted (baseline where a workload " +
		"cannot meet restricted yet), and add warn and audit labels at restricted to see what would break.",
	Example: `apiVersion: v1
kind: Namespace
metadata:
  name: team-a
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: latest
    pod-security.kubernetes.io/warn: restricted
    pod-security.kubernetes.io/audit: restricted`,
	References: []rule.Reference{
		bpg("pod-security", "_pod_security_standards_pss_and_pod_security_admission_psa", "Pod Security Standards (PSS) and Pod Security Admission (PSA)"),
		cis("4.2.1", "Minimize the admission of privileged containers"),
		awsdoc("Kubernetes: Pod Security Admission", "https://kubernetes.io/docs/concepts/security/pod-security-admission/")},
	Run: func(p *rule.Pass) {
		for _, r := range p.Graph.OfType(namespaceTypes...) {
			name, ok := rule.StringOr(r.Get("metadata.name"), "")
			if ok && systemNamespaces[name] {
				continue
			}
			if !ok {
				name = "(name known only after apply)"
			}
			path := firstPresent(r, "metadata.labels", "metadata.name", "metadata")
			label := labelValue(r, psaEnforceLabel)
			// The label key holds dots, so no dotted path names it; its
			// value's own range points at the label line.
			var at graph.Range
			if label != nil {
				at = label.Range
			}
			level, ok := rule.StringOr(label, "")
			switch {
			case !ok:
				p.UnknownAt(r, path, at, "the %s label of namespace %q is known only after apply", psaEnforceLabel, name)
			case level == "baseline" || level == "restricted":
				p.PassAt(r, path, at)
			case level == "":
				p.Fail(r, path, "namespace %q has no %s label: pods are admitted whatever privileges they ask for; set it to restricted or baseline",
					name, psaEnforceLabel)
			case level == "privileged":
				p.FailAt(r, path, at, "namespace %q enforces the privileged Pod Security level, which restricts nothing; set %s to restricted or baseline",
					name, psaEnforceLabel)
			default:
				p.FailAt(r, path, at, "namespace %q has %s: %q, which is not a Pod Security level; set it to restricted or baseline",
					name, psaEnforceLabel, level)
			}
		}
		nss, unknownNS := nsJudged(p.Graph)
		for _, w := range nss {
			if w.Decl == nil {
				r, path := nsAnchor(w)
				p.Unknown(r, path, "namespace %q is not declared in the scanned code, so its %s label cannot be read; declare it with the label",
					w.Name, psaEnforceLabel)
			}
		}
		nsReportUnknownNamespace(p, unknownNS, "a "+psaEnforceLabel+" label")
	},
}

var nsDefaultNamespace = &rule.Rule{
	ID:       "K8S-006",
	Title:    "Workload runs in the default namespace",
	Severity: rule.Low,
	Service:  "Kubernetes",
	Types:    graph.WorkloadTypes,
	Rationale: "The default namespace is where everything lands that names no namespace. Workloads there share it " +
		"with whatever else was applied carelessly, so per-team RBAC, network policies, quotas and Pod Security labels " +
		"are rarely set on it, and any Role granted there reaches them all. A manifest without metadata.namespace goes " +
		"to default (or to the kubectl context's namespace).",
	Remediation: "Give each application or team its own namespace and set metadata.namespace on every workload; keep " +
		"default empty.",
	Example: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: team-a
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2`,
	References: []rule.Reference{
		bpg("tenant-isolation", "_namespaces", "Tenant isolation: namespaces"),
		cis("4.5.2", "The default namespace should not be used"),
		awsdoc("Kubernetes: Namespaces", "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/")},
	Run: func(p *rule.Pass) {
		for _, ps := range workloads(p.Graph) {
			r := ps.Res
			path := firstPresent(r, "metadata.namespace", "metadata")
			ns, ok := namespaceOf(r)
			switch {
			case !ok:
				p.Unknown(r, path, "the namespace of %s is known only after apply", kindName(r))
			case ns == "default":
				p.Fail(r, path, "%s runs in the default namespace; give it a namespace of its own", kindName(r))
			default:
				p.Pass(r, path)
			}
		}
	},
}

// Fixes written for one namespace: the manifest to apply, names filled in,
// so a finding about a missing object says exactly what to add.

// nsFixDenyPolicy writes the default-deny policy a namespace lacks. When it
// denies egress it comes with the DNS allow of the DevSecOps settings page ("except DNS
// queries"), so applying it does not leave the pods unable to resolve names.
func nsFixDenyPolicy(ns string, dirs []string) string {
	name := "default-deny-all"
	if len(dirs) == 1 {
		name = "default-deny-" + strings.ToLower(dirs[0])
	}
	deny := fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: %s
  namespace: %s
spec:
  podSelector: {}
  policyTypes: [%s]
`, name, ns, strings.Join(dirs, ", "))
	if containsString(dirs, "Egress") {
		return deny + "---\n" + nsFixDNS(ns)
	}
	return deny
}

func nsFixDNS(ns string) string {
	return fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: %s
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 53
`, ns)
}

// nsFixObject writes a starting ResourceQuota or LimitRange; the figures
// are a placeholder the team sizes to its workloads.
func nsFixObject(kind, ns string) string {
	if kind == "ResourceQuota" {
		return fmt.Sprintf(`apiVersion: v1
kind: ResourceQuota
metadata:
  name: team-quota
  namespace: %s
spec:
  hard:            # size to the namespace's workloads
    requests.cpu: "8"
    requests.memory: 16Gi
    limits.memory: 32Gi
    pods: "50"
`, ns)
	}
	return fmt.Sprintf(`apiVersion: v1
kind: LimitRange
metadata:
  name: container-defaults
  namespace: %s
spec:
  limits:
    - type: Container
      defaultRequest:   # size to the namespace's workloads
        cpu: 100m
        memory: 128Mi
      default:
        memory: 256Mi
`, ns)
}
