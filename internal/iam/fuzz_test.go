package iam

import (
	"testing"

	"github.com/eksguard/eksguard/internal/jsonpos"
)

// FuzzPolicy feeds arbitrary documents through the policy reader and the
// evaluator: malformed policies must become errors or unknowns, never a
// panic.
func FuzzPolicy(f *testing.F) {
	f.Add([]byte(allowAll))
	f.Add([]byte(notActionIAM))
	f.Add([]byte(passToEC2))
	f.Add([]byte(`{"Statement":{"Effect":"Deny","NotResource":["a",1,null,{}],"Principal":{"AWS":[]},"Condition":{"X":[]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := jsonpos.Parse(data, "fuzz.json")
		if err != nil {
			return
		}
		p := FromValue(v, "fuzz.json")
		for _, req := range []Request{
			{Action: "iam:PassRole", Resource: "arn:aws:iam::${Account}:role/x"},
			{Action: "s3:GetObject", AnyResource: true, Context: map[string][]string{"aws:SourceIp": {"10.0.0.1"}}},
		} {
			Evaluate(PolicySet{Identity: []*Policy{p}, Boundary: p}, req)
		}
	})
}
