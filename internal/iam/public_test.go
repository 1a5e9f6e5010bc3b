package iam

import "testing"

func TestPublicGrants(t *testing.T) {
	tests := []struct {
		doc           string
		public, maybe int
	}{
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`, 1, 0},
		{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*"}]}`, 1, 0},
		{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`, 0, 0},
		{`{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`, 0, 0},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}]}`, 0, 0},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}`, 0, 0},
		// A negated test or kms:ViaService alone still admits anyone.
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-1"}}}]}`, 1, 0},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.eu-west-1.amazonaws.com"}}}]}`, 1, 0},
	}
	for i, tt := range tests {
		pub, maybe := PublicGrants(pol(t, tt.doc))
		if len(pub) != tt.public || len(maybe) != tt.maybe {
			t.Errorf("case %d: %d public, %d maybe; want %d, %d", i, len(pub), len(maybe), tt.public, tt.maybe)
		}
	}
	unknownPrincipal := &Policy{Statements: []*Statement{{Effect: Allow, Principal: Principal{Unknown: true}}}}
	if pub, maybe := PublicGrants(unknownPrincipal); len(pub) != 0 || len(maybe) != 1 {
		t.Errorf("a principal known only after apply: %d public, %d maybe", len(pub), len(maybe))
	}
}
