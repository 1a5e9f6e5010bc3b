package main

import (
	"bytes"
	"testing"
)

// A module shaped as @cdktf/provider-aws generates them: a resource class
// with getters and a nested block, the block's list and element classes,
// and an HCL serialiser naming an attribute no getter has.
const module = `
function widgetRuleToHclTerraform(struct) {
    const attrs = {
        port: {
            value: cdktf.numberToHclTerraform(struct.port),
            isBlock: false,
            type: "simple",
            storageClassType: "number",
        },
        labels: {
            value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(struct.labels),
            isBlock: false,
            type: "map",
            storageClassType: "stringMap",
        },
    };
}
class WidgetRuleOutputReference extends cdktf.ComplexObject {
    get port() {
        return this.getNumberAttribute('port');
    }
    get ruleId() {
        return this.getStringAttribute('rule_id');
    }
}
class WidgetRuleList extends cdktf.ComplexList {
    get(index) {
        return new WidgetRuleOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
    }
}
class Widget extends cdktf.TerraformResource {
    constructor(scope, id, config) {
        super(scope, id, {
            terraformGeneratorMetadata: {
                providerName: 'aws',
                providerVersion: '9.9.9',
            },
        });
        this._rule = new WidgetRuleList(this, "rule", false);
    }
    get arn() {
        return this.getStringAttribute('arn');
    }
    get enabled() {
        return this.getBooleanAttribute('enabled');
    }
    get tags() {
        return this.getStringMapAttribute('tags');
    }
    get rule() {
        return this._rule;
    }
}
Widget.tfResourceType = "aws_widget";
`

func TestParseProviderModule(t *testing.T) {
	p := &provider{roots: map[string]string{}, nodes: map[string]map[string]field{}, elems: map[string]string{}}
	p.parse(module)
	var b bytes.Buffer
	p.write(&b, "aws_widget")
	want := "aws_widget\tarn\tstring\n" +
		"aws_widget\tenabled\tbool\n" +
		"aws_widget\trule\tblock\n" +
		"aws_widget\trule.labels\tmap(string)\n" +
		"aws_widget\trule.port\tnumber\n" +
		"aws_widget\trule.rule_id\tstring\n" +
		"aws_widget\ttags\tmap(string)\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if p.providerVersion != "9.9.9" {
		t.Errorf("provider version %q", p.providerVersion)
	}
}

func TestSpecKinds(t *testing.T) {
	s := &spec{defs: map[string]*specEntity{"7": {ID: "7"}}}
	tests := []struct {
		t    *specType
		want string
		defs int
	}{
		{&specType{Type: "string"}, "string", 0},
		{&specType{Type: "array", Element: &specType{Type: "tag"}}, "[]tag", 0},
		{&specType{Type: "ref", Reference: &struct {
			Ref string `json:"$ref"`
		}{"7"}}, "object", 1},
		{&specType{Type: "union", Types: []*specType{{Type: "string"}, {Type: "json"}}}, "string|json", 0},
	}
	for _, tt := range tests {
		got, defs := s.kind(tt.t)
		if got != tt.want || len(defs) != tt.defs {
			t.Errorf("kind(%+v) = %s, %d definitions; want %s, %d", tt.t, got, len(defs), tt.want, tt.defs)
		}
	}
}
