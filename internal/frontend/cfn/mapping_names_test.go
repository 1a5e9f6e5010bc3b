package cfn

import "testing"

// TestTerraformNames: properties whose Terraform attribute is named, or
// shaped, otherwise than their snake_case (the ones the rules' schema test
// found read under the Terraform name).
func TestTerraformNames(t *testing.T) {
	src := []byte(`AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Scheme: {Type: String}
  What: {Type: String}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: network, Scheme: internal}
  Open:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internet-facing}
  Either:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: !Ref Scheme}
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      Protocol: HTTP
      DefaultActions:
        - Type: redirect
          RedirectConfig: {Protocol: HTTPS, StatusCode: HTTP_301}
  Classic:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners:
        - {LoadBalancerPort: "80", InstancePort: "8080", Protocol: HTTP}
  Entry:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      RuleNumber: "100"
      Protocol: 6
      PortRange: {From: "22", To: 22}
  Ping:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      Icmp: {Type: 8, Code: -1}
  VpcLog:
    Type: AWS::EC2::FlowLog
    Properties: {ResourceType: VPC, ResourceId: !Ref Vpc, TrafficType: ALL}
  SomeLog:
    Type: AWS::EC2::FlowLog
    Properties: {ResourceType: !Ref What, ResourceId: !Ref Vpc, TrafficType: ALL}
  Scanning:
    Type: AWS::ECR::RegistryScanningConfiguration
    Properties:
      ScanType: ENHANCED
      Rules:
        - ScanFrequency: SCAN_ON_PUSH
          RepositoryFilters: [{Filter: "prod-*", FilterType: WILDCARD}]
  Repo:
    Type: AWS::ECR::Repository
    Properties: {RepositoryName: app}
  Key:
    Type: AWS::IAM::AccessKey
    Properties: {UserName: ci}
`)
	g, diags := load(t, "names.yaml", src, nil)
	for _, d := range diags {
		t.Errorf("unexpected diagnostic: %s", d)
	}
	tests := []struct{ addr, path, want string }{
		{"Alb", "", `{"internal":true,"load_balancer_type":"network"}`},
		{"Open", "internal", `false`},
		{"Either", "internal", unk},
		{"Http", "default_action", `[{"redirect":[{"protocol":"HTTPS","status_code":"HTTP_301"}],"type":"redirect"}]`},
		{"Classic", "listener", `[{"instance_port":8080,"lb_port":80,"lb_protocol":"HTTP"}]`},
		{"Entry", "", `{"from_port":22,"protocol":"6","rule_number":100,"to_port":22}`},
		{"Ping", "", `{"icmp_code":-1,"icmp_type":8}`},
		{"VpcLog", "", `{"traffic_type":"ALL","vpc_id":` + unk + `}`},
		{"SomeLog", "", `{"resource_id":` + unk + `,"resource_type":` + unk + `,"traffic_type":"ALL"}`},
		{"Scanning", "", `{"rule":[{"repository_filter":[{"filter":"prod-*","filter_type":"WILDCARD"}],"scan_frequency":"SCAN_ON_PUSH"}],"scan_type":"ENHANCED"}`},
		{"Repo", "", `{"name":"app"}`},
		{"Key", "", `{"user":"ci"}`},
	}
	for _, tt := range tests {
		r := one(t, g, tt.addr)
		if got := js(r.Get(tt.path)); got != tt.want {
			t.Errorf("%s %s:\n got %s\nwant %s", tt.addr, tt.path, got, tt.want)
		}
	}
	// The flow log's ResourceId keeps its reference at its new attribute.
	if got := g.Targets(one(t, g, "VpcLog"), "vpc_id", "aws_vpc"); len(got) != 1 {
		t.Errorf("VpcLog: %d aws_vpc targets at vpc_id, want 1", len(got))
	}
	if got := g.Targets(one(t, g, "SomeLog"), "resource_id", "aws_vpc"); len(got) != 1 {
		t.Errorf("SomeLog: %d aws_vpc targets at resource_id, want 1", len(got))
	}
}
