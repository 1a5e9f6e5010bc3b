package cfn

import (
	"sort"
	"strconv"
	"strings"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/graph"
)

// SAM (Transform AWS::Serverless-2016-10-31) is expanded here, before
// evaluation, into the CloudFormation resources the transform generates,
// under the logical IDs the SAM specification gives them, so that rules
// judge what is deployed: a function's generated execution role is an IAM
// role like any other, and a Ref or GetAtt to FnRole resolves. Only the
// resource types and properties that matter to the rules are expanded;
// what is not is reported as an unread part of the template, never left
// out silently. Generated resources are placed at the SAM resource, so
// findings point at what the author wrote.

const samPrefix = "AWS::Serverless::"

// raw builds template values (before evaluation) placed at one position.
type raw graph.Range

func (r raw) str(s string) *graph.Value {
	return &graph.Value{Kind: graph.String, Str: s, Range: graph.Range(r)}
}

// obj builds a mapping from key, value pairs; nil values are left out.
func (r raw) obj(kv ...any) *graph.Value {
	m := map[string]*graph.Value{}
	for i := 0; i+1 < len(kv); i += 2 {
		if v, _ := kv[i+1].(*graph.Value); v != nil {
			m[kv[i].(string)] = v
		}
	}
	return &graph.Value{Kind: graph.Map, Map: graph.FieldsOf(m), Range: graph.Range(r)}
}

func (r raw) list(xs ...*graph.Value) *graph.Value {
	return &graph.Value{Kind: graph.List, List: xs, Range: graph.Range(r)}
}

// unknown evaluates to an unknown value: the evaluator copies scalars it
// does not recognise as they are.
func (r raw) unknown() *graph.Value { return &graph.Value{Kind: graph.Unknown, Range: graph.Range(r)} }

// expandResources returns the Resources section as CloudFormation reads it
// once transforms have run: SAM resources expanded, placeholders of
// included resources and Fn::ForEach loops left out (both reported).
func (l *loader) expandResources(res, globals *graph.Value) *graph.Value {
	out := &graph.Value{Kind: graph.Map, Map: graph.NewFields(0), Range: res.Range}
	var sam []string
	for _, id := range sortedIDs(res) {
		def := res.Map.Get(id)
		typ, _ := knownString(def.Get("Type"))
		switch {
		case id == transformKey || isTransformOnly(def):
			// Reported by transforms.
		case strings.HasPrefix(id, "Fn::ForEach"):
			l.unread(l.at(def.Range), "Fn::ForEach not expanded", "Resources."+id, languageExtensions,
				"the resources Fn::ForEach generates are not read")
			l.open["Resources"] = true
		case def.Kind == graph.Map && strings.HasPrefix(typ, samPrefix):
			sam = append(sam, id)
		default:
			out.Map.Set(id, def)
		}
	}
	for _, id := range sam {
		for gid, def := range l.expandSAM(id, res.Map.Get(id), globals) {
			// A resource written under a generated ID wins; SAM itself
			// would refuse the template.
			if _, taken := out.Map.Lookup(gid); !taken || gid == id {
				out.Map.Set(gid, def)
			}
		}
	}
	return out
}

// expandSAM returns the CloudFormation resources one SAM resource stands
// for, by logical ID.
func (l *loader) expandSAM(id string, def, globals *graph.Value) map[string]*graph.Value {
	typ := def.Map.Get("Type").Str
	r := raw(l.at(def.Range))
	props := def.Map.Get("Properties")
	if g := globals.Get(strings.TrimPrefix(typ, samPrefix)); g != nil {
		props = mergeGlobals(props, g)
	}
	if props == nil {
		props = r.obj()
	}
	if props.Kind != graph.Map || intrinsicName(props) != "" {
		if intrinsicName(props) != transformKey {
			l.unread(l.at(props.Range), "SAM resource not expanded", "Resources."+id+".Properties", typ,
				"the Properties of a SAM resource are computed, so the resources SAM generates from them are not known")
		}
		return map[string]*graph.Value{id: l.samDef(def, def.Map.Get("Type"), props)}
	}
	switch typ {
	case samPrefix + "Function":
		return l.samFunction(id, def, props, r)
	case samPrefix + "Api":
		return l.samAPI(id, def, props, r)
	case samPrefix + "SimpleTable":
		return map[string]*graph.Value{id: l.samDef(def, r.str("AWS::DynamoDB::Table"), samTable(props, r))}
	}
	l.unread(graph.Range(r), "SAM resource not expanded", "Resources."+id, typ,
		"eksguard does not expand "+typ+"; the resources SAM generates for it are not checked")
	return map[string]*graph.Value{id: l.samDef(def, def.Map.Get("Type"), props)}
}

// samDef is a generated resource carrying the SAM resource's attributes.
func (l *loader) samDef(def, typ, props *graph.Value) *graph.Value {
	r := raw(l.at(def.Range))
	m := r.obj("Type", typ, "Properties", props)
	for _, k := range []string{"Condition", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy", "Metadata"} {
		if v := def.Map.Get(k); v != nil {
			m.Map.Set(k, v)
		}
	}
	return m
}

// samNotExpanded reports the SAM properties of a resource that generate
// resources or permissions eksguard does not model.
func (l *loader) samNotExpanded(id, typ string, props *graph.Value, keys ...string) {
	for _, k := range keys {
		if v := props.Map.Get(k); v != nil {
			l.unread(l.at(v.Range), "SAM property not expanded", "Resources."+id+".Properties."+k, typ+" "+k,
				"eksguard does not expand "+k+"; the resources and permissions SAM generates from it are not checked")
		}
	}
}

// samOnlyFunction are AWS::Serverless::Function properties that
// AWS::Lambda::Function does not take: SAM turns them into other
// properties or other resources.
var samOnlyFunction = map[string]bool{
	"CodeUri": true, "InlineCode": true, "ImageUri": true, "Policies": true, "Events": true, "Role": true,
	"AutoPublishAlias": true, "AutoPublishCodeSha256": true, "AutoPublishAliasAllProperties": true,
	"DeploymentPreference": true, "FunctionUrlConfig": true, "EventInvokeConfig": true,
	"ProvisionedConcurrencyConfig": true, "Tracing": true, "DeadLetterQueue": true, "PermissionsBoundary": true,
	"RolePath": true, "AssumeRolePolicyDocument": true, "Tags": true, "VersionDescription": true,
	"VersionDeletionPolicy": true,
}

// samFunction expands AWS::Serverless::Function into AWS::Lambda::Function
// and, unless Role is given, the execution role <LogicalId>Role.
func (l *loader) samFunction(id string, def, props *graph.Value, r raw) map[string]*graph.Value {
	typ := samPrefix + "Function"
	l.samNotExpanded(id, typ, props, "Events", "AutoPublishAlias", "DeploymentPreference", "FunctionUrlConfig",
		"EventInvokeConfig", "ProvisionedConcurrencyConfig")
	fn := r.obj()
	for k, v := range props.Map.All() {
		if !samOnlyFunction[k] {
			fn.Map.Set(k, v)
		}
	}
	switch {
	case props.Map.Get("InlineCode") != nil:
		fn.Map.Set("Code", r.obj("ZipFile", props.Map.Get("InlineCode")))
	case props.Map.Get("ImageUri") != nil:
		fn.Map.Set("Code", r.obj("ImageUri", props.Map.Get("ImageUri")))
	case props.Map.Get("CodeUri") != nil:
		fn.Map.Set("Code", s3Location(props.Map.Get("CodeUri"), r, "S3Bucket", "S3Key", "S3ObjectVersion"))
	}
	tracing := props.Map.Get("Tracing")
	if tracing != nil {
		fn.Map.Set("TracingConfig", r.obj("Mode", tracing))
	}
	var dlqPolicy *graph.Value
	if dlq := props.Map.Get("DeadLetterQueue"); dlq != nil {
		target := dlq.Get("TargetArn")
		fn.Map.Set("DeadLetterConfig", r.obj("TargetArn", target))
		action := ""
		switch t, _ := knownString(dlq.Get("Type")); t {
		case "SQS":
			action = "sqs:SendMessage"
		case "SNS":
			action = "sns:Publish"
		}
		if action != "" && target != nil {
			dlqPolicy = r.obj("PolicyName", r.str(id+"RoleDeadLetterQueuePolicy"), "PolicyDocument", policyDoc(r,
				r.obj("Effect", r.str("Allow"), "Action", r.str(action), "Resource", target)))
		}
	}
	tags := samTags(props.Map.Get("Tags"), r, true)
	fn.Map.Set("Tags", tags)
	out := map[string]*graph.Value{}
	if role := props.Map.Get("Role"); role != nil {
		fn.Map.Set("Role", role)
		out[id] = l.samDef(def, r.str("AWS::Lambda::Function"), fn)
		return out
	}
	roleID := id + "Role"
	fn.Map.Set("Role", r.obj("Fn::GetAtt", r.list(r.str(roleID), r.str("Arn"))))
	out[id] = l.samDef(def, r.str("AWS::Lambda::Function"), fn)

	trust := props.Map.Get("AssumeRolePolicyDocument")
	if trust == nil {
		trust = policyDoc(r, r.obj("Effect", r.str("Allow"), "Action", r.list(r.str("sts:AssumeRole")),
			"Principal", r.obj("Service", r.list(r.str("lambda.amazonaws.com")))))
	}
	managed := r.list(managedPolicyArn("AWSLambdaBasicExecutionRole", r))
	if props.Map.Get("VpcConfig") != nil {
		managed.List = append(managed.List, managedPolicyArn("AWSLambdaVPCAccessExecutionRole", r))
	}
	if t, _ := knownString(tracing); t == "Active" {
		managed.List = append(managed.List, managedPolicyArn("AWSXrayWriteOnlyAccess", r))
	}
	inline := r.list()
	if pols := props.Map.Get("Policies"); pols != nil {
		items := pols.Items()
		if pols.Kind != graph.List {
			items = []*graph.Value{pols}
		}
		for i, p := range items {
			name := r.str(id + "RolePolicy" + strconv.Itoa(i))
			switch {
			case p.Kind == graph.String:
				managed.List = append(managed.List, managedPolicyArn(p.Str, raw(p.Range)))
			case intrinsicName(p) != "":
				// SAM passes an intrinsic through as a managed policy ARN.
				managed.List = append(managed.List, p)
			case p.Kind == graph.Map && p.Map.Get("Statement") != nil:
				inline.List = append(inline.List, raw(l.at(p.Range)).obj("PolicyName", name, "PolicyDocument", p))
			case p.Kind == graph.Map && p.Map.Len() == 1:
				tmpl := p.Keys()[0]
				// The statements a policy template grants depend on
				// SAM's template catalogue; the policy is there, its
				// content unknown, so rules reading it say unknown
				// rather than pass.
				inline.List = append(inline.List, raw(l.at(p.Range)).obj("PolicyName", name, "PolicyDocument", raw(l.at(p.Range)).unknown()))
				l.diags = append(l.diags, diag.Diagnostic{Severity: diag.Warning, File: l.file, Line: int(p.Range.Line),
					Column: int(p.Range.Column), Summary: "SAM policy template not expanded",
					Detail: "policy template " + tmpl + " of " + id + ": the statements of " + roleID + "'s policy " +
						name.Str + " are unknown"})
			default:
				l.errorf(p.Range, "invalid SAM Policies entry", "a Policies entry of %s must be a managed policy name or ARN, a policy document or a policy template", id)
			}
		}
	}
	if dlqPolicy != nil {
		inline.List = append(inline.List, dlqPolicy)
	}
	role := r.obj("AssumeRolePolicyDocument", trust, "ManagedPolicyArns", managed,
		"PermissionsBoundary", props.Map.Get("PermissionsBoundary"), "Path", props.Map.Get("RolePath"), "Tags", samTags(props.Map.Get("Tags"), r, true))
	if len(inline.List) > 0 {
		role.Map.Set("Policies", inline)
	}
	roleDef := r.obj("Type", r.str("AWS::IAM::Role"), "Properties", role, "Condition", def.Map.Get("Condition"))
	out[roleID] = roleDef
	return out
}

func policyDoc(r raw, statements ...*graph.Value) *graph.Value {
	return r.obj("Version", r.str("2012-10-17"), "Statement", r.list(statements...))
}

// serviceRolePolicies are the AWS managed policies SAM names that live
// under the service-role/ path.
var serviceRolePolicies = map[string]bool{
	"AWSLambdaBasicExecutionRole": true, "AWSLambdaVPCAccessExecutionRole": true, "AWSLambdaRole": true,
	"AWSLambdaKinesisExecutionRole": true, "AWSLambdaDynamoDBExecutionRole": true,
	"AWSLambdaSQSQueueExecutionRole": true, "AWSLambdaENIManagementAccess": true, "AWSLambdaMSKExecutionRole": true,
}

// managedPolicyArn turns a managed policy name into its ARN (an ARN is
// kept). The partition stays a Sub, so --cfn-param AWS::Partition applies.
func managedPolicyArn(name string, r raw) *graph.Value {
	if strings.HasPrefix(name, "arn:") {
		return r.str(name)
	}
	path := "policy/"
	if serviceRolePolicies[name] {
		path = "policy/service-role/"
	}
	return r.obj("Fn::Sub", r.str("arn:${AWS::Partition}:iam::aws:"+path+name))
}

// s3Location reads SAM's location forms (s3://bucket/key, or {Bucket,
// Key, Version}) into a resource's S3 properties. A local path is what
// `sam package` uploads: where it lands is not known.
func s3Location(v *graph.Value, r raw, bucket, key, version string) *graph.Value {
	switch {
	case v.Kind == graph.String && strings.HasPrefix(v.Str, "s3://"):
		b, k, _ := strings.Cut(strings.TrimPrefix(v.Str, "s3://"), "/")
		rr := raw(v.Range)
		return r.obj(bucket, rr.str(b), key, rr.str(k))
	case v.Kind == graph.Map && intrinsicName(v) == "":
		return r.obj(bucket, v.Map.Get("Bucket"), key, v.Map.Get("Key"), version, v.Map.Get("Version"))
	}
	return raw(v.Range).unknown()
}

// samTags turns SAM's tag map into CloudFormation's [{Key, Value}] list;
// functions also get the lambda:createdBy tag SAM adds.
func samTags(v *graph.Value, r raw, createdBy bool) *graph.Value {
	out := r.list()
	if createdBy {
		out.List = append(out.List, r.obj("Key", r.str("lambda:createdBy"), "Value", r.str("SAM")))
	}
	if v == nil {
		if len(out.List) == 0 {
			return nil
		}
		return out
	}
	if v.Kind != graph.Map || intrinsicName(v) != "" {
		return v
	}
	keys := v.Keys()
	sort.Strings(keys)
	for _, k := range keys {
		out.List = append(out.List, raw(v.Map.Get(k).Range).obj("Key", raw(v.Map.Get(k).Range).str(k), "Value", v.Map.Get(k)))
	}
	return out
}

// samAPI expands AWS::Serverless::Api into the REST API, its deployment
// and its stage. SAM suffixes the deployment's ID with a hash of the API
// definition; the hash is left out here, nothing in a template can refer
// to it.
func (l *loader) samAPI(id string, def, props *graph.Value, r raw) map[string]*graph.Value {
	typ := samPrefix + "Api"
	l.samNotExpanded(id, typ, props, "Auth", "Cors", "Domain", "GatewayResponses", "Models")
	api := r.obj()
	for _, k := range []string{"Name", "Description", "BinaryMediaTypes", "MinimumCompressionSize", "ApiKeySourceType",
		"DisableExecuteApiEndpoint", "Mode", "FailOnWarnings"} {
		if v := props.Map.Get(k); v != nil {
			api.Map.Set(k, v)
		}
	}
	switch {
	case props.Map.Get("DefinitionBody") != nil:
		api.Map.Set("Body", props.Map.Get("DefinitionBody"))
	case props.Map.Get("DefinitionUri") != nil:
		if loc := s3Location(props.Map.Get("DefinitionUri"), r, "Bucket", "Key", "Version"); loc.Kind == graph.Map {
			api.Map.Set("BodyS3Location", loc)
		} else {
			api.Map.Set("Body", loc)
		}
	default:
		// SAM writes the definition from the Api events of functions,
		// which are reported as not expanded.
		api.Map.Set("Body", r.unknown())
	}
	if ec := props.Map.Get("EndpointConfiguration"); ec != nil {
		switch {
		case ec.Kind == graph.Map && intrinsicName(ec) == "":
			api.Map.Set("EndpointConfiguration", r.obj("Types", nilList(r, ec.Map.Get("Type")), "VpcEndpointIds", ec.Map.Get("VPCEndpointIds")))
		default:
			api.Map.Set("EndpointConfiguration", r.obj("Types", r.list(ec)))
		}
	}
	stageName := props.Map.Get("StageName")
	suffix := "Stage"
	if s, ok := l.literal(stageName); ok {
		suffix = s + "Stage"
	}
	depID := id + "Deployment"
	stage := r.obj("RestApiId", r.obj("Ref", r.str(id)), "DeploymentId", r.obj("Ref", r.str(depID)),
		"StageName", stageName, "Tags", samTags(props.Map.Get("Tags"), r, false))
	for _, k := range []string{"Variables", "MethodSettings", "AccessLogSetting", "CacheClusterEnabled",
		"CacheClusterSize", "CanarySetting", "TracingEnabled"} {
		if v := props.Map.Get(k); v != nil {
			stage.Map.Set(k, v)
		}
	}
	cond := def.Map.Get("Condition")
	return map[string]*graph.Value{
		id: l.samDef(def, r.str("AWS::ApiGateway::RestApi"), api),
		depID: r.obj("Type", r.str("AWS::ApiGateway::Deployment"), "Condition", cond,
			"Properties", r.obj("RestApiId", r.obj("Ref", r.str(id)))),
		id + suffix: r.obj("Type", r.str("AWS::ApiGateway::Stage"), "Condition", cond, "Properties", stage),
	}
}

func nilList(r raw, v *graph.Value) *graph.Value {
	if v == nil {
		return nil
	}
	return r.list(v)
}

// literal reads a string written in the template or given by a parameter's
// value, as SAM resolves parameters in the places it names resources
// after.
func (l *loader) literal(v *graph.Value) (string, bool) {
	if v == nil {
		return "", false
	}
	if v.Kind == graph.String {
		return v.Str, true
	}
	if intrinsicName(v) == "Ref" {
		if n, ok := knownString(v.Map.Get("Ref")); ok && l.params[n] != nil && !l.params[n].ssm {
			return knownString(l.params[n].value)
		}
	}
	return "", false
}

// samTable expands AWS::Serverless::SimpleTable into AWS::DynamoDB::Table:
// a string key named id unless PrimaryKey says otherwise, on-demand
// billing unless ProvisionedThroughput is given.
func samTable(props *graph.Value, r raw) *graph.Value {
	name, typ := r.str("id"), r.str("S")
	if pk := props.Map.Get("PrimaryKey"); pk != nil && pk.Kind == graph.Map {
		if n := pk.Map.Get("Name"); n != nil {
			name = n
		}
		if t := pk.Map.Get("Type"); t != nil {
			typ = t
			if s, ok := knownString(t); ok {
				switch s {
				case "String":
					typ = raw(t.Range).str("S")
				case "Number":
					typ = raw(t.Range).str("N")
				case "Binary":
					typ = raw(t.Range).str("B")
				}
			}
		}
	}
	tbl := r.obj(
		"AttributeDefinitions", r.list(r.obj("AttributeName", name, "AttributeType", typ)),
		"KeySchema", r.list(r.obj("AttributeName", name, "KeyType", r.str("HASH"))),
		"TableName", props.Map.Get("TableName"), "SSESpecification", props.Map.Get("SSESpecification"),
		"PointInTimeRecoverySpecification", props.Map.Get("PointInTimeRecoverySpecification"),
		"Tags", samTags(props.Map.Get("Tags"), r, false))
	if pt := props.Map.Get("ProvisionedThroughput"); pt != nil {
		tbl.Map.Set("ProvisionedThroughput", pt)
	} else {
		tbl.Map.Set("BillingMode", r.str("PAY_PER_REQUEST"))
	}
	return tbl
}
