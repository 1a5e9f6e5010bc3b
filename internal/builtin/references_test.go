package builtin

import (
	"slices"
	"testing"

	"github.com/eksguard/eksguard/internal/testutil"
)

// TestReferencesNameNoMissingFile fails when a rule reference names, in
// its title or its URL, a file that is not in the repository: a reader of
// the report could not open it (as the seeds/00N_....txt files the
// references once cited).
func TestReferencesNameNoMissingFile(t *testing.T) {
	root := testutil.RepoRoot(t)
	for _, r := range All() {
		for _, ref := range r.References {
			for _, p := range testutil.MissingRepoPaths(root, ref.Title) {
				t.Errorf("%s: reference %q names %s, which is not in the repository", r.ID, ref.Title, p)
			}
			if u := testutil.MissingRepoURL(root, ref.URL); u != "" {
				t.Errorf("%s: reference %q points at %s, which is not in the repository", r.ID, ref.Title, u)
			}
		}
	}
}

// TestMissingRepoPaths checks the detector itself on the shapes it must
// and must not report.
func TestMissingRepoPaths(t *testing.T) {
	root := testutil.RepoRoot(t)
	for text, want := range map[string][]string{
		"seeds/000_42de76f41b95fec3.txt (Conveyor: minimal installation role, auditing)": {"seeds/000_42de76f41b95fec3.txt"},
		"see ./seeds/004 for the aliases":                                                {"./seeds/004"},
		"notes/gone.md, section 2":                                                       {"notes/gone.md"},
		"docs/rules.md and ./README.md":                                                  nil,
		"Snyk: Four steps (https://snyk.io/blog/hardening-amazon-eks-security/)":         nil,
		"DevSecOps: Security actions/settings, CI/CD, TCP/UDP":                           nil,
		"the socket /var/run/docker.sock and ~/.aws/config":                              nil,
		"CIS Amazon EKS Benchmark 3.1.2: kubelet.conf":                                   nil,
	} {
		if got := testutil.MissingRepoPaths(root, text); !slices.Equal(got, want) {
			t.Errorf("MissingRepoPaths(%q) = %q, want %q", text, got, want)
		}
	}
	for u, want := range map[string]string{
		"https://docs.aws.amazon.com/eks/latest/best-practices/security.html": "",
		"docs/rules.md#eks-001":          "",
		"seeds/001_5e6d6dfcfd1b07c6.txt": "seeds/001_5e6d6dfcfd1b07c6.txt",
		"":                               "",
	} {
		if got := testutil.MissingRepoURL(root, u); got != want {
			t.Errorf("MissingRepoURL(%q) = %q, want %q", u, got, want)
		}
	}
}

// TestPracticeSourcesListed: a reference of a practice-source kind that
// PracticeSources does not list would be missing from the compliance view.
func TestPracticeSourcesListed(t *testing.T) {
	kinds := map[string]bool{}
	for _, ref := range PracticeSources() {
		kinds[ref.Kind] = true
		if ref.Title == "" {
			t.Errorf("practice source without a title: %+v", ref)
		}
	}
	used := map[string]bool{}
	for _, r := range All() {
		for _, ref := range r.References {
			if kinds[ref.Kind] {
				if !slices.Contains(PracticeSources(), ref) {
					t.Errorf("%s: reference %q of kind %s is not one of PracticeSources", r.ID, ref.Title, ref.Kind)
				}
				used[ref.Title] = true
			}
		}
	}
	for _, ref := range PracticeSources() {
		if !used[ref.Title] {
			t.Errorf("practice source %q is cited by no rule", ref.Title)
		}
	}
}
