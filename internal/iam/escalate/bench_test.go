package escalate

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/testutil/iamgen"
	"github.com/eksguard/eksguard/internal/tri"
)

// benchNow is the clock of the benchmarks: date conditions are decided.
var benchNow = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

func writeIAMPlan(b *testing.B, n int) (string, iamgen.Stats) {
	return writePlan(b, iamgen.Generate, n)
}

func writePlan(b testing.TB, generate func(int) ([]byte, iamgen.Stats), n int) (string, iamgen.Stats) {
	b.Helper()
	data, st := generate(n)
	p := filepath.Join(b.TempDir(), "iam.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return p, st
}

func loadIAMPlan(b testing.TB, p string) *graph.Graph {
	b.Helper()
	res := frontend.Load([]string{p}, frontend.Options{})
	if len(res.Diags) != 0 {
		b.Fatalf("load: %v", res.Diags)
	}
	return res.Graph
}

// BenchmarkIAMPathsLoad1000 measures reading the generated estate (1,000
// principals, 5,000 policies as plan JSON) into the graph.
func BenchmarkIAMPathsLoad1000(b *testing.B) {
	p, st := writeIAMPlan(b, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if g := loadIAMPlan(b, p); g.Len() != st.Resources {
			b.Fatalf("loaded %d resources, want %d", g.Len(), st.Resources)
		}
	}
}

// BenchmarkIAMPaths1000 measures the full path analysis over an already
// loaded estate: the IAM model (policies read and resolved per
// principal), every escalation method for every principal, and the
// shortest paths. Each iteration gets a freshly loaded graph (both are
// computed once per graph); loading is not timed.
func BenchmarkIAMPaths1000(b *testing.B) {
	p, st := writeIAMPlan(b, 1000)
	if st.Principals != 1000 || st.Policies != 5000 {
		b.Fatalf("generated %d principals, %d policies", st.Principals, st.Policies)
	}
	benchAnalyze(b, p)
}

// benchAnalyze times the analysis of the plan at p, each iteration on a
// freshly loaded graph (the model and the analysis are computed once per
// graph); loading is not timed.
func benchAnalyze(b *testing.B, p string) {
	b.ReportAllocs()
	b.ResetTimer()
	var paths, hops int
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		g := loadIAMPlan(b, p)
		b.StartTimer()
		a := Analyze(g, Config{Now: benchNow})
		paths, hops = len(a.Paths), len(a.Hops)
	}
	b.ReportMetric(float64(paths), "paths")
	b.ReportMetric(float64(hops), "hops")
}

// TestIAMGenShape keeps the generated estate what the benchmark claims:
// 1,000 principals, 5,000 policies, a mix of certain and possible paths,
// administrators, and chains longer than one hop.
func TestIAMGenShape(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a generated estate")
	}
	data, st := iamgen.Generate(1000)
	if st.Principals != 1000 || st.Policies != 5000 {
		t.Fatalf("generated %d principals, %d policies", st.Principals, st.Policies)
	}
	p := filepath.Join(t.TempDir(), "iam.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	res := frontend.Load([]string{p}, frontend.Options{})
	if len(res.Diags) != 0 {
		t.Fatalf("load: %v", res.Diags)
	}
	a := Analyze(res.Graph, Config{Now: benchNow})
	certain, possible, long := 0, 0, 0
	for _, pa := range a.Paths {
		if pa.Certain.String() == "true" {
			certain++
		} else {
			possible++
		}
		if len(pa.Hops) >= 3 {
			long++
		}
	}
	t.Logf("%d nodes, %d hops, %d administrators, %d paths (%d certain, %d possible, %d of 3+ hops)",
		len(a.Nodes), len(a.Hops), len(a.Admins), len(a.Paths), certain, possible, long)
	if certain == 0 || possible == 0 || long == 0 || len(a.Admins) == 0 {
		t.Error("the estate should hold certain, possible and long paths, and administrators")
	}
}

// groupScales are the sizes of the estate with groups benchmarked: the
// performance target (1,000 principals, 3,000 policies, 200 groups), then
// twice and four times that, to show how time and memory grow.
var groupScales = []int{1000, 2000, 4000}

// BenchmarkIAMPathsGroupsLoad measures reading the estate with groups
// (iamgen.GenerateWithGroups) into the graph.
func BenchmarkIAMPathsGroupsLoad(b *testing.B) {
	for _, n := range groupScales {
		b.Run(fmt.Sprintf("principals=%d", n), func(b *testing.B) {
			p, st := writePlan(b, iamgen.GenerateWithGroups, n)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if g := loadIAMPlan(b, p); g.Len() != st.Resources {
					b.Fatalf("loaded %d resources, want %d", g.Len(), st.Resources)
				}
			}
		})
	}
}

// BenchmarkIAMPathsGroups measures the path analysis over the estate with
// groups, already loaded (as BenchmarkIAMPaths1000 does): at the target
// size and at twice and four times it.
func BenchmarkIAMPathsGroups(b *testing.B) {
	for _, n := range groupScales {
		b.Run(fmt.Sprintf("principals=%d", n), func(b *testing.B) {
			p, st := writePlan(b, iamgen.GenerateWithGroups, n)
			if st.Principals != n || st.Policies != 3*n || st.Groups != n/5 {
				b.Fatalf("generated %d principals, %d policies, %d groups", st.Principals, st.Policies, st.Groups)
			}
			benchAnalyze(b, p)
		})
	}
}

// TestIAMGenGroupsShape keeps the estate with groups what the benchmark
// claims: 1,000 principals (users and roles), 3,000 policies, 200 groups
// with memberships across departments; administrators through a group;
// escalations borne by group policies and through group membership;
// certain, possible and long paths. The shape grows linearly: half the
// principals, half the policies, groups and memberships.
func TestIAMGenGroupsShape(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a generated estate")
	}
	data, st := iamgen.GenerateWithGroups(1000)
	if st.Principals != 1000 || st.Users+st.Roles != 1000 || st.Policies != 3000 || st.Groups != 200 {
		t.Fatalf("generated %+v", st)
	}
	if again, _ := iamgen.GenerateWithGroups(1000); !bytes.Equal(again, data) {
		t.Error("two runs generated different estates")
	}
	if _, half := iamgen.GenerateWithGroups(500); 2*half.Principals != st.Principals || 2*half.Policies != st.Policies ||
		2*half.Groups != st.Groups || 2*half.Memberships != st.Memberships ||
		// AWS managed attachments fall on every 4th or 20th department.
		2*half.Resources < st.Resources-10 || 2*half.Resources > st.Resources+10 {
		t.Errorf("half the principals: %+v, want half of %+v", half, st)
	}
	p := filepath.Join(t.TempDir(), "iam.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	g := loadIAMPlan(t, p)
	a := Analyze(g, Config{Now: benchNow})

	kinds, memberships, multi := map[iam.Kind]int{}, 0, 0
	for _, id := range iam.Build(g).Identities {
		kinds[id.Kind]++
		memberships += len(id.Groups)
		if len(id.Groups) > 1 {
			multi++
		}
	}
	if kinds[iam.User] != st.Users || kinds[iam.Role] != st.Roles || kinds[iam.Group] != st.Groups ||
		memberships != st.Memberships || multi == 0 {
		t.Errorf("model: %v, %d memberships (%d users in several groups); generated %+v", kinds, memberships, multi, st)
	}

	userAdmins := 0
	for _, n := range a.Admins {
		if n.Identity != nil && n.Identity.Kind == iam.User {
			userAdmins++ // users are administrators only through a group
		}
	}
	certain, possible, long, intoGroup, groupBorne := 0, 0, 0, 0, 0
	for _, pa := range a.Paths {
		if pa.Certain == tri.True {
			certain++
		} else {
			possible++
		}
		if len(pa.Hops) >= 3 {
			long++
		}
		if pa.Hops[0].Method == "iam:AddUserToGroup" && pa.Certain == tri.True {
			intoGroup++
		}
		if hopCitesGroupPolicy(g, pa.Hops[0]) {
			groupBorne++
		}
	}
	t.Logf("%d nodes, %d hops, %d administrators (%d users through a group), %d paths (%d certain, %d possible, "+
		"%d of 3+ hops, %d joining a group, %d granted by a group's policy)",
		len(a.Nodes), len(a.Hops), len(a.Admins), userAdmins, len(a.Paths), certain, possible, long, intoGroup, groupBorne)
	if certain == 0 || possible == 0 || long == 0 || userAdmins == 0 || intoGroup == 0 || groupBorne == 0 {
		t.Error("the estate should hold certain, possible and long paths, administrators through a group, " +
			"paths that join a group and paths granted by a group's policy")
	}
}

// hopCitesGroupPolicy tells whether a statement granting h belongs to a
// group's inline policy.
func hopCitesGroupPolicy(g *graph.Graph, h Hop) bool {
	for _, c := range Cites(g, h) {
		if strings.HasPrefix(c.Policy, "aws_iam_group_policy.") {
			return true
		}
	}
	return false
}
