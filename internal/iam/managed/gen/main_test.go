package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	commitA = "2073fa52ac008a45477aa0b1b4580cd99135bf60"
	commitB = "7ff619b9b675f8d48209b15ca7d8ebcb1c40177d"
)

// fakeDataset writes a directory shaped like extract.sh's output, with the
// dataset's quirks the generator must absorb: pretty-printed documents,
// analysis fields to drop, a policy without an ARN, a file read from an
// older commit and a policy with a path.
func fakeDataset(t *testing.T, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"COMMIT": commitA + " 2026-08-22\n",
		"OLDER":  "Admin.json " + commitB + "\n",
		"managedpolicies/Zeta.json": `{"name": "Zeta", "arn": "arn:aws:iam::aws:policy/Zeta", "version": "v3",
			"privesc": false, "effective_actions": [{"action": "s3:GetObject"}],
			"document": {"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}`,
		"managedpolicies/Admin.json": `{"name": "Admin", "arn": "arn:aws:iam::aws:policy/Admin", "version": "v1",
			"document": {"Statement": [{"Action": ["*"], "Effect": "Allow", "Resource": "*"}], "Version": "2012-10-17"}}`,
		"managedpolicies/Role.json": `{"name": "Role", "arn": "arn:aws:iam::aws:policy/service-role/Role", "version": "v12",
			"document": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "arn:aws:logs:*:*:*"}}}`,
		"managedpolicies/Gone.json": `{"name": "Gone", "arn": null, "deprecated": true, "version": "v2",
			"document": {"Statement": []}}`,
	}
	for name, body := range extra {
		files[name] = body
	}
	for name, body := range files {
		if body == "" { // an extra "" leaves the file out
			continue
		}
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
	src := fakeDataset(t, nil)
	docs := []string{
		`P	Admin	v1	{"Statement":[{"Action":["*"],"Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}` + "\n",
		`P	Zeta	v3	{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}` + "\n",
		`P	service-role/Role	v12	{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"arn:aws:logs:*:*:*"}}` + "\n",
	}
	head := "eksguard-aws-managed/2\tgithub.com/iann0036/iam-dataset\t" + commitA + "\t2026-08-22\n" +
		"O\tAdmin\t" + commitB + "\n"
	for _, tt := range []struct {
		blockSize int
		blocks    [][]int // documents of each block
	}{
		{64 << 10, [][]int{{0, 1, 2}}},
		{1, [][]int{{0}, {1}, {2}}},
		{len(docs[0]) + len(docs[1]), [][]int{{0, 1}, {2}}},
	} {
		data, st, err := build(src, tt.blockSize)
		if err != nil {
			t.Fatal(err)
		}
		if st.policies != 3 || st.older != 1 || st.blocks != len(tt.blocks) || strings.Join(st.noARN, ",") != "Gone.json" || st.commit != commitA {
			t.Errorf("block size %d: stats %+v", tt.blockSize, st)
		}
		// The index, then each block as a member of its own that the
		// index's B line sizes.
		index := head
		var members [][]byte
		for _, b := range tt.blocks {
			var text string
			var keys []string
			for _, i := range b {
				text += docs[i]
				keys = append(keys, strings.Split(docs[i], "\t")[1])
			}
			z, err := compress([]byte(text))
			if err != nil {
				t.Fatal(err)
			}
			members = append(members, z)
			index += fmt.Sprintf("B\t%d\t%s\n", len(z), strings.Join(keys, " "))
		}
		want, err := compress([]byte(index))
		if err != nil {
			t.Fatal(err)
		}
		for _, z := range members {
			want = append(want, z...)
		}
		if !bytes.Equal(data, want) {
			t.Errorf("block size %d: got\n%s\nwant\n%s", tt.blockSize, gunzip(t, data), gunzip(t, want))
		}
	}
}

// TestBuildDeterministic: the same input gives the same bytes, whatever
// order the files were written in and whenever it runs.
func TestBuildDeterministic(t *testing.T) {
	first, _, err := build(fakeDataset(t, nil), blockSize)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, _, err := build(fakeDataset(t, nil), blockSize)
		if err != nil || !bytes.Equal(again, first) {
			t.Fatalf("same input gave different bytes (%v)", err)
		}
	}
}

func TestBuildRejects(t *testing.T) {
	tests := []struct {
		name  string
		extra map[string]string
		want  string
	}{
		{"no COMMIT", map[string]string{"COMMIT": ""}, "COMMIT"},
		{"bad COMMIT", map[string]string{"COMMIT": "HEAD 2026-08-22\n"}, "COMMIT"},
		{"not a managed policy ARN", map[string]string{"managedpolicies/X.json": `{"name": "X", "arn": "arn:aws:iam::111122223333:policy/X", "version": "v1", "document": {}}`}, "not an AWS managed policy ARN"},
		{"ARN of another name", map[string]string{"managedpolicies/X.json": `{"name": "X", "arn": "arn:aws:iam::aws:policy/Y", "version": "v1", "document": {}}`}, "does not end in"},
		{"separator in the key", map[string]string{"managedpolicies/X.json": `{"name": "X", "arn": "arn:aws:iam::aws:policy/a\tb/X", "version": "v1", "document": {}}`}, "not an AWS managed policy ARN"},
		{"bad version", map[string]string{"managedpolicies/X.json": `{"name": "X", "arn": "arn:aws:iam::aws:policy/X", "version": "v1\tx", "document": {}}`}, "version"},
		{"document not an object", map[string]string{"managedpolicies/X.json": `{"name": "X", "arn": "arn:aws:iam::aws:policy/X", "version": "v1", "document": "{}"}`}, "not a JSON object"},
		{"OLDER names no policy", map[string]string{"OLDER": "Nope.json " + commitB + "\n"}, "OLDER names"},
	}
	for _, tt := range tests {
		if _, _, err := build(fakeDataset(t, tt.extra), blockSize); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}
