package cfn

import (
	"strings"
	"unicode"
)

// snake turns a CloudFormation property name into the Terraform attribute
// spelling: KMSKeyId → kms_key_id, Ec2SshKey → ec2_ssh_key,
// VPCZoneIdentifier → vpc_zone_identifier, TargetGroupARNs →
// target_group_arns.
func snake(s string) string {
	// IPv4 and IPv6 are written with a lower-case v that would otherwise
	// split them (i_pv6).
	s = strings.NewReplacer("IPv6", "Ipv6", "IPv4", "Ipv4").Replace(s)
	r := []rune(s)
	var b strings.Builder
	b.Grow(len(s) + 4)
	for i, c := range r {
		if unicode.IsUpper(c) && i > 0 {
			prev := r[i-1]
			next := rune(0)
			if i+1 < len(r) {
				next = r[i+1]
			}
			split := unicode.IsLower(prev) || unicode.IsDigit(prev)
			if unicode.IsUpper(prev) && unicode.IsLower(next) && !pluralAcronym(r, i+1) {
				// The last capital of an acronym starts the next word
				// (VPCZone → vpc_zone), unless it is followed by the
				// plural s of the acronym (ARNs).
				split = true
			}
			if split && prev != '_' {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

// pluralAcronym reports whether r[i] is a lone "s" ending an acronym (the s
// of ARNs, IDs), i.e. followed by the end or by the next capitalised word.
func pluralAcronym(r []rune, i int) bool {
	return i < len(r) && r[i] == 's' && (i+1 == len(r) || unicode.IsUpper(r[i+1]))
}

// pascal reports whether a key is spelt like a CloudFormation property
// (PascalCase), as opposed to user data such as environment variable names
// or label keys, which are kept as written.
func pascal(s string) bool {
	if s == "" || !unicode.IsUpper(rune(s[0])) {
		return false
	}
	for _, c := range s {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			return false
		}
	}
	return true
}

// typeNames maps CloudFormation types whose Terraform name does not follow
// from the mechanical rule (aws_<service>_<resource>, EC2 without its
// service prefix) and that the built-in mapping does not cover.
var typeNames = map[string]string{
	"AWS::EC2::SubnetRouteTableAssociation":       "aws_route_table_association",
	"AWS::EC2::NetworkAclEntry":                   "aws_network_acl_rule",
	"AWS::EC2::VPCGatewayAttachment":              "aws_internet_gateway_attachment",
	"AWS::EC2::VPCCidrBlock":                      "aws_vpc_ipv4_cidr_block_association",
	"AWS::EC2::EC2Fleet":                          "aws_ec2_fleet",
	"AWS::ElasticLoadBalancingV2::LoadBalancer":   "aws_lb",
	"AWS::ElasticLoadBalancingV2::Listener":       "aws_lb_listener",
	"AWS::ElasticLoadBalancingV2::ListenerRule":   "aws_lb_listener_rule",
	"AWS::ElasticLoadBalancingV2::TargetGroup":    "aws_lb_target_group",
	"AWS::ElasticLoadBalancing::LoadBalancer":     "aws_elb",
	"AWS::RDS::DBInstance":                        "aws_db_instance",
	"AWS::RDS::DBCluster":                         "aws_rds_cluster",
	"AWS::RDS::DBSubnetGroup":                     "aws_db_subnet_group",
	"AWS::IAM::OIDCProvider":                      "aws_iam_openid_connect_provider",
	"AWS::IAM::AccessKey":                         "aws_iam_access_key",
	"AWS::IAM::UserToGroupAddition":               "aws_iam_user_group_membership",
	"AWS::Logs::MetricFilter":                     "aws_cloudwatch_log_metric_filter",
	"AWS::Logs::SubscriptionFilter":               "aws_cloudwatch_log_subscription_filter",
	"AWS::CloudWatch::Alarm":                      "aws_cloudwatch_metric_alarm",
	"AWS::Events::Rule":                           "aws_cloudwatch_event_rule",
	"AWS::CertificateManager::Certificate":        "aws_acm_certificate",
	"AWS::Route53::HostedZone":                    "aws_route53_zone",
	"AWS::Route53::RecordSet":                     "aws_route53_record",
	"AWS::ECS::TaskDefinition":                    "aws_ecs_task_definition",
	"AWS::ApiGateway::RestApi":                    "aws_api_gateway_rest_api",
	"AWS::ApiGateway::Stage":                      "aws_api_gateway_stage",
	"AWS::ApiGateway::Deployment":                 "aws_api_gateway_deployment",
	"AWS::ApiGateway::Method":                     "aws_api_gateway_method",
	"AWS::ApiGateway::Resource":                   "aws_api_gateway_resource",
	"AWS::StepFunctions::StateMachine":            "aws_sfn_state_machine",
	"AWS::ElastiCache::ReplicationGroup":          "aws_elasticache_replication_group",
	"AWS::OpenSearchService::Domain":              "aws_opensearch_domain",
	"AWS::CloudFormation::Stack":                  "aws_cloudformation_stack",
	"AWS::EC2::TransitGatewayAttachment":          "aws_ec2_transit_gateway_vpc_attachment",
	"AWS::ApplicationAutoScaling::ScalingPolicy":  "aws_appautoscaling_policy",
	"AWS::ApplicationAutoScaling::ScalableTarget": "aws_appautoscaling_target",
	// A custom AgentCore code interpreter is Terraform's code interpreter
	// (the built-in ones are AWS's, not declared).
	"AWS::BedrockAgentCore::CodeInterpreterCustom": "aws_bedrockagentcore_code_interpreter",
}

// mechanicalType derives a Terraform-style type name for a CloudFormation
// type the mapping table does not cover, e.g. AWS::SQS::Queue →
// aws_sqs_queue. Other providers' types (Custom::, third-party
// registry types) keep their name under a "cfn:" prefix.
func mechanicalType(t string) string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	if t == "AWS::CloudFormation::CustomResource" {
		// A custom resource, like Custom::X: no AWS resource type.
		return "cfn:" + t
	}
	parts := strings.Split(t, "::")
	if len(parts) != 3 || parts[0] != "AWS" || parts[1] == "" || parts[2] == "" {
		return "cfn:" + t
	}
	svc, res := strings.ToLower(parts[1]), snake(parts[2])
	if svc == "ec2" && !strings.HasPrefix(res, "transit_gateway") {
		// Terraform names most EC2 and VPC resources without the service
		// (aws_vpc, aws_nat_gateway, aws_flow_log).
		return "aws_" + res
	}
	return "aws_" + svc + "_" + res
}
