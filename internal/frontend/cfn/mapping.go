package cfn

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
)

// Defaults: where a property is left out, CloudFormation and the Terraform
// AWS provider mostly both defer to the AWS API default, so rules reading
// the Terraform default judge the template right (public EKS endpoint,
// bootstrap creator admin and CONFIG_MAP authentication, IMDS tokens
// optional, volumes unencrypted, no key rotation, no public IP mapping).
// The one difference the graph has to show is a new security group's
// egress: CloudFormation keeps the allow-all rule AWS creates, Terraform
// deletes it (see securityGroup). Names CloudFormation generates (RoleName,
// BucketName left out) are unknown where another resource repeats them.
//
// A CloudFormation resource becomes one graph resource of the Terraform
// type with the same meaning, plus the separate resources Terraform users
// write for what CloudFormation nests (policy attachments, the S3 bucket
// settings of AWS provider v4+, EKS access policy associations). Property
// names are snake_cased; nested objects become one-element lists, as
// Terraform renders nested blocks; a spec renames what differs.
//
// A rule string is "name" or "name:kind". Kinds:
//
//	json    a policy document, rendered as a JSON string (unknown when any part is)
//	opaque  user data (labels, tags as a map): kept as written
//	tags    [{Key, Value}] → {key: value}
type spec struct {
	tf    string
	rules map[string]string
	build func(b *builder)
}

var specs = map[string]*spec{
	"AWS::EKS::Cluster": {tf: "aws_eks_cluster", rules: map[string]string{
		"ResourcesVpcConfig": "vpc_config",
	}, build: eksCluster},
	"AWS::EKS::Nodegroup": {tf: "aws_eks_node_group", rules: map[string]string{
		"NodeRole":                          "node_role_arn",
		"Subnets":                           "subnet_ids",
		"NodegroupName":                     "node_group_name",
		"RemoteAccess.SourceSecurityGroups": "source_security_group_ids",
		"Taints":                            "taint",
		"Labels":                            "labels:opaque",
		"ForceUpdateEnabled":                "force_update_version",
	}},
	"AWS::EKS::AccessEntry": {tf: "aws_eks_access_entry", rules: map[string]string{
		"Username": "user_name",
	}, build: eksAccessEntry},
	"AWS::EKS::Addon": {tf: "aws_eks_addon", rules: map[string]string{
		"PreserveOnDelete":        "preserve",
		"PodIdentityAssociations": "pod_identity_association",
		"ConfigurationValues":     "configuration_values:json",
	}, build: eksAddon},
	"AWS::EKS::PodIdentityAssociation": {tf: "aws_eks_pod_identity_association"},
	"AWS::EC2::LaunchTemplate": {tf: "aws_launch_template", rules: map[string]string{
		"LaunchTemplateName":                          "name",
		"VersionDescription":                          "description",
		"LaunchTemplateData.SecurityGroupIds":         "vpc_security_group_ids",
		"LaunchTemplateData.SecurityGroups":           "security_group_names",
		"LaunchTemplateData.NetworkInterfaces.Groups": "security_groups",
		"LaunchTemplateData.LicenseSpecifications":    "license_specification",
	}, build: launchTemplate},
	"AWS::EC2::Instance": {tf: "aws_instance", rules: map[string]string{
		"ImageId":                           "ami",
		"SecurityGroupIds":                  "vpc_security_group_ids",
		"UserData":                          "user_data_base64",
		"PrivateIpAddress":                  "private_ip",
		"NetworkInterfaces":                 "network_interface",
		"LaunchTemplate.LaunchTemplateId":   "id",
		"LaunchTemplate.LaunchTemplateName": "name",
	}, build: ec2Instance},
	"AWS::EC2::Subnet": {tf: "aws_subnet"},
	"AWS::EC2::SecurityGroup": {tf: "aws_security_group", rules: map[string]string{
		"GroupName":        "name",
		"GroupDescription": "description",
	}, build: securityGroup},
	"AWS::EC2::SecurityGroupIngress": {tf: "aws_vpc_security_group_ingress_rule", rules: map[string]string{
		"GroupId":               "security_group_id",
		"CidrIp":                "cidr_ipv4",
		"CidrIpv6":              "cidr_ipv6",
		"IpProtocol":            "ip_protocol",
		"SourceSecurityGroupId": "referenced_security_group_id",
		"SourcePrefixListId":    "prefix_list_id",
	}},
	"AWS::EC2::SecurityGroupEgress": {tf: "aws_vpc_security_group_egress_rule", rules: map[string]string{
		"GroupId":                    "security_group_id",
		"CidrIp":                     "cidr_ipv4",
		"CidrIpv6":                   "cidr_ipv6",
		"IpProtocol":                 "ip_protocol",
		"DestinationSecurityGroupId": "referenced_security_group_id",
		"DestinationPrefixListId":    "prefix_list_id",
	}},
	"AWS::EC2::Volume":          {tf: "aws_ebs_volume", rules: map[string]string{"VolumeType": "type"}},
	"AWS::EC2::NetworkAclEntry": {tf: "aws_network_acl_rule", build: networkACLEntry},
	"AWS::EC2::FlowLog":         {tf: "aws_flow_log", build: flowLog},
	"AWS::ElasticLoadBalancingV2::LoadBalancer": {tf: "aws_lb", rules: map[string]string{
		"Type": "load_balancer_type",
	}, build: loadBalancerScheme},
	"AWS::ElasticLoadBalancingV2::Listener":     {tf: "aws_lb_listener", rules: lbActionRules("DefaultActions", "default_action")},
	"AWS::ElasticLoadBalancingV2::ListenerRule": {tf: "aws_lb_listener_rule", rules: lbActionRules("Actions", "action")},
	"AWS::ElasticLoadBalancing::LoadBalancer": {tf: "aws_elb", rules: map[string]string{
		"Listeners":                  "listener",
		"Listeners.Protocol":         "lb_protocol",
		"Listeners.LoadBalancerPort": "lb_port",
	}, build: loadBalancerScheme},
	"AWS::ECR::Repository": {tf: "aws_ecr_repository", rules: map[string]string{"RepositoryName": "name"}},
	"AWS::ECR::RegistryScanningConfiguration": {tf: "aws_ecr_registry_scanning_configuration", rules: map[string]string{
		"Rules":                   "rule",
		"Rules.RepositoryFilters": "repository_filter",
	}},
	"AWS::IAM::AccessKey": {tf: "aws_iam_access_key", rules: map[string]string{"UserName": "user"}},
	"AWS::AutoScaling::LaunchConfiguration": {tf: "aws_launch_configuration", rules: map[string]string{
		"LaunchConfigurationName": "name",
		"UserData":                "user_data_base64",
		"InstanceMonitoring":      "enable_monitoring",
	}, build: launchConfiguration},
	"AWS::AutoScaling::AutoScalingGroup": {tf: "aws_autoscaling_group", rules: map[string]string{
		"AutoScalingGroupName":                          "name",
		"LaunchConfigurationName":                       "launch_configuration",
		"LaunchTemplate.LaunchTemplateId":               "id",
		"LaunchTemplate.LaunchTemplateName":             "name",
		"MixedInstancesPolicy.LaunchTemplate.Overrides": "override",
		"Tags":                           "tag",
		"LifecycleHookSpecificationList": "initial_lifecycle_hook",
		"NotificationConfigurations":     "notification_configurations",
		"MetricsCollection":              "metrics_collection",
		"VPCZoneIdentifier":              "vpc_zone_identifier",
	}},
	"AWS::IAM::Role": {tf: "aws_iam_role", rules: map[string]string{
		"RoleName":                 "name",
		"AssumeRolePolicyDocument": "assume_role_policy:json",
		"Policies":                 "inline_policy",
		"Policies.PolicyName":      "name",
		"Policies.PolicyDocument":  "policy:json",
	}, build: iamRole},
	"AWS::IAM::Policy": {rules: map[string]string{
		"PolicyName":     "name",
		"PolicyDocument": "policy:json",
	}, build: iamInlinePolicy},
	"AWS::IAM::ManagedPolicy": {tf: "aws_iam_policy", rules: map[string]string{
		"ManagedPolicyName": "name",
		"PolicyDocument":    "policy:json",
	}, build: iamManagedPolicy},
	"AWS::IAM::User": {tf: "aws_iam_user", rules: map[string]string{
		"UserName":                "name",
		"Policies.PolicyName":     "name",
		"Policies.PolicyDocument": "policy:json",
	}, build: iamUser},
	"AWS::IAM::Group": {tf: "aws_iam_group", rules: map[string]string{
		"GroupName":               "name",
		"Policies.PolicyName":     "name",
		"Policies.PolicyDocument": "policy:json",
	}, build: iamGroup},
	"AWS::SSO::PermissionSet": {tf: "aws_ssoadmin_permission_set", rules: map[string]string{
		"InlinePolicy": "inline_policy:json",
	}, build: ssoPermissionSet},
	"AWS::IAM::InstanceProfile": {tf: "aws_iam_instance_profile", rules: map[string]string{
		"InstanceProfileName": "name",
	}, build: instanceProfile},
	"AWS::S3::Bucket": {tf: "aws_s3_bucket", rules: map[string]string{
		"BucketName": "bucket",
		"BucketEncryption.ServerSideEncryptionConfiguration":                               "rule",
		"BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault": "apply_server_side_encryption_by_default",
		"LoggingConfiguration.DestinationBucketName":                                       "target_bucket",
		"LoggingConfiguration.LogFilePrefix":                                               "target_prefix",
		"OwnershipControls.Rules":                                                          "rule",
	}, build: s3Bucket},
	"AWS::S3::BucketPolicy": {tf: "aws_s3_bucket_policy", rules: map[string]string{
		"PolicyDocument": "policy:json",
	}},
	"AWS::KMS::Key": {tf: "aws_kms_key", rules: map[string]string{
		"KeyPolicy":           "policy:json",
		"Enabled":             "is_enabled",
		"KeySpec":             "customer_master_key_spec",
		"PendingWindowInDays": "deletion_window_in_days",
	}},
	"AWS::KMS::Alias": {tf: "aws_kms_alias", rules: map[string]string{"AliasName": "name"}},
	"AWS::SecretsManager::Secret": {tf: "aws_secretsmanager_secret", rules: map[string]string{
		"ReplicaRegions": "replica",
	}, build: secret},
	"AWS::CloudFront::Distribution": {tf: "aws_cloudfront_distribution", rules: map[string]string{
		"DistributionConfig.Origins":                                        "origin",
		"DistributionConfig.Origins.Id":                                     "origin_id",
		"DistributionConfig.CacheBehaviors":                                 "ordered_cache_behavior",
		"DistributionConfig.ViewerCertificate.CloudFrontDefaultCertificate": "cloudfront_default_certificate",
		"DistributionConfig.Aliases":                                        "aliases",
	}, build: cloudFrontDistribution},
	"AWS::SecretsManager::ResourcePolicy": {tf: "aws_secretsmanager_secret_policy", rules: map[string]string{
		"SecretId":       "secret_arn",
		"ResourcePolicy": "policy:json",
	}},
	"AWS::CloudTrail::Trail": {tf: "aws_cloudtrail", rules: map[string]string{
		"TrailName":                             "name",
		"CloudWatchLogsLogGroupArn":             "cloud_watch_logs_group_arn",
		"IsLogging":                             "enable_logging",
		"EventSelectors":                        "event_selector",
		"EventSelectors.DataResources":          "data_resource",
		"AdvancedEventSelectors":                "advanced_event_selector",
		"AdvancedEventSelectors.FieldSelectors": "field_selector",
		"InsightSelectors":                      "insight_selector",
	}},
	"AWS::Logs::LogGroup": {tf: "aws_cloudwatch_log_group", rules: map[string]string{
		"LogGroupName":         "name",
		"DataProtectionPolicy": "data_protection_policy:json",
	}},
	"AWS::Lambda::Function": {tf: "aws_lambda_function"},
	// Terraform holds an API definition as a JSON (or YAML) string.
	"AWS::ApiGateway::RestApi": {tf: "aws_api_gateway_rest_api", rules: map[string]string{"Body": "body:json"}},
	"AWS::DynamoDB::Table": {tf: "aws_dynamodb_table", rules: map[string]string{
		"TableName":                                                   "name",
		"AttributeDefinitions":                                        "attribute",
		"AttributeDefinitions.AttributeName":                          "name",
		"AttributeDefinitions.AttributeType":                          "type",
		"SSESpecification":                                            "server_side_encryption",
		"SSESpecification.SSEEnabled":                                 "enabled",
		"SSESpecification.KMSMasterKeyId":                             "kms_key_arn",
		"PointInTimeRecoverySpecification":                            "point_in_time_recovery",
		"PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled": "enabled",
	}, build: dynamoTable},
	// SAM types not expanded (see sam.go), each reported as unread, are
	// still read at the level of their main resource.
	"AWS::Serverless::HttpApi":      {tf: "aws_apigatewayv2_api", rules: map[string]string{"Tags": "tags:opaque"}},
	"AWS::Serverless::StateMachine": {tf: "aws_sfn_state_machine", rules: map[string]string{"Definition": "definition:json", "Tags": "tags:opaque"}},
	"AWS::Serverless::LayerVersion": {tf: "aws_lambda_layer_version", rules: map[string]string{"LayerName": "layer_name"}},
}

// lbActionRules renames an ELBv2 action list and its per-kind settings
// (RedirectConfig → redirect) to Terraform's.
func lbActionRules(list, block string) map[string]string {
	r := map[string]string{list: block}
	for cfn, tf := range map[string]string{"RedirectConfig": "redirect", "ForwardConfig": "forward",
		"FixedResponseConfig": "fixed_response", "AuthenticateCognitoConfig": "authenticate_cognito",
		"AuthenticateOidcConfig": "authenticate_oidc"} {
		r[list+"."+cfn] = tf
	}
	return r
}

// jsonProps are policy-like properties written as objects in templates and
// as JSON strings in Terraform, wherever they appear.
var jsonProps = map[string]bool{
	"PolicyDocument": true, "AssumeRolePolicyDocument": true, "KeyPolicy": true, "ResourcePolicy": true,
	"RepositoryPolicyText": true, "RedrivePolicy": true, "RedriveAllowPolicy": true, "PolicyText": true,
	"DataProtectionPolicy": true, "Definition": true,
}

// opaqueProps hold user-chosen keys (labels, variables, nested stack
// parameters); converting their keys would change the data.
var opaqueProps = map[string]bool{"Labels": true, "Variables": true, "Parameters": true, "Annotations": true}

// numberAttrs are numeric in Terraform; CloudFormation accepts them as
// strings too ("22"), and rules read numbers.
var numberAttrs = map[string]bool{
	"from_port": true, "to_port": true, "http_put_response_hop_limit": true, "volume_size": true, "iops": true,
	"throughput": true, "size": true, "min_size": true, "max_size": true, "desired_size": true, "desired_capacity": true,
	"retention_in_days": true, "disk_size": true, "max_session_duration": true, "deletion_window_in_days": true,
	"rotation_period_in_days": true, "max_unavailable": true, "max_unavailable_percentage": true, "device_index": true,
	"health_check_grace_period": true, "default_cooldown": true, "memory_size": true, "timeout": true,
	"rule_number": true, "icmp_type": true, "icmp_code": true, "lb_port": true, "instance_port": true,
}

// conv converts evaluated CloudFormation values to Terraform shape.
// Scalars are carried over as the same node, so references recorded on
// them during evaluation follow them to their new attribute path.
type conv struct {
	l     *loader
	rules map[string]string
}

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// prop returns the Terraform name and conversion kind of the property key
// at CloudFormation path p.
func (c *conv) prop(p, key string, v *graph.Value) (string, string) {
	if r, ok := c.rules[p]; ok {
		name, kind, _ := strings.Cut(r, ":")
		return name, kind
	}
	if !pascal(key) {
		return key, ""
	}
	switch {
	case key == "Tags":
		return "tags", "tags"
	case jsonProps[key]:
		return snake(key), "json"
	case opaqueProps[key] && v != nil && v.Kind == graph.Map:
		return snake(key), "opaque"
	}
	return snake(key), ""
}

// object converts a property map; the result is a map (not yet a block).
func (c *conv) object(v *graph.Value, p string, depth int) *graph.Value {
	out := &graph.Value{Kind: graph.Map, Map: graph.NewFields(v.Map.Len()), Range: v.Range}
	for _, k := range v.Keys() {
		kp := joinPath(p, k)
		name, kind := c.prop(kp, k, v.Map.Get(k))
		if x := c.value(v.Map.Get(k), kp, name, kind, depth+1); x != nil {
			out.Map.Set(name, x)
		}
	}
	return out
}

// value converts one property value of Terraform name name.
func (c *conv) value(v *graph.Value, p, name, kind string, depth int) *graph.Value {
	if v == nil || depth > maxDepth {
		return nil
	}
	if v.Kind == graph.Unknown {
		return v
	}
	switch kind {
	case "opaque":
		return v
	case "json":
		if v.Kind == graph.Map || v.Kind == graph.List {
			return c.l.jsonString(v)
		}
		return v
	case "tags":
		return c.l.tagMap(v)
	}
	switch v.Kind {
	case graph.Map:
		return c.block(c.object(v, p, depth))
	case graph.List:
		out := &graph.Value{Kind: graph.List, List: make([]*graph.Value, 0, len(v.List)), Range: v.Range}
		for _, e := range v.List {
			var x *graph.Value
			switch e.Kind {
			case graph.Map:
				x = c.object(e, p, depth)
			case graph.List:
				x = c.value(e, p, name, kind, depth+1)
			default:
				x = c.l.coerce(name, e)
			}
			if x != nil {
				out.List = append(out.List, x)
			}
		}
		return out
	}
	return c.l.coerce(name, v)
}

// block wraps a converted object as Terraform renders a nested block: a
// list of one.
func (c *conv) block(obj *graph.Value) *graph.Value {
	return &graph.Value{Kind: graph.List, List: []*graph.Value{obj}, Range: obj.Range}
}

// coerce gives scalars the type Terraform uses for the attribute.
func (l *loader) coerce(name string, v *graph.Value) *graph.Value {
	switch {
	case numberAttrs[name] && v.Kind == graph.String:
		if f, err := strconv.ParseFloat(strings.TrimSpace(v.Str), 64); err == nil {
			return l.replace(v, graph.NewNumberAt(f, v.Range))
		}
	case (name == "protocol" || name == "ip_protocol") && v.Kind == graph.Number:
		// IpProtocol: -1 in YAML is a number; Terraform writes "-1".
		return l.replace(v, &graph.Value{Kind: graph.String, Str: scalarString(v), Range: v.Range})
	}
	return v
}

// replace moves the references recorded on old to its replacement.
func (l *loader) replace(old, v *graph.Value) *graph.Value {
	l.addRefs(v, l.refs[old]...)
	return v
}

// jsonString renders a policy document as Terraform holds it: a JSON
// string, unknown when any part is unknown (an account id, an ARN from
// Fn::GetAtt); the references inside stay recorded on it.
func (l *loader) jsonString(v *graph.Value) *graph.Value {
	var out *graph.Value
	if s, ok := l.toJSON(v); ok {
		out = &graph.Value{Kind: graph.String, Str: s, Range: v.Range}
	} else {
		out = l.unknown(v.Range)
	}
	out.SetDoc(v)
	l.addRefs(out, l.subtreeRefs(v, nil, 0)...)
	return out
}

// tagMap turns [{Key, Value}] into {key: value}; tags written as a map
// (some resource types take them so) are kept.
func (l *loader) tagMap(v *graph.Value) *graph.Value {
	if v.Kind != graph.List {
		return v
	}
	out := &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: v.Range}
	for _, e := range v.List {
		if e.Kind == graph.Unknown {
			// One tag is not known: which keys exist is not known either.
			return l.replace(e, l.unknown(v.Range))
		}
		k, ok := knownString(e.Get("Key"))
		val := e.Get("Value")
		if !ok {
			if e.Get("Key").IsUnknown() {
				return l.replace(e.Get("Key"), l.unknown(v.Range))
			}
			continue
		}
		if val == nil {
			val = &graph.Value{Kind: graph.String, Range: e.Range}
		}
		out.Map.Set(k, val)
	}
	return out
}

// copyTree deep-copies v with its references, for a value that a
// synthetic resource repeats from its parent.
func (l *loader) copyTree(v *graph.Value) *graph.Value {
	return l.copyDepth(v, 0)
}

func (l *loader) copyDepth(v *graph.Value, depth int) *graph.Value {
	if v == nil || depth > maxDepth {
		return nil
	}
	// Doc is shared, not copied: it is read-only structure with positions,
	// and the copy must keep it so generated policy resources still point
	// at their statements.
	c := &graph.Value{Kind: v.Kind, Bool: v.Bool, Str: v.Str, Range: v.Range}
	c.SetNum(v.Num())
	c.SetDoc(v.Doc())
	l.addRefs(c, l.refs[v]...)
	switch v.Kind {
	case graph.List:
		c.List = make([]*graph.Value, 0, len(v.List))
		for _, e := range v.List {
			if e = l.copyDepth(e, depth+1); e != nil {
				c.List = append(c.List, e)
			}
		}
	case graph.Map:
		c.Map = graph.NewFields(v.Map.Len())
		for k, e := range v.Map.All() {
			if e = l.copyDepth(e, depth+1); e != nil {
				c.Map.Set(k, e)
			}
		}
	}
	return c
}

// out is one graph resource a template resource maps to.
type out struct {
	typ   string
	mode  graph.Mode
	name  string
	addr  string
	attrs *graph.Value
	rng   graph.Range
	// parentAttr links a synthetic resource to its parent (main) resource
	// at this attribute.
	parentAttr string
	res        *graph.Resource
}

// builder maps one template resource.
type builder struct {
	c     *conv
	id    string
	typ   string
	rng   graph.Range
	props *graph.Value // evaluated Properties; build functions take what they handle
	attrs *graph.Value // the main resource's attributes
	outs  []*out       // synthetic resources
}

// take removes a property from what the automatic mapping will convert.
func (b *builder) take(key string) *graph.Value {
	v := b.props.Map.Get(key)
	b.props.Map.Delete(key)
	return v
}

// get reads a property, leaving it to the automatic mapping.
func (b *builder) get(key string) *graph.Value { return b.props.Map.Get(key) }

func (b *builder) set(name string, v *graph.Value) {
	if v != nil {
		b.attrs.Map.Set(name, v)
	}
}

// convert converts a property value as the automatic mapping would.
func (b *builder) convert(key string, v *graph.Value) *graph.Value {
	name, kind := b.c.prop(key, key, v)
	return b.c.value(v, key, name, kind, 0)
}

// synth adds a separate resource addressed <LogicalId>.<suffix>.
func (b *builder) synth(typ, suffix string, rng graph.Range, parentAttr string, attrs map[string]*graph.Value) {
	m := map[string]*graph.Value{}
	for k, v := range attrs {
		if v != nil {
			m[k] = v
		}
	}
	if rng.Line == 0 {
		rng = b.rng
	}
	b.outs = append(b.outs, &out{typ: typ, name: b.id, addr: b.id + "." + suffix,
		attrs: &graph.Value{Kind: graph.Map, Map: graph.FieldsOf(m), Range: rng}, rng: b.c.l.at(rng), parentAttr: parentAttr})
}

// nameRef is the value of a synthetic resource's attribute naming its
// parent: the name written in the template, or unknown when CloudFormation
// generates it.
func (b *builder) nameRef(key string) *graph.Value {
	if v := b.get(key); v != nil {
		return b.c.l.copyTree(v)
	}
	return b.c.l.unknown(b.rng)
}

// mapResource converts one evaluated resource. The main resource comes
// first in the result.
func (l *loader) mapResource(id, typ string, props *graph.Value, rng graph.Range) []*out {
	sp := specs[typ]
	custom := strings.HasPrefix(typ, "Custom::") || typ == "AWS::CloudFormation::CustomResource"
	if sp == nil {
		sp = &spec{tf: mechanicalType(typ)}
	}
	c := &conv{l: l, rules: sp.rules}
	work := &graph.Value{Kind: graph.Map, Map: graph.NewFields(props.Map.Len()), Range: props.Range}
	for k, v := range props.Map.All() {
		work.Map.Set(k, v)
	}
	b := &builder{c: c, id: id, typ: typ, rng: rng, props: work,
		attrs: &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: rng}}
	if sp.build != nil {
		sp.build(b)
	}
	if custom {
		// A custom resource's properties are whatever its Lambda reads:
		// kept as written, with their references.
		for k, v := range work.Map.All() {
			b.attrs.Map.Set(k, v)
		}
	} else {
		rest := c.object(work, "", 0)
		for k, v := range rest.Map.All() {
			if _, set := b.attrs.Map.Lookup(k); !set {
				b.attrs.Map.Set(k, v)
			}
		}
	}
	var outs []*out
	if sp.tf != "" {
		outs = append(outs, &out{typ: sp.tf, name: id, addr: id, attrs: b.attrs, rng: rng})
	}
	return append(outs, b.outs...)
}

// --- per-type mappings ---------------------------------------------------

// eksCluster flattens Logging.ClusterLogging.EnabledTypes[].Type into
// enabled_cluster_log_types.
func eksCluster(b *builder) {
	lg := b.take("Logging")
	if lg == nil {
		return
	}
	if lg.Kind == graph.Unknown {
		b.set("enabled_cluster_log_types", lg)
		return
	}
	types := lg.Get("ClusterLogging", "EnabledTypes")
	if types == nil || types.Kind == graph.Unknown {
		b.set("enabled_cluster_log_types", types)
		return
	}
	out := &graph.Value{Kind: graph.List, Range: types.Range}
	for _, e := range types.Items() {
		if t := e.Get("Type"); t != nil {
			out.List = append(out.List, t)
		}
	}
	b.set("enabled_cluster_log_types", out)
}

// eksAccessEntry splits AccessPolicies into aws_eks_access_policy_association
// resources, as Terraform models them.
func eksAccessEntry(b *builder) {
	pols := b.take("AccessPolicies")
	if pols == nil {
		return
	}
	for i, p := range pols.Items() {
		attrs := map[string]*graph.Value{
			"cluster_name":  b.nameRef("ClusterName"),
			"principal_arn": b.nameRef("PrincipalArn"),
		}
		if p.Kind == graph.Unknown {
			attrs["policy_arn"], attrs["access_scope"] = p, b.c.l.copyTree(p)
		} else {
			attrs["policy_arn"] = p.Get("PolicyArn")
			attrs["access_scope"] = b.convert("AccessScope", p.Get("AccessScope"))
		}
		b.synth("aws_eks_access_policy_association", fmt.Sprintf("AccessPolicies[%d]", i), p.Range, "principal_arn", attrs)
	}
}

func eksAddon(b *builder) {
	if rc := b.take("ResolveConflicts"); rc != nil {
		b.set("resolve_conflicts_on_create", rc)
		b.set("resolve_conflicts_on_update", b.c.l.copyTree(rc))
	}
}

// launchTemplate lifts LaunchTemplateData to the top, where
// aws_launch_template keeps its settings.
func launchTemplate(b *builder) {
	data := b.take("LaunchTemplateData")
	switch {
	case data == nil:
	case data.Kind == graph.Unknown:
		for _, a := range []string{"metadata_options", "block_device_mappings", "network_interfaces", "image_id",
			"iam_instance_profile", "user_data", "vpc_security_group_ids"} {
			b.set(a, b.c.l.copyTree(data))
		}
	case data.Kind == graph.Map:
		flat := b.c.object(data, "LaunchTemplateData", 0)
		for k, v := range flat.Map.All() {
			b.set(k, v)
		}
	}
	// TagSpecifications of the template itself tag the template.
	if ts := b.take("TagSpecifications"); ts != nil {
		for _, s := range ts.Items() {
			if t := s.Get("Tags"); t != nil {
				b.set("tags", b.c.l.tagMap(t))
			}
		}
	}
}

// cloudFrontDistribution lifts DistributionConfig to the top, where
// Terraform keeps the same settings.
func cloudFrontDistribution(b *builder) {
	cfg := b.take("DistributionConfig")
	switch {
	case cfg == nil:
	case cfg.Kind == graph.Unknown:
		for _, a := range []string{"origin", "default_cache_behavior", "ordered_cache_behavior", "viewer_certificate", "enabled"} {
			b.set(a, b.c.l.copyTree(cfg))
		}
	case cfg.Kind == graph.Map:
		// Origin groups wrap their lists in {Quantity, Items}; Terraform
		// writes origin_group { origin_id, member { origin_id } }.
		if og := cfg.Map.Get("OriginGroups"); og != nil {
			rest := &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: cfg.Range}
			for k, v := range cfg.Map.All() {
				if k != "OriginGroups" {
					rest.Map.Set(k, v)
				}
			}
			cfg = rest
			var groups []*graph.Value
			for _, g := range og.Get("Items").Items() {
				grp := &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: g.Range}
				if id := g.Get("Id"); id != nil {
					grp.Map.Set("origin_id", b.c.l.copyTree(id))
				}
				var members []*graph.Value
				for _, m := range g.Get("Members").Get("Items").Items() {
					if oid := m.Get("OriginId"); oid != nil {
						members = append(members, &graph.Value{Kind: graph.Map, Range: m.Range,
							Map: graph.FieldsOf(map[string]*graph.Value{"origin_id": b.c.l.copyTree(oid)})})
					}
				}
				grp.Map.Set("member", &graph.Value{Kind: graph.List, List: members, Range: g.Range})
				groups = append(groups, grp)
			}
			b.set("origin_group", &graph.Value{Kind: graph.List, List: groups, Range: og.Range})
		}
		flat := b.c.object(cfg, "DistributionConfig", 0)
		for k, v := range flat.Map.All() {
			b.set(k, v)
		}
	}
}

// rootDevices are the root device names of the AMIs nodes run (Amazon
// Linux and Bottlerocket use /dev/xvda, Ubuntu and most others
// /dev/sda1). Terraform learns the root device from the AMI; a template
// names it only by device name, so the name decides.
var rootDevices = map[string]bool{"/dev/xvda": true, "/dev/sda1": true, "/dev/sda": true, "xvda": true, "sda1": true, "/dev/nvme0n1": true}

// blockDevices splits BlockDeviceMappings into root_block_device,
// ebs_block_device and ephemeral_block_device as aws_instance and
// aws_launch_configuration hold them.
func blockDevices(b *builder) {
	v := b.take("BlockDeviceMappings")
	if v == nil {
		return
	}
	if v.Kind == graph.Unknown {
		b.set("root_block_device", v)
		b.set("ebs_block_device", b.c.l.copyTree(v))
		return
	}
	root := &graph.Value{Kind: graph.List, Range: v.Range}
	ebs := &graph.Value{Kind: graph.List, Range: v.Range}
	eph := &graph.Value{Kind: graph.List, Range: v.Range}
	for _, e := range v.Items() {
		if e.Kind == graph.Unknown {
			ebs.List = append(ebs.List, e)
			continue
		}
		if e.Kind != graph.Map {
			continue
		}
		dev := e.Map.Get("DeviceName")
		vol := e.Map.Get("Ebs")
		if vol == nil {
			blk := &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: e.Range}
			blk.Map.Set("device_name", dev)
			if vn := e.Map.Get("VirtualName"); vn != nil {
				blk.Map.Set("virtual_name", vn)
			}
			if nd := e.Map.Get("NoDevice"); nd != nil {
				blk.Map.Set("no_device", nd)
			}
			eph.List = append(eph.List, blk)
			continue
		}
		var blk *graph.Value
		if vol.Kind == graph.Map {
			blk = b.c.object(vol, "BlockDeviceMappings.Ebs", 0)
			blk.Range = e.Range
		} else {
			blk = vol
		}
		if name, ok := knownString(dev); ok && rootDevices[name] {
			root.List = append(root.List, blk)
			continue
		}
		if blk.Kind == graph.Map && dev != nil {
			blk.Map.Set("device_name", dev)
		}
		ebs.List = append(ebs.List, blk)
	}
	for name, l := range map[string]*graph.Value{"root_block_device": root, "ebs_block_device": ebs, "ephemeral_block_device": eph} {
		if len(l.List) > 0 {
			b.set(name, l)
		}
	}
}

// ec2Instance reads the primary network interface's public IP and subnet,
// which aws_instance holds at the top.
func ec2Instance(b *builder) {
	blockDevices(b)
	nis := b.get("NetworkInterfaces")
	if nis == nil {
		return
	}
	var primary *graph.Value
	for _, ni := range nis.Items() {
		if s, _ := knownString(ni.Get("DeviceIndex")); s == "0" || primary == nil {
			primary = ni
		}
		if s, _ := knownString(ni.Get("DeviceIndex")); s == "0" {
			break
		}
	}
	if primary == nil {
		return
	}
	l := b.c.l
	if v := primary.Get("AssociatePublicIpAddress"); v != nil {
		b.set("associate_public_ip_address", l.copyTree(v))
	}
	if v := primary.Get("SubnetId"); v != nil && b.get("SubnetId") == nil {
		b.set("subnet_id", l.copyTree(v))
	}
	if v := primary.Get("GroupSet"); v != nil && b.get("SecurityGroupIds") == nil {
		b.set("vpc_security_group_ids", l.copyTree(v))
	}
}

func launchConfiguration(b *builder) { blockDevices(b) }

// securityGroup converts the inline rules. CloudFormation, unlike
// Terraform, keeps the default allow-all egress rule of a new group when
// SecurityGroupEgress is not given, so that rule is added.
func securityGroup(b *builder) {
	if in := b.take("SecurityGroupIngress"); in != nil {
		b.set("ingress", sgRules(b, in, false))
	}
	eg := b.take("SecurityGroupEgress")
	if eg == nil {
		rng := b.c.l.at(b.rng)
		s := func(x string) *graph.Value { return &graph.Value{Kind: graph.String, Str: x, Range: rng} }
		n := func(x float64) *graph.Value { return graph.NewNumberAt(x, rng) }
		b.set("egress", &graph.Value{Kind: graph.List, Range: rng, List: []*graph.Value{{Kind: graph.Map, Range: rng, Map: graph.FieldsOf(map[string]*graph.Value{
			"protocol": s("-1"), "from_port": n(0), "to_port": n(0),
			"cidr_blocks": {Kind: graph.List, Range: rng, List: []*graph.Value{s("0.0.0.0/0")}}})}}})
		return
	}
	b.set("egress", sgRules(b, eg, true))
}

func sgRules(b *builder, v *graph.Value, egress bool) *graph.Value {
	if v.Kind != graph.List {
		return v
	}
	l := b.c.l
	out := &graph.Value{Kind: graph.List, Range: v.Range}
	one := func(x *graph.Value) *graph.Value {
		return &graph.Value{Kind: graph.List, List: []*graph.Value{x}, Range: x.Range}
	}
	peer, prefix := "SourceSecurityGroupId", "SourcePrefixListId"
	if egress {
		peer, prefix = "DestinationSecurityGroupId", "DestinationPrefixListId"
	}
	for _, e := range v.List {
		if e.Kind != graph.Map {
			out.List = append(out.List, e)
			continue
		}
		r := &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: e.Range}
		set := func(name string, x *graph.Value) {
			if x != nil {
				r.Map.Set(name, l.coerce(name, x))
			}
		}
		set("protocol", e.Map.Get("IpProtocol"))
		set("from_port", e.Map.Get("FromPort"))
		set("to_port", e.Map.Get("ToPort"))
		set("description", e.Map.Get("Description"))
		if x := e.Map.Get("CidrIp"); x != nil {
			r.Map.Set("cidr_blocks", one(x))
		}
		if x := e.Map.Get("CidrIpv6"); x != nil {
			r.Map.Set("ipv6_cidr_blocks", one(x))
		}
		if x := e.Map.Get(peer); x != nil {
			r.Map.Set("security_groups", one(x))
		} else if x := e.Map.Get("SourceSecurityGroupName"); x != nil && !egress {
			r.Map.Set("security_groups", one(x))
		}
		if x := e.Map.Get(prefix); x != nil {
			r.Map.Set("prefix_list_ids", one(x))
		}
		out.List = append(out.List, r)
	}
	return out
}

// iamRole adds one aws_iam_role_policy_attachment per managed policy ARN
// and one aws_iam_role_policy per inline policy. The role keeps
// managed_policy_arns and inline_policy too, as Terraform shows them on
// aws_iam_role.
func iamRole(b *builder) {
	principalPolicies(b, "RoleName", "role", "aws_iam_role_policy_attachment", "aws_iam_role_policy", false)
}

func iamUser(b *builder) {
	principalPolicies(b, "UserName", "user", "aws_iam_user_policy_attachment", "aws_iam_user_policy", true)
	l := b.c.l
	if g := b.take("Groups"); g != nil {
		b.synth("aws_iam_user_group_membership", "Groups", g.Range, "user",
			map[string]*graph.Value{"user": b.nameRef("UserName"), "groups": b.convert("Groups", g)})
	}
	if lp := b.take("LoginProfile"); lp != nil {
		attrs := map[string]*graph.Value{"user": b.nameRef("UserName")}
		if lp.Kind == graph.Map {
			for k, v := range b.c.object(lp, "LoginProfile", 0).Map.All() {
				attrs[k] = v
			}
		} else {
			attrs["password"] = l.copyTree(lp)
		}
		b.synth("aws_iam_user_login_profile", "LoginProfile", lp.Range, "user", attrs)
	}
}

func iamGroup(b *builder) {
	principalPolicies(b, "GroupName", "group", "aws_iam_group_policy_attachment", "aws_iam_group_policy", true)
}

// principalPolicies splits a principal's ManagedPolicyArns and Policies into
// Terraform's attachment and inline policy resources. take removes them
// from the principal (users and groups have no such attributes in
// Terraform).
func principalPolicies(b *builder, nameKey, attr, attachType, inlineType string, take bool) {
	l := b.c.l
	arns, pols := b.get("ManagedPolicyArns"), b.get("Policies")
	if take {
		b.take("ManagedPolicyArns")
		b.take("Policies")
	}
	if arns != nil {
		for i, a := range arns.Items() {
			b.synth(attachType, fmt.Sprintf("ManagedPolicyArns[%d]", i), a.Range, attr,
				map[string]*graph.Value{attr: b.nameRef(nameKey), "policy_arn": l.copyTree(a)})
		}
	}
	if pols != nil {
		conv := b.convert("Policies", pols)
		for i, p := range conv.Items() {
			attrs := map[string]*graph.Value{attr: b.nameRef(nameKey)}
			if p.Kind == graph.Map {
				attrs["name"], attrs["policy"] = l.copyTree(p.Map.Get("name")), l.copyTree(p.Map.Get("policy"))
			} else {
				attrs["policy"] = l.copyTree(p)
			}
			b.synth(inlineType, fmt.Sprintf("Policies[%d]", i), p.Range, attr, attrs)
		}
	}
}

var principalKinds = []struct{ key, attr, inline, attach string }{
	{"Roles", "role", "aws_iam_role_policy", "aws_iam_role_policy_attachment"},
	{"Users", "user", "aws_iam_user_policy", "aws_iam_user_policy_attachment"},
	{"Groups", "group", "aws_iam_group_policy", "aws_iam_group_policy_attachment"},
}

// iamInlinePolicy: AWS::IAM::Policy has no Terraform counterpart of its
// own; it is one inline policy resource per principal it is attached to.
func iamInlinePolicy(b *builder) {
	l := b.c.l
	name := b.convert("PolicyName", b.get("PolicyName"))
	doc := b.convert("PolicyDocument", b.get("PolicyDocument"))
	for _, k := range principalKinds {
		for i, p := range b.take(k.key).Items() {
			b.synth(k.inline, fmt.Sprintf("%s[%d]", k.key, i), p.Range, "",
				map[string]*graph.Value{k.attr: p, "name": l.copyTree(name), "policy": l.copyTree(doc)})
		}
	}
}

// iamManagedPolicy adds one attachment per principal, linked to the policy.
func iamManagedPolicy(b *builder) {
	for _, k := range principalKinds {
		for i, p := range b.take(k.key).Items() {
			b.synth(k.attach, fmt.Sprintf("%s[%d]", k.key, i), p.Range, "policy_arn",
				map[string]*graph.Value{k.attr: p, "policy_arn": b.c.l.unknown(b.rng)})
		}
	}
}

// ssoPermissionSet: Terraform writes a permission set's inline policy as a
// separate aws_ssoadmin_permission_set_inline_policy.
func ssoPermissionSet(b *builder) {
	pol := b.take("InlinePolicy")
	if pol == nil {
		return
	}
	attrs := map[string]*graph.Value{
		"inline_policy":      b.convert("InlinePolicy", pol),
		"permission_set_arn": b.c.l.unknown(b.rng),
	}
	if ia := b.get("InstanceArn"); ia != nil {
		attrs["instance_arn"] = b.c.l.copyTree(ia)
	}
	b.synth("aws_ssoadmin_permission_set_inline_policy", "InlinePolicy", pol.Range, "permission_set_arn", attrs)
}

func instanceProfile(b *builder) {
	roles := b.take("Roles")
	if roles == nil {
		return
	}
	if roles.Kind == graph.List {
		if len(roles.List) > 0 {
			b.set("role", roles.List[0])
		}
		return
	}
	b.set("role", roles)
}

// cannedACLs maps CloudFormation's AccessControl values to the canned ACL
// names Terraform (and the S3 API) use.
var cannedACLs = map[string]string{
	"Private": "private", "PublicRead": "public-read", "PublicReadWrite": "public-read-write",
	"AuthenticatedRead": "authenticated-read", "LogDeliveryWrite": "log-delivery-write",
	"BucketOwnerRead": "bucket-owner-read", "BucketOwnerFullControl": "bucket-owner-full-control",
	"AwsExecRead": "aws-exec-read",
}

// s3Bucket splits the bucket's settings into the resources of AWS provider
// v4+ (aws_s3_bucket_server_side_encryption_configuration, ...), each
// linked to the bucket at "bucket".
func s3Bucket(b *builder) {
	l := b.c.l
	flat := func(key string, v *graph.Value, fields ...string) map[string]*graph.Value {
		attrs := map[string]*graph.Value{"bucket": b.nameRef("BucketName")}
		if v.Kind == graph.Map {
			for k, x := range b.c.object(v, key, 0).Map.All() {
				attrs[k] = x
			}
		} else {
			for _, f := range fields {
				attrs[f] = l.copyTree(v)
			}
		}
		return attrs
	}
	if v := b.take("BucketEncryption"); v != nil {
		b.synth("aws_s3_bucket_server_side_encryption_configuration", "BucketEncryption", v.Range, "bucket",
			flat("BucketEncryption", v, "rule"))
	}
	if v := b.take("PublicAccessBlockConfiguration"); v != nil {
		b.synth("aws_s3_bucket_public_access_block", "PublicAccessBlockConfiguration", v.Range, "bucket",
			flat("PublicAccessBlockConfiguration", v, "block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"))
	}
	if v := b.take("VersioningConfiguration"); v != nil {
		b.synth("aws_s3_bucket_versioning", "VersioningConfiguration", v.Range, "bucket", map[string]*graph.Value{
			"bucket": b.nameRef("BucketName"), "versioning_configuration": b.convert("VersioningConfiguration", v)})
	}
	if v := b.take("LoggingConfiguration"); v != nil {
		b.synth("aws_s3_bucket_logging", "LoggingConfiguration", v.Range, "bucket", flat("LoggingConfiguration", v, "target_bucket"))
	}
	if v := b.take("OwnershipControls"); v != nil {
		b.synth("aws_s3_bucket_ownership_controls", "OwnershipControls", v.Range, "bucket", flat("OwnershipControls", v, "rule"))
	}
	if v := b.take("AccessControl"); v != nil {
		acl := v
		if s, ok := knownString(v); ok && cannedACLs[s] != "" {
			acl = l.replace(v, &graph.Value{Kind: graph.String, Str: cannedACLs[s], Range: v.Range})
		}
		b.synth("aws_s3_bucket_acl", "AccessControl", v.Range, "bucket", map[string]*graph.Value{
			"bucket": b.nameRef("BucketName"), "acl": acl})
	}
}

// dynamoTable names the key attributes as aws_dynamodb_table does
// (hash_key, range_key) rather than as a key schema list.
func dynamoTable(b *builder) {
	ks := b.get("KeySchema")
	if ks == nil || ks.Kind != graph.List {
		return
	}
	b.take("KeySchema")
	for _, k := range ks.List {
		switch kt, _ := knownString(k.Get("KeyType")); kt {
		case "HASH":
			b.set("hash_key", k.Get("AttributeName"))
		case "RANGE":
			b.set("range_key", k.Get("AttributeName"))
		}
	}
}

// secret moves the secret value to aws_secretsmanager_secret_version, where
// Terraform holds it.
func secret(b *builder) {
	if v := b.take("SecretString"); v != nil {
		b.synth("aws_secretsmanager_secret_version", "SecretString", v.Range, "secret_id", map[string]*graph.Value{
			"secret_id": b.c.l.unknown(b.rng), "secret_string": v})
	}
}

// loadBalancerScheme turns Scheme (internal or internet-facing, the
// default) into Terraform's internal.
func loadBalancerScheme(b *builder) {
	v := b.take("Scheme")
	if v == nil {
		return
	}
	s, ok := knownString(v)
	if !ok {
		b.set("internal", v)
		return
	}
	b.set("internal", b.c.l.replace(v, &graph.Value{Kind: graph.Bool, Bool: s == "internal", Range: v.Range}))
}

// networkACLEntry lifts PortRange and Icmp to Terraform's from_port,
// to_port, icmp_type and icmp_code.
func networkACLEntry(b *builder) {
	for _, lift := range []struct{ prop, from, to, fromAttr, toAttr string }{
		{"PortRange", "From", "To", "from_port", "to_port"},
		{"Icmp", "Type", "Code", "icmp_type", "icmp_code"},
	} {
		v := b.take(lift.prop)
		switch {
		case v == nil:
		case v.Kind == graph.Map:
			if x := v.Map.Get(lift.from); x != nil {
				b.set(lift.fromAttr, b.c.l.coerce(lift.fromAttr, x))
			}
			if x := v.Map.Get(lift.to); x != nil {
				b.set(lift.toAttr, b.c.l.coerce(lift.toAttr, x))
			}
		default:
			// Unknown as a whole: so are both ends.
			b.set(lift.fromAttr, v)
			b.set(lift.toAttr, b.c.l.copyTree(v))
		}
	}
}

// flowLogTargets are the Terraform attributes naming what a flow log
// watches, by CloudFormation ResourceType.
var flowLogTargets = map[string]string{
	"VPC": "vpc_id", "Subnet": "subnet_id", "NetworkInterface": "eni_id",
	"TransitGateway": "transit_gateway_id", "TransitGatewayAttachment": "transit_gateway_attachment_id",
}

// flowLog moves ResourceId to the attribute Terraform names by its type.
// When the template does not say the type (a parameter without value),
// ResourceId and ResourceType stay as they are: Terraform has no
// attribute for "one of these".
func flowLog(b *builder) {
	t, _ := knownString(b.get("ResourceType"))
	attr := flowLogTargets[t]
	id := b.get("ResourceId")
	if attr == "" || id == nil {
		return
	}
	b.take("ResourceType")
	b.set(attr, b.take("ResourceId"))
}
