package ruledoc

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/builtin"
)

// TestRulesDocUpToDate fails when docs/rules.md no longer matches the rule
// definitions it is generated from.
func TestRulesDocUpToDate(t *testing.T) {
	var buf bytes.Buffer
	Markdown(&buf, builtin.All())
	have, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatalf("reading docs/rules.md: %v", err)
	}
	if !bytes.Equal(have, buf.Bytes()) {
		t.Fatalf("docs/rules.md is stale; regenerate it with: go generate ./cmd/eksguard")
	}
}

// TestRulesComplete checks the documentation fields every rule must carry.
func TestRulesComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range builtin.All() {
		if seen[r.ID] {
			t.Errorf("duplicate rule id %s", r.ID)
		}
		seen[r.ID] = true
		if r.Title == "" || r.Rationale == "" || r.Remediation == "" || r.Example == "" || r.Service == "" || r.Run == nil {
			t.Errorf("%s: title, rationale, remediation, example, service and run are all required", r.ID)
		}
		if r.Severity < 1 {
			t.Errorf("%s: no severity", r.ID)
		}
		var hasSourceOrGuide bool
		for _, ref := range r.References {
			if ref.Kind == "eks-bpg" || slices.Contains(builtin.PracticeSources(), ref) {
				hasSourceOrGuide = true
			}
			if ref.URL != "" && !strings.HasPrefix(ref.URL, "https://") {
				t.Errorf("%s: reference URL %q is not https", r.ID, ref.URL)
			}
		}
		if !hasSourceOrGuide {
			t.Errorf("%s: needs a reference to a practice source or the EKS Best Practices Guide", r.ID)
		}
	}
}
