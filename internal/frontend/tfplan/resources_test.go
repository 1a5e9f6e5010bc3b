package tfplan

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/jsonpos"
	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

const sensitivePlan = `{
  "format_version": "1.2",
  "variables": {"db_password": {"value": "hunter2"}},
  "planned_values": {"outputs": {"dsn": {"sensitive": true, "value": "postgres://app:hunter2@db"}},
    "root_module": {"resources": [
      {"address": "aws_db_instance.app", "mode": "managed", "type": "aws_db_instance", "name": "app",
       "values": {"password": "hunter2", "engine": "postgres"}, "sensitive_values": {"password": true}}]}},
  "resource_changes": [
    {"address": "aws_db_instance.app", "mode": "managed", "type": "aws_db_instance", "name": "app",
     "change": {"actions": ["create"], "after": {"password": "hunter2", "engine": "postgres"},
       "after_sensitive": {"password": true}, "after_unknown": {"id": true, "endpoint": true}}},
    {"address": "aws_security_group.db", "mode": "managed", "type": "aws_security_group", "name": "db",
     "change": {"actions": ["create"], "after": {"name": "db"}, "after_unknown": {"id": true}}}
  ],
  "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-west-1"}}}},
    "root_module": {
    "variables": {"db_password": {"sensitive": true}},
    "resources": [{"address": "aws_db_instance.app", "mode": "managed", "type": "aws_db_instance", "name": "app",
      "expressions": {"vpc_security_group_ids": {"references": ["aws_security_group.db.id", "aws_security_group.db"]}}}]}}
}`

// LoadResources adds the resources Load adds, where Load places them, and
// leaves the document masked and merged as Load does; only the edges are
// missing.
func TestLoadResourcesIsLoadWithoutEdges(t *testing.T) {
	for name, src := range map[string]string{"sensitive": sensitivePlan, "unknowns": unknownPlan, "generated": string(plangen.Generate(60))} {
		t.Run(name, func(t *testing.T) {
			parse := func() *graph.Value {
				root, err := jsonpos.Parse([]byte(src), "plan.json")
				if err != nil {
					t.Fatal(err)
				}
				return root
			}
			fullDoc, resDoc := parse(), parse()
			full, res := graph.New(), graph.New()
			if d := Load(full, fullDoc, "plan.json"); len(d) > 0 {
				t.Fatal(d)
			}
			if d := LoadResources(res, resDoc, "plan.json"); len(d) > 0 {
				t.Fatal(d)
			}
			if name != "unknowns" && full.EdgeCount() == 0 {
				t.Fatal("the plan has no edges to leave out")
			}
			if n := res.EdgeCount(); n != 0 {
				t.Errorf("%d edges", n)
			}
			describe := func(g *graph.Graph) []string {
				var out []string
				for _, r := range g.Resources() {
					attrs, err := json.Marshal(r.Attrs)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, fmt.Sprintf("%s %s %s %+v %v %s", r.Address, r.Type, r.Mode, r.Range, r.Module, attrs))
				}
				return out
			}
			a, b := describe(full), describe(res)
			if fmt.Sprint(a) != fmt.Sprint(b) {
				t.Errorf("resources differ:\n%v\n%v", a, b)
			}
			da, _ := json.Marshal(fullDoc)
			db, _ := json.Marshal(resDoc)
			if string(da) != string(db) {
				t.Errorf("documents differ:\n%s\n%s", da, db)
			}
			if strings.Contains(string(db), "hunter2") {
				t.Errorf("a sensitive value is not masked: %s", db)
			}
		})
	}
}
