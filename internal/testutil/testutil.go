// Package testutil holds helpers shared by tests of several packages.
package testutil

import (
	"encoding/json"
	"reflect"
	"testing"
)

// SameJSON fails the test unless got (plain Go data, as graph.Value's
// Interface gives) equals the JSON document want.
func SameJSON(t testing.TB, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("expected JSON does not parse: %v", err)
	}
	if !reflect.DeepEqual(got, w) {
		b, _ := json.MarshalIndent(got, "", "  ")
		t.Errorf("got\n%s\nwant\n%s", b, want)
	}
}
