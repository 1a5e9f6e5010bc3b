package cli

import (
	"strings"
	"testing"
)

// TestComplianceFormat scans examples/shop and checks one failed and one
// met requirement of the compliance view, and that the output is stable.
func TestComplianceFormat(t *testing.T) {
	_, out, _ := run(t, "", "scan", "--format", "compliance", "../../examples/shop")
	for _, want := range []string{
		"## Conveyor documentation: Conveyor security on AWS\n\nSource: <https://docs.conveyordata.com/background-information/conveyor-security>\n",
		"## badboysofdevops.com: AWS account aliases, CLI profiles and a secure CI deployment pipeline\n\n" +
			"- badboysofdevops.com: AWS Account Alias as part of security (2019): <https://badboysofdevops.com/2019/02/aws-account-alias-as-part-of-security.html>\n" +
			"- badboysofdevops.com: Secure CI deployment pipeline at AWS pt 1: Theory (2018)\n",
		"## EKS Best Practices Guide: Pod security",
		// K8S-010: a privileged container in the shop manifests.
		"| BPG-POD-2 | Restrict privileged containers | failed | K8S-010 | failing: K8S-010 (1) |",
		// IMDSv2 and hop limit 1 on the shop's node group.
		"| BPG-IAM-10 | Restrict pod access to the node instance profile (IMDSv2, hop limit 1) | met | NODE-001 NODE-002 |",
		"| BPG-IR-1 | Have an incident response plan and practise it (game days, drills) | not checkable from code | - |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("compliance output lacks %q\n%s", want, out)
		}
	}
	_, again, _ := run(t, "", "scan", "--format", "compliance", "../../examples/shop")
	if again != out {
		t.Error("compliance output differs between two runs")
	}
}
