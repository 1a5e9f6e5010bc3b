package docsection

import (
	"strings"
	"testing"
)

func TestGetSet(t *testing.T) {
	doc := "# Title\n\nintro\n\n<!-- m:begin -->\nold\nlines\n<!-- m:end -->\n\nafter\n"
	got, err := Get([]byte(doc), "m")
	if err != nil || string(got) != "old\nlines\n" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	out, err := Set([]byte(doc), "m", []byte("new"))
	if err != nil {
		t.Fatal(err)
	}
	want := "# Title\n\nintro\n\n<!-- m:begin -->\nnew\n<!-- m:end -->\n\nafter\n"
	if string(out) != want {
		t.Errorf("Set:\n%s\nwant:\n%s", out, want)
	}
	// Setting what is there changes nothing.
	again, _ := Set(out, "m", []byte("new\n"))
	if string(again) != want {
		t.Errorf("Set twice:\n%s", again)
	}
	// An empty body leaves the markers on their lines.
	empty, _ := Set([]byte(doc), "m", nil)
	if !strings.Contains(string(empty), "<!-- m:begin -->\n<!-- m:end -->\n") {
		t.Errorf("empty body:\n%s", empty)
	}
}

func TestCRLF(t *testing.T) {
	doc := "a\r\n<!-- m:begin -->\r\nold\r\n<!-- m:end -->\r\nb\r\n"
	got, err := Get([]byte(doc), "m")
	if err != nil || string(got) != "old\r\n" {
		t.Fatalf("Get = %q, %v", got, err)
	}
}

func TestBadMarkers(t *testing.T) {
	for name, doc := range map[string]string{
		"no begin":      "x\n<!-- m:end -->\n",
		"no end":        "<!-- m:begin -->\nx\n",
		"reversed":      "<!-- m:end -->\nx\n<!-- m:begin -->\n",
		"twice":         "<!-- m:begin -->\n<!-- m:end -->\n<!-- m:begin -->\n<!-- m:end -->\n",
		"not own line":  "see <!-- m:begin -->\n<!-- m:end -->\n",
		"other section": "<!-- n:begin -->\n<!-- n:end -->\n",
	} {
		if _, err := Get([]byte(doc), "m"); err == nil {
			t.Errorf("%s: no error", name)
		}
		if _, err := Set([]byte(doc), "m", []byte("y\n")); err == nil {
			t.Errorf("%s: Set gave no error", name)
		}
	}
}
