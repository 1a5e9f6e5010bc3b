package builtin

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

// networkEdgeRules check NACLs, flow logs, default security groups and load balancers.
var networkEdgeRules = []*rule.Rule{netNACLAdminOpen, netVPCFlowLog, netDefaultSGRules, netListenerTLS, netLBPublic}

// Where CloudFormation's spelling of an attribute differs from Terraform's
// and the CloudFormation front-end carries the property over mechanically
// (NetworkAclEntry.PortRange, FlowLog.ResourceId, LoadBalancer.Scheme and
// Type, Listener.DefaultActions.RedirectConfig, the classic ELB's
// Listeners), the rules below read both: the meaning is the same.

// ---------------------------------------------------------------------------
// NET-004 network ACLs

var naclTypes = []string{"aws_network_acl", "aws_default_network_acl", "aws_network_acl_rule"}

var netNACLAdminOpen = &rule.Rule{
	ID:       "NET-004",
	Title:    "Network ACL allows internet ingress to administrative ports or all ports",
	Severity: rule.High,
	Service:  "VPC",
	Types:    naclTypes,
	Rationale: "A network ACL is the subnet-wide, stateless layer under security groups (AOS Edge sets NACLs for " +
		"every subnet). An allow entry admitting the internet to SSH (22), RDP (3389), the Kubernetes API (6443), " +
		"etcd (2379-2380), the kubelet (10250), WinRM (5985-5986) or to every port (protocol -1) leaves only the " +
		"security groups between the internet and those services. Entries are evaluated in rule-number order and the " +
		"first match wins: an address gets in on a port when the first entry matching it there is an allow. eksguard " +
		"reads every entry of the ACL (inline ingress blocks and aws_network_acl_rule resources linked by " +
		"network_acl_id) and reports an allow entry when the addresses the ACL admits on an administrative port cover " +
		"the internet and the entry is part of that: without it the other allows would not (rule 100 for " +
		"0.0.0.0/1 and rule 110 for 128.0.0.0/1 fail together), or no single allow is needed and it admits public " +
		"addresses; a lower-numbered deny takes its addresses out first (a deny of 0.0.0.0/1 before an allow of " +
		"0.0.0.0/0 leaves 128.0.0.0/1, not the internet). A deny whose number, source, protocol or ports are not " +
		"knowable may come first, so the exposure it could remove is unknown. The stateless " +
		"return-traffic allow 1024-65535 includes 3389, 5985-5986, 6443 and 10250 and so is reported too, as AWS " +
		"Config's nacl-no-unrestricted-ssh-rdp reports 3389, unless denies numbered lower cover those ports. " +
		"aws_network_acl_rule defaults to ingress (egress = false); egress entries and denies are not judged " +
		"themselves. " + cidrDoc,
	Remediation: "Restrict the entry's cidr_block to known ranges (VPN, bastion, CI egress) or remove it and " +
		"administer through SSM Session Manager; where a broad allow must stay (return traffic), add deny entries " +
		"numbered lower for the administrative ports from 0.0.0.0/0 and ::/0.",
	Example: `resource "aws_network_acl_rule" "deny_rdp" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 90
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  from_port      = 3389
  to_port        = 3389
}

resource "aws_network_acl_rule" "https" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 443
  to_port        = 443
}`,
	References: []rule.Reference{RefAosEdge, RefDevSecOps,
		awsdoc("Amazon VPC: Control subnet traffic with network access control lists", "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html"),
		awsdoc("AWS Security Hub: [EC2.21] Network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or port 3389",
			"https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-21"),
		tfdoc("aws_network_acl_rule"), tfdoc("aws_network_acl")},
	Run: func(p *rule.Pass) {
		for _, grp := range naclGroups(p.Graph) {
			for _, e := range grp.entries {
				if e.placeholder || e.member == rule.False || e.allow == rule.False {
					continue
				}
				v := grp.judge(e, adminPoints(e))
				switch v.t {
				case rule.True:
					msg := fmt.Sprintf("%s allows ingress from %s to %s; no lower-numbered deny covers administrative %s%s",
						e.name, e.src.describe(), naclPorts(e), naclExposed(v.at), v.together())
					p.Fail(e.res, e.path(v.v6), "%s", msg)
				case rule.False:
					p.Pass(e.res, e.path(v.v6))
				default:
					p.Unknown(e.res, e.path(v.v6), "%s", v.reason)
				}
			}
		}
	},
}

// naclGroups gathers every ACL's entries: its inline ingress blocks and the
// aws_network_acl_rule resources linked to it (or naming the same literal
// id); the rules whose ACL is not knowable form one group whose entries
// may belong to different ACLs. Linear in the number of ACLs and rules.
func naclGroups(g *graph.Graph) []*flowGroup {
	var out []*flowGroup
	byACL := map[*graph.Resource]*flowGroup{}
	for _, acl := range g.OfType("aws_network_acl", "aws_default_network_acl") {
		grp := &flowGroup{sameACL: rule.True}
		byACL[acl] = grp
		out = append(out, grp)
		in := acl.Get("ingress")
		if in.IsUnknown() {
			// Computed from the aws_network_acl_rule resources, which
			// are read below (as NET-002 reads security groups).
			continue
		}
		items := in.Items()
		for i, blk := range items {
			base := "ingress"
			if len(items) > 1 {
				base += "." + itoa(i)
			}
			e := &flowEntry{res: acl, member: rule.True, base: base}
			if blk.IsUnknown() {
				e.placeholder, e.name = true, acl.Address+" "+base
				grp.entries = append(grp.entries, e)
				continue
			}
			naclRead(e, blk, blk.Get("rule_no"), blk.Get("action"), blk.Get("from_port"), blk.Get("to_port"))
			e.path4 = base + "." + naclCIDRAttr(blk)
			e.path6 = e.path4
			grp.entries = append(grp.entries, e)
		}
	}
	byLiteral := map[string]*flowGroup{}
	var unresolved *flowGroup
	for _, r := range g.OfType("aws_network_acl_rule") {
		e := &flowEntry{res: r, member: rule.BoolOr(r.Get("egress"), false).Not()}
		from, to := r.Get("from_port"), r.Get("to_port")
		naclRead(e, r.Attrs, r.Get("rule_number"), r.Get("rule_action"), from, to)
		e.path4 = naclCIDRAttr(r.Attrs)
		e.path6 = e.path4
		var grp *flowGroup
		if ts := g.Targets(r, "network_acl_id", "aws_network_acl", "aws_default_network_acl"); len(ts) > 0 {
			grp = byACL[ts[0]]
		} else if id, ok := rule.StringOr(r.Get("network_acl_id"), ""); ok && id != "" {
			if grp = byLiteral[id]; grp == nil {
				grp = &flowGroup{sameACL: rule.True}
				byLiteral[id] = grp
				out = append(out, grp)
			}
		} else {
			if unresolved == nil {
				unresolved = &flowGroup{sameACL: rule.TriUnknown}
				out = append(out, unresolved)
			}
			grp = unresolved
		}
		grp.entries = append(grp.entries, e)
	}
	return out
}

// naclRead fills an entry from its attributes (blk holds protocol and
// CIDRs).
func naclRead(e *flowEntry, blk, num, action, from, to *graph.Value) {
	e.num, e.numOK = rule.NumberOr(num, 0)
	if num.IsNull() {
		e.numOK = false
	}
	e.name = "an entry with an unknown rule number"
	if e.numOK {
		e.name = "rule " + ftoa(e.num)
	}
	e.allow = rule.TriUnknown
	if a, ok := rule.StringOr(action, ""); ok && a != "" {
		e.allow = rule.Of(!strings.EqualFold(a, "deny"))
	}
	if s, ok := rule.StringOr(blk.Get("protocol"), ""); ok && s != "" {
		e.proto, e.protoOK = normProto(s), true
		if n, err := strconv.Atoi(e.proto); err == nil && n < 0 {
			e.protoOK = false // only -1 means every protocol
		}
	}
	if e.protoOK && e.proto == "all" {
		e.from, e.to, e.portsOK = 0, 65535, true
	} else {
		f, okF := rule.NumberOr(from, 0)
		t, okT := rule.NumberOr(to, 65535)
		e.from, e.to, e.portsOK = f, t, okF && okT
	}
	e.src.add(blk.Get("cidr_block"), famV4)
	e.src.add(blk.Get("ipv6_cidr_block"), famV6)
}

// naclCIDRAttr names the attribute holding the entry's source.
func naclCIDRAttr(blk *graph.Value) string {
	if blk.Get("cidr_block").IsNull() && !blk.Get("ipv6_cidr_block").IsNull() {
		return "ipv6_cidr_block"
	}
	return "cidr_block"
}

func naclPorts(e *flowEntry) string {
	switch {
	case e.proto == "all":
		return "all traffic"
	case e.from <= 0 && e.to >= 65535:
		return "all ports"
	case e.from == e.to:
		return fmt.Sprintf("port %g", e.from)
	}
	return fmt.Sprintf("ports %g-%g", e.from, e.to)
}

// naclExposed lists the exposed administrative ports, TCP first, runs of
// ports joined.
func naclExposed(at []flowPoint) string {
	var parts []string
	seen := map[string]bool{}
	for _, proto := range []string{"tcp", "udp"} {
		var ports []float64
		for _, x := range at {
			if x.proto == proto {
				ports = append(ports, x.port)
			}
		}
		sort.Float64s(ports)
		for i := 0; i < len(ports); {
			j := i
			for j+1 < len(ports) && ports[j+1] == ports[j]+1 {
				j++
			}
			s := ftoa(ports[i])
			if j > i {
				s += "-" + ftoa(ports[j])
			}
			if !seen[s] {
				seen[s] = true
				parts = append(parts, s)
			}
			i = j + 1
		}
	}
	if len(parts) == 1 {
		return "port " + parts[0]
	}
	return "ports " + strings.Join(parts, ", ")
}

// ---------------------------------------------------------------------------
// NET-005 flow logs

var vpcTypes = []string{"aws_vpc", "aws_default_vpc"}

var netVPCFlowLog = &rule.Rule{
	ID:       "NET-005",
	Title:    "VPC has no flow log",
	Severity: rule.Medium,
	Service:  "VPC",
	Types:    []string{"aws_vpc", "aws_default_vpc", "aws_flow_log"},
	Rationale: "VPC flow logs record the connections accepted and rejected in the VPC; without them there is no " +
		"trace of what reached the nodes, the load balancers or the data stores when an incident is investigated " +
		"(Conveyor's documentation: auditing). A VPC passes when an aws_flow_log names it in vpc_id (CloudFormation: an " +
		"AWS::EC2::FlowLog whose ResourceId is the VPC), by reference or by literal id. A flow log on a subnet or " +
		"an interface covers only that part. When a flow log's VPC is known only after apply, VPCs without one of " +
		"their own are unknown: it may be theirs.",
	Remediation: "Add an aws_flow_log for the VPC (traffic_type = \"ALL\") delivering to CloudWatch Logs or S3 with " +
		"a retention that fits the audit requirement.",
	Example: `resource "aws_flow_log" "main" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "cloud-watch-logs"
  log_destination      = aws_cloudwatch_log_group.flow.arn
  iam_role_arn         = aws_iam_role.flow.arn
}`,
	References: []rule.Reference{RefConveyor, RefAosEdge,
		awsdoc("Amazon VPC: Logging IP traffic using VPC Flow Logs", "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html"),
		awsdoc("AWS Security Hub: [EC2.6] VPC flow logging should be enabled in all VPCs",
			"https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-6"),
		tfdoc("aws_flow_log")},
	Run: func(p *rule.Pass) {
		vpcs := p.Graph.OfType(vpcTypes...)
		if len(vpcs) == 0 {
			return
		}
		// A flow log whose VPC is not knowable may be any VPC's.
		var loose *graph.Resource
		for _, fl := range p.Graph.OfType("aws_flow_log") {
			if len(p.Graph.Targets(fl, "vpc_id", vpcTypes...)) > 0 || len(p.Graph.Targets(fl, "resource_id", vpcTypes...)) > 0 {
				continue
			}
			vpcUnknown := fl.Get("vpc_id").IsUnknown()
			// CloudFormation's ResourceId stays resource_id when the
			// template leaves its ResourceType open (a parameter).
			if rid := fl.Get("resource_id"); rid.IsUnknown() {
				t, ok := rule.StringOr(fl.Get("resource_type"), "")
				vpcUnknown = vpcUnknown || !ok || strings.EqualFold(t, "VPC")
			}
			if vpcUnknown && loose == nil {
				loose = fl
			}
		}
		for _, vpc := range vpcs {
			logs := p.Graph.Sources(vpc, "vpc_id", "aws_flow_log")
			if len(logs) == 0 {
				logs = p.Graph.Sources(vpc, "resource_id", "aws_flow_log")
			}
			switch {
			case len(logs) > 0:
				p.Pass(vpc, "")
			case loose != nil:
				p.Unknown(vpc, "", "no flow log names this VPC, and the VPC of %s is known only after apply", loose.Address)
			default:
				p.Fail(vpc, "", "no aws_flow_log captures this VPC's traffic")
			}
		}
	},
}

// ---------------------------------------------------------------------------
// NET-006 default security group

var netDefaultSGRules = &rule.Rule{
	ID:       "NET-006",
	Title:    "Default security group has rules",
	Severity: rule.Medium,
	Service:  "VPC",
	Types: []string{"aws_default_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
		"aws_vpc_security_group_egress_rule", "aws_vpc", "aws_default_vpc"},
	Rationale: "Every VPC has a default security group, and any instance, ENI or endpoint launched without a group " +
		"lands in it. With rules it silently connects whatever ends up there (CIS AWS Foundations 5.4, Security Hub " +
		"EC2.2: it should allow no traffic). Terraform adopts the group with aws_default_security_group and removes " +
		"every rule it does not list, so the resource with no ingress or egress block, and no standalone rule " +
		"attached to it, passes (terraform-aws-modules/vpc does this by default: manage_default_security_group = " +
		"true with no default_security_group_ingress or _egress). A VPC whose default group is not adopted keeps " +
		"the rules AWS creates it with (all traffic from members of the group, all egress) and fails: an " +
		"aws_vpc or aws_default_vpc that no aws_default_security_group names in vpc_id (by reference, or by literal " +
		"id when the VPC's id is known; one without vpc_id adopts the default VPC's group). When the VPC of an " +
		"aws_default_security_group is known only after apply, VPCs without one of their own are unknown: it may " +
		"be theirs. CloudFormation cannot adopt or change the default group, so a VPC it creates fails too: its " +
		"rules can only be removed outside the template (a custom resource, AWS Config remediation of EC2.2, " +
		"organisation-wide automation); suppress the finding with that reason.",
	Remediation: "Adopt the default group with an aws_default_security_group without ingress or egress blocks (and " +
		"without standalone rules) for every VPC, or keep terraform-aws-modules/vpc's manage_default_security_group " +
		"= true with no default rules; give workloads purpose-made security groups.",
	Example: `resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
  # no ingress or egress blocks: the default group allows nothing
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("AWS Security Hub: [EC2.2] VPC default security groups should not allow inbound or outbound traffic",
			"https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-2"),
		awsdoc("Amazon VPC: Default security groups for your VPCs", "https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html"),
		tfdoc("aws_default_security_group")},
	Run: func(p *rule.Pass) {
		for _, sg := range p.Graph.OfType("aws_default_security_group") {
			in, eg := sg.Get("ingress"), sg.Get("egress")
			extra := p.Graph.Sources(sg, "security_group_id", "aws_security_group_rule",
				"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule")
			switch {
			case !in.IsUnknown() && len(in.Items()) > 0:
				p.Fail(sg, "ingress", "the default security group has %d ingress rule(s)", len(in.Items()))
			case !eg.IsUnknown() && len(eg.Items()) > 0:
				p.Fail(sg, "egress", "the default security group has %d egress rule(s)", len(eg.Items()))
			case len(extra) > 0:
				p.Fail(sg, "", "%s adds a rule to the default security group", extra[0].Address)
			case in.IsUnknown():
				p.Unknown(sg, "ingress", "the default security group's ingress rules are known only after apply")
			case eg.IsUnknown():
				p.Unknown(sg, "egress", "the default security group's egress rules are known only after apply")
			default:
				p.Pass(sg, firstPresent(sg, "ingress", "egress"))
			}
		}
		judgeUnadoptedVPCs(p)
	},
}

// judgeUnadoptedVPCs fails the VPCs whose default security group no
// aws_default_security_group adopts: AWS's rules stay. An adopted group is
// judged at its aws_default_security_group.
func judgeUnadoptedVPCs(p *rule.Pass) {
	vpcs := p.Graph.OfType(vpcTypes...)
	if len(vpcs) == 0 {
		return
	}
	adopted := map[*graph.Resource]bool{}
	var loose *graph.Resource // a default group whose VPC is not knowable
	for _, sg := range p.Graph.OfType("aws_default_security_group") {
		if ts := p.Graph.Targets(sg, "vpc_id", vpcTypes...); len(ts) > 0 {
			for _, t := range ts {
				adopted[t] = true
			}
			continue
		}
		v := sg.Get("vpc_id")
		id, ok := rule.StringOr(v, "")
		switch {
		case !ok:
			if loose == nil {
				loose = sg
			}
		case id == "":
			// Without vpc_id, the group of the region's default VPC.
			for _, dv := range p.Graph.OfType("aws_default_vpc") {
				adopted[dv] = true
			}
		default:
			for _, vpc := range vpcs {
				if vid, ok := rule.StringOr(vpc.Get("id"), ""); ok && vid == id {
					adopted[vpc] = true
				}
			}
		}
	}
	for _, vpc := range vpcs {
		switch {
		case adopted[vpc]:
		case loose != nil:
			p.Unknown(vpc, "", "no aws_default_security_group names this VPC, and the VPC of %s is known only after apply: it may be this one", loose.Address)
		default:
			p.Fail(vpc, "", "the VPC's default security group is not adopted (no aws_default_security_group names this VPC): "+
				"it keeps the rules AWS creates it with, all traffic from members of the group and all egress")
		}
	}
}

// ---------------------------------------------------------------------------
// NET-007 listener TLS

var lbListenerTypes = []string{"aws_lb_listener", "aws_alb_listener"}

// lbType reads a load balancer's type; the default is application, and
// aws_elb is classic.
func lbType(lb *graph.Resource) (string, bool) {
	if lb.Type == "aws_elb" {
		return "classic", true
	}
	s, ok := rule.StringOr(lb.Get("load_balancer_type"), "application")
	return strings.ToLower(s), ok
}

// tlsModern reports whether a predefined ELB security policy is one of the
// TLS 1.3 policies with TLS 1.2 as the floor (ELBSecurityPolicy-TLS13-1-2-*,
// -TLS13-1-3-*, FIPS and post-quantum variants included).
func tlsModern(p string) bool {
	return strings.HasPrefix(p, "ELBSecurityPolicy-TLS13-1-2") || strings.HasPrefix(p, "ELBSecurityPolicy-TLS13-1-3")
}

// tlsLegacy reports whether a policy still accepts TLS 1.0 or 1.1.
func tlsLegacy(p string) bool {
	for _, s := range []string{"TLS13-1-0", "TLS13-1-1", "TLS-1-0", "TLS-1-1", "FS-1-1", "FS-2018-06", "2016-08", "2015-05", "2015-03", "2015-02", "2014-10", "2014-01", "2011-08"} {
		if strings.Contains(p, s) {
			return true
		}
	}
	return false
}

const tlsDefaultPolicy = "ELBSecurityPolicy-2016-08"

var netListenerTLS = &rule.Rule{
	ID:       "NET-007",
	Title:    "Load balancer listener serves plain HTTP or an outdated TLS policy",
	Severity: rule.Medium,
	Service:  "ELB",
	Types:    []string{"aws_lb_listener", "aws_alb_listener", "aws_lb", "aws_elb"},
	Rationale: "Traffic between clients and the load balancer crosses networks the platform does not control; AOS Edge " +
		"requires encryption in transit. An HTTP listener passes only when its default action redirects to HTTPS " +
		"(redirect.protocol = \"HTTPS\"; the redirect's default keeps the request's protocol). An HTTPS or TLS " +
		"listener passes with an ELBSecurityPolicy-TLS13-1-2-* or -TLS13-1-3-* policy; without ssl_policy AWS applies " +
		"ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1, and policies older than the 2021-06 TLS 1.3 ones " +
		"either accept TLS 1.0/1.1 or lack TLS 1.3 (Security Hub ELB.17). TCP, UDP and TCP_UDP listeners of a Network " +
		"Load Balancer pass: the load balancer forwards bytes and TLS, if any, is the target's to terminate (the " +
		"Istio gateway with mutual TLS of AOS Edge). Gateway Load Balancer listeners are not judged. A classic ELB " +
		"listener fails on HTTP; its SSL negotiation policy is not judged. Listener rules are not read.",
	Remediation: "Redirect HTTP to HTTPS in the default action, and set ssl_policy = " +
		"\"ELBSecurityPolicy-TLS13-1-2-2021-06\" (or a stricter TLS13 policy) on HTTPS and TLS listeners.",
	Example: `resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = aws_acm_certificate.web.arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}`,
	References: []rule.Reference{RefAosEdge,
		awsdoc("Elastic Load Balancing: Security policies for your Application Load Balancer",
			"https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html"),
		awsdoc("AWS Security Hub: [ELB.1] Application Load Balancer should be configured to redirect all HTTP requests to HTTPS",
			"https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-1"),
		awsdoc("AWS Security Hub: [ELB.17] Application and Network Load Balancers with listeners should use recommended security policies",
			"https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-17"),
		tfdoc("aws_lb_listener")},
	Run: func(p *rule.Pass) {
		for _, l := range p.Graph.OfType(lbListenerTypes...) {
			judgeListener(p, l)
		}
		for _, lb := range p.Graph.OfType("aws_elb") {
			judgeClassicListeners(p, lb)
		}
	},
}

func judgeListener(p *rule.Pass, l *graph.Resource) {
	pv := l.Get("protocol")
	proto, ok := rule.StringOr(pv, "")
	if !ok {
		p.Unknown(l, "protocol", "the listener's protocol is known only after apply")
		return
	}
	if proto == "" {
		// Terraform's default is HTTP, except on a Gateway Load Balancer,
		// whose listeners have no protocol.
		for _, lb := range p.Graph.Targets(l, "load_balancer_arn", "aws_lb", "aws_alb") {
			if t, _ := lbType(lb); t == "gateway" {
				return
			}
		}
		proto = "HTTP"
	}
	switch strings.ToUpper(proto) {
	case "HTTP":
		judgeRedirect(p, l)
	case "HTTPS", "TLS":
		pol, ok := rule.StringOr(l.Get("ssl_policy"), "")
		path := firstPresent(l, "ssl_policy", "protocol")
		switch {
		case !ok:
			p.Unknown(l, path, "the listener's ssl_policy is known only after apply")
		case pol == "":
			p.Fail(l, path, "%s listener without ssl_policy: AWS applies %s, which accepts TLS 1.0 and 1.1", strings.ToUpper(proto), tlsDefaultPolicy)
		case tlsModern(pol):
			p.Pass(l, path)
		case tlsLegacy(pol):
			p.Fail(l, path, "ssl_policy %s accepts TLS 1.0 or 1.1", pol)
		default:
			p.Fail(l, path, "ssl_policy %s predates the TLS 1.3 policies (ELBSecurityPolicy-TLS13-1-2-2021-06 and later)", pol)
		}
	case "TCP", "UDP", "TCP_UDP":
		p.Pass(l, "protocol")
	case "GENEVE":
	default:
		p.Unknown(l, "protocol", "unrecognised listener protocol %q", proto)
	}
}

// judgeRedirect passes an HTTP listener whose default action redirects to
// HTTPS.
func judgeRedirect(p *rule.Pass, l *graph.Resource) {
	actions := l.Get("default_action")
	path := firstPresent(l, "protocol", "default_action")
	if actions.IsUnknown() {
		p.Unknown(l, path, "the HTTP listener's default action is known only after apply")
		return
	}
	unknown := false
	kinds := []string{}
	for _, a := range actions.Items() {
		if a.IsUnknown() {
			unknown = true
			continue
		}
		t, ok := rule.StringOr(a.Get("type"), "")
		if !ok {
			unknown = true
			continue
		}
		kinds = append(kinds, t)
		if !strings.EqualFold(t, "redirect") {
			continue
		}
		proto, ok := rule.StringOr(a.Get("redirect", "protocol"), "#{protocol}")
		switch {
		case !ok:
			unknown = true
		case strings.EqualFold(proto, "HTTPS"):
			p.Pass(l, path)
			return
		}
	}
	if unknown {
		p.Unknown(l, path, "whether the HTTP listener redirects to HTTPS is known only after apply")
		return
	}
	what := "has no default action"
	if len(kinds) > 0 {
		what = "default action " + strings.Join(kinds, ", ") + " does not redirect to HTTPS"
	}
	port := ""
	if n, ok := rule.NumberOr(l.Get("port"), 0); ok && n > 0 {
		port = fmt.Sprintf(" on port %g", n)
	}
	p.Fail(l, path, "listener serves plain HTTP%s: its %s", port, what)
}

// judgeClassicListeners judges each listener of a classic ELB (Terraform
// listener blocks with lb_protocol; CloudFormation Listeners with Protocol).
func judgeClassicListeners(p *rule.Pass, lb *graph.Resource) {
	base, protoAttr := "listener", "lb_protocol"
	ls := lb.Get(base)
	if ls.IsUnknown() {
		p.Unknown(lb, base, "the load balancer's listeners are known only after apply")
		return
	}
	items := ls.Items()
	for i, l := range items {
		path := base
		if len(items) > 1 {
			path += "." + itoa(i)
		}
		proto, ok := rule.StringOr(l.Get(protoAttr), "")
		path += "." + protoAttr
		switch {
		case !ok || l.IsUnknown():
			p.Unknown(lb, path, "the listener's protocol is known only after apply")
		case strings.EqualFold(proto, "HTTP"):
			p.Fail(lb, path, "classic load balancer listener serves plain HTTP")
		default:
			p.Pass(lb, path)
		}
	}
}

// ---------------------------------------------------------------------------
// NET-008 internet-facing load balancers

// lbInternal reads whether a load balancer is internal (default false;
// the CloudFormation front-end maps Scheme to it).
func lbInternal(lb *graph.Resource) (rule.Tri, string) {
	if v := lb.Get("internal"); v != nil {
		return rule.BoolOr(v, false), "internal"
	}
	return rule.False, ""
}

var netLBPublic = &rule.Rule{
	ID:       "NET-008",
	Title:    "Load balancer is internet-facing",
	Severity: rule.Low,
	Service:  "ELB",
	Types:    []string{"aws_lb", "aws_alb", "aws_elb"},
	Rationale: "An internet-facing load balancer is a public endpoint; the AOS Edge documentation states there are no public resources " +
		"except by design (its Network Load Balancer for the Istio gateway, protected by mutual TLS), and the DevSecOps settings page " +
		"keeps workloads private. Terraform creates aws_lb, aws_alb and aws_elb internet-facing unless internal = " +
		"true (CloudFormation: Scheme defaults to internet-facing). This is informational: when the endpoint is " +
		"public by design, suppress the finding with the reason (# eksguard:ignore NET-008 reason=...). Gateway Load " +
		"Balancers have no scheme and are not judged.",
	Remediation: "Set internal = true for load balancers only the VPC, peered networks or a VPN should reach; keep " +
		"public ones behind TLS (NET-007), WAF and narrow security groups, and record why they are public.",
	Example: `resource "aws_lb" "api" {
  name               = "api-internal"
  load_balancer_type = "application"
  internal           = true
  subnets            = var.private_subnet_ids
}`,
	References: []rule.Reference{RefAosEdge, RefDevSecOps,
		awsdoc("Elastic Load Balancing: Application Load Balancers (load balancer scheme)",
			"https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-scheme"),
		tfdoc("aws_lb")},
	Run: func(p *rule.Pass) {
		for _, lb := range p.Graph.OfType("aws_lb", "aws_alb", "aws_elb") {
			if t, ok := lbType(lb); ok && t == "gateway" {
				continue
			}
			internal, path := lbInternal(lb)
			why := "internal is not set, and defaults to false"
			if path == "internal" {
				why = "internal = false (CloudFormation: Scheme internet-facing)"
			}
			p.Report(internal.Not(), lb, path,
				"the load balancer is internet-facing ("+why+"); if it is public by design, suppress this finding with the reason",
				"whether the load balancer is internal is known only after apply")
		}
	},
}
