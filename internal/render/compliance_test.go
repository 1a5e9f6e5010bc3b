package render

import (
	"bytes"
	"testing"

	"github.com/eksguard/eksguard/internal/report"
)

// A report the scan did not fill has no compliance view; writing an empty
// table would claim nothing was checked.
func TestComplianceNeedsTheView(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCompliance(&b, &report.Report{AsOf: "2026-11-22"}, Options{}); err == nil || b.Len() > 0 {
		t.Errorf("WriteCompliance without a view: err %v, wrote %q", err, b.String())
	}
}
