package scan

import (
	"strings"
	"time"

	"github.com/eksguard/eksguard/internal/baseline"
	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/finding"
	"github.com/eksguard/eksguard/internal/report"
	"github.com/eksguard/eksguard/internal/rule"
	"github.com/eksguard/eksguard/internal/suppress"
)

// exceptions applies recorded suppressions and a baseline to findings.
type exceptions struct {
	sup  *suppress.Set
	base *baseline.Index
	asOf time.Time
}

func newExceptions(o Options, r *report.Report) *exceptions {
	ex := &exceptions{sup: suppress.New(), asOf: o.Config.AsOf}
	if o.ConfigFile != "" {
		ex.sup.LoadConfig(o.ConfigFile)
	}
	if o.BaselineFile != "" {
		b, err := baseline.Load(o.BaselineFile)
		if err != nil {
			r.Errors = append(r.Errors, diag.Diagnostic{Severity: diag.Error, File: o.BaselineFile, Summary: "cannot read baseline", Detail: err.Error()})
		} else {
			ex.base = baseline.NewIndex(b)
		}
	}
	return ex
}

// apply files a finding as suppressed or baselined, or reports that it
// stays active. An expired suppression no longer applies and is reported.
func (ex *exceptions) apply(r *report.Report, f *finding.Finding, res *rule.Result) (kept bool) {
	var attrLines []int
	// The lines of the attributes on the way to the finding's are where
	// an inline suppression may sit: read only for a file that has one.
	if len(ex.sup.Inline(f.File)) > 0 {
		for p := res.Path; p != ""; {
			if v := res.Resource.Get(p); v != nil && v.Range.File == f.File {
				attrLines = append(attrLines, int(v.Range.Line))
			}
			i := strings.LastIndexByte(p, '.')
			if i < 0 {
				break
			}
			p = p[:i]
		}
	}
	return ex.applyTo(r, f, int(res.Resource.Range.Line), attrLines)
}

// applyTo is apply for any finding, imported ones included, given the
// lines a suppression may sit on besides the finding's own.
func (ex *exceptions) applyTo(r *report.Report, f *finding.Finding, resourceLine int, attrLines []int) (kept bool) {
	active, expired := ex.sup.Match(suppress.Finding{RuleID: f.RuleID, Resource: f.Resource, File: f.File,
		Line: f.Line, ResourceLine: resourceLine, AttrLines: attrLines}, ex.asOf)
	switch {
	case active != nil:
		f.Suppression = &finding.Suppression{Reason: active.Reason, Owner: active.Owner, Expires: active.Expires,
			File: active.File, Line: active.Line, Inline: active.Inline}
		r.Suppressed = append(r.Suppressed, *f)
		return false
	case expired != nil:
		r.Errors = append(r.Errors, diag.Diagnostic{Severity: diag.Warning, File: expired.File, Line: expired.Line,
			Summary: "suppression expired", Detail: "it expired on " + expired.Expires + " and no longer covers " +
				f.RuleID + " on " + f.Resource + "; renew the analysis or fix the finding"})
	}
	if ex.base != nil && f.Status == rule.StatusFail.String() && ex.base.Contains(*f) {
		r.Baselined = append(r.Baselined, *f)
		return false
	}
	return true
}

// finish lists the suppressions with their status and the fixed baseline
// findings, and reports rejected suppressions.
func (ex *exceptions) finish(r *report.Report, inputs []string) {
	ex.sup.ReadInlineFiles(inputs)
	r.Errors = append(r.Errors, ex.sup.Diags...)
	r.Suppressions = ex.sup.Statuses(ex.asOf)
	if ex.base != nil {
		r.Fixed = ex.base.Fixed()
	}
}

// gatedSuppressed is what the gate judges besides the active findings:
// the suppressed critical ones, which the DevSecOps settings page never
// allows whatever the analysis (only a lower --fail-on lets them through).
func gatedSuppressed(r *report.Report) []finding.Finding {
	var out []finding.Finding
	for i := range r.Suppressed {
		if f := &r.Suppressed[i]; f.Severity >= rule.Critical && f.Status == rule.StatusFail.String() {
			out = append(out, *f)
		}
	}
	return out
}
