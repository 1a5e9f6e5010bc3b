package graph

// WorkloadTypes are the Kubernetes resource types that run pods, in the
// order rules walk them. Front-ends (linking a workload to its
// ServiceAccount) and rules (reading its pod spec) share this one list.
var WorkloadTypes = []string{"k8s:Pod", "k8s:Deployment", "k8s:StatefulSet", "k8s:DaemonSet",
	"k8s:ReplicaSet", "k8s:ReplicationController", "k8s:Job", "k8s:CronJob"}

// PodSpecPath is where a workload type keeps its pod spec; ok is false for
// types that run no pods.
func PodSpecPath(typ string) (path string, ok bool) {
	switch typ {
	case "k8s:Pod":
		return "spec", true
	case "k8s:CronJob":
		return "spec.jobTemplate.spec.template.spec", true
	case "k8s:Deployment", "k8s:StatefulSet", "k8s:DaemonSet", "k8s:ReplicaSet", "k8s:ReplicationController", "k8s:Job":
		return "spec.template.spec", true
	}
	return "", false
}
