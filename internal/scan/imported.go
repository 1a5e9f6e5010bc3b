package scan

import (
	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/imports"
	"github.com/eksguard/eksguard/internal/rule"
)

// importedFinding makes a record of another scanner's report a finding:
// failed, of the "imported" service, introduced by the report it came from
// and citing the scanner's pages.
func importedFinding(rec imports.Record) finding.Finding {
	refs := []rule.Reference{}
	for _, u := range rec.URLs {
		refs = append(refs, rule.Reference{Kind: rec.Origin, Title: rec.ID, URL: u})
	}
	return finding.Finding{
		RuleID:       rec.RuleID,
		Title:        rec.Title,
		Severity:     rec.Severity,
		SeverityName: rec.Severity.String(),
		CVSS:         rec.CVSS,
		Service:      "imported",
		Status:       rule.StatusFail.String(),
		Resource:     rec.Resource,
		ResourceType: rec.ResourceType,
		File:         rec.File,
		Line:         rec.Line,
		EndLine:      rec.EndLine,
		IntroducedBy: []string{rec.Report},
		Message:      rec.Message,
		Remediation:  rec.Remediation,
		References:   refs,
		Origin:       rec.Origin,
		Fingerprint:  rec.Fingerprint,
	}
}
