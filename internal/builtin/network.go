package builtin

import (
	"fmt"
	"strings"

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
		"not it needs one; nodes placed there are reachable from the internet (seed 002's \"Public IPs are " +
		"automatically mapped to instances\"). The provider default is false.",
	Remediation: "Set map_public_ip_on_launch = false and keep nodes in private subnets; give public addresses only to " +
		"load balancers and NAT gateways.",
	Example: `resource "aws_subnet" "private" {
  vpc_id                  = aws_vpc.this.id
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = false
}`,
	References: []rule.Reference{seed002, seed001,
		bpg("network-security", "", "Network security"), tfdoc("aws_subnet")},
	Run: func(p *rule.Pass) {
		for _, s := range p.Graph.OfType("aws_subnet") {
			p.Report(rule.BoolOr(s.Get("map_public_ip_on_launch"), false), s, firstPresent(s, "map_public_ip_on_launch"),
				"instances launched in this subnet get public IP addresses (map_public_ip_on_launch = true)",
				"map_public_ip_on_launch is known only after apply")
		}
	},
}

// ingress is one rule admitting traffic into a security group.
type ingress struct {
	res      *graph.Resource
	path     string // attribute path of the CIDRs, for the finding's line
	world    rule.Tri
	cidr     string
	from, to float64
	allPorts bool
	portsOK  bool // ports are known
}

var adminPorts = [][2]float64{{22, 22}, {3389, 3389}, {6443, 6443}, {2379, 2380}, {10250, 10250}, {5985, 5986}}

func (in ingress) admin() rule.Tri {
	if !in.portsOK {
		return rule.TriUnknown
	}
	if in.allPorts {
		return rule.True
	}
	for _, r := range adminPorts {
		if in.from <= r[1] && in.to >= r[0] {
			return rule.True
		}
	}
	return rule.False
}

func (in ingress) ports() string {
	switch {
	case !in.portsOK:
		return "unknown ports"
	case in.allPorts:
		return "all ports"
	case in.from == in.to:
		return fmt.Sprintf("port %g", in.from)
	}
	return fmt.Sprintf("ports %g-%g", in.from, in.to)
}

// ingressOf returns the ingress rules a resource defines: the inline
// ingress blocks of a security group, or a standalone rule resource.
func ingressOf(r *graph.Resource) []ingress {
	var out []ingress
	switch r.Type {
	case "aws_security_group":
		items := r.Get("ingress").Items()
		if v := r.Get("ingress"); v.IsUnknown() {
			// A plan shows ingress unknown when separate rule resources
			// fill it; the HCL evaluator, when a dynamic block's for_each
			// is not known, and says why: those rules may be anything.
			if v.Reason() == "" {
				return nil
			}
			return []ingress{{res: r, path: "ingress", world: rule.TriUnknown}}
		}
		for i, blk := range items {
			base := "ingress"
			if len(items) > 1 {
				base += "." + itoa(i)
			}
			out = append(out, cidrIngress(r, base, blk, "cidr_blocks", "ipv6_cidr_blocks", "protocol")...)
		}
	case "aws_security_group_rule":
		if t, ok := rule.StringOr(r.Get("type"), ""); ok && t != "ingress" {
			return nil
		}
		out = append(out, cidrIngress(r, "", r.Attrs, "cidr_blocks", "ipv6_cidr_blocks", "protocol")...)
	case "aws_vpc_security_group_ingress_rule":
		out = append(out, cidrIngress(r, "", r.Attrs, "cidr_ipv4", "cidr_ipv6", "ip_protocol")...)
	}
	return out
}

func cidrIngress(r *graph.Resource, base string, blk *graph.Value, v4, v6, protoAttr string) []ingress {
	join := func(a string) string {
		if base == "" {
			return a
		}
		return base + "." + a
	}
	in := ingress{res: r, world: rule.False}
	proto, okP := rule.StringOr(blk.Get(protoAttr), "tcp")
	from, okF := rule.NumberOr(blk.Get("from_port"), 0)
	to, okT := rule.NumberOr(blk.Get("to_port"), 65535)
	in.portsOK = okP && okF && okT
	in.from, in.to = from, to
	in.allPorts = proto == "-1" || strings.EqualFold(proto, "all") || (from <= 0 && to >= 65535) || (proto == "-1" && from == 0 && to == 0)
	if in.allPorts {
		in.portsOK = true
	}
	in.path = join(v4)
	for _, a := range []string{v4, v6} {
		v := blk.Get(a)
		t := anyWorld(v)
		if t == rule.True {
			in.world, in.path = rule.True, join(a)
			list, _ := rule.Strings(v)
			for _, c := range list {
				if worldCIDR(c) {
					in.cidr = c
				}
			}
			break
		}
		in.world = rule.Or(in.world, t)
	}
	if blk.Get(v4) == nil && blk.Get(v6) != nil {
		in.path = join(v6)
	}
	if blk.Get(v4) == nil && blk.Get(v6) == nil {
		in.path = base
	}
	return []ingress{in}
}

var sgTypes = []string{"aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"}

var netAdminPortsOpen = &rule.Rule{
	ID:       "NET-002",
	Title:    "Security group allows internet ingress to administrative ports or all ports",
	Severity: rule.High,
	Service:  "VPC",
	Types:    sgTypes,
	Rationale: "Ingress from 0.0.0.0/0 or ::/0 to SSH (22), RDP (3389), the Kubernetes API (6443), etcd (2379-2380), " +
		"the kubelet (10250), WinRM (5985-5986) or to every port exposes management interfaces to constant " +
		"scanning and brute force (seed 003: no public resources; seed 001: private nodes).",
	Remediation: "Limit the source to known CIDRs or security groups, or remove the rule and use SSM Session " +
		"Manager / private endpoints for administration.",
	Example: `resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id            = aws_security_group.nodes.id
  referenced_security_group_id = aws_security_group.bastion.id
  from_port                    = 22
  to_port                      = 22
  ip_protocol                  = "tcp"
}`,
	References: []rule.Reference{seed003, seed001,
		bpg("network-security", "", "Network security"),
		awsdoc("Amazon VPC: Security group rules", "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"),
		tfdoc("aws_security_group")},
	Run: func(p *rule.Pass) {
		for _, r := range p.Graph.OfType(sgTypes...) {
			for _, in := range ingressOf(r) {
				adm := in.admin()
				switch {
				case in.world == rule.True && adm == rule.True:
					p.Fail(r, in.path, "ingress from %s to %s", in.cidr, in.ports())
				case in.world == rule.False || adm == rule.False:
					p.Pass(r, in.path)
				default:
					p.Unknown(r, in.path, "the source CIDRs or ports of this ingress rule are known only after apply")
				}
			}
		}
	},
}

var netPortsOpen = &rule.Rule{
	ID:       "NET-003",
	Title:    "Security group allows internet ingress",
	Severity: rule.Low,
	Service:  "VPC",
	Types:    sgTypes,
	Rationale: "Ingress from 0.0.0.0/0 or ::/0 on service ports is sometimes intended (HTTPS on an internet-facing " +
		"load balancer) but is how resources end up public by accident; seed 003 asks for no public resources. " +
		"Administrative ports are covered by NET-002.",
	Remediation: "Confirm the exposure is intended, put it behind a load balancer or CloudFront, and restrict the " +
		"source where possible.",
	Example: `resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.alb.id
  cidr_ipv4         = "10.0.0.0/8"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}`,
	References: []rule.Reference{seed003,
		bpg("network-security", "", "Network security"), tfdoc("aws_security_group")},
	Run: func(p *rule.Pass) {
		for _, r := range p.Graph.OfType(sgTypes...) {
			for _, in := range ingressOf(r) {
				adm := in.admin()
				switch {
				case adm == rule.True:
					continue // NET-002's subject
				case in.world == rule.True && adm == rule.False:
					p.Fail(r, in.path, "ingress from %s to %s", in.cidr, in.ports())
				case in.world == rule.False:
					p.Pass(r, in.path)
				case adm == rule.False:
					p.Unknown(r, in.path, "the source CIDRs of this ingress rule are known only after apply")
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
		"kubelet traffic paths.",
	Remediation: "Allow only the node security group and known private ranges into the cluster security groups.",
	Example: `resource "aws_vpc_security_group_ingress_rule" "nodes_to_api" {
  security_group_id            = aws_security_group.cluster.id
  referenced_security_group_id = aws_security_group.nodes.id
  from_port                    = 443
  to_port                      = 443
  ip_protocol                  = "tcp"
}`,
	References: []rule.Reference{seed001, seed003,
		bpg("network-security", "", "Network security"),
		awsdoc("Amazon EKS: View Amazon EKS security group requirements for clusters", "https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html"),
		tfdoc("aws_eks_cluster")},
	Run: func(p *rule.Pass) {
		for _, c := range p.Graph.OfType("aws_eks_cluster") {
			verdict, detail := rule.False, ""
			for _, sg := range p.Graph.Targets(c, "vpc_config.security_group_ids", "aws_security_group") {
				rules := append([]*graph.Resource{sg}, p.Graph.Sources(sg, "security_group_id", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule")...)
				for _, r := range rules {
					for _, in := range ingressOf(r) {
						if in.world == rule.True && detail == "" {
							detail = fmt.Sprintf("%s allows %s from %s", in.res.Address, in.ports(), in.cidr)
						}
						verdict = rule.Or(verdict, in.world)
					}
				}
			}
			p.Report(verdict, c, firstPresent(c, "vpc_config.security_group_ids", "vpc_config"),
				"a cluster security group admits the internet: "+detail,
				"the sources of the cluster security groups' ingress rules are known only after apply")
		}
	},
}
