package iam

import (
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/tri"
)

// FromJSON reads a policy document given as JSON text, exactly as
// FromAttribute reads one held in a string attribute, for callers that have
// the text but not the resource it came from. The document has no position
// in a file, so its statements carry none.
func FromJSON(doc, name string) *Policy {
	p := &Policy{Name: name}
	p.readJSON(doc, graph.Range{})
	return p
}

// CoversAction reports whether the statement's Action or NotAction takes in
// action, leaving Resource and Condition aside. A trust policy names no
// resource, and a caller asking about one condition key (which service
// account presents a web identity token) judges the conditions itself with
// Condition.Eval, since the other keys are not its question.
func (st *Statement) CoversAction(action string) tri.Tri { return st.matchAction(action) }
