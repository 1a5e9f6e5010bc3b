package gzdata

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestInflate(t *testing.T) {
	want := strings.Repeat("S\tec2\nA\tRunInstances\tW\n", 1000)
	got, err := Inflate(gz(t, want))
	if err != nil || got != want {
		t.Fatalf("Inflate: %d bytes, %v; want %d bytes", len(got), err, len(want))
	}
	// One member only: what follows it is not read.
	two := append(gz(t, "first"), gz(t, "second")...)
	if got, err := Inflate(two); err != nil || got != "first" {
		t.Errorf("two members: %q, %v; want the first", got, err)
	}
	if _, err := Inflate([]byte("not gzip")); err == nil {
		t.Error("not gzip: no error")
	}
	z := gz(t, want)
	if _, err := Inflate(z[:len(z)/2]); err == nil {
		t.Error("truncated: no error")
	}
}
