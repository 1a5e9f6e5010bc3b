package report

import "github.com/eksguard/eksguard/internal/rule"

// Compliance is the compliance view (--format compliance): each
// requirement of the practice sources and each EKS Best Practices Guide
// recommendation with its status, grouped by source. The scan computes it
// (package compliance) from the verdicts of its rules.
type Compliance struct {
	Sources []ComplianceSource
}

// ComplianceSource is one source of requirements, in output order.
type ComplianceSource struct {
	// Name heads the source: its title, or the title of its only document.
	Name string
	// Refs are the documents the requirements come from; none for a
	// section of the guide.
	Refs         []rule.Reference
	Requirements []ComplianceRequirement
}

// ComplianceStatus is what the scan says of one requirement.
type ComplianceStatus string

const (
	ComplianceMet          ComplianceStatus = "met"
	ComplianceFailed       ComplianceStatus = "failed"
	ComplianceNotEvaluated ComplianceStatus = "not evaluated"
	ComplianceNotCheckable ComplianceStatus = "not checkable from code"
)

// ComplianceRequirement is one line of the view.
type ComplianceRequirement struct {
	ID     string
	Text   string
	Status ComplianceStatus
	// Rules are the rule ids behind the requirement, sorted.
	Rules []string
	// Why says why a requirement cannot be checked from code.
	Why string
	// Failing are the rules that failed, with their finding counts.
	Failing []RuleFail
	// Passed counts the passing verdicts over all the rules; Passing
	// names the rules that passed and neither failed nor lacked a pass.
	Passed  int
	Passing []string
	// Unknown are the rules with only unknown verdicts; Unexercised those
	// with none at all.
	Unknown     []string
	Unexercised []string
}

// RuleFail is a failing rule and how many findings it gave.
type RuleFail struct {
	Rule  string
	Count int
}
