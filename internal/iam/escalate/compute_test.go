package escalate

import (
	"sort"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/frontend"
	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/iam/catalog"
)

// computeCatalog is every pathfinding.cloud path of the compute services
// the compute methods must cover, each by exactly one variant.
var computeCatalog = []string{
	"apprunner-001", "apprunner-002",
	"bedrock-001", "bedrock-002",
	"cloudformation-001", "cloudformation-002", "cloudformation-003", "cloudformation-004", "cloudformation-005",
	"codebuild-001", "codebuild-002", "codebuild-003", "codebuild-004",
	"datapipeline-001",
	"ec2-001", "ec2-002", "ec2-003", "ec2-004", "ec2instanceconnect-003",
	"ecs-001", "ecs-002", "ecs-003", "ecs-004", "ecs-005",
	"glue-001", "glue-002", "glue-003", "glue-004", "glue-005", "glue-006",
	"lambda-001", "lambda-002", "lambda-003", "lambda-004", "lambda-005", "lambda-006",
	"sagemaker-001", "sagemaker-002", "sagemaker-003", "sagemaker-004", "sagemaker-005",
	"ssm-001", "ssm-002",
}

// TestComputeVariants: every compute method lists its variants; labels are
// distinct across the compute methods, every part of a label is an IAM
// action that exists, each variant says when it is certain, and each
// catalogue id is covered once.
func TestComputeVariants(t *testing.T) {
	labels := map[string]string{}
	ids := map[string]string{}
	for _, m := range computeMethods {
		if len(m.Variants) == 0 {
			t.Errorf("%s: no variants", m.Name)
		}
		if m.Doc == "" {
			t.Errorf("%s: no doc", m.Name)
		}
		for _, v := range m.Variants {
			if prev, dup := labels[v.Label]; dup {
				t.Errorf("label %s in %s and %s", v.Label, prev, m.Name)
			}
			labels[v.Label] = m.Name
			for _, a := range strings.Split(v.Label, "+") {
				if _, ok := catalog.Lookup(a); !ok {
					t.Errorf("%s: %s is not an IAM action", v.Label, a)
				}
			}
			if !strings.HasPrefix(v.Certain, "Certain") || !strings.HasSuffix(v.Certain, ".") {
				t.Errorf("%s: Certain should be one sentence starting with Certain: %q", v.Label, v.Certain)
			}
			for _, id := range v.Catalog {
				if prev, dup := ids[id]; dup {
					t.Errorf("%s in %s and %s", id, prev, v.Label)
				}
				ids[id] = v.Label
			}
		}
	}
	var missing, extra []string
	want := map[string]bool{}
	for _, id := range computeCatalog {
		want[id] = true
		if ids[id] == "" {
			missing = append(missing, id)
		}
	}
	for id := range ids {
		if !want[id] {
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("catalogue ids missing %v, not expected %v", missing, extra)
	}
}

// TestComputeWays: the actions each way needs exist, and those needed on
// any resource are among them.
func TestComputeWays(t *testing.T) {
	for _, w := range allComputeWays() {
		if len(w.actions) == 0 {
			t.Errorf("%s: no actions", w.Label)
		}
		for _, a := range w.actions {
			if _, ok := catalog.Lookup(a); !ok {
				t.Errorf("%s: %s is not an IAM action", w.Label, a)
			}
		}
		for a := range w.anyRes {
			found := false
			for _, b := range w.actions {
				found = found || a == b
			}
			if !found {
				t.Errorf("%s: %s needed on any resource but not among its actions", w.Label, a)
			}
		}
	}
}

func allComputeWays() []way {
	var out []way
	for _, s := range computeSpecs {
		out = append(out, s.allWays()...)
	}
	return out
}

// TestPartialRoleARNWithStatedAccount: a role ARN built from the caller's
// account stays partial when the account is given only on the command
// line; it still names the role of the code with that name.
func TestPartialRoleARNWithStatedAccount(t *testing.T) {
	res := frontend.Load([]string{"testdata/compute-cfn-updatestack-partial-arn"}, frontend.Options{})
	iam.SetAccount(res.Graph, "111122223333")
	a := Analyze(res.Graph, Config{Now: fixtureNow})
	var got []string
	for _, p := range a.Paths {
		got = append(got, p.String()+" "+p.Certain.String())
	}
	want := "user dev -[cloudformation:UpdateStack]-> role cfn -[administrator]-> administrator true"
	if strings.Join(got, "\n") != want {
		t.Errorf("paths:\n%s", strings.Join(got, "\n"))
	}
}

// TestUnknownRoleDetail: a hop to administrator through compute whose
// role is not known from code says why.
func TestUnknownRoleDetail(t *testing.T) {
	for dir, want := range map[string]string{
		"testdata/compute-lambda-update-code-unknown-role":   "aws_lambda_function.app.role is not known: var.role_arn is not set",
		"testdata/compute-codebuild-startbuild-outside-role": "names role arn:aws:iam::111122223333:role/build-outside, which the code does not declare",
		"testdata/compute-ssm-sendcommand-outside-profile":   "names instance profile platform-admin, which the code does not declare",
		"testdata/compute-ec2-no-profile":                    "one may exist outside the code",
		"testdata/compute-glue-update-job-no-job":            "no Glue job is declared in the code",
	} {
		a := analyzeDir(t, dir)
		if len(a.Paths) != 1 || len(a.Paths[0].Hops) == 0 {
			t.Errorf("%s: %d paths", dir, len(a.Paths))
			continue
		}
		if d := a.Paths[0].Hops[0].Detail; !strings.Contains(d, want) {
			t.Errorf("%s: detail %q does not say %q", dir, d, want)
		}
	}
}
