package builtin

import (
	"fmt"

	"github.com/eksguard/eksguard/internal/iam"
	"github.com/eksguard/eksguard/internal/rule"
)

// dataPolicyRules check resource policies of secrets through the IAM model.
var dataPolicyRules = []*rule.Rule{dataSecretPolicyPublic}

var dataSecretPolicyPublic = &rule.Rule{
	ID:       "DATA-011",
	Title:    "Secrets Manager secret policy lets anyone read the secret",
	Severity: rule.Critical,
	Service:  "Secrets Manager",
	Types:    []string{"aws_secretsmanager_secret_policy", "aws_secretsmanager_secret"},
	Rationale: "A resource policy on a secret that allows everyone (Principal \"*\") without a condition limiting who " +
		"(an organisation, account, VPC endpoint or source) lets any AWS principal of any account call " +
		"GetSecretValue, provided the KMS key allows it too, which the AWS managed key of Secrets Manager does for " +
		"calls through the service. AOS Edge keeps each secret readable only by the service it belongs to. " +
		iamEveryoneDoc + " The " +
		"policy is read through eksguard's IAM model, whatever it is written in (JSON string, jsonencode, " +
		"aws_iam_policy_document, CloudFormation).",
	Remediation: "Name the principals that need the secret (the role of the service), or add a condition such as " +
		"aws:PrincipalOrgID or aws:SourceVpce to the statement; better, grant access through the readers' " +
		"identity policies and keep no resource policy.",
	Example: `resource "aws_secretsmanager_secret_policy" "api" {
  secret_arn = aws_secretsmanager_secret.api.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.api.arn }
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
    }]
  })
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("AWS Secrets Manager: Resource-based policies", "https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html"),
		awsdoc("IAM: AWS global condition context keys", "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"),
		tfdoc("aws_secretsmanager_secret_policy")},
	Run: func(p *rule.Pass) {
		for _, r := range p.Graph.OfType("aws_secretsmanager_secret_policy", "aws_secretsmanager_secret") {
			if r.Type == "aws_secretsmanager_secret" && r.Get("policy").IsNull() {
				continue // no inline policy: the separate policy resource, if any, is judged
			}
			pol := iam.FromAttribute(p.Graph, r, "policy")
			if pol == nil {
				continue
			}
			if pol.Unknown {
				p.Unknown(r, "policy", "the policy of %s is known only after apply", r.Address)
				continue
			}
			if pol.Invalid != "" {
				p.UnknownAt(r, "policy", pol.Range, "the policy of %s %s", r.Address, iamInvalidMsg(pol))
				continue
			}
			public, maybe := iam.PublicGrants(pol)
			switch {
			case len(public) > 0:
				st := public[0]
				p.FailAt(r, "policy", st.Range, "statement %s of %s allows everyone (Principal *) with no condition limiting who%s",
					st.Label(), r.Address, dataPolicyMore(len(public)))
			case len(maybe) > 0:
				p.UnknownAt(r, "policy", maybe[0].Range, "statement %s of %s may allow everyone: its principal or condition is known only after apply",
					maybe[0].Label(), r.Address)
			default:
				p.Pass(r, "policy")
			}
		}
	},
}

func dataPolicyMore(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(" (and %d more such statements)", n-1)
}
