// Package managed holds the policy documents of the AWS managed policies:
// the default version of each, by the policy ARN's path and name.
//
// The data is generated from the MIT-licensed dataset
// github.com/iann0036/iam-dataset (see NOTICE at the repository root) by
// ./gen; the dataset itself is not committed. To refresh it:
//
//	git clone https://github.com/iann0036/iam-dataset /tmp/iam-dataset
//	internal/iam/managed/gen/extract.sh /tmp/iam-dataset/.git HEAD /tmp/iamds
//	cd internal/iam/managed && IAMDATASET=/tmp/iamds go generate .
//
// Policies the dataset has no ARN for (deprecated or deleted ones) are not
// included; neither are policies AWS published after the dataset's commit.
package managed

//go:generate go run ./gen -src=$IAMDATASET -out=policies.txt.gz

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

//go:embed policies.txt.gz
var compressed []byte

// Source is where the documents come from.
type Source struct {
	// Dataset is the dataset's repository, Commit the commit the
	// documents were read at and Date that commit's date (YYYY-MM-DD).
	Dataset, Commit, Date string
	// Older maps the key of each document read from an older commit (its
	// blob was missing at Commit) to that commit.
	Older map[string]string
}

type entry struct {
	version, doc string
}

type data struct {
	source Source
	byKey  map[string]entry
}

var (
	once   sync.Once
	loaded *data
)

func get() *data {
	once.Do(func() {
		d, err := parse(compressed)
		if err != nil {
			// The file is generated and embedded, so this is a build defect.
			panic("aws managed policies: " + err.Error())
		}
		loaded = d
	})
	return loaded
}

func parse(gz []byte) (*data, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	var raw strings.Builder
	if n := len(gz); n >= 4 {
		// gzip's trailer holds the uncompressed size; growing once avoids
		// copying megabytes through io.Copy's doublings.
		raw.Grow(int(binary.LittleEndian.Uint32(gz[n-4:])))
	}
	if _, err := io.Copy(&raw, zr); err != nil {
		return nil, err
	}
	// One string backs every document, so entries are substrings of it,
	// not copies.
	text := raw.String()
	d := &data{byKey: make(map[string]entry, strings.Count(text, "\nP\t"))}
	for lineNo := 1; text != ""; lineNo++ {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		f := strings.SplitN(line, "\t", 4)
		bad := func() (*data, error) {
			if len(line) > 80 {
				line = line[:80] + "..."
			}
			return nil, fmt.Errorf("line %d: malformed %q", lineNo, line)
		}
		if lineNo == 1 {
			if len(f) != 4 || f[0] != "eksguard-aws-managed/1" {
				return bad()
			}
			d.source = Source{Dataset: f[1], Commit: f[2], Date: f[3], Older: map[string]string{}}
			continue
		}
		switch {
		case len(f) == 3 && f[0] == "O":
			d.source.Older[f[1]] = f[2]
		case len(f) == 4 && f[0] == "P" && strings.HasPrefix(f[3], "{"):
			if _, dup := d.byKey[f[1]]; dup {
				return bad()
			}
			d.byKey[f[1]] = entry{version: f[2], doc: f[3]}
		default:
			return bad()
		}
	}
	if d.source.Commit == "" {
		return nil, fmt.Errorf("empty data file")
	}
	return d, nil
}

// Document returns the default version's policy document of the AWS
// managed policy arn:aws:iam::aws:policy/<key>, minified, and its version
// id ("v3"). key is the ARN's path and name, e.g.
// "service-role/AmazonEC2RoleforSSM"; it must match exactly, as the ARN
// must. ok is false when the policy is not known.
func Document(key string) (doc, version string, ok bool) {
	e, ok := get().byKey[key]
	return e.doc, e.version, ok
}

// Keys returns the key of every known policy, sorted.
func Keys() []string {
	d := get()
	keys := make([]string, 0, len(d.byKey))
	for k := range d.byKey {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// DataSource tells where the documents come from. Its Older map is shared:
// read it, never modify it.
func DataSource() Source { return get().source }
