package builtin

import (
	"fmt"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

var networkRules = []*rule.Rule{netSubnetPublicIP, netAdminPortsOpen, netPortsOpen, eksClusterSGOpen}

var netSubnetPublicIP = &rule.Rule{
	ID:       "NET-001",
	Title:    "Subnet assigns public IP addresses to instances on launch",
	Severity: rule.Low,
	Service:  "VPC",
	Types:    []string{"aws_subnet"},
	Rationale: "map_public_ip_on_launch gives every instance launched into the subnet a public address, whether or " +
		"not it needs one; nodes placed there are reachable from the internet (the \"Public IPs are " +
		"automatically mapped to instances\" finding of Snyk's EKS hardening post). The provider default is false.",
	Remediation: "Set map_public_ip_on_launch = false and keep nodes in private subnets; give public addresses only to " +
		"load balancers and NAT gateways.",
	Example: `resource "aws_subnet" "private" {
  vpc_id                  = aws_vpc.this.id
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = false
}`,
	References: []rule.Reference{RefSnykEKS, RefDevSecOps,
		bpg("network-security", "", "Network security"), tfdoc("aws_subnet")},
	Run: func(p *rule.Pass) {
		for _, s := range p.Graph.OfType("aws_subnet") {
			p.Report(rule.BoolOr(s.Get("map_public_ip_on_launch"), false), s, firstPresent(s, "map_public_ip_on_launch"),
				"instances launched in this subnet get public IP addresses (map_public_ip_on_launch = true)",
				"map_public_ip_on_launch is known only after apply")
		}
	},
}

// cidrDoc says how every internet-exposure rule reads CIDR blocks.
const cidrDoc = "CIDR blocks are read as addresses, not compared as text: ::/0 written in full " +
	"(0000:0000:0000:0000:0000:0000:0000:0000/0), 0.0.0.0/00 (which the AWS provider accepts) and a block with host " +
	"bits set (EC2 stores 10.0.0.5/8 as 10.0.0.0/8) are what AWS makes of them, and a block AWS does not accept " +
	"(0.0.0.0 without a length, 0.0.0.0/33) makes the verdict unknown. The internet is every public address of " +
	"IPv4 or of IPv6 (IPv6: 2000::/3): blocks that together cover it count, whether or not they also cover private, " +
	"shared, loopback, link-local, documentation, multicast or reserved ranges (0.0.0.0/1 with 128.0.0.0/1; every " +
	"range but RFC 1918), and blocks that leave out any public address do not (0.0.0.0/1 alone)."

// sgUnionDoc says how the security group rules read a group's rules.
const sgUnionDoc = "A security group admits the union of its rules (inline ingress blocks, and the " +
	"aws_security_group_rule and aws_vpc_security_group_ingress_rule resources attached to it by reference or " +
	"literal id): a rule is reported when, on a protocol and port it admits, the group's rules together admit the " +
	"internet and the rule is part of that (without it the others would not, or no single rule is needed and it " +
	"admits public addresses); a rule the rest of the group makes redundant (8.8.8.8/32 beside 0.0.0.0/0) passes, " +
	"and rules on different protocols or ports do not add up. A rule whose group is not knowable is judged alone, " +
	"and the sources of other rules that are not knowable from code are left out: those rules are unknown " +
	"themselves."

var adminPorts = [][2]float64{{22, 22}, {3389, 3389}, {6443, 6443}, {2379, 2380}, {10250, 10250}, {5985, 5986}}

var sgTypes = []string{"aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"}

var netAdminPortsOpen = &rule.Rule{
	ID:       "NET-002",
	Title:    "Security group allows internet ingress to administrative ports or all ports",
	Severity: rule.High,
	Service:  "VPC",
	Types:    sgTypes,
	Rationale: "Ingress from 0.0.0.0/0 or ::/0 to SSH (22), RDP (3389), the Kubernetes API (6443), etcd (2379-2380), " +
		"the kubelet (10250), WinRM (5985-5986) or to every port exposes management interfaces to constant " +
		"scanning and brute force (AOS Edge: no public resources; the DevSecOps settings page: private nodes). " + sgUnionDoc + " " + cidrDoc,
	Remediation: "Limit the source to known CIDRs or security groups, or remove the rule and use SSM Session " +
		"Manager / private endpoints for administration.",
	Example: `resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id            = aws_security_group.nodes.id
  referenced_security_group_id = aws_security_group.bastion.id
  from_port                    = 22
  to_port                      = 22
  ip_protocol                  = "tcp"
}`,
	References: []rule.Reference{RefAosEdge, RefDevSecOps,
		bpg("network-security", "", "Network security"),
		awsdoc("Amazon VPC: Security group rules", "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"),
		tfdoc("aws_security_group")},
	Run: func(p *rule.Pass) {
		flows := sgIngress(p.Graph)
		for _, r := range p.Graph.OfType(sgTypes...) {
			for _, e := range flows.of[r] {
				v := flows.group[e].judge(e, adminPoints(e))
				switch v.t {
				case rule.True:
					p.Fail(r, e.path(v.v6), "%s", v.describe(e, e.ports()))
				case rule.False:
					p.Pass(r, e.path(v.v6))
				default:
					p.Unknown(r, e.path(v.v6), "%s", sgUnknown(v))
				}
			}
		}
	},
}

// sgUnknown is the message of a possible exposure.
func sgUnknown(v flowVerdict) string {
	return "whether this ingress rule admits the internet on " + v.at[0].String() + " is not knowable from code: " + v.reason
}

var netPortsOpen = &rule.Rule{
	ID:       "NET-003",
	Title:    "Security group allows internet ingress",
	Severity: rule.Low,
	Service:  "VPC",
	Types:    sgTypes,
	Rationale: "Ingress from 0.0.0.0/0 or ::/0 on service ports is sometimes intended (HTTPS on an internet-facing " +
		"load balancer) but is how resources end up public by accident; AOS Edge asks for no public resources. " +
		"Administrative ports are covered by NET-002; rules whose ports are not knowable are left to it. " + sgUnionDoc +
		" " + cidrDoc,
	Remediation: "Confirm the exposure is intended, put it behind a load balancer or CloudFront, and restrict the " +
		"source where possible.",
	Example: `resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.alb.id
  cidr_ipv4         = "10.0.0.0/8"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}`,
	References: []rule.Reference{RefAosEdge,
		bpg("network-security", "", "Network security"), tfdoc("aws_security_group")},
	Run: func(p *rule.Pass) {
		flows := sgIngress(p.Graph)
		for _, r := range p.Graph.OfType(sgTypes...) {
			for _, e := range flows.of[r] {
				adm := e.admin()
				if adm == rule.True {
					continue // NET-002's subject
				}
				grp := flows.group[e]
				v := grp.judge(e, grp.allPoints(e))
				switch {
				case v.t == rule.False:
					p.Pass(r, e.path(v.v6))
				case adm == rule.TriUnknown:
					// NET-002 reports it: its ports may be administrative.
				case v.t == rule.True:
					p.Fail(r, e.path(v.v6), "%s", v.describe(e, e.ports()))
				default:
					p.Unknown(r, e.path(v.v6), "%s", sgUnknown(v))
				}
			}
		}
	},
}

var eksClusterSGOpen = &rule.Rule{
	ID:       "EKS-011",
	Title:    "EKS cluster security group allows ingress from the internet",
	Severity: rule.High,
	Service:  "EKS",
	Types:    []string{"aws_eks_cluster", "aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"},
	Rationale: "The security groups in vpc_config.security_group_ids guard the cross-account ENIs of the control " +
		"plane. Internet ingress there bypasses the point of a private endpoint and exposes the API server and " +
		"kubelet traffic paths. The cluster's interfaces carry every group listed, so the rules of all of them " +
		"(inline, and rule resources attached by reference) are taken together: a rule admitting the internet on " +
		"any port fails, and so do rules of one or several of the groups that on the same protocol and port " +
		"together admit the internet (0.0.0.0/1 in one group, 128.0.0.0/1 in another). " + cidrDoc,
	Remediation: "Allow only the node security group and known private ranges into the cluster security groups.",
	Example: `resource "aws_vpc_security_group_ingress_rule" "nodes_to_api" {
  security_group_id            = aws_security_group.cluster.id
  referenced_security_group_id = aws_security_group.nodes.id
  from_port                    = 443
  to_port                      = 443
  ip_protocol                  = "tcp"
}`,
	References: []rule.Reference{RefDevSecOps, RefAosEdge,
		bpg("network-security", "", "Network security"),
		awsdoc("Amazon EKS: View Amazon EKS security group requirements for clusters", "https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html"),
		tfdoc("aws_eks_cluster")},
	Run: func(p *rule.Pass) {
		flows := sgIngress(p.Graph)
		for _, c := range p.Graph.OfType("aws_eks_cluster") {
			// The cluster's network interfaces carry every group listed:
			// what they admit is the union of all their rules.
			grp := &flowGroup{sameACL: rule.True}
			seen := map[*graph.Resource]bool{}
			for _, sg := range p.Graph.Targets(c, "vpc_config.security_group_ids", "aws_security_group") {
				rules := append([]*graph.Resource{sg}, p.Graph.Sources(sg, "security_group_id", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule")...)
				for _, r := range rules {
					if !seen[r] {
						seen[r] = true
						grp.entries = append(grp.entries, flows.of[r]...)
					}
				}
			}
			verdict, detail, why := rule.False, "", ""
			for _, e := range grp.entries {
				if e.src.set.internet() {
					// Internet ingress on any port, whatever the port.
					verdict, detail = rule.True, fmt.Sprintf("%s allows %s from %s", e.res.Address, e.ports(), e.src.describe())
					break
				}
				v := grp.judge(e, grp.allPoints(e))
				switch {
				case v.t == rule.True:
					verdict, detail = rule.True, fmt.Sprintf("%s allows %s from %s%s", e.res.Address, e.ports(), e.src.describe(), v.together())
				case v.t == rule.TriUnknown && verdict == rule.False:
					verdict, why = rule.TriUnknown, v.reason
				}
				if verdict == rule.True {
					break
				}
			}
			path := firstPresent(c, "vpc_config.security_group_ids", "vpc_config")
			switch verdict {
			case rule.True:
				p.Fail(c, path, "a cluster security group admits the internet: %s", detail)
			case rule.False:
				p.Pass(c, path)
			default:
				p.Unknown(c, path, "whether the cluster security groups admit the internet is not knowable from code: %s", why)
			}
		}
	},
}
