package frontend

import (
	"testing"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/testutil"
	"github.com/eksguard/eksguard/internal/testutil/tfgen"
)

// eksRepo is the size of terraform-aws-eks v21 as a scan meets it: nine
// example and test root modules, each calling the root module (about 40
// files' worth of declarations) three times, with node groups through
// local submodules.
var eksRepo = tfgen.Options{Examples: 9, Files: 30, Groups: 3}

func loadEKSRepo(tb testing.TB, dir string) {
	res := Load([]string{dir}, Options{})
	for _, d := range res.Diags {
		if d.Severity == diag.Error || d.Severity == diag.Warning {
			tb.Fatalf("%s", d)
		}
	}
	if n, want := res.Graph.Len(), eksRepo.Resources(); n != want {
		tb.Fatalf("%d resources, want %d", n, want)
	}
}

// TestLoadEKSRepo: the benchmark's repository loads cleanly, with every
// resource the generator promises.
func TestLoadEKSRepo(t *testing.T) {
	dir := t.TempDir()
	if err := tfgen.Write(dir, eksRepo); err != nil {
		t.Fatal(err)
	}
	loadEKSRepo(t, dir)
}

// BenchmarkLoadEKSRepo loads a repository shaped like terraform-aws-eks:
// choosing the root modules, then evaluating each example, which reads
// the shared root module and its submodules through its calls.
func BenchmarkLoadEKSRepo(b *testing.B) {
	dir := b.TempDir()
	if err := tfgen.Write(dir, eksRepo); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer testutil.ReportCPU(b)()
	for b.Loop() {
		loadEKSRepo(b, dir)
	}
}
