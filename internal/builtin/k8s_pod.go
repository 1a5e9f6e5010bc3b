package builtin

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

// k8sPodRules check the security context of each pod and container
// (Pod Security Standards).
var k8sPodRules = []*rule.Rule{podSecPrivileged, podSecHostNamespaces, podSecHostPort, podSecHostPath,
	podSecRuntimeSocket, podSecEscalation, podSecAddedCaps, podSecDropAll, podSecRunAsRoot, podSecSeccomp,
	podSecReadOnlyRoot}

// References shared by the pod security rules.
var (
	podSecPSSBaseline = awsdoc("Kubernetes: Pod Security Standards, Baseline profile",
		"https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline")
	podSecPSSRestricted = awsdoc("Kubernetes: Pod Security Standards, Restricted profile",
		"https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted")
	podSecGuidePSS = bpg("pod-security", "_pod_security_standards_pss_and_pod_security_admission_psa",
		"Pod Security Standards (PSS) and Pod Security Admission (PSA)")
	podSecContextDoc = awsdoc("Kubernetes: Configure a Security Context for a Pod or Container",
		"https://kubernetes.io/docs/tasks/configure-pod-container/security-context/")
)

// podSecCause is one reason a pod or container may break a rule: t is True
// when it does, unknown when the deciding value is known only after apply.
type podSecCause struct {
	t    rule.Tri
	path string
	// fail says what is wrong (when t is True); unknown says which value
	// cannot be known (when t is unknown).
	fail, unknown string
}

// scFlagCause is the cause a boolean of the container's securityContext
// gives: bad judges its value (null when unset), set and unset say what is
// wrong when it is written and when the default decides, and the path is
// the field, or where it would be written when it is not.
func (c container) scFlagCause(ps podSpec, field string, bad func(*graph.Value) rule.Tri, set, unset string) podSecCause {
	v := c.SC(field)
	cause := podSecCause{t: bad(v), fail: set, unknown: field + " is known only after apply"}
	if v.IsNull() {
		cause.fail = unset
	}
	if cause.t != rule.False {
		if v.IsNull() {
			cause.path = c.firstPresent(ps.Res, "securityContext", "")
		} else {
			cause.path = c.At("securityContext." + field)
		}
	}
	return cause
}

// podSecVerdict reports one verdict from its causes: a failure naming every
// true cause, pointed at the first; else an unknown at the first unknown
// cause; else a pass at passPath.
func podSecVerdict(p *rule.Pass, r *graph.Resource, passPath, who string, causes []podSecCause) {
	var failed []string
	failPath := ""
	var unknown *podSecCause
	for i := range causes {
		c := &causes[i]
		switch c.t {
		case rule.True:
			if failed == nil {
				failPath = c.path
			}
			failed = append(failed, c.fail)
		case rule.TriUnknown:
			if unknown == nil {
				unknown = c
			}
		}
	}
	switch {
	case failed != nil:
		p.Fail(r, failPath, "%s: %s", who, strings.Join(failed, "; "))
	case unknown != nil:
		p.Unknown(r, unknown.path, "%s: %s", who, unknown.unknown)
	default:
		p.Pass(r, passPath)
	}
}

// podSecWho names a container for messages: Deployment web, init container "migrate".
func podSecWho(ps podSpec, c container) string {
	kind := "container"
	switch c.Field {
	case "initContainers":
		kind = "init container"
	case "ephemeralContainers":
		kind = "ephemeral container"
	}
	return fmt.Sprintf("%s, %s %q", ps.Name, kind, c.Name)
}

// podSecUnknownPath is the most precise path of what hides a workload's
// containers: the spec, a container list or one container.
func podSecUnknownPath(ps podSpec) string {
	if ps.Spec.IsUnknown() {
		return ps.Path
	}
	for _, f := range containerFields {
		list := ps.Spec.Get(f)
		if list.IsUnknown() {
			return ps.At(f)
		}
		for i, c := range list.Items() {
			if c.IsUnknown() {
				return ps.At(f + "." + strconv.Itoa(i))
			}
		}
	}
	return ps.Path
}

// podSecEachContainer runs judge on every container of every workload. A
// workload whose containers cannot all be read gets an unknown of its own,
// since an unseen container may break the rule; the containers that can be
// read are still judged.
func podSecEachContainer(p *rule.Pass, judge func(ps podSpec, c container)) {
	for _, ps := range workloads(p.Graph) {
		cs, unknown := ps.containers()
		for _, c := range cs {
			judge(ps, c)
		}
		if unknown {
			p.Unknown(ps.Res, podSecUnknownPath(ps), "%s: the containers are known only after apply", ps.Name)
		}
	}
}

// podSecEachSpec runs judge on every workload's pod spec that is written
// out, and reports unknown for specs known only after apply.
func podSecEachSpec(p *rule.Pass, judge func(ps podSpec)) {
	for _, ps := range workloads(p.Graph) {
		switch {
		case ps.Spec.IsUnknown():
			p.Unknown(ps.Res, ps.Path, "%s: the pod spec is known only after apply", ps.Name)
		case ps.Spec != nil:
			judge(ps)
		}
	}
}

// podSecEffective returns the securityContext field in force for a
// container: the container's own setting when present, else the pod's
// (Kubernetes merges the two field by field, the container winning). level
// says where it came from ("container", "pod", or "" when neither sets it).
func podSecEffective(ps podSpec, c container, field string) (v *graph.Value, level string) {
	if cv := c.SC(field); !cv.IsNull() {
		return cv, "container"
	}
	if pv := ps.SC(field); !pv.IsNull() {
		return pv, "pod"
	}
	return nil, ""
}

// podSecEffectiveAt is the path of the field podSecEffective found at
// level; built only for a verdict that points at it, not for every pass.
func podSecEffectiveAt(ps podSpec, c container, field, level string) string {
	switch level {
	case "container":
		return c.At("securityContext." + field)
	case "pod":
		return ps.At("securityContext." + field)
	}
	return ""
}

// podSecCap is one entry of a capabilities list.
type podSecCap struct {
	// Name is upper case without the CAP_ prefix, as the runtimes compare.
	Name string
	// Index is the position in the list, for pointing at its line.
	Index int
}

// podSecCaps reads a capabilities.add or .drop list. unknown is true when
// the list or an entry is known only after apply.
func podSecCaps(v *graph.Value) (caps []podSecCap, unknown bool) {
	if v.IsUnknown() {
		return nil, true
	}
	for i, e := range v.Items() {
		switch {
		case e.IsUnknown():
			unknown = true
		case e.Kind == graph.String:
			caps = append(caps, podSecCap{Name: strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(e.Str)), "CAP_"), Index: i})
		}
	}
	return caps, unknown
}

// podSecHasCap reports whether a capability list names one of names; at is
// the index of the first that does.
func podSecHasCap(v *graph.Value, names ...string) (t rule.Tri, at int) {
	caps, unknown := podSecCaps(v)
	for _, c := range caps {
		if containsString(names, c.Name) {
			return rule.True, c.Index
		}
	}
	if unknown {
		return rule.TriUnknown, -1
	}
	return rule.False, -1
}

var podSecPrivileged = &rule.Rule{
	ID:       "K8S-010",
	Title:    "Container runs privileged",
	Severity: rule.High,
	Service:  "Kubernetes",
	Types:    graph.WorkloadTypes,
	Rationale: "A privileged container gets every Linux capability, all host devices and no seccomp or AppArmor " +
		"confinement: root in it is root on the node, so it can load kernel modules, mount the host disk and read " +
		"every other pod's secrets and the node's IAM role. The Pod Security Standards baseline profile forbids it. " +
		"securityContext.privileged defaults to false; init and ephemeral containers count as much as the main ones.",
	Remediation: "Remove privileged: true (or set it to false) and grant only the specific capabilities the process " +
		"needs; run node agents that truly need the host in a separate namespace that is labeled for the privileged " +
		"profile.",
	Example: `spec:
  containers:
    - name: app
      image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2
      securityContext:
        privileged: false
        allowPrivilegeEscalation: false
        capabilities:
          drop: ["ALL"]`,
	References: []rule.Reference{RefDevSecOps,
		cis("4.2.1", "Minimize the admission of privileged containers"),
		bpg("pod-security", "_restrict_the_containers_that_can_run_as_privileged", "Restrict the containers that can run as privileged"),
		podSecPSSBaseline},
	Run: func(p *rule.Pass) {
		podSecEachContainer(p, func(ps podSpec, c container) {
			cause := podSecCause{
				t:       rule.BoolOr(c.SC("privileged"), false),
				fail:    "runs privileged: it has every capability and the host's devices, root in it is root on the node",
				unknown: "securityContext.privileged is known only after apply",
			}
			if cause.t != rule.False {
				cause.path = c.firstPresent(ps.Res, "securityContext.privileged", "securityContext", "")
			}
			podSecVerdict(p, ps.Res, c.Path, c.Who, []podSecCause{cause})
		})
	},
}

var podSecHostNamespaces = &rule.Rule{
	ID:       "K8S-011",
	Title:    "Pod shares the host's network, PID or IPC namespace",
	Severity: rule.High,
	Service:  "Kubernetes",
	Types:    graph.WorkloadTypes,
	Rationale: "hostNetwork puts the pod on the node's network stack: it can sniff and bind any node interface, reach " +
		"services bound to localhost (such as the kubelet's read-only ports) and the instance metadata service with the " +
		"node's credentials, whatever the hop limit, and it bypasses NetworkPolicies. hostPID lets it see and signal every " +
		"process of the node and read their environment and /proc entries; hostIPC lets it read other processes' shared " +
		"memory. All three default to false and the Pod Security Standards baseline profile forbids them. One verdict " +
		"is given per pod spec.",
	Remediation: "Remove hostNetwork, hostPID and hostIPC from the pod spec (or set them to false). Expose ports " +
		"through a Service instead of the node's network.",
	Example: `spec:
  hostNetwork: false
  hostPID: false
  hostIPC: false
  containers:
    - name: app
      image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2
      ports:
        - containerPort: 8080`,
	References: []rule.Reference{RefDevSecOps,
		cis("4.2.2", "Minimize the admission of containers wishing to share the host process ID namespace"),
		cis("4.2.3", "Minimize the admission of containers wishing to share the host IPC namespace"),
		cis("4.2.4", "Minimize the admission of containers wishing to share the host network namespace"),
		podSecGuidePSS, podSecPSSBaseline},
	Run: func(p *rule.Pass) {
		podSecEachSpec(p, func(ps podSpec) {
			var causes []podSecCause
			for _, f := range []struct{ field, what string }{
				{"hostNetwork", "shares the node's network namespace (hostNetwork)"},
				{"hostPID", "shares the node's process namespace (hostPID)"},
				{"hostIPC", "shares the node's IPC namespace (hostIPC)"},
			} {
				t := rule.BoolOr(ps.Get(f.field), false)
				if t == rule.False {
					continue
				}
				causes = append(causes, podSecCause{
					t:       t,
					path:    ps.At(f.field),
					fail:    f.what,
					unknown: f.field + " is known only after apply",
				})
			}
			podSecVerdict(p, ps.Res, ps.Path, ps.Name, causes)
		})
	},
}

var podSecHostPort = &rule.Rule{
	ID:       "K8S-012",
	Title:    "Container binds a port on the node (hostPort)",
	Severity: rule.Medium,
	Service:  "Kubernetes",
	Types:    graph.WorkloadTypes,
	Rationale: "A hostPort opens the port on every node the pod lands on, outside Services and often outside " +
		"NetworkPolicies, and ties the pod to nodes where the port is free. The Pod Security Standards baseline profile " +
		"forbids it. hostPort absent or 0 means none; a pod with hostNetwork exposes all its ports on the node, which " +
		"K8S-011 reports.",
	Remediation: "Remove hostPort from the container's ports and expose the port through a Service (ClusterIP, or a " +
		"load balancer for traffic from outside the cluster).",
	Example: `spec:
  containers:
    - name: web
      image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:2.0.1
      ports:
        - name: http
          containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http`,
	References: []rule.Reference{podSecGuidePSS, podSecPSSBaseline,
		awsdoc("Kubernetes: Configuration best practices (hostPort)", "https://kubernetes.io/docs/concepts/configuration/overview/#services")},
	Run: func(p *rule.Pass) {
		podSecEachContainer(p, func(ps podSpec, c container) {
			var causes []podSecCause
			ports := c.Get("ports")
			if ports.IsUnknown() {
				causes = append(causes, podSecCause{t: rule.TriUnknown, path: c.At("ports"), unknown: "the ports are known only after apply"})
			}
			for i, port := range ports.Items() {
				if port.IsUnknown() {
					causes = append(causes, podSecCause{t: rule.TriUnknown, path: c.At("ports." + strconv.Itoa(i)), unknown: "a port is known only after apply"})
					continue
				}
				n, ok := rule.NumberOr(port.Get("hostPort"), 0)
				switch {
				case !ok:
					rel := "ports." + strconv.Itoa(i)
					causes = append(causes, podSecCause{t: rule.TriUnknown, path: c.firstPresent(ps.Res, rel+".hostPort", rel),
						unknown: "a hostPort is known only after apply"})
				case n > 0:
					cp := "?"
					if v, ok := rule.NumberOr(port.Get("containerPort"), 0); ok && v > 0 {
						cp = strconv.FormatFloat(v, 'f', -1, 64)
					}
					causes = append(causes, podSecCause{t: rule.True, path: c.At("ports." + strconv.Itoa(i) + ".hostPort"),
						fail: fmt.Sprintf("binds port %g on the node (hostPort, to containerPort %s)", n, cp)})
				}
			}
			podSecVerdict(p, ps.Res, c.Path, c.Who, causes)
		})
	},
}

// podSecHostPathVolume is a volume of a pod spec that is, or may be, a
// hostPath volume.
type podSecHostPathVolume struct {
	Name string
	// At is the volume's path within its resource.
	At string
	// HostPath is the hostPath block; unknown when it may or may not be one.
	HostPath *graph.Value
}

// podSecVolumes returns the volumes of a pod spec that may mount a host
// path: those with a hostPath block, or known only after apply (HostPath
// then unknown). unknownAt is set when the volume list itself is unknown.
func podSecVolumes(ps podSpec) (out []podSecHostPathVolume, unknownAt string) {
	vols := ps.Get("volumes")
	if vols.IsUnknown() {
		return nil, ps.At("volumes")
	}
	for i, v := range vols.Items() {
		at := ps.At("volumes." + strconv.Itoa(i))
		name := strconv.Itoa(i)
		if n, ok := rule.StringOr(v.Get("name"), ""); ok && n != "" {
			name = n
		}
		if hp := v.Get("hostPath"); !hp.IsNull() {
			out = append(out, podSecHostPathVolume{Name: name, At: at, HostPath: hp})
		}
	}
	return out, ""
}

var podSecHostPath = &rule.Rule{
	ID:       "K8S-013",
	Title:    "Pod mounts a directory of the node (hostPath volume)",
	Severity: rule.Medium,
	Service:  "Kubernetes",
	Types:    graph.WorkloadTypes,
	Rationale: "A hostPath volume gives the pod the node's own files. Containers run as root by default and get write " +
		"access to them: they can change kubelet configuration, plant SSH keys, read the credentials of other pods' " +
		"volumes, or follow symbolic links to anywhere on the host. The Pod Security Standards baseline profile forbids " +
		"hostPath volumes, mounted or not. One verdict is given per pod spec, naming every hostPath volume; K8S-014 " +
		"singles out the container runtime's socket.",
	Remediation: "Replace hostPath volumes with emptyDir, configMap, secret, projected or persistent volumes. Where a " +
		"node agent truly needs host files, mount the narrowest directory with readOnly: true and run the agent in a " +
		"namespace set aside for it.",
	Example: `spec:
  containers:
    - name: app
      image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2
      volumeMounts:
        - name: scratch
          mountPath: /tmp
  volumes:
    - name: scratch
      emptyDir: {}`,
	References: []rule.Reference{
		bpg("pod-security", "_restrict_the_use_of_hostpath_or_if_hostpath_is_necessary_restrict_which_prefixes_can_be_used_and_configure_the_volume_as_read_only",
			"Restrict the use of hostPath"),
		podSecPSSBaseline},
	Run: func(p *rule.Pass) {
		podSecEachSpec(p, func(ps podSpec) {
			vols, unknownAt := podSecVolumes(ps)
			var causes []podSecCause
			if unknownAt != "" {
				causes = append(causes, podSecCause{t: rule.TriUnknown, path: unknownAt, unknown: "the volumes are known only after apply"})
			}
			for _, v := range vols {
				if v.HostPath.IsUnknown() {
					causes = append(causes, podSecCause{t: rule.TriUnknown, path: firstPresent(ps.Res, v.At+".hostPath", v.At),
						unknown: fmt.Sprintf("volume %q is known only after apply", v.Name)})
					continue
				}
				what := fmt.Sprintf("volume %q is a hostPath volume (its path is known only after apply)", v.Name)
				if hp, ok := rule.StringOr(v.HostPath.Get("path"), ""); ok {
					what = fmt.Sprintf("volume %q mounts the node's %s (hostPath)", v.Name, hp)
				}
				causes = append(causes, podSecCause{t: rule.True, path: firstPresent(ps.Res, v.At+".hostPath.path", v.At+".hostPath"),
					fail: what})
			}
			podSecVerdict(p, ps.Res, ps.Path, ps.Name, causes)
		})
	},
}

// Where container runtimes listen and keep their state, with /var/run
// written as /run (it is a symbolic link to /run on current distributions).
var (
	podSecRuntimeSockets = []string{"/run/docker.sock", "/run/containerd/containerd.sock", "/run/crio/crio.sock",
		"/run/dockershim.sock", "/run/cri-dockerd.sock"}
	podSecSocketNames  = []string{"docker.sock", "containerd.sock", "crio.sock", "dockershim.sock", "cri-dockerd.sock"}
	podSecRuntimeRoots = []string{"/var/lib/docker", "/var/lib/containerd", "/var/lib/containers"}
)

// podSecRuntimePath says what of the container runtime a host path
// exposes, or "" when it exposes none of it: a runtime socket, a directory
// holding one (/run, /var/run, /run/containerd, /), or a runtime's data
// root or one of its parents.
func podSecRuntimePath(p string) string {
	if !strings.HasPrefix(p, "/") {
		return ""
	}
	p = path.Clean(p)
	// Show sockets the way the user wrote the directory above them.
	show := func(s string) string { return s }
	if p == "/var/run" || strings.HasPrefix(p, "/var/run/") {
		p = "/run" + strings.TrimPrefix(p, "/var/run")
		show = func(s string) string { return "/var" + s }
	}
	within := func(dir, file string) bool { return dir == "/" || strings.HasPrefix(file, dir+"/") }
	for _, s := range podSecRuntimeSockets {
		switch {
		case p == s:
			return "the container runtime's socket"
		case within(p, s):
			return "a directory holding the container runtime's socket (" + show(s) + ")"
		}
	}
	if containsString(podSecSocketNames, path.Base(p)) {
		return "the container runtime's socket"
	}
	for _, r := range podSecRuntimeRoots {
		if p == r || within(p, r) {
			return "the container runtime's data directory " + r
		}
	}
	return ""
}

// podSecMounts maps volume names to the containers that mount them.
func podSecMounts(ps podSpec) map[string][]string {
	out := map[string][]string{}
	cs, _ := ps.containers()
	for _, c := range cs {
		for _, m := range c.Get("volumeMounts").Items() {
			if n, ok := rule.StringOr(m.Get("name"), ""); ok && n != "" && !containsString(out[n], c.Name) {
				out[n] = append(out[n], c.Name)
			}
		}
	}
	return out
}

var podSecRuntimeSocket = &rule.Rule{
	ID:       "K8S-014",
	Title:    "Pod mounts the container runtime socket from the node",
	Severity: rule.High,
	Service:  "Kubernetes",
	Types:    graph.WorkloadTypes,
	Rationale: "Whoever can talk to the Docker, containerd or CRI-O socket can start a privileged container with the " +
		"node's root filesystem mounted, that is, take the node, its IAM role and every pod on it, bypassing Kubernetes " +
		"admission entirely. A hostPath volume of the socket itself, of a directory above it (/run, /var/run, " +
		"/run/containerd, /) or of a runtime's data directory (/var/lib/docker, /var/lib/containerd) gives that access. " +
		"A volume counts even when no container mounts it yet: an ephemeral debug container can mount any volume of " +
		"the pod. One verdict is given per pod spec.",
	Remediation: "Do not mount the runtime socket. Build images with Kaniko, BuildKit rootless or Buildah, or a build " +
		"service such as AWS CodeBuild, on a cluster kept apart from general workloads; for monitoring, read the " +
		"kubelet's metrics API instead.",
	Example: `apiVersion: v1
kind: Pod
metadata:
  name: build
spec:
  containers:
    - name: kaniko
      image: gcr.io/kaniko-project/executor:v1.23.2
      args: ["--context=s3://builds/app.tar.gz", "--destination=111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2"]
      securityContext:
        allowPrivilegeEscalation: false`,
	References: []rule.Reference{
		bpg("pod-security", "_never_run_docker_in_docker_or_mount_the_socket_in_the_container", "Never run Docker in Docker or mount the socket in the container"),
		podSecPSSBaseline},
	Run: func(p *rule.Pass) {
		podSecEachSpec(p, func(ps podSpec) {
			vols, unknownAt := podSecVolumes(ps)
			var causes []podSecCause
			if unknownAt != "" {
				causes = append(causes, podSecCause{t: rule.TriUnknown, path: unknownAt, unknown: "the volumes are known only after apply"})
			}
			var mounts map[string][]string
			for _, v := range vols {
				if v.HostPath.IsUnknown() {
					causes = append(causes, podSecCause{t: rule.TriUnknown, path: firstPresent(ps.Res, v.At+".hostPath", v.At),
						unknown: fmt.Sprintf("volume %q is known only after apply", v.Name)})
					continue
				}
				at := firstPresent(ps.Res, v.At+".hostPath.path", v.At+".hostPath")
				hp, ok := rule.StringOr(v.HostPath.Get("path"), "")
				if !ok {
					causes = append(causes, podSecCause{t: rule.TriUnknown, path: at,
						unknown: fmt.Sprintf("the host path of volume %q is known only after apply", v.Name)})
					continue
				}
				what := podSecRuntimePath(hp)
				if what == "" {
					continue
				}
				if mounts == nil {
					mounts = podSecMounts(ps)
				}
				by := "no container mounts it yet, but an ephemeral debug container can"
				if names := mounts[v.Name]; len(names) > 0 {
					sort.Strings(names)
					by = "mounted by container " + strings.Join(names, ", ")
				}
				causes = append(causes, podSecCause{t: rule.True, path: at,
					fail: fmt.Sprintf("hostPath volume %q (%s) exposes %s, which gives control of the node (%s)", v.Name, hp, what, by)})
			}
			podSecVerdict(p, ps.Res, ps.Path, ps.Name, causes)
		})
	},
}

var podSecEscalation = &rule.Rule{
	ID:       "K8S-015",
	Title:    "Container allows privilege escalation",
	Severity: rule.Medium,
	Service:  "Kubernetes",
	Types:    graph.WorkloadTypes,
	Rationale: "Unless allowPrivilegeEscalation is false, the container's processes run without the no_new_privs " +
		"flag, so a setuid binary or file capabilities in the image (sudo, su, ping...) can raise a compromised " +
		"process to root or to more capabilities. The field defaults to true, and Kubernetes always treats it as true " +
		"for privileged containers and containers that add CAP_SYS_ADMIN (the API server rejects false with either). " +
		"The Pod Security Standards restricted profile requires false. There is no pod-level setting.",
	Remediation: "Set securityContext.allowPrivilegeEscalation: false on every container, init and ephemeral ones " +
		"included, and drop privileged and SYS_ADMIN.",
	Example: `spec:
  containers:
    - name: app
      image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2
      securityContext:
        allowPrivilegeEscalation: false`,
	References: []rule.Reference{RefDevSecOps,
		cis("4.2.5", "Minimize the admission of containers with allowPrivilegeEscalation"),
		bpg("pod-security", "_do_not_allow_privileged_escalation", "Do not allow privileged escalation"),
		podSecPSSRestricted},
	Run: func(p *rule.Pass) {
		podSecEachContainer(p, func(ps podSpec, c container) {
			// A cause's path is built only when it may be reported.
			apeCause := c.scFlagCause(ps, "allowPrivilegeEscalation", func(v *graph.Value) rule.Tri { return rule.BoolOr(v, true) },
				"allowPrivilegeEscalation is true", "allowPrivilegeEscalation is not set and defaults to true")
			privCause := podSecCause{t: rule.BoolOr(c.SC("privileged"), false),
				fail:    "it is privileged, which always allows escalation",
				unknown: "securityContext.privileged is known only after apply"}
			if privCause.t != rule.False {
				privCause.path = c.At("securityContext.privileged")
			}
			saT, saIdx := podSecHasCap(c.SC("capabilities.add"), "SYS_ADMIN", "ALL")
			saCause := podSecCause{t: saT,
				fail:    "it adds CAP_SYS_ADMIN, which always allows escalation",
				unknown: "the added capabilities are known only after apply"}
			if saT != rule.False {
				saRel := "securityContext.capabilities.add"
				if saIdx >= 0 {
					saRel += "." + strconv.Itoa(saIdx)
				}
				saCause.path = c.firstPresent(ps.Res, saRel, "securityContext")
			}
			podSecVerdict(p, ps.Res, c.Path, c.Who, []podSecCause{apeCause, privCause, saCause})
		})
	},
}

// podSecBaselineCaps are the capabilities the Pod Security Standards
// baseline profile lets a container add: the container runtimes' default
// set, less NET_RAW.
var podSecBaselineCaps = []string{"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"}

var podSecAddedCaps = &rule.Rule{
	ID:       "K8S-016",
	Title:    "Container adds capabilities beyond the baseline set",
	Severity: rule.High,
	Service:  "Kubernetes",
	Types:    graph.WorkloadTypes,
	Rationale: "Capabilities split root's power into pieces, and several pieces are enough to leave the container: " +
		"SYS_ADMIN mounts filesystems and escapes through cgroups, SYS_PTRACE reads other processes' memory with " +
		"hostPID, SYS_MODULE loads kernel code, NET_ADMIN and NET_RAW rewrite or spoof the node's traffic, and ALL " +
		"grants every one of them. The Pod Security Standards baseline profile admits adding only AUDIT_WRITE, CHOWN, " +
		"DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT. " +
		"Names are compared case-insensitively with or without the CAP_ prefix, as the container runtimes do.",
	Remediation: "Remove the extra entries from securityContext.capabilities.add. Drop ALL and add back only what the " +
		"process needs, typically NET_BIND_SERVICE to bind a port below 1024.",
	Example: `spec:
  containers:
    - name: proxy
      image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/proxy:3.1.0
      securityContext:
        allowPrivilegeEscalation: false
        capabilities:
          drop: ["ALL"]
          add: ["NET_BIND_SERVICE"]`,
	References: []rule.Reference{RefDevSecOps,
		cis("4.2.8", "Minimize the admission of containers with added capabilities"),
		bpg("pod-security", "_linux_capabilities", "Linux capabilities"),
		podSecPSSBaseline},
	Run: func(p *rule.Pass) {
		podSecEachContainer(p, func(ps podSpec, c container) {
			add := c.SC("capabilities.add")
			caps, unknown := podSecCaps(add)
			var causes []podSecCause
			for _, cp := range caps {
				if containsString(podSecBaselineCaps, cp.Name) {
					continue
				}
				what := "adds capability " + cp.Name
				if cp.Name == "ALL" {
					what = "adds ALL capabilities"
				}
				causes = append(causes, podSecCause{t: rule.True,
					path: c.At("securityContext.capabilities.add." + strconv.Itoa(cp.Index)), fail: what})
			}
			if unknown {
				causes = append(causes, podSecCause{t: rule.TriUnknown,
					path:    c.firstPresent(ps.Res, "securityContext.capabilities.add", "securityContext"),
					unknown: "the added capabilities are known only after apply"})
			}
			podSecVerdict(p, ps.Res, c.Path, c.Who, causes)
		})
	},
}

var podSecDropAll = &rule.Rule{
	ID:       "K8S-017",
	Title:    "Container does not drop all capabilities",
	Severity: rule.Low,
	Service:  "Kubernetes",
	Types:    graph.WorkloadTypes,
	Rationale: "Without capabilities.drop: [\"ALL\"] a container keeps the runtime's default set, which includes " +
		"NET_RAW (craft packets, spoof ARP and DNS on the node's network), DAC_OVERRIDE, SETUID and others an " +
		"attacker can build on. Most applications need none of them. The Pod Security Standards restricted profile " +
		"requires dropping ALL; a privileged container keeps every capability whatever it drops, so it fails too.",
	Remediation: "Set securityContext.capabilities.drop: [\"ALL\"] on every container and add back only what is " +
		"needed (NET_BIND_SERVICE at most under the restricted profile).",
	Example: `spec:
  containers:
    - name: app
      image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2
      securityContext:
        capabilities:
          drop: ["ALL"]`,
	References: []rule.Reference{RefDevSecOps,
		cis("4.2.9", "Minimize the admission of containers with capabilities assigned"),
		cis("4.2.7", "Minimize the admission of containers with the NET_RAW capability"),
		bpg("pod-security", "_linux_capabilities", "Linux capabilities"),
		podSecPSSRestricted},
	Run: func(p *rule.Pass) {
		podSecEachContainer(p, func(ps podSpec, c container) {
			privCause := podSecCause{t: rule.BoolOr(c.SC("privileged"), false),
				fail:    "is privileged, so it keeps every capability whatever it drops",
				unknown: "securityContext.privileged is known only after apply"}
			if privCause.t != rule.False {
				privCause.path = c.At("securityContext.privileged")
			}
			drop := c.SC("capabilities.drop")
			all, _ := podSecHasCap(drop, "ALL")
			dropCause := podSecCause{t: all.Not(), unknown: "the dropped capabilities are known only after apply"}
			if dropCause.t != rule.False {
				dropCause.fail = "does not drop ALL capabilities"
				if raw, _ := podSecHasCap(drop, "NET_RAW"); raw == rule.False {
					dropCause.fail += ", and keeps NET_RAW"
				}
				dropCause.path = c.firstPresent(ps.Res, "securityContext.capabilities.drop", "securityContext.capabilities",
					"securityContext", "")
			}
			podSecVerdict(p, ps.Res, c.Path, c.Who, []podSecCause{privCause, dropCause})
		})
	},
}

var podSecRunAsRoot = &rule.Rule{
	ID:       "K8S-018",
	Title:    "Container may run as root",
	Severity: rule.Medium,
	Service:  "Kubernetes",
	Types:    graph.WorkloadTypes,
	Rationale: "Containers run as the image's USER, root for most images, unless the pod says otherwise. Root in a " +
		"container owns the container's files, can use every capability the runtime grants and is root on the node " +
		"after any escape or through a writable hostPath. runAsUser sets the UID the container runs as: 0 asks for " +
		"root outright, any other UID keeps it off root whatever the image says. Without runAsUser, runAsNonRoot: true " +
		"makes the kubelet refuse to start a container whose image user is UID 0; without either, the image decides. " +
		"Both fields can be set on the pod (spec.securityContext) and on each container, and the container's own " +
		"setting wins field by field: a pod-wide runAsNonRoot: true is undone by runAsNonRoot: false on a container, " +
		"a pod-wide runAsUser: 0 by a non-zero one on the container. So a container passes with a non-zero runAsUser " +
		"in force, or with no runAsUser and runAsNonRoot: true in force; it fails with runAsUser: 0, or with neither; a " +
		"runAsUser that is not a UID (negative, not a whole number), which the API server rejects, is unknown. " +
		"The Pod Security Standards restricted profile also requires runAsNonRoot: true next to a non-zero runAsUser; " +
		"enforcing that profile is the namespace's label, which K8S-005 checks.",
	Remediation: "Set runAsNonRoot: true and a non-zero runAsUser in the pod's securityContext, do not override them " +
		"in containers, and build images with a numeric non-root USER.",
	Example: `spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    runAsGroup: 10001
  containers:
    - name: app
      image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2`,
	References: []rule.Reference{RefDevSecOps,
		cis("4.2.6", "Minimize the admission of root containers"),
		bpg("pod-security", "_do_not_run_processes_in_containers_as_root", "Do not run processes in containers as root"),
		podSecPSSRestricted, podSecContextDoc},
	Run: func(p *rule.Pass) {
		podSecEachContainer(p, func(ps podSpec, c container) {
			who := c.Who
			nonRoot, nonRootLevel := podSecEffective(ps, c, "runAsNonRoot")
			nonRootT := rule.BoolOr(nonRoot, false)
			nonRootAt := func() string { return podSecEffectiveAt(ps, c, "runAsNonRoot", nonRootLevel) }

			// The UID in force decides when one is set.
			if uid, uidLevel := podSecEffective(ps, c, "runAsUser"); uid != nil {
				uidAt := func() string { return podSecEffectiveAt(ps, c, "runAsUser", uidLevel) }
				if uid.IsUnknown() {
					p.Unknown(ps.Res, uidAt(), "%s: runAsUser (set on the %s) is known only after apply", who, uidLevel)
					return
				}
				n, ok := rule.NumberOr(uid, -1)
				switch {
				case !ok || n < 0 || n != float64(int64(n)):
					p.Unknown(ps.Res, uidAt(), "%s: runAsUser %s on the %s is not a UID, which the API server rejects", who, uid.String(), uidLevel)
				case n == 0:
					msg := fmt.Sprintf("%s: runs as UID 0 (runAsUser: 0 on the %s)", who, uidLevel)
					if nonRootT == rule.True {
						msg += ", which also makes the kubelet refuse to start it under runAsNonRoot: true"
					}
					p.Fail(ps.Res, uidAt(), "%s", msg)
				default:
					p.Pass(ps.Res, c.Path)
				}
				return
			}

			// No UID is set: the image's USER runs unless runAsNonRoot
			// makes the kubelet refuse root.
			const consequence = ", and no runAsUser is set, so the image's USER decides and may be root"
			switch {
			case nonRootT == rule.True:
				p.Pass(ps.Res, c.Path)
			case nonRootT == rule.TriUnknown:
				p.Unknown(ps.Res, nonRootAt(), "%s: runAsNonRoot (set on the %s) is known only after apply", who, nonRootLevel)
			case nonRoot == nil:
				p.Fail(ps.Res, c.firstPresent(ps.Res, "securityContext", ""),
					"%s: runAsNonRoot is set neither on the pod nor on the container%s", who, consequence)
			case nonRootLevel == "container" && rule.BoolOr(ps.SC("runAsNonRoot"), false) == rule.True:
				p.Fail(ps.Res, nonRootAt(), "%s: runAsNonRoot is false on the container, overriding the pod's true%s", who, consequence)
			default:
				p.Fail(ps.Res, nonRootAt(), "%s: runAsNonRoot is false on the %s%s", who, nonRootLevel, consequence)
			}
		})
	},
}

// podSecMetaPath is the path of the pod metadata that goes with a pod
// spec: metadata for a Pod, spec.template.metadata for a Deployment.
func podSecMetaPath(ps podSpec) string {
	return strings.TrimSuffix(ps.Path, "spec") + "metadata"
}

// podSecSeccompAnnotation reads the pre-1.19 seccomp annotations of a
// container (container.seccomp.security.alpha.kubernetes.io/<name>, then
// the pod-wide seccomp.security.alpha.kubernetes.io/pod). v is nil when
// neither is set, unknown when the annotations are.
func podSecSeccompAnnotation(ps podSpec, c container) (v *graph.Value, at string) {
	base := podSecMetaPath(ps) + ".annotations"
	ann := ps.Res.Get(base)
	if ann.IsUnknown() {
		return ann, base
	}
	if ann == nil || ann.Kind != graph.Map {
		return nil, ""
	}
	for _, key := range []string{"container.seccomp.security.alpha.kubernetes.io/" + c.Name, "seccomp.security.alpha.kubernetes.io/pod"} {
		if a := ann.Map.Get(key); !a.IsNull() {
			// Annotation keys hold dots and slashes, which a dotted path
			// cannot name, so verdicts point at the annotations map.
			return a, base
		}
	}
	return nil, ""
}

var podSecSeccomp = &rule.Rule{
	ID:       "K8S-019",
	Title:    "Container runs without a seccomp profile",
	Severity: rule.Low,
	Service:  "Kubernetes",
	Types:    graph.WorkloadTypes,
	Rationale: "Without a seccomp profile a container may call every system call the kernel offers, including the " +
		"rarely used ones behind most container-escape bugs. Kubernetes runs containers Unconfined unless " +
		"seccompProfile.type is RuntimeDefault or Localhost (the kubelet's --seccomp-default flag changes this, but " +
		"it is off by default and not visible in the code). The type can be set on the pod and on each container, the " +
		"container's winning; the pre-1.19 annotation seccomp.security.alpha.kubernetes.io/pod (runtime/default, " +
		"docker/default, localhost/...) on the pod template is accepted when no field is set. The Pod Security " +
		"Standards restricted profile requires RuntimeDefault or Localhost and forbids Unconfined.",
	Remediation: "Set securityContext.seccompProfile.type: RuntimeDefault in the pod's securityContext, or Localhost " +
		"with a tailored profile, and remove Unconfined overrides from containers.",
	Example: `spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: app
      image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2`,
	References: []rule.Reference{RefDevSecOps,
		cis("4.6.2", "Apply Security Context to Your Pods and Containers"),
		bpg("runtime-security", "_seccomp", "Seccomp"),
		podSecPSSRestricted,
		awsdoc("Kubernetes: Restrict a Container's Syscalls with seccomp", "https://kubernetes.io/docs/tutorials/security/seccomp/")},
	Run: func(p *rule.Pass) {
		podSecEachContainer(p, func(ps podSpec, c container) {
			who := c.Who
			// Reading through an unknown securityContext or seccompProfile
			// yields that unknown, so v is nil only when neither level sets it.
			v, level := podSecEffective(ps, c, "seccompProfile.type")
			if v != nil {
				typ, ok := rule.StringOr(v, "")
				switch {
				case !ok:
					p.Unknown(ps.Res, podSecEffectiveAt(ps, c, "seccompProfile.type", level),
						"%s: seccompProfile (set on the %s) is known only after apply", who, level)
				case typ == "RuntimeDefault" || typ == "Localhost":
					p.Pass(ps.Res, c.Path)
				default:
					p.Fail(ps.Res, podSecEffectiveAt(ps, c, "seccompProfile.type", level),
						"%s: seccompProfile.type is %q on the %s: system calls are not filtered", who, typ, level)
				}
				return
			}
			a, aAt := podSecSeccompAnnotation(ps, c)
			if a != nil {
				s, ok := rule.StringOr(a, "")
				switch {
				case !ok:
					p.Unknown(ps.Res, aAt, "%s: the seccomp annotations are known only after apply", who)
				case s == "runtime/default" || s == "docker/default" || strings.HasPrefix(s, "localhost/"):
					p.Pass(ps.Res, c.Path)
				default:
					p.Fail(ps.Res, aAt, "%s: the seccomp annotation is %q: system calls are not filtered", who, s)
				}
				return
			}
			p.Fail(ps.Res, c.firstPresent(ps.Res, "securityContext", ""),
				"%s: no seccomp profile is set on the pod or the container, so it runs Unconfined", who)
		})
	},
}

var podSecReadOnlyRoot = &rule.Rule{
	ID:       "K8S-020",
	Title:    "Container root filesystem is writable",
	Severity: rule.Low,
	Service:  "Kubernetes",
	Types:    graph.WorkloadTypes,
	Rationale: "A writable root filesystem lets an attacker who gets code execution replace the application's " +
		"binaries and libraries, drop tools and persist until the pod is replaced. readOnlyRootFilesystem defaults to " +
		"false and has no pod-level setting. Applications that need to write can use an emptyDir or a volume mounted " +
		"where they write.",
	Remediation: "Set securityContext.readOnlyRootFilesystem: true on every container and mount an emptyDir at the " +
		"paths it writes to (/tmp, caches).",
	Example: `spec:
  containers:
    - name: app
      image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2
      securityContext:
        readOnlyRootFilesystem: true
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: tmp
      emptyDir: {}`,
	References: []rule.Reference{RefDevSecOps,
		cis("4.6.2", "Apply Security Context to Your Pods and Containers"),
		bpg("pod-security", "_configure_your_images_with_read_only_root_file_system", "Configure your images with read-only root file system"),
		podSecContextDoc},
	Run: func(p *rule.Pass) {
		podSecEachContainer(p, func(ps podSpec, c container) {
			cause := c.scFlagCause(ps, "readOnlyRootFilesystem", func(v *graph.Value) rule.Tri { return rule.BoolOr(v, false).Not() },
				"readOnlyRootFilesystem is false: the root filesystem is writable",
				"readOnlyRootFilesystem is not set, so the root filesystem is writable")
			podSecVerdict(p, ps.Res, c.Path, c.Who, []podSecCause{cause})
		})
	},
}
