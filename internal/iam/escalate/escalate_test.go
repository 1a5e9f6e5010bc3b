package escalate

import (
	"testing"

	"github.com/eksguard/eksguard/internal/frontend"
)

func analyzeDir(t *testing.T, dir string) *Analysis {
	t.Helper()
	res := frontend.Load([]string{dir}, frontend.Options{})
	for _, d := range res.Diags {
		t.Fatalf("load: %s", d)
	}
	return Analyze(res.Graph, Config{})
}
