package policy_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eksguard/eksguard/internal/policy"
)

// configMaps writes n one-document files, each an input of a raw policy.
func configMaps(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		doc := fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%02d\n  namespace: default\ndata:\n  k: v\n", i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("cm-%02d.yaml", i)), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// lines counts the lines written to it; print() output arrives from every
// worker at once.
type lines struct {
	mu sync.Mutex
	n  int
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	l.n += strings.Count(string(p), "\n")
	l.mu.Unlock()
	return len(p), nil
}

// A policy that exceeds the time bound on every input is stopped after its
// budget of time-outs and reported once, with how many evaluations were
// skipped; the policy beside it still judges every input.
func TestBudgetStopsSlowPolicy(t *testing.T) {
	// A fixed pool size bounds how many evaluations can be under way
	// before the stop is known.
	const workers = 4
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(workers))
	const docs = 40
	dir := configMaps(t, docs)
	// The bound is far above what SEEN-001 needs, even on a loaded machine
	// under the race detector with LOOP-001 winding down beside it (at
	// 50ms it was seen to time out).
	s := load(t, policy.Options{Limits: policy.Limits{Timeout: time.Second}}, "testdata/budget")
	noDiags(t, s.Diags)
	started := &lines{}
	loaded := evaluateWith(t, s, started, dir)

	if len(loaded.Diags) != 1 {
		t.Fatalf("want one diagnostic, got %v", loaded.Diags)
	}
	d := loaded.Diags[0]
	if d.File != "testdata/budget/loop.rego" || d.Line != 10 {
		t.Errorf("diagnostic not at the policy: %v", d)
	}
	skipped := docs - policy.DefaultBudget
	if want := fmt.Sprintf("policy LOOP-001 stopped after %d evaluations exceeded the time bound of 1s; %d evaluations skipped", policy.DefaultBudget, skipped); d.Summary != want {
		t.Errorf("summary %q\nwant    %q", d.Summary, want)
	}
	// The inputs named are the first in order, whichever timed out first.
	for _, s := range []string{"cm-00.yaml:1, ", "cm-01.yaml:1, ", "cm-02.yaml:1; ", "--policy-timeout", "--policy-budget (now 3)"} {
		if !strings.Contains(d.Detail, s) {
			t.Errorf("detail %q lacks %q", d.Detail, s)
		}
	}
	t.Logf("%d evaluations of LOOP-001 started", started.n)
	// Evaluations started: one per worker at first, and the next inputs
	// picked up by workers whose evaluation timed out before the stop was
	// known; a stop that waited for every input would start all 40.
	if n := started.n; n < policy.DefaultBudget || n > policy.DefaultBudget+2*workers {
		t.Errorf("%d evaluations of LOOP-001 started; want between %d and %d of %d", n, policy.DefaultBudget, policy.DefaultBudget+2*workers, docs)
	}
	if got := fails(loaded); len(got) != docs || !regexp.MustCompile(`^SEEN-001 ConfigMap/default/cm-00 .*cm-00.yaml:1 cm-00 seen$`).MatchString(got[0]) {
		t.Errorf("SEEN-001 should judge every input: %d findings, %v", len(got), got)
	}
}

// A larger budget lets more evaluations time out before the stop.
func TestBudgetIsConfigurable(t *testing.T) {
	dir := configMaps(t, 8)
	s := load(t, policy.Options{Limits: policy.Limits{Timeout: 20 * time.Millisecond, Budget: 5}}, "testdata/budget/loop.rego")
	noDiags(t, s.Diags)
	out := evaluateWith(t, s, nil, dir)
	if len(out.Diags) != 1 || !strings.HasSuffix(out.Diags[0].Summary, "stopped after 5 evaluations exceeded the time bound of 20ms; 3 evaluations skipped") {
		t.Errorf("diagnostics: %v", out.Diags)
	}
}
