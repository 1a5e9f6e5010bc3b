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
		if int(p.InvalidAt.Line) != tt.atLine {
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

// FromAttribute reads a document once per graph, but each caller gets a
// Policy of its own: the model renames the policies it reads (pol.Name),
// and another reader of the same attribute must not see that.
func TestFromAttributeReadsOnceCopiesPerCaller(t *testing.T) {
	g := graph.New()
	doc := `{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`
	r := g.Add(&graph.Resource{Type: "aws_iam_policy", Name: "p", Address: "aws_iam_policy.p",
		Attrs: graph.NewMap(map[string]*graph.Value{"policy": graph.NewString(doc)})})
	a := FromAttribute(g, r, "policy")
	if a == nil || len(a.Statements) != 1 || a.Name != "aws_iam_policy.p" {
		t.Fatalf("read %+v", a)
	}
	a.Name = "renamed"
	b := FromAttribute(g, r, "policy")
	if b == a || b.Name != "aws_iam_policy.p" {
		t.Errorf("second reader got %p %q, first %p", b, b.Name, a)
	}
	if len(b.Statements) != 1 || b.Statements[0] != a.Statements[0] {
		t.Errorf("the document was read again: statements %v and %v", a.Statements, b.Statements)
	}
	if FromAttribute(g, r, "missing") != nil {
		t.Error("an absent attribute gave a policy")
	}
}
