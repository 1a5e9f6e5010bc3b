package builtin

import (
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

var nodeRules = []*rule.Rule{nodeIMDSv2, nodeHopLimit, nodeEncryptedVolumes, nodePublicIP, nodeSSHOpen, nodeSelfManaged, nodeAMI}

// ec2Hosts are the resource types that define how a node's instance is
// launched, with the path of their IMDS settings.
var ec2Hosts = []string{"aws_launch_template", "aws_instance", "aws_launch_configuration"}

// nodeGroupsWithoutTemplate yields managed node groups that let EKS build
// the launch template, whose IMDS and disk settings are not in the code.
func nodeGroupsWithoutTemplate(g *graph.Graph) []*graph.Resource {
	var out []*graph.Resource
	for _, ng := range g.OfType("aws_eks_node_group") {
		if lt := ng.Get("launch_template"); lt == nil || (lt.Kind == graph.List && len(lt.List) == 0) {
			out = append(out, ng)
		}
	}
	return out
}

var nodeIMDSv2 = &rule.Rule{
	ID:       "NODE-001",
	Title:    "Instance metadata service does not require IMDSv2",
	Severity: rule.High,
	Service:  "EC2",
	Types:    []string{"aws_launch_template", "aws_instance", "aws_launch_configuration", "aws_eks_node_group", "k8s:EC2NodeClass"},
	Rationale: "IMDSv1 answers any GET request, so a server-side request forgery in any pod or process on the node " +
		"can read the node role's credentials. IMDSv2 needs a session token obtained with a PUT, which SSRF bugs " +
		"rarely can send. EC2 leaves http_tokens \"optional\" unless set; Karpenter's EC2NodeClass defaults to " +
		"\"required\". A managed node group without a launch template uses a template EKS generates, whose settings " +
		"are not in the code (unknown).",
	Remediation: "Set metadata_options { http_tokens = \"required\" } on every launch template, launch configuration " +
		"and instance that runs nodes, and give managed node groups a launch template.",
	Example: `resource "aws_launch_template" "nodes" {
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}`,
	References: []rule.Reference{RefAosEdge, RefSnykEKS,
		bpg("identity-and-access-management", "_restrict_access_to_the_instance_profile_assigned_to_the_worker_node", "Restrict access to the instance profile assigned to the worker node"),
		awsdoc("Amazon EC2: Use IMDSv2", "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html"),
		tfdoc("aws_launch_template")},
	Run: func(p *rule.Pass) {
		for _, h := range p.Graph.OfType(ec2Hosts...) {
			if off := imdsDisabled(h.Get("metadata_options.http_endpoint")); off == rule.True {
				p.Pass(h, "metadata_options.http_endpoint")
				continue
			}
			tokens, ok := rule.StringOr(h.Get("metadata_options.http_tokens"), "optional")
			path := firstPresent(h, "metadata_options.http_tokens", "metadata_options")
			switch {
			case !ok:
				p.Unknown(h, path, "http_tokens is known only after apply")
			case tokens == "required":
				p.Pass(h, path)
			default:
				p.Fail(h, path, "IMDSv1 is allowed (http_tokens = %q): any SSRF on the node can read the instance role's credentials", tokens)
			}
		}
		for _, ng := range nodeGroupsWithoutTemplate(p.Graph) {
			p.Unknown(ng, "", "the node group has no launch template: IMDS settings come from the template EKS generates; attach one with http_tokens = \"required\"")
		}
		for _, nc := range p.Graph.OfType("k8s:EC2NodeClass") {
			tokens, ok := rule.StringOr(nc.Get("spec.metadataOptions.httpTokens"), "required")
			path := firstPresent(nc, "spec.metadataOptions.httpTokens", "spec.metadataOptions", "spec")
			switch {
			case !ok:
				p.Unknown(nc, path, "httpTokens is known only after apply")
			case tokens == "required":
				p.Pass(nc, path)
			default:
				p.Fail(nc, path, "IMDSv1 is allowed (httpTokens = %q)", tokens)
			}
		}
	},
}

func imdsDisabled(v *graph.Value) rule.Tri {
	s, ok := rule.StringOr(v, "enabled")
	if !ok {
		return rule.TriUnknown
	}
	return rule.Of(s == "disabled")
}

var nodeHopLimit = &rule.Rule{
	ID:       "NODE-002",
	Title:    "Instance metadata hop limit lets pods reach the node role",
	Severity: rule.Medium,
	Service:  "EC2",
	Types:    []string{"aws_launch_template", "aws_instance", "aws_launch_configuration", "aws_eks_node_group", "k8s:EC2NodeClass"},
	Rationale: "A response hop limit above 1 lets IMDS answers cross the extra network hop into a pod's network " +
		"namespace, so every pod (not only host-network ones) can take the node role's credentials and act as the " +
		"node. EC2 and Karpenter default to 1; a managed node group without a launch template gets EKS's template " +
		"with hop limit 2 (AOS Edge's least privilege per pod is void then).",
	Remediation: "Set http_put_response_hop_limit = 1 and give pods their own roles through IRSA or EKS Pod Identity; " +
		"give managed node groups a launch template that sets it.",
	Example: `resource "aws_launch_template" "nodes" {
  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
}`,
	References: []rule.Reference{RefAosEdge,
		bpg("identity-and-access-management", "_restrict_access_to_the_instance_profile_assigned_to_the_worker_node", "Restrict access to the instance profile assigned to the worker node"),
		tfdoc("aws_launch_template")},
	Run: func(p *rule.Pass) {
		for _, h := range p.Graph.OfType(ec2Hosts...) {
			if off := imdsDisabled(h.Get("metadata_options.http_endpoint")); off == rule.True {
				p.Pass(h, "metadata_options.http_endpoint")
				continue
			}
			checkHops(p, h, h.Get("metadata_options.http_put_response_hop_limit"),
				firstPresent(h, "metadata_options.http_put_response_hop_limit", "metadata_options"))
		}
		for _, ng := range nodeGroupsWithoutTemplate(p.Graph) {
			p.Fail(ng, "", "the node group has no launch template, so EKS's generated one sets hop limit 2: pods can reach the node role")
		}
		for _, nc := range p.Graph.OfType("k8s:EC2NodeClass") {
			checkHops(p, nc, nc.Get("spec.metadataOptions.httpPutResponseHopLimit"),
				firstPresent(nc, "spec.metadataOptions.httpPutResponseHopLimit", "spec.metadataOptions", "spec"))
		}
	},
}

func checkHops(p *rule.Pass, r *graph.Resource, v *graph.Value, path string) {
	n, ok := rule.NumberOr(v, 1)
	switch {
	case !ok:
		p.Unknown(r, path, "the hop limit is known only after apply")
	case n > 1:
		p.Fail(r, path, "metadata hop limit is %g: pods can reach the node's credentials", n)
	default:
		p.Pass(r, path)
	}
}

// encryptionByDefault reports whether the code turns on account-level EBS
// encryption, which encrypts volumes that do not ask for it.
func encryptionByDefault(g *graph.Graph) bool {
	for _, r := range g.OfType("aws_ebs_encryption_by_default") {
		if rule.BoolOr(r.Get("enabled"), true) == rule.True {
			return true
		}
	}
	return false
}

var nodeEncryptedVolumes = &rule.Rule{
	ID:       "NODE-003",
	Title:    "Node root or EBS volume is not encrypted",
	Severity: rule.Medium,
	Service:  "EC2",
	Types:    []string{"aws_launch_configuration", "aws_launch_template", "aws_instance", "aws_ebs_volume", "k8s:EC2NodeClass"},
	Rationale: "Node volumes hold container images, emptyDir data, logs and sometimes secrets written to disk. " +
		"Unencrypted, they and their snapshots are readable by anyone who gets the snapshot shared or the volume " +
		"attached elsewhere (the aws_launch_configuration finding in Snyk's EKS hardening post; AOS Edge encrypts EC2 volumes with its own " +
		"key). encrypted defaults to false; a launch template without block device mappings takes the AMI's, which " +
		"the code does not show (unknown). aws_ebs_encryption_by_default in the code makes all of them pass.",
	Remediation: "Set encrypted = true (with kms_key_id of a customer key) on root and EBS block devices, or enable " +
		"aws_ebs_encryption_by_default for the account and region.",
	Example: `resource "aws_launch_template" "nodes" {
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 100
      encrypted   = true
      kms_key_id  = aws_kms_key.ebs.arn
    }
  }
}`,
	References: []rule.Reference{RefSnykEKS, RefAosEdge,
		bpg("data-encryption-and-secrets-management", "", "Data encryption and secrets management"),
		tfdoc("aws_launch_configuration")},
	Run: func(p *rule.Pass) {
		byDefault := encryptionByDefault(p.Graph)
		judge := func(r *graph.Resource, v *graph.Value, path string) {
			t := rule.BoolOr(v, false).Not()
			if t == rule.True && byDefault {
				p.Pass(r, path)
				return
			}
			p.Report(t, r, path, "volume is not encrypted (encrypted is false or not set)", "encryption is known only after apply")
		}
		for _, r := range p.Graph.OfType("aws_launch_configuration", "aws_instance") {
			for _, blk := range []string{"root_block_device", "ebs_block_device"} {
				items := r.Get(blk).Items()
				if blk == "root_block_device" && len(items) == 0 {
					judge(r, nil, "")
				}
				for i, d := range items {
					path := blk + "." + itoa(i) + ".encrypted"
					if len(items) == 1 {
						path = blk + ".encrypted"
					}
					if d.Get("encrypted") == nil {
						path = strings.TrimSuffix(path, ".encrypted")
					}
					judge(r, d.Get("encrypted"), path)
				}
			}
		}
		for _, lt := range p.Graph.OfType("aws_launch_template") {
			maps := lt.Get("block_device_mappings").Items()
			if len(maps) == 0 {
				if byDefault {
					p.Pass(lt, "")
				} else {
					p.Unknown(lt, "", "no block_device_mappings: the volumes follow the AMI's snapshot, which the code does not show; set ebs.encrypted = true")
				}
				continue
			}
			for i, m := range maps {
				base := "block_device_mappings"
				if len(maps) > 1 {
					base += "." + itoa(i)
				}
				path := firstPresent(lt, base+".ebs.encrypted", base+".ebs", base)
				judge(lt, m.Get("ebs", "encrypted"), path)
			}
		}
		for _, v := range p.Graph.OfType("aws_ebs_volume") {
			judge(v, v.Get("encrypted"), firstPresent(v, "encrypted"))
		}
		for _, nc := range p.Graph.OfType("k8s:EC2NodeClass") {
			for i, m := range nc.Get("spec.blockDeviceMappings").Items() {
				path := "spec.blockDeviceMappings." + itoa(i) + ".ebs.encrypted"
				if m.Get("ebs", "encrypted") == nil {
					path = "spec.blockDeviceMappings." + itoa(i)
				}
				judge(nc, m.Get("ebs", "encrypted"), path)
			}
		}
	},
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

var nodePublicIP = &rule.Rule{
	ID:       "NODE-004",
	Title:    "Nodes get public IP addresses or run in public subnets",
	Severity: rule.Medium,
	Service:  "EC2",
	Types:    []string{"aws_launch_configuration", "aws_launch_template", "aws_instance", "aws_eks_node_group", "aws_autoscaling_group", "k8s:EC2NodeClass"},
	Rationale: "A node with a public address is reachable from the internet on every port its security groups open, " +
		"and kubelet, NodePorts and host-network pods become attack surface. The DevSecOps settings page deploys workers onto private " +
		"subnets only; the scanner in Snyk's EKS hardening post flags subnets that map public IPs.",
	Remediation: "Place nodes in private subnets (egress through NAT or VPC endpoints) and set " +
		"associate_public_ip_address = false.",
	Example: `resource "aws_eks_node_group" "default" {
  subnet_ids = module.vpc.private_subnets
}`,
	References: []rule.Reference{RefDevSecOps, RefSnykEKS,
		bpg("protecting-the-infrastructure", "", "Protecting the infrastructure (hosts)"),
		cis("5.4.3", "Ensure clusters are created with Private Nodes"), tfdoc("aws_eks_node_group")},
	Run: func(p *rule.Pass) {
		for _, r := range p.Graph.OfType("aws_launch_configuration", "aws_instance") {
			v := r.Get("associate_public_ip_address")
			if v.IsNull() && r.Type == "aws_instance" {
				continue // decided by the subnet below
			}
			p.Report(rule.BoolOr(v, false), r, firstPresent(r, "associate_public_ip_address"),
				"instances get a public IP address (associate_public_ip_address = true)", "associate_public_ip_address is known only after apply")
		}
		for _, lt := range p.Graph.OfType("aws_launch_template") {
			for _, ni := range lt.Get("network_interfaces").Items() {
				v := ni.Get("associate_public_ip_address")
				if v.IsNull() {
					continue
				}
				p.Report(rule.BoolOr(v, false), lt, "network_interfaces.associate_public_ip_address",
					"instances get a public IP address (associate_public_ip_address = true)", "associate_public_ip_address is known only after apply")
			}
		}
		for _, r := range p.Graph.OfType("aws_eks_node_group", "aws_autoscaling_group", "aws_instance") {
			attr := map[string]string{"aws_eks_node_group": "subnet_ids", "aws_autoscaling_group": "vpc_zone_identifier", "aws_instance": "subnet_id"}[r.Type]
			subnets := p.Graph.Targets(r, attr, "aws_subnet")
			if len(subnets) == 0 {
				continue
			}
			verdict, culprit := rule.False, ""
			for _, s := range subnets {
				t := rule.BoolOr(s.Get("map_public_ip_on_launch"), false)
				if t == rule.True && culprit == "" {
					culprit = s.Address
				}
				verdict = rule.Or(verdict, t)
			}
			p.Report(verdict, r, firstPresent(r, attr), "nodes are placed in public subnet "+culprit+" (map_public_ip_on_launch = true)",
				"whether the subnets map public IPs is known only after apply")
		}
		for _, nc := range p.Graph.OfType("k8s:EC2NodeClass") {
			v := nc.Get("spec.associatePublicIPAddress")
			if v.IsNull() {
				continue
			}
			p.Report(rule.BoolOr(v, false), nc, "spec.associatePublicIPAddress", "nodes get public IP addresses (associatePublicIPAddress: true)",
				"associatePublicIPAddress is known only after apply")
		}
	},
}

var nodeSSHOpen = &rule.Rule{
	ID:       "NODE-005",
	Title:    "Node group SSH access is open to the internet",
	Severity: rule.High,
	Service:  "EKS",
	Types:    []string{"aws_eks_node_group"},
	Rationale: "A managed node group with remote_access.ec2_ssh_key and no source_security_group_ids gets a security " +
		"group that opens port 22 to 0.0.0.0/0. SSH keys on nodes are long-lived shared credentials; use SSM Session " +
		"Manager instead.",
	Remediation: "Remove remote_access and use AWS Systems Manager Session Manager, or restrict it with " +
		"source_security_group_ids.",
	Example: `resource "aws_eks_node_group" "default" {
  # no remote_access block: reach nodes through SSM Session Manager
}`,
	References: []rule.Reference{RefDevSecOps,
		bpg("protecting-the-infrastructure", "", "Protecting the infrastructure (hosts): minimize access to worker nodes"),
		tfdoc("aws_eks_node_group")},
	Run: func(p *rule.Pass) {
		for _, ng := range p.Graph.OfType("aws_eks_node_group") {
			ra := ng.Get("remote_access")
			if ra.IsNull() || (ra.Kind == graph.List && len(ra.List) == 0) {
				p.Pass(ng, "")
				continue
			}
			key, okKey := rule.StringOr(ng.Get("remote_access.ec2_ssh_key"), "")
			sgs, unk := rule.Strings(ng.Get("remote_access.source_security_group_ids"))
			switch {
			case ra.IsUnknown() || !okKey:
				p.Unknown(ng, "remote_access", "remote_access is known only after apply")
			case key == "":
				p.Pass(ng, "remote_access")
			case len(sgs) > 0:
				p.Pass(ng, "remote_access.source_security_group_ids")
			case unk:
				p.Unknown(ng, "remote_access.source_security_group_ids", "source_security_group_ids is known only after apply")
			default:
				p.Fail(ng, "remote_access", "SSH key %q is set without source_security_group_ids: EKS opens port 22 to 0.0.0.0/0", key)
			}
		}
	},
}

// joinsEKS tells whether launch data makes an instance join an EKS cluster.
func joinsEKS(userData string) bool {
	s := decodeUserData(userData)
	return strings.Contains(s, "/etc/eks/bootstrap.sh") || strings.Contains(s, "nodeadm") || strings.Contains(s, "node.eks.aws")
}

var nodeSelfManaged = &rule.Rule{
	ID:       "NODE-006",
	Title:    "Self-managed EKS nodes instead of managed node groups",
	Severity: rule.Low,
	Service:  "EKS",
	Types:    []string{"aws_autoscaling_group"},
	Rationale: "Self-managed node groups leave AMI updates, draining and replacement to you; the DevSecOps settings page keeps worker " +
		"OSes updated by using EKS managed node groups (or Karpenter), which roll new AMIs with cordon and drain.",
	Remediation: "Move the nodes to aws_eks_node_group (with a launch template for IMDS and disk settings) or to Karpenter.",
	Example: `resource "aws_eks_node_group" "default" {
  cluster_name  = aws_eks_cluster.this.name
  node_role_arn = aws_iam_role.node.arn
  subnet_ids    = module.vpc.private_subnets
  launch_template {
    id      = aws_launch_template.nodes.id
    version = aws_launch_template.nodes.latest_version
  }
  scaling_config {
    desired_size = 3
    min_size     = 3
    max_size     = 6
  }
}`,
	References: []rule.Reference{RefDevSecOps,
		bpg("protecting-the-infrastructure", "", "Protecting the infrastructure: keep the worker OS updated"),
		tfdoc("aws_eks_node_group")},
	Run: func(p *rule.Pass) {
		for _, asg := range p.Graph.OfType("aws_autoscaling_group") {
			verdict := rule.False
			path := ""
			for _, tag := range asg.Get("tag").Items() {
				if k, ok := rule.StringOr(tag.Get("key"), ""); ok && strings.HasPrefix(k, "kubernetes.io/cluster/") {
					verdict, path = rule.True, "tag"
				}
			}
			if verdict != rule.True {
				for _, lt := range p.Graph.Targets(asg, "", "aws_launch_template", "aws_launch_configuration") {
					for _, attr := range userDataAttrs(lt) {
						v := lt.Get(attr)
						switch {
						case v.IsUnknown():
							verdict = rule.Or(verdict, rule.TriUnknown)
						case v != nil && v.Kind == graph.String && joinsEKS(v.Str):
							verdict, path = rule.True, firstPresent(asg, "launch_configuration", "launch_template", "mixed_instances_policy")
						}
					}
				}
			}
			p.Report(verdict, asg, path, "this Auto Scaling group runs self-managed EKS nodes",
				"the group's launch data is known only after apply; it may run self-managed EKS nodes")
		}
	},
}

var nodeAMI = &rule.Rule{
	ID:       "NODE-007",
	Title:    "Node AMI is not a container-optimised EKS image",
	Severity: rule.Low,
	Service:  "EC2",
	Types:    []string{"aws_eks_node_group", "aws_launch_template", "aws_launch_configuration", "k8s:EC2NodeClass"},
	Rationale: "EKS-optimised Amazon Linux and Bottlerocket images carry a minimal, hardened OS tuned for kubelet and " +
		"receive patched releases from AWS; the DevSecOps settings page uses them for all node groups. A general-purpose or home-made " +
		"AMI widens the attack surface and leaves patching to you. A literal AMI id cannot be judged from code " +
		"(unknown).",
	Remediation: "Use a managed node group ami_type (AL2023_*, BOTTLEROCKET_*), or look the image up from the SSM " +
		"parameters /aws/service/eks/optimized-ami/... or /aws/service/bottlerocket/....",
	Example: `data "aws_ssm_parameter" "eks_ami" {
  name = "/aws/service/eks/optimized-ami/1.34/amazon-linux-2023/x86_64/standard/recommended/image_id"
}

resource "aws_launch_template" "nodes" {
  image_id = data.aws_ssm_parameter.eks_ami.value
}`,
	References: []rule.Reference{RefDevSecOps,
		bpg("protecting-the-infrastructure", "", "Protecting the infrastructure: use an OS optimized for running containers"),
		tfdoc("aws_eks_node_group")},
	Run: func(p *rule.Pass) {
		for _, ng := range p.Graph.OfType("aws_eks_node_group") {
			t, ok := rule.StringOr(ng.Get("ami_type"), "")
			switch {
			case !ok:
				p.Unknown(ng, "ami_type", "ami_type is known only after apply")
			case t == "CUSTOM":
				// The launch template's image decides; judged there.
			case t == "" && len(p.Graph.Targets(ng, "launch_template", "aws_launch_template")) > 0:
			default:
				p.Pass(ng, firstPresent(ng, "ami_type"))
			}
		}
		for _, lt := range p.Graph.OfType("aws_launch_template", "aws_launch_configuration") {
			// The provider reads an empty image_id as unset: EKS or the
			// node group's ami_type chooses (terraform-aws-eks passes "").
			v := lt.Get("image_id")
			if v.IsNull() || (v.Kind == graph.String && v.Str == "") {
				continue
			}
			judgeImage(p, lt, "image_id")
		}
		for _, nc := range p.Graph.OfType("k8s:EC2NodeClass") {
			verdict, path := rule.TriUnknown, firstPresent(nc, "spec.amiSelectorTerms", "spec.amiFamily", "spec")
			family, _ := rule.StringOr(nc.Get("spec.amiFamily"), "")
			for _, term := range nc.Get("spec.amiSelectorTerms").Items() {
				if alias, ok := rule.StringOr(term.Get("alias"), ""); ok && alias != "" {
					verdict = rule.Of(optimisedName(alias))
				}
			}
			if verdict == rule.TriUnknown && family != "" && family != "Custom" {
				verdict = rule.Of(optimisedName(family))
			}
			p.Report(verdict.Not(), nc, path, "the EC2NodeClass does not select an EKS-optimised AMI family",
				"the EC2NodeClass selects AMIs by id, name or tag; whether they are EKS-optimised cannot be told")
		}
	},
}

func optimisedName(s string) bool {
	s = strings.ToLower(s)
	for _, k := range []string{"amazon-eks", "eks-node", "bottlerocket", "al2023", "al2", "windows"} {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}

func judgeImage(p *rule.Pass, r *graph.Resource, attr string) {
	for _, d := range p.Graph.Targets(r, attr) {
		if d.Mode != graph.Data {
			continue
		}
		var names []string
		switch d.Type {
		case "aws_ssm_parameter":
			n, _ := rule.StringOr(d.Get("name"), "")
			if strings.HasPrefix(n, "/aws/service/eks/optimized-ami/") || strings.HasPrefix(n, "/aws/service/bottlerocket/") {
				p.Pass(r, attr)
			} else {
				p.Fail(r, attr, "the AMI comes from SSM parameter %q, not an EKS-optimised image parameter", n)
			}
			return
		case "aws_ami":
			if n, ok := rule.StringOr(d.Get("name_regex"), ""); ok && n != "" {
				names = append(names, n)
			}
			for _, f := range d.Get("filter").Items() {
				if k, _ := rule.StringOr(f.Get("name"), ""); k == "name" {
					vs, _ := rule.Strings(f.Get("values"))
					names = append(names, vs...)
				}
			}
			if n, ok := rule.StringOr(d.Get("name"), ""); ok && n != "" {
				names = append(names, n)
			}
			if len(names) == 0 {
				p.Unknown(r, attr, "the AMI lookup %s has no name filter to judge", d.Address)
				return
			}
			for _, n := range names {
				if optimisedName(n) {
					p.Pass(r, attr)
					return
				}
			}
			p.Fail(r, attr, "the AMI lookup %s selects %q, not an EKS-optimised image", d.Address, names[0])
			return
		}
	}
	p.Unknown(r, attr, "the AMI is given by id; whether it is EKS-optimised cannot be told from code")
}

// userDataAttrs are the attributes holding a launch template's or launch
// configuration's user data: launch templates have only user_data
// (base64), launch configurations and instances also user_data_base64.
func userDataAttrs(r *graph.Resource) []string {
	if r.Type == "aws_launch_template" {
		return []string{"user_data"}
	}
	return []string{"user_data", "user_data_base64"}
}
