package attrschema

import (
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	tf := parse("# test\n"+
		"aws_x\tvpc_config\tblock\n"+
		"aws_x\tvpc_config.subnet_ids\t[]string\n"+
		"aws_x\ttags\tmap(string)\n"+
		"aws_x\tname\tstring\n", Terraform().free)
	cf := parse("# test\n"+
		"AWS::X::Y\tTags\t[]tag\n"+
		"AWS::X::Y\tPolicy\tjson\n", CloudFormation().free)
	tests := []struct {
		s     *Schema
		typ   string
		path  string
		match string
		why   string
	}{
		{tf, "aws_x", "vpc_config.0.subnet_ids.1", "vpc_config.subnet_ids", ""},
		{tf, "aws_x", "tags.kubernetes.io/cluster/x", "tags", ""},
		{tf, "aws_x", "vpc_config.subnet_idz", "", `aws_x.vpc_config has no "subnet_idz"`},
		{tf, "aws_x", "name.first", "", `aws_x.name is a string, it has no "first"`},
		{tf, "aws_x", "nme", "", `aws_x has no attribute "nme"`},
		{tf, "aws_y", "name", "", "aws_y is not in the list"},
		{cf, "AWS::X::Y", "Tags.0.Key", "Tags.Key", ""},
		{cf, "AWS::X::Y", "Policy.Statement", "Policy", ""},
	}
	for _, tt := range tests {
		m, ok, why := tt.s.Resolve(tt.typ, strings.Split(tt.path, "."))
		if m != tt.match || ok != (tt.why == "") || why != tt.why {
			t.Errorf("Resolve(%s, %s) = %q, %v, %q; want %q, %q", tt.typ, tt.path, m, ok, why, tt.match, tt.why)
		}
	}
}

// TestLists: both embedded lists parse and name their source.
func TestLists(t *testing.T) {
	for _, s := range []*Schema{Terraform(), CloudFormation()} {
		if len(s.Types()) < 50 || !strings.HasPrefix(s.Source, "eksguard-") {
			t.Errorf("%q: %d types", s.Source, len(s.Types()))
		}
	}
	if k, ok := Terraform().Kind("aws_eks_cluster", "vpc_config.endpoint_public_access"); !ok || k != "bool" {
		t.Errorf("aws_eks_cluster vpc_config.endpoint_public_access: %q %v", k, ok)
	}
}
