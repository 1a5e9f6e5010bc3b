package cfn

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/eksguard/eksguard/internal/yamlpos"
)

// load reads a template the way the front-end router does: JSON through
// jsonpos, anything else as YAML with short-form tags.
func load(t testing.TB, name string, src []byte, params map[string]string) (*graph.Graph, diag.List) {
	t.Helper()
	g := graph.New()
	var root *graph.Value
	if strings.HasSuffix(name, ".json") {
		v, err := jsonpos.Parse(src, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		root = v
	} else {
		docs, diags := yamlpos.Decode(src, name, yamlpos.Options{Tag: Tag})
		if len(diags) > 0 || len(docs) != 1 {
			t.Fatalf("%s: %v (%d documents)", name, diags, len(docs))
		}
		root = docs[0].Value
	}
	if !Detect(root) {
		t.Fatalf("%s: not detected as a CloudFormation template", name)
	}
	return g, Load(g, root, name, Options{Params: params})
}

func loadFile(t *testing.T, path string) (*graph.Graph, []byte) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	g, diags := load(t, path, src, nil)
	for _, d := range diags {
		t.Errorf("unexpected diagnostic: %s", d)
	}
	return g, src
}

func one(t *testing.T, g *graph.Graph, addr string) *graph.Resource {
	t.Helper()
	rs := g.ByAddress(addr)
	if len(rs) != 1 {
		t.Fatalf("%d resources at %s, want 1", len(rs), addr)
	}
	return rs[0]
}

func js(v *graph.Value) string {
	if v == nil {
		return "(absent)"
	}
	b, _ := v.MarshalJSON()
	return string(b)
}

// lineOf returns the line of the first occurrence of s in src.
func lineOf(t *testing.T, src []byte, s string) int {
	t.Helper()
	i := bytes.Index(src, []byte(s))
	if i < 0 {
		t.Fatalf("%q not in source", s)
	}
	return bytes.Count(src[:i], []byte("\n")) + 1
}

const intrinsicsHeader = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: dev}
  NoDefault: {Type: String}
  Subnets: {Type: CommaDelimitedList, Default: "a, b,c"}
  Port: {Type: Number, Default: "443"}
  Ami: {Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /aws/service/eks/ami}
Conditions:
  IsDev: !Equals [!Ref Env, dev]
  IsProd: !Equals [prod, !Ref Env]
  Undecided: !Equals [!Ref NoDefault, x]
  Both: !And [!Condition IsDev, !Not [!Condition IsProd]]
  Either: !Or [!Condition Undecided, !Condition IsDev]
  Neither: !Or [!Condition Undecided, !Condition IsProd]
  NotUndecided: !Not [!Condition Undecided]
  FalseAnd: !And [!Condition Undecided, !Condition IsProd]
Mappings:
  Regions:
    eu-west-1: {Ami: ami-1, Size: small}
    us-east-1: {Ami: ami-2, Size: small}
Resources:
  Other:
    Type: AWS::SQS::Queue
  Thing:
    Type: AWS::SQS::Queue
    Properties:
      Value: %s
`

func TestIntrinsics(t *testing.T) {
	tests := []struct {
		expr   string
		want   string
		params map[string]string
		edge   string // address Thing must link to at "value"
	}{
		{expr: "!Ref Env", want: `"dev"`},
		{expr: "!Ref Env", params: map[string]string{"Env": "prod"}, want: `"prod"`},
		{expr: "!Ref NoDefault", want: unk},
		{expr: "!Ref NoDefault", params: map[string]string{"NoDefault": "x"}, want: `"x"`},
		{expr: "!Ref Subnets", want: `["a","b","c"]`},
		{expr: "!Ref Port", want: `443`},
		{expr: "!Ref Other", want: unk, edge: "Other"},
		{expr: "{Ref: Other}", want: unk, edge: "Other"},
		{expr: "!Ref AWS::Partition", want: `"aws"`},
		{expr: "!Ref AWS::Partition", params: map[string]string{"AWS::Partition": "aws-cn"}, want: `"aws-cn"`},
		{expr: "!Ref AWS::URLSuffix", want: `"amazonaws.com"`},
		{expr: "!Ref AWS::Region", want: unk},
		{expr: "!Ref AWS::AccountId", want: `{"__unknown__":true,"partial":"${Account}","reason":"AWS::AccountId is known at deploy; give it with --account-id or --cfn-param AWS::AccountId=..."}`},
		{expr: "!Ref AWS::AccountId", params: map[string]string{"AWS::AccountId": "111122223333"}, want: `"111122223333"`},
		{expr: "!Ref AWS::StackName", want: unk},
		{expr: "!Ref AWS::StackId", want: unk},
		{expr: "!Ref AWS::NotificationARNs", want: unk},
		{expr: "!Ref AWS::NotificationARNs", params: map[string]string{"AWS::NotificationARNs": "arn:a, arn:b"}, want: `["arn:a","arn:b"]`},
		{expr: "!Ref Ami", want: unk, edge: "Parameters.Ami"},
		{expr: "!GetAtt Other.Arn", want: unk, edge: "Other"},
		{expr: `{"Fn::GetAtt": [Other, Arn]}`, want: unk, edge: "Other"},
		{expr: `!Sub "arn:${AWS::Partition}:s3:::${Env}-bucket"`, want: `"arn:aws:s3:::dev-bucket"`},
		{expr: `!Sub "${Other.Arn}/x"`, want: unk, edge: "Other"},
		{expr: `!Sub "${Other}"`, want: unk, edge: "Other"},
		{expr: `!Sub ["${A}-${B}", {A: !Ref Env, B: x}]`, want: `"dev-x"`},
		{expr: `!Sub ["${A}-${Env}", {A: !GetAtt Other.Arn}]`, want: unk, edge: "Other"},
		{expr: `!Sub "${!Literal}-${Env}"`, want: `"${Literal}-dev"`},
		{expr: `!Sub "${AWS::Region}"`, want: unk},
		{expr: `!Sub "port ${Port}"`, want: `"port 443"`},
		{expr: `!Join [",", [a, !Ref Env, 1]]`, want: `"a,dev,1"`},
		{expr: `!Join ["-", !Ref Subnets]`, want: `"a-b-c"`},
		{expr: `!Join ["", [!Ref Other, "x"]]`, want: unk, edge: "Other"},
		{expr: `!Join ["", !Ref NoDefault]`, want: unk},
		// Known but for the account, as Fn::Sub gives it; a part not known
		// at all leaves nothing known.
		{expr: `!Join ["", ["arn:aws:iam::", !Ref AWS::AccountId, ":root"]]`, want: `{"__unknown__":true,"partial":"arn:aws:iam::${Account}:root","reason":"AWS::AccountId is known at deploy; give it with --account-id or --cfn-param AWS::AccountId=..."}`},
		{expr: `!Join [":", [!Ref AWS::AccountId, !Ref NoDefault]]`, want: unk},
		{expr: "!If [IsDev, yes, no]", want: `"yes"`},
		{expr: "!If [IsDev, yes, no]", params: map[string]string{"Env": "prod"}, want: `"no"`},
		{expr: "!If [IsProd, yes, no]", want: `"no"`},
		{expr: "!If [Undecided, yes, no]", want: unk},
		{expr: "!If [Undecided, same, same]", want: `"same"`},
		{expr: "!If [Undecided, !Ref Other, !Ref Other]", want: unk, edge: "Other"},
		{expr: "!If [Undecided, [a], [a]]", want: `["a"]`},
		{expr: "!If [Undecided, !Ref Other, x]", want: unk, edge: "Other"},
		{expr: "!If [Undecided, {A: 1, B: !Ref Other}, {A: 1, B: x}]", want: `[{"a":1,"b":` + unk + `}]`, edge: "Other"},
		{expr: "!If [Undecided, [a, b], [a, c]]", want: `["a",` + unk + `]`},
		{expr: "!If [Undecided, {A: 1}, {B: 1}]", want: `[{"a":` + unk + `,"b":` + unk + `}]`},
		{expr: "!If [Undecided, [a], [a, b]]", want: unk},
		{expr: "!If [Both, t, f]", want: `"t"`},
		{expr: "!If [Either, t, f]", want: `"t"`},
		{expr: "!If [Neither, t, f]", want: unk},
		{expr: "!If [NotUndecided, t, f]", want: unk},
		{expr: "!If [FalseAnd, t, f]", want: `"f"`},
		{expr: "!If [IsDev, !Ref AWS::NoValue, x]", want: "(absent)"},
		{expr: "!If [Undecided, !Ref AWS::NoValue, !Ref AWS::NoValue]", want: "(absent)"},
		{expr: "[a, !If [IsDev, !Ref AWS::NoValue, b], c]", want: `["a","c"]`},
		{expr: "{K: !Ref AWS::NoValue, L: 1}", want: `[{"l":1}]`},
		{expr: "!Select [1, [a, b, c]]", want: `"b"`},
		{expr: `!Select ["2", !Ref Subnets]`, want: `"c"`},
		{expr: "!Select [0, [!GetAtt Other.Arn, x]]", want: unk, edge: "Other"},
		{expr: `!Select [0, !GetAZs ""]`, want: unk},
		{expr: `!Select [!Ref NoDefault, [a, b]]`, want: unk},
		{expr: `!Split [",", "a,b"]`, want: `["a","b"]`},
		{expr: `!Split [",", !Ref NoDefault]`, want: unk},
		{expr: `!Select [1, !Split ["/", !Sub "x/${Env}"]]`, want: `"dev"`},
		{expr: "!FindInMap [Regions, eu-west-1, Ami]", want: `"ami-1"`},
		{expr: "!FindInMap [Regions, !Ref AWS::Region, Size]", want: `"small"`},
		{expr: "!FindInMap [Regions, !Ref AWS::Region, Ami]", want: unk},
		{expr: "!FindInMap [Regions, !Ref AWS::Region, Ami]", params: map[string]string{"AWS::Region": "us-east-1"}, want: `"ami-2"`},
		{expr: "!FindInMap [Regions, eu-central-1, Ami, {DefaultValue: ami-0}]", want: `"ami-0"`},
		{expr: "!Base64 hello", want: `"aGVsbG8="`},
		{expr: "!Base64 {Ref: NoDefault}", want: unk},
		{expr: "!ImportValue shared-vpc", want: unk},
		{expr: "!GetAZs eu-west-1", want: unk},
		{expr: "!Cidr [10.0.0.0/16, 2, 8]", want: unk},
		{expr: `'{{resolve:ssm:/aws/service/eks/x:3}}'`, want: unk, edge: "resolve:ssm:/aws/service/eks/x"},
		{expr: `'{{resolve:secretsmanager:db:SecretString:password}}'`, want: unk},
		{expr: `{"Fn::Length": [a, b]}`, want: `2`},
		{expr: `{"Fn::ToJsonString": {b: !Ref Env, a: [1]}}`, want: `"{\"a\":[1],\"b\":\"dev\"}"`},
		{expr: `{"Fn::ToJsonString": {b: !Ref Other}}`, want: unk, edge: "Other"},
	}
	for _, tt := range tests {
		name := tt.expr
		if len(tt.params) > 0 {
			name += fmt.Sprint(tt.params)
		}
		t.Run(name, func(t *testing.T) {
			src := fmt.Sprintf(intrinsicsHeader, tt.expr)
			g, diags := load(t, "t.yaml", []byte(src), tt.params)
			for _, d := range diags {
				t.Errorf("unexpected diagnostic: %s", d)
			}
			thing := one(t, g, "Thing")
			if got := js(thing.Get("value")); got != tt.want {
				t.Errorf("value = %s, want %s", got, tt.want)
			}
			var targets []string
			for _, r := range g.Targets(thing, "value") {
				targets = append(targets, r.Address)
			}
			want := []string(nil)
			if tt.edge != "" {
				want = []string{tt.edge}
			}
			if fmt.Sprint(targets) != fmt.Sprint(want) {
				t.Errorf("edges from value = %v, want %v", targets, want)
			}
		})
	}
}

const unk = `{"__unknown__":true}`

// TestUnknownPrefix: a string built from a parameter without a value is not
// known, but what it begins with is, which tells that it is not "*".
func TestUnknownPrefix(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`!Sub "arn:aws:iam::${NoDefault}:root"`, "arn:aws:iam::"},
		{`!Sub "arn:aws:iam::${AWS::AccountId}:role/${NoDefault}"`, "arn:aws:iam::"},
		{`!Sub "${NoDefault}:root"`, ""},
		{`!Join ["", ["arn:aws:iam::", !Ref NoDefault, ":root"]]`, "arn:aws:iam::"},
		{`!Join [":", [arn, aws, iam, "", !Ref NoDefault, root]]`, "arn:aws:iam::"},
		{`!Join [":", [!Ref NoDefault, root]]`, ""},
		{`!Ref NoDefault`, ""},
	}
	for _, tt := range tests {
		g, diags := load(t, "t.yaml", []byte(fmt.Sprintf(intrinsicsHeader, tt.expr)), nil)
		for _, d := range diags {
			t.Errorf("%s: unexpected diagnostic: %s", tt.expr, d)
		}
		v := one(t, g, "Thing").Get("value")
		if !v.IsUnknown() || v.Prefix() != tt.want {
			t.Errorf("%s: %s with prefix %q, want unknown with prefix %q", tt.expr, js(v), v.Prefix(), tt.want)
		}
	}
}

// nodeRoleARN is Fn::GetAtt NodeRole.Arn: known but for the account.
const nodeRoleARN = `{"__unknown__":true,"partial":"arn:aws:iam::${Account}:role/eks-node","reason":"the ARN of NodeRole is known once the stack is deployed"}`

func TestSSMParameterDataSource(t *testing.T) {
	g, diags := load(t, "t.yaml", []byte(fmt.Sprintf(intrinsicsHeader, "!Ref Ami")), nil)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	p := one(t, g, "Parameters.Ami")
	if p.Type != "aws_ssm_parameter" || p.Mode != graph.Data || js(p.Get("name")) != `"/aws/service/eks/ami"` {
		t.Errorf("SSM parameter data source = %s %s %s", p.Type, p.Mode, js(p.Attrs))
	}
	if len(g.DataOfType("aws_ssm_parameter")) != 1 {
		t.Errorf("want one aws_ssm_parameter data source")
	}
}

func TestResourceConditions(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: dev}
  Region: {Type: String}
Conditions:
  IsDev: !Equals [!Ref Env, dev]
  IsProd: !Equals [!Ref Env, prod]
  Undecided: !Equals [!Ref Region, eu-west-1]
Resources:
  DevOnly: {Type: AWS::SQS::Queue, Condition: IsDev}
  ProdOnly: {Type: AWS::SQS::Queue, Condition: IsProd}
  Maybe: {Type: AWS::SQS::Queue, Condition: Undecided}
  Uses:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: {deadLetterTargetArn: !If [IsProd, !GetAtt ProdOnly.Arn, !Ref AWS::NoValue]}
`
	g, diags := load(t, "c.yaml", []byte(src), nil)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if len(g.ByAddress("DevOnly")) != 1 || len(g.ByAddress("Maybe")) != 1 {
		t.Error("a resource whose condition is true or undecided must be added")
	}
	if len(g.ByAddress("ProdOnly")) != 0 {
		t.Error("a resource whose condition is false must not be added")
	}
	if got := js(one(t, g, "Uses").Get("redrive_policy")); got != `"{}"` {
		t.Errorf("redrive_policy = %s", got)
	}
	g, _ = load(t, "c.yaml", []byte(src), map[string]string{"Env": "prod"})
	if len(g.ByAddress("DevOnly")) != 0 || len(g.ByAddress("ProdOnly")) != 1 {
		t.Error("--cfn-param must decide conditions")
	}
	if ts := g.Targets(one(t, g, "Uses"), "redrive_policy"); len(ts) != 1 || ts[0].Address != "ProdOnly" {
		t.Errorf("edge through a decided Fn::If: %v", ts)
	}
}

// TestMapping checks the Terraform shape of each type the front-end maps.
func TestMapping(t *testing.T) {
	g, _ := loadFile(t, "testdata/mapping.yaml")
	tests := []struct{ addr, typ, path, want string }{
		{"Cluster", "aws_eks_cluster", "name", `"prod"`},
		{"Cluster", "aws_eks_cluster", "version", `"1.34"`},
		{"Cluster", "aws_eks_cluster", "vpc_config", `[{"endpoint_private_access":true,"endpoint_public_access":false,"public_access_cidrs":["10.0.0.0/8"],"security_group_ids":[` + unk + `],"subnet_ids":[` + unk + `]}]`},
		{"Cluster", "aws_eks_cluster", "enabled_cluster_log_types", `["api","audit"]`},
		{"Cluster", "aws_eks_cluster", "encryption_config", `[{"provider":[{"key_arn":` + unk + `}],"resources":["secrets"]}]`},
		{"Cluster", "aws_eks_cluster", "access_config", `[{"authentication_mode":"API","bootstrap_cluster_creator_admin_permissions":false}]`},
		{"Cluster", "aws_eks_cluster", "kubernetes_network_config.service_ipv4_cidr", `"172.20.0.0/16"`},
		{"Cluster", "aws_eks_cluster", "tags", `{"team":"platform"}`},
		{"ClusterRole", "aws_iam_role", "assume_role_policy", unk},
		{"Nodes", "aws_eks_node_group", "node_group_name", `"nodes"`},
		{"Nodes", "aws_eks_node_group", "ami_type", `"AL2023_x86_64_STANDARD"`},
		{"Nodes", "aws_eks_node_group", "remote_access", `[{"ec2_ssh_key":"ops","source_security_group_ids":[` + unk + `]}]`},
		{"Nodes", "aws_eks_node_group", "launch_template", `[{"id":` + unk + `,"version":` + unk + `}]`},
		{"Nodes", "aws_eks_node_group", "labels", `{"NodeRole":"general","team":"a"}`},
		{"Nodes", "aws_eks_node_group", "taint", `[{"effect":"NO_SCHEDULE","key":"dedicated","value":"gpu"}]`},
		{"Nodes", "aws_eks_node_group", "scaling_config", `[{"desired_size":2,"max_size":3,"min_size":1}]`},
		{"Nodes", "aws_eks_node_group", "tags", `{"Team":"a"}`},
		{"Entry", "aws_eks_access_entry", "", `{"cluster_name":` + unk + `,"principal_arn":` + nodeRoleARN + `,"user_name":"admin"}`},
		{"Entry.AccessPolicies[0]", "aws_eks_access_policy_association", "", `{"access_scope":[{"type":"cluster"}],"cluster_name":` + unk + `,"policy_arn":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy","principal_arn":` + unk + `}`},
		{"Entry.AccessPolicies[1]", "aws_eks_access_policy_association", "access_scope", `[{"namespaces":["apps","jobs"],"type":"namespace"}]`},
		{"Addon", "aws_eks_addon", "", `{"addon_name":"vpc-cni","cluster_name":` + unk + `,"configuration_values":"{\"enableNetworkPolicy\":\"true\"}","resolve_conflicts_on_create":"OVERWRITE","resolve_conflicts_on_update":"OVERWRITE","service_account_role_arn":` + nodeRoleARN + `}`},
		{"PodId", "aws_eks_pod_identity_association", "", `{"cluster_name":` + unk + `,"namespace":"kube-system","role_arn":` + nodeRoleARN + `,"service_account":"aws-node"}`},
		{"Lt", "aws_launch_template", "name", `"nodes"`},
		{"Lt", "aws_launch_template", "metadata_options", `[{"http_put_response_hop_limit":1,"http_tokens":"required"}]`},
		{"Lt", "aws_launch_template", "block_device_mappings", `[{"device_name":"/dev/xvda","ebs":[{"encrypted":true,"kms_key_id":` + unk + `,"volume_size":50}]}]`},
		{"Lt", "aws_launch_template", "network_interfaces", `[{"associate_public_ip_address":false,"device_index":0,"security_groups":[` + unk + `]}]`},
		{"Lt", "aws_launch_template", "iam_instance_profile", `[{"arn":{"__unknown__":true,"partial":"arn:aws:iam::${Account}:instance-profile/${Unknown}","reason":"the ARN of Profile is known once the stack is deployed"}}]`},
		{"Lt", "aws_launch_template", "image_id", `"ami-0123456789abcdef0"`},
		{"Lt", "aws_launch_template", "user_data", `"IyEvYmluL2Jhc2gK"`},
		{"Lt", "aws_launch_template", "vpc_security_group_ids", `[` + unk + `]`},
		{"Lt", "aws_launch_template", "tags", `{"a":"b"}`},
		{"Instance", "aws_instance", "ami", `"ami-0123456789abcdef0"`},
		{"Instance", "aws_instance", "root_block_device", `[{"encrypted":true,"volume_size":20}]`},
		{"Instance", "aws_instance", "ebs_block_device", `[{"device_name":"/dev/sdb","encrypted":false}]`},
		{"Instance", "aws_instance", "ephemeral_block_device", `[{"device_name":"/dev/sdc","virtual_name":"ephemeral0"}]`},
		{"Instance", "aws_instance", "associate_public_ip_address", `true`},
		{"Instance", "aws_instance", "subnet_id", unk},
		{"Instance", "aws_instance", "vpc_security_group_ids", `[` + unk + `]`},
		{"Instance", "aws_instance", "iam_instance_profile", unk},
		{"Instance", "aws_instance", "launch_template", `[{"id":` + unk + `,"version":"1"}]`},
		{"Instance", "aws_instance", "metadata_options", `[{"http_tokens":"required"}]`},
		{"Instance", "aws_instance", "user_data_base64", `"IyEvYmluL2Jhc2gK"`},
		{"SubnetA", "aws_subnet", "", `{"cidr_block":"10.0.0.0/24","map_public_ip_on_launch":true,"tags":{"Name":"a"},"vpc_id":` + unk + `}`},
		{"Vpc", "aws_vpc", "cidr_block", `"10.0.0.0/16"`},
		{"Sg", "aws_security_group", "name", `"nodes"`},
		{"Sg", "aws_security_group", "description", `"nodes"`},
		{"Sg", "aws_security_group", "ingress", `[{"cidr_blocks":["0.0.0.0/0"],"from_port":22,"protocol":"tcp","to_port":22},{"ipv6_cidr_blocks":["::/0"],"protocol":"-1"},{"from_port":443,"protocol":"tcp","security_groups":[` + unk + `],"to_port":443}]`},
		// CloudFormation keeps a new group's allow-all egress rule unless
		// SecurityGroupEgress is given; Terraform removes it.
		{"Sg", "aws_security_group", "egress", `[{"cidr_blocks":["0.0.0.0/0"],"from_port":0,"protocol":"-1","to_port":0}]`},
		{"SgIn", "aws_vpc_security_group_ingress_rule", "", `{"cidr_ipv4":"10.0.0.0/8","cidr_ipv6":"fd00::/8","from_port":443,"ip_protocol":"tcp","security_group_id":` + unk + `,"to_port":443}`},
		{"SgOut", "aws_vpc_security_group_egress_rule", "", `{"ip_protocol":"-1","referenced_security_group_id":` + unk + `,"security_group_id":` + unk + `}`},
		{"Volume", "aws_ebs_volume", "", `{"availability_zone":"eu-west-1a","encrypted":true,"kms_key_id":` + unk + `,"size":10,"type":"gp3"}`},
		{"Lc", "aws_launch_configuration", "root_block_device", `[{"encrypted":false}]`},
		{"Lc", "aws_launch_configuration", "metadata_options", `[{"http_put_response_hop_limit":2,"http_tokens":"optional"}]`},
		{"Lc", "aws_launch_configuration", "associate_public_ip_address", `false`},
		{"Lc", "aws_launch_configuration", "iam_instance_profile", unk},
		{"Lc", "aws_launch_configuration", "user_data_base64", `"IyEvYmluL2Jhc2gK"`},
		{"Asg", "aws_autoscaling_group", "", `{"launch_configuration":` + unk + `,"max_size":3,"min_size":1,"tag":[{"key":"kubernetes.io/cluster/prod","propagate_at_launch":true,"value":"owned"}],"target_group_arns":["arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/a/1"],"vpc_zone_identifier":[` + unk + `]}`},
		{"Asg2", "aws_autoscaling_group", "launch_template", `[{"name":"nodes","version":` + unk + `}]`},
		{"NodeRole", "aws_iam_role", "name", `"eks-node"`},
		{"NodeRole", "aws_iam_role", "assume_role_policy", `"{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"}}],\"Version\":\"2012-10-17\"}"`},
		{"NodeRole", "aws_iam_role", "permissions_boundary", `"arn:aws:iam::111122223333:policy/boundary"`},
		{"NodeRole", "aws_iam_role", "managed_policy_arns", `["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",` + unk + `]`},
		{"NodeRole", "aws_iam_role", "inline_policy", `[{"name":"logs","policy":"{\"Statement\":[{\"Action\":\"logs:*\",\"Effect\":\"Allow\",\"Resource\":\"*\"}],\"Version\":\"2012-10-17\"}"}]`},
		{"NodeRole.ManagedPolicyArns[0]", "aws_iam_role_policy_attachment", "", `{"policy_arn":"arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy","role":"eks-node"}`},
		{"NodeRole.ManagedPolicyArns[1]", "aws_iam_role_policy_attachment", "policy_arn", unk},
		{"NodeRole.Policies[0]", "aws_iam_role_policy", "", `{"name":"logs","policy":"{\"Statement\":[{\"Action\":\"logs:*\",\"Effect\":\"Allow\",\"Resource\":\"*\"}],\"Version\":\"2012-10-17\"}","role":"eks-node"}`},
		{"InlinePolicy.Roles[0]", "aws_iam_role_policy", "name", `"extra"`},
		// A permission set's inline policy is Terraform's separate
		// aws_ssoadmin_permission_set_inline_policy.
		{"Admins", "aws_ssoadmin_permission_set", "", `{"instance_arn":"arn:aws:sso:::instance/ssoins-1234567890abcdef","name":"admins"}`},
		{"Admins.InlinePolicy", "aws_ssoadmin_permission_set_inline_policy", "", `{"inline_policy":"{\"Statement\":[{\"Action\":\"*\",\"Effect\":\"Allow\",\"Resource\":\"*\"}],\"Version\":\"2012-10-17\"}","instance_arn":"arn:aws:sso:::instance/ssoins-1234567890abcdef","permission_set_arn":` + unk + `}`},
		{"InlinePolicy.Users[0]", "aws_iam_user_policy", "user", unk},
		{"InlinePolicy.Groups[0]", "aws_iam_group_policy", "policy", `"{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\",\"Resource\":\"*\"}],\"Version\":\"2012-10-17\"}"`},
		{"Managed", "aws_iam_policy", "name", `"managed"`},
		{"Managed.Roles[0]", "aws_iam_role_policy_attachment", "policy_arn", unk},
		{"Managed.Groups[0]", "aws_iam_group_policy_attachment", "group", `"ops"`},
		{"User", "aws_iam_user", "", `{"name":"alice"}`},
		{"User.ManagedPolicyArns[0]", "aws_iam_user_policy_attachment", "", `{"policy_arn":"arn:aws:iam::aws:policy/ReadOnlyAccess","user":"alice"}`},
		{"User.Groups", "aws_iam_user_group_membership", "", `{"groups":[` + unk + `],"user":"alice"}`},
		{"User.LoginProfile", "aws_iam_user_login_profile", "password_reset_required", `true`},
		{"Group", "aws_iam_group", "", `{"name":"ops"}`},
		{"Group.Policies[0]", "aws_iam_group_policy", "group", `"ops"`},
		{"Profile", "aws_iam_instance_profile", "role", unk},
		{"Bucket", "aws_s3_bucket", "", `{"bucket":"logs-bucket"}`},
		{"Bucket.BucketEncryption", "aws_s3_bucket_server_side_encryption_configuration", "", `{"bucket":"logs-bucket","rule":[{"apply_server_side_encryption_by_default":[{"kms_master_key_id":` + unk + `,"sse_algorithm":"aws:kms"}],"bucket_key_enabled":true}]}`},
		{"Bucket.PublicAccessBlockConfiguration", "aws_s3_bucket_public_access_block", "", `{"block_public_acls":true,"block_public_policy":true,"bucket":"logs-bucket","ignore_public_acls":false,"restrict_public_buckets":true}`},
		{"Bucket.VersioningConfiguration", "aws_s3_bucket_versioning", "", `{"bucket":"logs-bucket","versioning_configuration":[{"status":"Enabled"}]}`},
		{"Bucket.LoggingConfiguration", "aws_s3_bucket_logging", "", `{"bucket":"logs-bucket","target_bucket":"audit-logs","target_prefix":"s3/"}`},
		{"Bucket.OwnershipControls", "aws_s3_bucket_ownership_controls", "rule", `[{"object_ownership":"BucketOwnerEnforced"}]`},
		{"Bucket.AccessControl", "aws_s3_bucket_acl", "", `{"acl":"public-read","bucket":"logs-bucket"}`},
		{"BucketPolicy", "aws_s3_bucket_policy", "", `{"bucket":` + unk + `,"policy":"{\"Statement\":[{\"Action\":\"s3:*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}},\"Effect\":\"Deny\",\"Principal\":\"*\",\"Resource\":[\"arn:aws:s3:::logs-bucket/*\"]}],\"Version\":\"2012-10-17\"}"}`},
		{"Key", "aws_kms_key", "", `{"deletion_window_in_days":7,"enable_key_rotation":true,"policy":"{\"Statement\":[{\"Action\":\"kms:*\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Resource\":\"*\"}],\"Version\":\"2012-10-17\"}"}`},
		{"Secret", "aws_secretsmanager_secret", "", `{"kms_key_id":` + unk + `,"name":"db"}`},
		{"Secret.SecretString", "aws_secretsmanager_secret_version", "secret_string", `"hunter2"`},
		{"Trail", "aws_cloudtrail", "", `{"cloud_watch_logs_group_arn":` + unk + `,"enable_log_file_validation":true,"enable_logging":true,"event_selector":[{"data_resource":[{"type":"AWS::S3::Object","values":["arn:aws:s3"]}],"read_write_type":"All"}],"is_multi_region_trail":true,"kms_key_id":` + unk + `,"s3_bucket_name":` + unk + `}`},
		{"Logs", "aws_cloudwatch_log_group", "", `{"kms_key_id":` + unk + `,"name":"/aws/eks/prod/cluster","retention_in_days":90}`},
		// Unmapped types: mechanical type name, snake_cased attributes,
		// policy-like objects as JSON strings.
		{"Queue", "aws_sqs_queue", "", `{"kms_master_key_id":` + unk + `,"redrive_policy":` + unk + `}`},
		{"Custom", "cfn:Custom::EksAuth", "", `{"MapRoles":[{"groups":["system:masters"],"rolearn":` + nodeRoleARN + `}],"ServiceToken":` + unk + `}`},
		{"Fn", "aws_lambda_function", "", `{"code":` + unk + `,"environment":[{"variables":{"LOG_LEVEL":"info"}}],"handler":"app.handler","role":` + nodeRoleARN + `,"runtime":"python3.12","tags":{"lambda:createdBy":"SAM"}}`},
	}
	for _, tt := range tests {
		r := one(t, g, tt.addr)
		if r.Type != tt.typ {
			t.Errorf("%s: type %s, want %s", tt.addr, r.Type, tt.typ)
		}
		if r.Origin != Origin || r.Mode != graph.Managed {
			t.Errorf("%s: origin %q mode %q", tt.addr, r.Origin, r.Mode)
		}
		if got := js(r.Get(tt.path)); got != tt.want {
			t.Errorf("%s %s:\n got %s\nwant %s", tt.addr, tt.path, got, tt.want)
		}
	}
}

// TestEdges checks the edges the rules follow, with the calls they make.
func TestEdges(t *testing.T) {
	g, _ := loadFile(t, "testdata/mapping.yaml")
	addrs := func(rs []*graph.Resource) string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Address)
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	r := func(a string) *graph.Resource { return one(t, g, a) }
	tests := []struct {
		name string
		got  []*graph.Resource
		want string
	}{
		{"node group role", g.Targets(r("Nodes"), "node_role_arn", "aws_iam_role"), "NodeRole"},
		{"node group launch template", g.Targets(r("Nodes"), "launch_template", "aws_launch_template"), "Lt"},
		{"node group subnets", g.Targets(r("Nodes"), "subnet_ids", "aws_subnet"), "SubnetA"},
		{"node group cluster", g.Targets(r("Nodes"), "cluster_name", "aws_eks_cluster"), "Cluster"},
		{"cluster security groups", g.Targets(r("Cluster"), "vpc_config.security_group_ids", "aws_security_group"), "Sg"},
		{"cluster key", g.Targets(r("Cluster"), "encryption_config", "aws_kms_key"), "Key"},
		{"cluster role", g.Targets(r("Cluster"), "role_arn"), "ClusterRole"},
		{"role attachments", g.Sources(r("NodeRole"), "role", "aws_iam_role_policy_attachment"),
			"Managed.Roles[0] NodeRole.ManagedPolicyArns[0] NodeRole.ManagedPolicyArns[1]"},
		{"role inline policies", g.Sources(r("NodeRole"), "role", "aws_iam_role_policy"), "InlinePolicy.Roles[0] NodeRole.Policies[0]"},
		{"permission set inline policy", g.Sources(r("Admins"), "permission_set_arn", "aws_ssoadmin_permission_set_inline_policy"), "Admins.InlinePolicy"},
		{"managed policy attachments", g.Sources(r("Managed"), "policy_arn"), "Managed.Groups[0] Managed.Roles[0] NodeRole.ManagedPolicyArns[1]"},
		{"association principal", g.Targets(r("Entry.AccessPolicies[0]"), "principal_arn", "aws_iam_role", "aws_iam_user"), "NodeRole"},
		{"association entry", g.Targets(r("Entry.AccessPolicies[0]"), "", "aws_eks_access_entry"), "Entry"},
		{"addon cluster", g.Targets(r("Addon"), "cluster_name", "aws_eks_cluster"), "Cluster"},
		{"ingress rule group", g.Sources(r("Sg"), "security_group_id", "aws_vpc_security_group_ingress_rule"), "SgIn"},
		{"egress rule group", g.Sources(r("Sg"), "security_group_id", "aws_vpc_security_group_egress_rule"), "SgOut"},
		{"bucket settings", g.Sources(r("Bucket"), "bucket"), "Bucket.AccessControl Bucket.BucketEncryption Bucket.LoggingConfiguration " +
			"Bucket.OwnershipControls Bucket.PublicAccessBlockConfiguration Bucket.VersioningConfiguration BucketPolicy"},
		{"public access block", g.Sources(r("Bucket"), "bucket", "aws_s3_bucket_public_access_block"), "Bucket.PublicAccessBlockConfiguration"},
		{"launch template profile", g.Targets(r("Lt"), "iam_instance_profile", "aws_iam_instance_profile"), "Profile"},
		{"launch configuration profile", g.Targets(r("Lc"), "iam_instance_profile", "aws_iam_instance_profile"), "Profile"},
		{"profile role", g.Targets(r("Profile"), "role", "aws_iam_role"), "NodeRole"},
		{"instance subnet", g.Targets(r("Instance"), "subnet_id", "aws_subnet"), "SubnetA"},
		{"asg launch configuration", g.Targets(r("Asg"), "", "aws_launch_template", "aws_launch_configuration"), "Lc"},
		{"asg subnets", g.Targets(r("Asg"), "vpc_zone_identifier", "aws_subnet"), "SubnetA"},
		{"asg launch template version", g.Targets(r("Asg2"), "launch_template.version"), "Lt"},
		{"trail log group", g.Targets(r("Trail"), "cloud_watch_logs_group_arn"), "Logs"},
		{"secret value", g.Targets(r("Secret.SecretString"), "secret_id"), "Secret"},
		{"JSON policy references", g.Targets(r("Queue"), "redrive_policy"), "Dlq"},
		{"custom resource", g.Targets(r("Custom"), "ServiceToken"), "Fn"},
		{"user group membership", g.Targets(r("User.Groups"), "groups", "aws_iam_group"), "Group"},
	}
	for _, tt := range tests {
		if got := addrs(tt.got); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestPositions checks that values keep the line of the property they come
// from and resources the line of their logical ID.
func TestPositions(t *testing.T) {
	g, src := loadFile(t, "testdata/mapping.yaml")
	tests := []struct {
		addr, path, marker string
	}{
		{"Cluster", "", "  Cluster:\n"},
		{"Cluster", "vpc_config", "ResourcesVpcConfig:"},
		{"Cluster", "vpc_config.endpoint_public_access", "EndpointPublicAccess: false"},
		{"Cluster", "vpc_config.security_group_ids", "SecurityGroupIds: [!Ref Sg]"},
		{"Cluster", "role_arn", "RoleArn: !GetAtt ClusterRole.Arn"},
		{"Cluster", "enabled_cluster_log_types", "EnabledTypes:"},
		{"Cluster", "encryption_config.provider.key_arn", "Provider: {KeyArn"},
		{"Entry.AccessPolicies[0]", "", "- PolicyArn: arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"},
		{"Entry.AccessPolicies[1]", "access_scope.type", "AccessScope: {Type: namespace"},
		{"Entry.AccessPolicies[1]", "principal_arn", "PrincipalArn: !GetAtt NodeRole.Arn"},
		{"Lt", "metadata_options.http_tokens", "MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 1}"},
		{"Lt", "block_device_mappings.ebs.encrypted", "Ebs: {Encrypted: true, VolumeSize: 50"},
		{"Instance", "ebs_block_device.encrypted", "Ebs: {Encrypted: false}"},
		{"Instance", "associate_public_ip_address", "AssociatePublicIpAddress: true"},
		{"Sg", "ingress.0.cidr_blocks", "CidrIp: 0.0.0.0/0}"},
		{"Sg", "ingress.1.ipv6_cidr_blocks", `CidrIpv6: "::/0"`},
		{"Sg", "egress", "  Sg:\n"},
		{"NodeRole.ManagedPolicyArns[0]", "", "AmazonEKSWorkerNodePolicy"},
		{"NodeRole.ManagedPolicyArns[0]", "policy_arn", "AmazonEKSWorkerNodePolicy"},
		{"NodeRole.ManagedPolicyArns[0]", "role", "RoleName: eks-node"},
		{"NodeRole", "permissions_boundary", "PermissionsBoundary: !Ref BoundaryArn"},
		{"Bucket.PublicAccessBlockConfiguration", "", "PublicAccessBlockConfiguration:"},
		{"Bucket.PublicAccessBlockConfiguration", "ignore_public_acls", "IgnorePublicAcls: false"},
		{"Asg", "tag", "Tags: [{Key: kubernetes.io"},
	}
	for _, tt := range tests {
		r := one(t, g, tt.addr)
		want := lineOf(t, src, tt.marker)
		rng := r.AttrRange(tt.path)
		if tt.path == "" {
			rng = r.Range
		}
		if int(rng.Line) != want || rng.File != "testdata/mapping.yaml" {
			t.Errorf("%s %s: at %s:%d, want line %d (%s)", tt.addr, tt.path, rng.File, rng.Line, want, tt.marker)
		}
	}
}

// TestYAMLAndJSON loads one template written in both syntaxes: the graphs
// must be equal but for positions, and JSON positions must be right too.
func TestYAMLAndJSON(t *testing.T) {
	gy, _ := loadFile(t, "testdata/same.yaml")
	gj, src := loadFile(t, "testdata/same.json")
	if a, b := dump(gy, false), dump(gj, false); a != b {
		t.Errorf("YAML and JSON graphs differ\nyaml:\n%s\njson:\n%s", a, b)
	}
	if gy.Len() < 5 || gy.EdgeCount() < 4 {
		t.Errorf("same.yaml gives %d resources and %d edges; the test template lost its point", gy.Len(), gy.EdgeCount())
	}
	c := one(t, gj, "Cluster")
	if got, want := int(c.Range.Line), lineOf(t, src, `"Cluster": {`); got != want {
		t.Errorf("JSON resource line %d, want %d", got, want)
	}
	if got, want := int(c.AttrRange("vpc_config.endpoint_public_access").Line), lineOf(t, src, `"EndpointPublicAccess"`); got != want {
		t.Errorf("JSON value line %d, want %d", got, want)
	}
}

// dump renders a graph deterministically, with or without positions.
func dump(g *graph.Graph, lines bool) string {
	var b strings.Builder
	for _, r := range g.Resources() {
		fmt.Fprintf(&b, "%s %s %s %s %s", r.Type, r.Mode, r.Name, r.Address, js(r.Attrs))
		if lines {
			fmt.Fprintf(&b, " @%d", r.Range.Line)
			writeLines(&b, r.Attrs, 0)
		}
		b.WriteByte('\n')
	}
	for _, e := range g.SortedEdges() {
		fmt.Fprintf(&b, "%s -> %s @ %s\n", e.From.Address, e.To.Address, e.Attr)
	}
	return b.String()
}

func writeLines(b *strings.Builder, v *graph.Value, depth int) {
	if v == nil || depth > 600 {
		return
	}
	fmt.Fprintf(b, " %d", v.Range.Line)
	for _, e := range v.List {
		writeLines(b, e, depth+1)
	}
	for _, k := range v.Keys() {
		writeLines(b, v.Map.Get(k), depth+1)
	}
}

func TestBadInputs(t *testing.T) {
	tests := []struct {
		name, src string
		summary   string
		line      int
	}{
		{"no type", "Resources:\n  A: {Type: AWS::SQS::Queue}\n  B:\n    Properties: {}\n", "resource without Type", 3},
		{"unknown function", "Resources:\n  A: {Type: AWS::SQS::Queue}\n  B:\n    Type: AWS::SQS::Queue\n    Properties:\n      X: !Frobnicate y\n", "unknown intrinsic function", 6},
		{"undefined ref", "Resources:\n  A: {Type: AWS::SQS::Queue}\n  B:\n    Type: AWS::SQS::Queue\n    Properties:\n      X: !Ref Nowhere\n", "reference to undefined name", 6},
		{"undefined getatt", "Resources:\n  A: {Type: AWS::SQS::Queue}\n  B:\n    Type: AWS::SQS::Queue\n    Properties:\n      X: !GetAtt Nowhere.Arn\n", "reference to undefined name", 6},
		{"undefined sub", "Resources:\n  A: {Type: AWS::SQS::Queue}\n  B:\n    Type: AWS::SQS::Queue\n    Properties:\n      X: !Sub \"${Nowhere}\"\n", "reference to undefined name", 6},
		{"circular condition", "Conditions:\n  X: !Not [!Condition Y]\n  Y: !Not [!Condition X]\nResources:\n  A: {Type: AWS::SQS::Queue}\n  B: {Type: AWS::SQS::Queue, Condition: X}\n", "circular condition", 2},
		{"undefined condition", "Resources:\n  A: {Type: AWS::SQS::Queue}\n  B:\n    Type: AWS::SQS::Queue\n    Properties:\n      X: !If [Nope, a, b]\n", "reference to undefined condition", 6},
		{"select out of range", "Resources:\n  A: {Type: AWS::SQS::Queue}\n  B:\n    Type: AWS::SQS::Queue\n    Properties:\n      X: !Select [3, [a]]\n", "invalid Fn::Select", 6},
		{"missing mapping entry", "Mappings:\n  M: {a: {b: c}}\nResources:\n  A: {Type: AWS::SQS::Queue}\n  B:\n    Type: AWS::SQS::Queue\n    Properties:\n      X: !FindInMap [M, a, z]\n", "invalid Fn::FindInMap", 8},
		{"properties not a map", "Resources:\n  A: {Type: AWS::SQS::Queue}\n  B:\n    Type: AWS::SQS::Queue\n    Properties: [1]\n", "invalid resource", 5},
		{"getatt of parameter", "Parameters:\n  P: {Type: String}\nResources:\n  A: {Type: AWS::SQS::Queue}\n  B:\n    Type: AWS::SQS::Queue\n    Properties:\n      X: !GetAtt P.Arn\n", "invalid Fn::GetAtt", 8},
		{"bad join", "Resources:\n  A: {Type: AWS::SQS::Queue}\n  B:\n    Type: AWS::SQS::Queue\n    Properties:\n      X: !Join [a]\n", "invalid Fn::Join", 6},
		{"bad condition", "Conditions:\n  X: just-a-string\nResources:\n  A: {Type: AWS::SQS::Queue}\n  B: {Type: AWS::SQS::Queue, Condition: X}\n", "invalid condition", 2},
		{"properties not known", "Resources:\n  A: {Type: AWS::SQS::Queue}\n  B:\n    Type: AWS::EKS::Cluster\n    Properties: !ImportValue shared-cluster-settings\n", "properties not known", 5},
		{"disallowed parameter", "Parameters:\n  P: {Type: String, Default: c, AllowedValues: [a, b]}\nResources:\n  A: {Type: AWS::SQS::Queue}\n", "parameter value not allowed", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, diags := load(t, "bad.yaml", []byte("AWSTemplateFormatVersion: \"2010-09-09\"\n"+tt.src), nil)
			found := false
			for _, d := range diags {
				if d.File != "bad.yaml" || d.Line == 0 {
					t.Errorf("diagnostic without position: %s", d)
				}
				if d.Summary == tt.summary && d.Line == tt.line+1 {
					found = true
				}
			}
			if !found {
				t.Errorf("want %q at line %d, got %v", tt.summary, tt.line+1, diags)
			}
			if len(g.ByAddress("A")) != 1 {
				t.Error("the rest of the template must still be loaded")
			}
			if b := g.ByAddress("B"); tt.summary == "properties not known" && (len(b) != 1 || !b[0].Get("vpc_config.endpoint_public_access").IsUnknown()) {
				t.Error("a resource whose properties are not known must have unknown attributes, not defaults")
			}
		})
	}
	// Not a template mapping, or no Resources mapping: one diagnostic.
	for _, src := range []string{"AWSTemplateFormatVersion: x\n", "AWSTemplateFormatVersion: x\nResources: [1]\n"} {
		_, diags := load(t, "bad.yaml", []byte(src), nil)
		if len(diags) != 1 || diags[0].Summary != "invalid CloudFormation template" {
			t.Errorf("%q: %v", src, diags)
		}
	}
	if diags := Load(graph.New(), graph.NewList(), "x.json", Options{}); len(diags) != 1 {
		t.Errorf("a list is not a template: %v", diags)
	}
}

// TestDepthBound feeds values no decoder produces (nesting far beyond the
// decoders' bound, and a cycle): the evaluator must stop, not crash.
func TestDepthBound(t *testing.T) {
	deep := graph.NewString("x")
	for i := 0; i < 5000; i++ {
		deep = graph.NewMap(map[string]*graph.Value{"Fn::Base64": deep})
	}
	cyc := graph.NewMap(nil)
	cyc.Map.Set("Fn::Join", graph.NewList(graph.NewString(","), cyc))
	for _, v := range []*graph.Value{deep, cyc} {
		tmpl := graph.NewMap(map[string]*graph.Value{"Resources": graph.NewMap(map[string]*graph.Value{
			"A": graph.NewMap(map[string]*graph.Value{"Type": graph.NewString("AWS::SQS::Queue"),
				"Properties": graph.NewMap(map[string]*graph.Value{"X": v})})})})
		g := graph.New()
		diags := Load(g, tmpl, "deep.json", Options{})
		if len(diags) == 0 || diags[0].Summary != "template nested too deeply" {
			t.Errorf("want a nesting diagnostic, got %v", diags)
		}
		if a := g.ByAddress("A"); len(a) != 1 || !a[0].Get("x").IsUnknown() {
			t.Errorf("the resource must be loaded with the value unknown")
		}
	}
}

func TestDeterministic(t *testing.T) {
	first, _ := loadFile(t, "testdata/mapping.yaml")
	for i := 0; i < 5; i++ {
		again, _ := loadFile(t, "testdata/mapping.yaml")
		if dump(first, true) != dump(again, true) {
			t.Fatal("two loads of one template differ")
		}
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"KMSKeyId": "kms_key_id", "Ec2SshKey": "ec2_ssh_key", "HttpPutResponseHopLimit": "http_put_response_hop_limit",
		"VPCZoneIdentifier": "vpc_zone_identifier", "TargetGroupARNs": "target_group_arns", "SSEAlgorithm": "sse_algorithm",
		"KMSMasterKeyID": "kms_master_key_id", "CidrIpv6": "cidr_ipv6", "S3BucketName": "s3_bucket_name",
		"AssignIpv6AddressOnCreation": "assign_ipv6_address_on_creation", "IPv6Native": "ipv6_native",
		"CPUCredits": "cpu_credits", "MapPublicIpOnLaunch": "map_public_ip_on_launch", "Name": "name", "A": "a",
	} {
		if got := snake(in); got != want {
			t.Errorf("snake(%s) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"AWS::SQS::Queue": "aws_sqs_queue", "AWS::EC2::VPC": "aws_vpc", "AWS::EC2::NatGateway": "aws_nat_gateway",
		"AWS::EC2::TransitGateway": "aws_ec2_transit_gateway", "AWS::SecretsManager::RotationSchedule": "aws_secretsmanager_rotation_schedule",
		"AWS::ElasticLoadBalancingV2::LoadBalancer": "aws_lb", "Custom::Thing": "cfn:Custom::Thing", "Vendor::X::Y": "cfn:Vendor::X::Y",
	} {
		if got := mechanicalType(in); got != want {
			t.Errorf("mechanicalType(%s) = %s, want %s", in, got, want)
		}
	}
}

// loadDiags loads a test template and returns its graph and diagnostics,
// failing on any error: transforms must never make a template invalid.
func loadDiags(t *testing.T, path string) (*graph.Graph, diag.List, []byte) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	g, diags := load(t, path, src, nil)
	for _, d := range diags {
		if d.Severity == diag.Error {
			t.Errorf("unexpected error: %s", d)
		}
	}
	return g, diags, src
}

// unreadPlaces lists the logical places of the unread entries, without the
// template path, sorted, with their sources.
func unreadPlaces(t *testing.T, file string, diags diag.List) []string {
	t.Helper()
	var out []string
	for _, d := range diags.Incomplete() {
		place, ok := strings.CutPrefix(d.Unread.Call, file+"#")
		if !ok {
			t.Errorf("unread call %q does not start with the template path %s", d.Unread.Call, file)
		}
		if d.Severity != diag.Warning || d.Line == 0 {
			t.Errorf("unread entry %s: want a positioned warning", d)
		}
		out = append(out, place+" <- "+d.Unread.Source)
	}
	sort.Strings(out)
	return out
}

// TestInclude: AWS::Include in each place AWS allows it gives one unread
// entry naming the S3 snippet, no error, and the rest of the template is
// read; names the snippet may define are unknown, not errors.
func TestInclude(t *testing.T) {
	want := []string{
		"Conditions.Fn::Transform <- s3://snippets/conditions.yaml",
		"Mappings.Fn::Transform <- s3://snippets/mappings.yaml",
		"Outputs.Fn::Transform <- s3://snippets/outputs.yaml",
		"Resources.Fn::Transform <- s3://snippets/resources.yaml",
		"Resources.Key.Properties.KeyPolicy.Fn::Transform <- s3://snippets-${AWS::Region}/key-policy.yaml",
		"Resources.Queue.Properties.Fn::Transform <- s3://snippets/queue-properties.yaml",
	}
	var dumps []string
	for _, f := range []string{"testdata/include.yaml", "testdata/include.json"} {
		g, diags, src := loadDiags(t, f)
		if len(diags) != len(diags.Incomplete()) {
			t.Errorf("%s: diagnostics other than the unread includes: %v", f, diags)
		}
		if got := unreadPlaces(t, f, diags); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: unread\n%s\nwant\n%s", f, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for _, d := range diags {
			if d.Unread.Reason != "AWS::Include snippet is not in the repository" {
				t.Errorf("%s: reason %q", f, d.Unread.Reason)
			}
			loc := bytes.Index(src, []byte("s3://snippets/resources.yaml"))
			key := bytes.LastIndex(src[:loc], []byte("Fn::Transform"))
			if d.Unread.Source == "s3://snippets/resources.yaml" && d.Line != bytes.Count(src[:key], []byte("\n"))+1 {
				t.Errorf("%s: include under Resources at line %d", f, d.Line)
			}
		}
		q := one(t, g, "Queue")
		if got := js(q.Attrs.Get("queue_name")); got != `"jobs"` {
			t.Errorf("%s: queue_name %s: the properties beside the include are not read", f, got)
		}
		if got := js(q.Attrs.Get("redrive_policy")); got != `{"__unknown__":true}` {
			t.Errorf("%s: redrive_policy %s, want unknown (it names what the snippets define)", f, got)
		}
		k := one(t, g, "Key")
		if got := js(k.Attrs.Get("policy")); got != `{"__unknown__":true}` {
			t.Errorf("%s: included key policy %s, want unknown", f, got)
		}
		if got := js(k.Attrs.Get("enable_key_rotation")); got != "true" {
			t.Errorf("%s: enable_key_rotation %s", f, got)
		}
		dumps = append(dumps, dump(g, false))
	}
	if dumps[0] != dumps[1] {
		t.Errorf("YAML and JSON graphs differ\n%s\n%s", dumps[0], dumps[1])
	}

	g, diags, _ := loadDiags(t, "testdata/include-top.yaml")
	if got := unreadPlaces(t, "testdata/include-top.yaml", diags); strings.Join(got, ",") != "Transform <- s3://snippets/common.yaml" || len(diags) != 1 {
		t.Errorf("top-level include: %v", diags)
	}
	if b := one(t, g, "Bucket"); js(b.Attrs.Get("bucket")) != `{"__unknown__":true}` {
		t.Errorf("bucket named from the snippet's mapping: %s", js(b.Attrs.Get("bucket")))
	}
}

// TestMacros: macros other than the ones eksguard expands (SAM) or
// evaluates (AWS::LanguageExtensions) are reported, as is Fn::ForEach.
func TestMacros(t *testing.T) {
	g, diags, _ := loadDiags(t, "testdata/macro.yaml")
	want := []string{
		"Resources.Fn::ForEach::Queues <- AWS::LanguageExtensions",
		"Resources.Topic.Properties.TopicName.Fn::Transform <- Upper",
		"Transform[1] <- AWS::SecretsManager-2020-07-23",
		"Transform[2] <- MyCompanyMacro",
	}
	if got := unreadPlaces(t, "testdata/macro.yaml", diags); strings.Join(got, "\n") != strings.Join(want, "\n") || len(diags) != len(want) {
		t.Errorf("unread\n%s\nwant\n%s\n(all: %v)", strings.Join(got, "\n"), strings.Join(want, "\n"), diags)
	}
	one(t, g, "Topic")
}

// TestSAM: SAM resources are expanded into what the transform deploys,
// each generated resource placed at the SAM resource.
func TestSAM(t *testing.T) {
	g, diags, src := loadDiags(t, "testdata/sam.yaml")
	if len(diags) != 1 || diags[0].Summary != "SAM policy template not expanded" || diags[0].Unread != nil ||
		diags[0].Line != lineOf(t, src, "S3ReadPolicy") {
		t.Errorf("diagnostics: %v, want the one policy template warning", diags)
	}
	basic := `"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"`
	for _, c := range []struct{ addr, typ, attr, want string }{
		{"Plain", "aws_lambda_function", "code", `[{"zip_file":"def handler(event, context): return event"}]`},
		{"Plain", "aws_lambda_function", "runtime", `"python3.12"`},
		{"PlainRole", "aws_iam_role", "assume_role_policy", `"{\"Statement\":[{\"Action\":[\"sts:AssumeRole\"],\"Effect\":\"Allow\",\"Principal\":{\"Service\":[\"lambda.amazonaws.com\"]}}],\"Version\":\"2012-10-17\"}"`},
		{"PlainRole", "aws_iam_role", "managed_policy_arns", `[` + basic + `]`},
		{"PlainRole.ManagedPolicyArns[0]", "aws_iam_role_policy_attachment", "policy_arn", basic},
		{"WithPolicies", "aws_lambda_function", "code", `[{"s3_bucket":"artifacts","s3_key":"app.zip"}]`},
		{"WithPolicies", "aws_lambda_function", "tracing_config", `[{"mode":"Active"}]`},
		{"WithPoliciesRole", "aws_iam_role", "managed_policy_arns", `[` + basic +
			`,"arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole","arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"` +
			`,"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess","arn:aws:iam::aws:policy/AdministratorAccess"]`},
		{"WithPoliciesRole", "aws_iam_role", "tags", `{"lambda:createdBy":"SAM","team":"payments"}`},
		{"WithPoliciesRole.Policies[0]", "aws_iam_role_policy", "policy", `"{\"Statement\":[{\"Action\":\"s3:*\",\"Effect\":\"Allow\",\"Resource\":\"*\"}],\"Version\":\"2012-10-17\"}"`},
		{"WithPoliciesRole.Policies[0]", "aws_iam_role_policy", "name", `"WithPoliciesRolePolicy2"`},
		{"WithPoliciesRole.Policies[1]", "aws_iam_role_policy", "policy", `{"__unknown__":true}`},
		{"Table", "aws_dynamodb_table", "attribute", `[{"name":"pk","type":"N"}]`},
		{"Table", "aws_dynamodb_table", "hash_key", `"pk"`},
		{"Table", "aws_dynamodb_table", "server_side_encryption", `[{"enabled":true}]`},
		{"DefaultTable", "aws_dynamodb_table", "attribute", `[{"name":"id","type":"S"}]`},
		{"DefaultTable", "aws_dynamodb_table", "billing_mode", `"PAY_PER_REQUEST"`},
		{"Api", "aws_api_gateway_rest_api", "endpoint_configuration", `[{"types":["PRIVATE"]}]`},
		{"Api", "aws_api_gateway_rest_api", "body", `"{\"openapi\":\"3.0.1\",\"paths\":{}}"`},
		{"ApiprodStage", "aws_api_gateway_stage", "stage_name", `"prod"`},
		{"ApiprodStage", "aws_api_gateway_stage", "tracing_enabled", `true`},
		{"ApiDeployment", "aws_api_gateway_deployment", "rest_api_id", `{"__unknown__":true}`},
	} {
		r := one(t, g, c.addr)
		if r.Type != c.typ {
			t.Errorf("%s: type %s, want %s", c.addr, r.Type, c.typ)
		}
		if got := js(r.Attrs.Get(c.attr)); got != c.want {
			t.Errorf("%s.%s = %s, want %s", c.addr, c.attr, got, c.want)
		}
	}
	if rs := g.ByAddress("WithRoleRole"); len(rs) != 0 {
		t.Errorf("a role was generated for a function given Role")
	}
	r := func(a string) *graph.Resource { return one(t, g, a) }
	for _, c := range []struct {
		from, attr, to string
	}{
		{"Plain", "role", "PlainRole"}, {"WithRole", "role", "ExistingRole"}, {"Uses", "tags.role", "PlainRole"},
		{"ApiprodStage", "rest_api_id", "Api"}, {"ApiprodStage", "deployment_id", "ApiDeployment"},
		{"WithPoliciesRole.Policies[1]", "role", "WithPoliciesRole"},
	} {
		found := false
		for _, x := range g.Targets(r(c.from), c.attr) {
			found = found || x.Address == c.to
		}
		if !found {
			t.Errorf("no edge %s -> %s at %s", c.from, c.to, c.attr)
		}
	}
	for _, c := range []struct{ addr, line string }{
		{"Plain", "  Plain:"}, {"PlainRole", "  Plain:"}, {"PlainRole.ManagedPolicyArns[0]", "  Plain:"},
		{"Api", "  Api:"}, {"ApiprodStage", "  Api:"}, {"Table", "  Table:"},
	} {
		if got, want := int(r(c.addr).Range.Line), lineOf(t, src, c.line); got != want {
			t.Errorf("%s at line %d, want %d (the SAM resource)", c.addr, got, want)
		}
	}
	if got, want := int(r("WithPoliciesRole.Policies[0]").Range.Line), lineOf(t, src, `- Version: "2012-10-17"`); got != want {
		t.Errorf("inline policy at line %d, want %d (its Policies entry)", got, want)
	}

	// JSON, with the policy forms SAM allows there too.
	g, diags, src = loadDiags(t, "testdata/sam.json")
	if len(diags) != 1 || diags[0].Summary != "SAM policy template not expanded" {
		t.Errorf("sam.json diagnostics: %v", diags)
	}
	for _, c := range []struct{ addr, attr, want string }{
		{"FnRole", "managed_policy_arns", `[` + basic + `,"arn:aws:iam::aws:policy/service-role/AWSLambdaRole"]`},
		{"FnRole.Policies[0]", "policy", `"{\"Statement\":[{\"Action\":\"sqs:SendMessage\",\"Effect\":\"Allow\",\"Resource\":\"*\"}]}"`},
		{"FnRole.Policies[1]", "policy", `{"__unknown__":true}`},
		{"Apiv1Stage", "stage_name", `"v1"`},
		{"Api", "body_s3_location", `[{"bucket":"artifacts","key":"api.yaml"}]`},
		{"Api", "endpoint_configuration", `[{"types":["REGIONAL"]}]`},
		{"Table", "hash_key", `"id"`},
	} {
		if got := js(one(t, g, c.addr).Attrs.Get(c.attr)); got != c.want {
			t.Errorf("sam.json %s.%s = %s, want %s", c.addr, c.attr, got, c.want)
		}
	}
	if got, want := int(one(t, g, "FnRole").Range.Line), lineOf(t, src, `"Fn": {`); got != want {
		t.Errorf("sam.json FnRole at line %d, want %d", got, want)
	}
}

// TestSAMNotExpanded: SAM types and properties eksguard does not expand
// are each reported unread; what is expanded is still read.
func TestSAMNotExpanded(t *testing.T) {
	f := "testdata/sam-unexpanded.yaml"
	g, diags, _ := loadDiags(t, f)
	want := []string{
		"Resources.App <- AWS::Serverless::Application",
		"Resources.Fn.Properties.Events <- AWS::Serverless::Function Events",
		"Resources.Fn.Properties.FunctionUrlConfig <- AWS::Serverless::Function FunctionUrlConfig",
		"Resources.Http <- AWS::Serverless::HttpApi",
	}
	if got := unreadPlaces(t, f, diags); strings.Join(got, "\n") != strings.Join(want, "\n") || len(diags) != len(want) {
		t.Errorf("unread\n%s\nwant\n%s\n(all: %v)", strings.Join(got, "\n"), strings.Join(want, "\n"), diags)
	}
	one(t, g, "Fn")
	one(t, g, "FnRole")
}
