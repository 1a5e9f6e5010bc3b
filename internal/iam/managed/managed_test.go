package managed

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestEmbedded(t *testing.T) {
	src := DataSource()
	if src.Dataset != "github.com/iann0036/iam-dataset" || len(src.Commit) != 40 || len(src.Date) != 10 {
		t.Errorf("source %+v", src)
	}
	keys := Keys()
	if len(keys) < 1500 {
		t.Fatalf("%d policies", len(keys))
	}
	for k, c := range src.Older {
		if _, _, ok := Document(k); !ok || len(c) != 40 {
			t.Errorf("older %s %s: not a policy", k, c)
		}
	}
	for _, k := range keys {
		doc, version, ok := Document(k)
		if !ok || !strings.HasPrefix(version, "v") {
			t.Fatalf("%s: ok %v version %q", k, ok, version)
		}
		var v struct {
			Statement json.RawMessage
		}
		if err := json.Unmarshal([]byte(doc), &v); err != nil || len(v.Statement) == 0 {
			t.Errorf("%s: %v, statement %q", k, err, v.Statement)
		}
	}
	if _, _, ok := Document("service-role/AmazonEC2RoleforSSM"); !ok {
		t.Error("service-role/AmazonEC2RoleforSSM missing")
	}
	if _, _, ok := Document("AmazonEC2RoleforSSM"); ok {
		t.Error("AmazonEC2RoleforSSM found without its path")
	}
}

func gz(t *testing.T, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// file builds a data file of an index and blocks, each block given as
// its text.
func file(t *testing.T, head string, blocks ...string) []byte {
	t.Helper()
	var zs [][]byte
	index := head
	for _, b := range blocks {
		z := gz(t, b)
		zs = append(zs, z)
		var keys []string
		for line := range strings.Lines(b) {
			if f := strings.Split(line, "\t"); len(f) > 1 {
				keys = append(keys, f[1])
			}
		}
		index += fmt.Sprintf("B\t%d\t%s\n", len(z), strings.Join(keys, " "))
	}
	out := gz(t, index)
	for _, z := range zs {
		out = append(out, z...)
	}
	return out
}

func TestParse(t *testing.T) {
	head := "eksguard-aws-managed/2\tgithub.com/iann0036/iam-dataset\t" + strings.Repeat("a", 40) + "\t2026-01-02\n"
	older := "O\tA\t" + strings.Repeat("b", 40) + "\n"
	d, err := parse(file(t, head+older, "P\tA\tv2\t{\"Statement\":[]}\nP\tB\tv1\t{}\n", "P\tx/C\tv7\t{\"Version\":\"2012-10-17\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(d.keys, ",") != "A,B,x/C" || d.source.Older["A"] == "" || d.byKey["A"] != d.byKey["B"] || d.byKey["A"] == d.byKey["x/C"] {
		t.Fatalf("parsed %+v", d)
	}
	docs, err := d.byKey["x/C"].load()
	if err != nil || docs["x/C"] != (entry{version: "v7", doc: `{"Version":"2012-10-17"}`}) {
		t.Errorf("block of x/C: %v %v", docs, err)
	}
	if d.byKey["A"].docs != nil {
		t.Error("a block not asked for was inflated")
	}

	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"empty", gz(t, "")},
		{"other format", file(t, "eksguard-aws-managed/1\tx\ty\tz\n")},
		{"unknown line", file(t, head+"Q\tA\n")},
		{"key twice", file(t, head, "P\tA\tv1\t{}\n", "P\tA\tv2\t{}\n")},
		{"block size past the end", gz(t, head+"B\t99\tA\n")},
		{"bytes after the blocks", append(file(t, head, "P\tA\tv1\t{}\n"), 0)},
	} {
		if _, err := parse(tt.data); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	// A malformed document line fails when its block is read.
	d, err = parse(file(t, head, "P\tA\tv1\tnot json\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.byKey["A"].load(); err == nil {
		t.Error("malformed document line: no error")
	}
}
