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
//
// The first lookup inflates the file's index (every key, 12 KB
// compressed) and the block of about 64 KB holding the document; other
// blocks are inflated only when a document in them is asked for, so a scan
// pays for the few policies it attaches, not for all 3 MB.
package managed

//go:generate go run ./gen -src=$IAMDATASET -out=policies.txt.gz

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/eksguard/eksguard/internal/gzdata"
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

// block is one gzip member of documents, inflated on first use.
type block struct {
	z    []byte
	once sync.Once
	docs map[string]entry
	err  error
}

func (b *block) load() (map[string]entry, error) {
	b.once.Do(func() {
		text, err := gzdata.Inflate(b.z)
		if err != nil {
			b.err = err
			return
		}
		b.docs = map[string]entry{}
		for line := range strings.Lines(text) {
			f := strings.SplitN(strings.TrimSuffix(line, "\n"), "\t", 4)
			if len(f) != 4 || f[0] != "P" || !strings.HasPrefix(f[3], "{") {
				b.err = fmt.Errorf("malformed document line %.80q", line)
				return
			}
			b.docs[f[1]] = entry{version: f[2], doc: f[3]}
		}
	})
	return b.docs, b.err
}

type data struct {
	source Source
	keys   []string          // sorted
	byKey  map[string]*block // key → the block holding its document
}

var get = sync.OnceValue(func() *data {
	d, err := parse(compressed)
	if err != nil {
		// The file is generated and embedded, so this is a build defect.
		panic("aws managed policies: " + err.Error())
	}
	return d
})

// parse reads the index member; the blocks after it are inflated when a
// document in them is first asked for.
func parse(gz []byte) (*data, error) {
	r := bytes.NewReader(gz)
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	// The index member alone: with a reader that reads byte by byte, the
	// gzip reader stops at its end, which is where the blocks start.
	zr.Multistream(false)
	var raw strings.Builder
	if _, err := io.Copy(&raw, zr); err != nil {
		return nil, err
	}
	off := len(gz) - r.Len()
	text := raw.String()
	d := &data{byKey: map[string]*block{}}
	for lineNo := 1; text != ""; lineNo++ {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		f := strings.SplitN(line, "\t", 4)
		bad := func() (*data, error) {
			return nil, fmt.Errorf("index line %d: malformed %.80q", lineNo, line)
		}
		if lineNo == 1 {
			if len(f) != 4 || f[0] != "eksguard-aws-managed/2" {
				return bad()
			}
			d.source = Source{Dataset: f[1], Commit: f[2], Date: f[3], Older: map[string]string{}}
			continue
		}
		switch {
		case len(f) == 3 && f[0] == "O":
			d.source.Older[f[1]] = f[2]
		case len(f) == 3 && f[0] == "B":
			n, err := strconv.Atoi(f[1])
			if err != nil || n <= 0 || n > len(gz)-off {
				return bad()
			}
			b := &block{z: gz[off : off+n : off+n]}
			off += n
			for k := range strings.SplitSeq(f[2], " ") {
				if _, dup := d.byKey[k]; dup || k == "" {
					return bad()
				}
				d.byKey[k] = b
				d.keys = append(d.keys, k)
			}
		default:
			return bad()
		}
	}
	if d.source.Commit == "" {
		return nil, fmt.Errorf("empty data file")
	}
	if off != len(gz) {
		return nil, fmt.Errorf("%d bytes after the last block", len(gz)-off)
	}
	slices.Sort(d.keys)
	return d, nil
}

// Document returns the default version's policy document of the AWS
// managed policy arn:aws:iam::aws:policy/<key>, minified, and its version
// id ("v3"). key is the ARN's path and name, e.g.
// "service-role/AmazonEC2RoleforSSM"; it must match exactly, as the ARN
// must. ok is false when the policy is not known.
func Document(key string) (doc, version string, ok bool) {
	b := get().byKey[key]
	if b == nil {
		return "", "", false
	}
	docs, err := b.load()
	if err != nil {
		// The file is generated and embedded, so this is a build defect.
		panic("aws managed policies: " + err.Error())
	}
	e, ok := docs[key]
	if !ok {
		panic("aws managed policies: " + key + " is not in its block")
	}
	return e.doc, e.version, true
}

// Keys returns the key of every known policy, sorted.
func Keys() []string { return slices.Clone(get().keys) }

// DataSource tells where the documents come from. Its Older map is shared:
// read it, never modify it.
func DataSource() Source { return get().source }
