package gate

import (
	"testing"

	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/rule"
)

func f(sev rule.Severity, status string) finding.Finding {
	return finding.Finding{Severity: sev, SeverityName: sev.String(), Status: status}
}

func TestEvaluate(t *testing.T) {
	all := []finding.Finding{f(rule.Critical, "fail"), f(rule.High, "fail"), f(rule.Medium, "fail"),
		f(rule.Low, "fail"), f(rule.Critical, "unknown")}
	cases := []struct {
		failOn   rule.Severity
		blocking int
	}{
		{rule.Critical, 1}, {rule.High, 2}, {rule.Medium, 3}, {rule.Low, 4}, {rule.None, 0},
	}
	for _, c := range cases {
		d := Evaluate(Policy{FailOn: c.failOn}, all)
		if d.Blocking != c.blocking || d.Passed != (c.blocking == 0) {
			t.Errorf("fail-on %s: blocking %d passed %v, want %d", c.failOn, d.Blocking, d.Passed, c.blocking)
		}
		// The same findings in several lists are judged alike.
		if s := Evaluate(Policy{FailOn: c.failOn}, all[:2], nil, all[2:]); s.Blocking != d.Blocking || s.Passed != d.Passed ||
			s.BlockingBySeverity[rule.High.String()] != d.BlockingBySeverity[rule.High.String()] {
			t.Errorf("fail-on %s, findings in three lists: %+v, want %+v", c.failOn, s, d)
		}
	}
	if d := Evaluate(DefaultPolicy, []finding.Finding{f(rule.Medium, "fail"), f(rule.Critical, "unknown")}); !d.Passed {
		t.Error("medium failures and unknowns must not block the default gate")
	}
}

func TestSeverityBands(t *testing.T) {
	for _, c := range []struct {
		score float64
		want  rule.Severity
	}{{10, rule.Critical}, {9.0, rule.Critical}, {8.9, rule.High}, {7.0, rule.High}, {6.9, rule.Medium},
		{4.0, rule.Medium}, {3.9, rule.Low}, {0.1, rule.Low}, {0, rule.None}} {
		if got := rule.SeverityFromScore(c.score); got != c.want {
			t.Errorf("score %.1f → %s, want %s", c.score, got, c.want)
		}
		if c.want != rule.None && rule.SeverityFromScore(c.want.Score()) != c.want {
			t.Errorf("%s: representative score %.1f is outside its band", c.want, c.want.Score())
		}
	}
}
