package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const stream = `{"config":{"db":"file:///db","db_last_modified":"2026-11-05T00:00:00Z","go_version":"go1.26.8","scanner_version":"v1.10.0","scan_level":"symbol"}}
{"progress":{"message":"Checking the code against the vulnerabilities..."}}
{"osv":{"id":"GO-1","summary":"stdlib bug"}}
{"osv":{"id":"GO-2","summary":"module bug"}}
{"osv":{"id":"GO-3","summary":"imported only"}}
{"finding":{"osv":"GO-1","fixed_version":"v1.26.9","trace":[{"module":"stdlib","version":"v1.26.8"}]}}
{"finding":{"osv":"GO-1","fixed_version":"v1.26.9","trace":[{"module":"stdlib","version":"v1.26.8","package":"net/http","function":"Error","receiver":"conn"},{"module":"m","package":"m/a","function":"Load","position":{"filename":"a/a.go","line":7}}]}}
{"finding":{"osv":"GO-2","fixed_version":"v1.2.0","trace":[{"module":"example.com/x","version":"v1.1.0","package":"example.com/x","function":"Do"},{"module":"m","package":"m/b","function":"Run"}]}}
{"finding":{"osv":"GO-3","trace":[{"module":"example.com/y","version":"v0.1.0","package":"example.com/y"}]}}
`

func TestJudge(t *testing.T) {
	res, err := read(strings.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if judge(&out, res, map[string]string{"GO-1": "needs go1.26.9", "GO-9": "gone"}) {
		t.Errorf("passed with GO-2 called and not accepted:\n%s", out.String())
	}
	for _, want := range []string{
		"ACCEPTED (needs go1.26.9) GO-1: stdlib bug",
		"a/a.go:7 (m/a.Load), reaching net/http.conn.Error",
		"FAIL GO-2: module bug",
		"example.com/x@v1.1.0, fixed in v1.2.0",
		"not called (not failing): GO-3",
		"no longer found (remove them from the accept file): GO-9",
		"1 called vulnerabilities not accepted, 1 accepted",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if !judge(&out, res, map[string]string{"GO-1": "r", "GO-2": "r"}) {
		t.Errorf("failed with every called vulnerability accepted:\n%s", out.String())
	}
}

func TestNoScanIsNoPass(t *testing.T) {
	if _, err := read(strings.NewReader("")); err == nil {
		t.Error("empty input read as a result")
	}
}

func TestAcceptNeedsReason(t *testing.T) {
	path := filepath.Join(t.TempDir(), "accept")
	if err := os.WriteFile(path, []byte("# comment\nGO-1 fixed in go1.26.9\nGO-2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := readAccepted(path); err == nil || !strings.Contains(err.Error(), ":3: GO-2 has no reason") {
		t.Errorf("got %v, want an error at line 3", err)
	}
}
