package iam

import (
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
)

// TestInvalidDocument: a document that cannot be read says why and, for a
// heredoc written in the file, where; it has no statements, and it is not
// "unknown" (its text is known).
func TestInvalidDocument(t *testing.T) {
	heredoc := "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:*\", \"Resource\": \"*\",}\n  ]\n}\n"
	tests := []struct {
		name   string
		text   string
		at     graph.Range
		why    string
		atLine int
	}{
		// policy = <<EOF on line 10, the document on lines 11-15, EOF on 16.
		{"heredoc", heredoc, graph.Range{File: "main.tf", Line: 10, EndLine: 16}, "not valid JSON", 13},
		// The same text from elsewhere (a local, a plan string): only the
		// document's own line is known.
		{"elsewhere", heredoc, graph.Range{File: "main.tf", Line: 10, EndLine: 10}, "(line 3, column", 0},
		{"empty", "  ", graph.Range{File: "main.tf", Line: 3}, "empty policy document", 0},
		{"array", `[]`, graph.Range{File: "main.tf", Line: 3}, "not a JSON object", 0},
		{"no statement", `{"Version": "2012-10-17"}`, graph.Range{File: "main.tf", Line: 3}, "no Statement", 0},
	}
	for _, tt := range tests {
		p := &Policy{}
		p.readJSON(tt.text, tt.at)
		if !strings.Contains(p.Invalid, tt.why) || len(p.Statements) != 0 || p.Unknown || len(p.Errors) == 0 {
			t.Errorf("%s: Invalid %q (want it to say %q), %d statements, unknown %v, errors %v", tt.name, p.Invalid, tt.why,
				len(p.Statements), p.Unknown, p.Errors)
		}
		if p.InvalidAt.Line != tt.atLine {
			t.Errorf("%s: at line %d, want %d", tt.name, p.InvalidAt.Line, tt.atLine)
		}
	}
	// A statement that is not an object is an error, and a statement that
	// may say anything: its principal is not known.
	p := &Policy{}
	p.readJSON(`{"Statement": ["oops", {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`, graph.Range{File: "p.json", Line: 1})
	if p.Invalid != "" || len(p.Statements) != 2 || !p.Statements[0].Principal.Unknown || !p.Statements[0].EffectUnknown || len(p.Errors) != 1 {
		t.Errorf("non-object statement: invalid %q, %d statements, errors %v", p.Invalid, len(p.Statements), p.Errors)
	}
	if _, maybe := PublicGrants(p); len(maybe) != 1 {
		t.Errorf("a statement that cannot be read may grant to everyone: %d maybe", len(maybe))
	}
}
