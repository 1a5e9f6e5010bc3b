// Package gate decides the exit status of a scan from its findings and one
// severity policy (the DevSecOps settings page, "CVSS scores": critical is never allowed, high
// must be analysed, lower may go through). The gate never changes what is
// reported; it only decides whether the run passes.
package gate

import (
	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/rule"
)

// Policy is the gate's configuration.
type Policy struct {
	// FailOn is the lowest severity that blocks; None disables the gate.
	FailOn rule.Severity
}

// DefaultPolicy blocks high and critical findings, as the DevSecOps settings page asks.
var DefaultPolicy = Policy{FailOn: rule.High}

// Decision is the gate's verdict.
type Decision struct {
	FailOn string `json:"fail_on"`
	Passed bool   `json:"passed"`
	// Blocking counts the failed findings at or above FailOn.
	Blocking int `json:"blocking"`
	// BlockingBySeverity breaks Blocking down.
	BlockingBySeverity map[string]int `json:"blocking_by_severity"`
	// NotEvaluated, when set, says why there was nothing to judge (no
	// input could be read); Passed is then false, so a consumer reading
	// only passed does not take an unchecked scan for a clean one.
	NotEvaluated string `json:"not_evaluated,omitempty"`
}

// NotEvaluatedDecision is the verdict of a scan that checked nothing.
func NotEvaluatedDecision(p Policy, why string) Decision {
	return Decision{FailOn: p.FailOn.String(), BlockingBySeverity: map[string]int{}, NotEvaluated: why}
}

// Evaluate applies the policy. Unknown verdicts never block: they are
// reported apart for review, because a gate that fails on what code cannot
// tell would push teams to silence it.
//
// The findings may come in several lists (the active ones and the
// suppressed ones that are judged anyway), read in place: a large plan's
// findings take tens of megabytes.
func Evaluate(p Policy, lists ...[]finding.Finding) Decision {
	d := Decision{FailOn: p.FailOn.String(), BlockingBySeverity: map[string]int{}}
	for _, findings := range lists {
		for i := range findings {
			f := &findings[i]
			if f.Status != rule.StatusFail.String() {
				continue
			}
			if p.FailOn != rule.None && f.Severity >= p.FailOn {
				d.Blocking++
				d.BlockingBySeverity[f.Severity.String()]++
			}
		}
	}
	d.Passed = d.Blocking == 0
	return d
}
