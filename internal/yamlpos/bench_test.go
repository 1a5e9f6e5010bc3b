package yamlpos

import (
	"testing"

	"github.com/eksguard/eksguard/internal/testutil/k8sgen"
)

// BenchmarkDecodeK8s5000 decodes issue 21's manifest stream: 5,000
// Deployments in 100 namespaces with their policies (5,600 documents,
// 7.5 MB), split and decoded on every core as the Kubernetes front-end
// reads it.
func BenchmarkDecodeK8s5000(b *testing.B) {
	data := k8sgen.Generate(100, 50)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		docs, diags := Decode(data, "k8s.yaml", Options{})
		if len(docs) != 5600 || len(diags) != 0 {
			b.Fatalf("%d documents, %v", len(docs), diags)
		}
	}
}
