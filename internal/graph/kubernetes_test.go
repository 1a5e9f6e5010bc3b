package graph

import "testing"

func TestPodSpecPathCoversWorkloadTypes(t *testing.T) {
	for _, typ := range WorkloadTypes {
		if _, ok := PodSpecPath(typ); !ok {
			t.Errorf("%s has no pod spec path", typ)
		}
	}
	if _, ok := PodSpecPath("k8s:Service"); ok {
		t.Error("a Service runs no pods")
	}
}
