package managed

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
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

func TestParse(t *testing.T) {
	head := "eksguard-aws-managed/1\tgithub.com/iann0036/iam-dataset\t" + strings.Repeat("a", 40) + "\t2026-01-02\n"
	d, err := parse(gz(t, head+"O\tA\t"+strings.Repeat("b", 40)+"\nP\tA\tv2\t{\"Statement\":[]}\nP\tx/B\tv1\t{}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.byKey) != 2 || d.byKey["x/B"].version != "v1" || d.byKey["A"].doc != `{"Statement":[]}` || d.source.Older["A"] == "" {
		t.Errorf("parsed %+v", d)
	}
	for _, bad := range []string{
		"",
		"eksguard-aws-managed/2\tx\ty\tz\n",
		head + "P\tA\tv1\n",
		head + "P\tA\tv1\tnot json\n",
		head + "P\tA\tv1\t{}\nP\tA\tv2\t{}\n",
		head + "Q\tA\n",
	} {
		if _, err := parse(gz(t, bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
