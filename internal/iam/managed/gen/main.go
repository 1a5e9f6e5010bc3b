// Command gen turns the AWS managed policies of the MIT-licensed dataset
// github.com/iann0036/iam-dataset into the embedded data file of package
// managed.
//
// The dataset is not committed; unpack it first with extract.sh from a
// clone (or bare mirror) of the dataset's repository, e.g.
//
//	git clone https://github.com/iann0036/iam-dataset /tmp/iam-dataset
//	internal/iam/managed/gen/extract.sh /tmp/iam-dataset/.git <commit> /tmp/iamds
//	cd internal/iam/managed && IAMDATASET=/tmp/iamds go generate .
//
// The unpacked directory holds COMMIT ("<commit> <YYYY-MM-DD>"), OLDER
// ("<file> <commit>" for each file read from an older commit because its
// blob was missing) and managedpolicies/*.json, one file per policy with
// its "arn", default "version" and "document".
//
// Output format: gzip members one after the other (zcat reads them as one
// text) of tab-separated lines. The first member is the index:
//
//	eksguard-aws-managed/2 <TAB> github.com/iann0036/iam-dataset <TAB> <commit> <TAB> <commit date>
//	O <TAB> <key> <TAB> <older commit>
//	B <TAB> <compressed size> <TAB> <key> <SPACE> <key>...
//
// and each B line describes the next member, a block of documents:
//
//	P <TAB> <key> <TAB> <version> <TAB> <minified document>
//
// so a reader inflates the index and then only the blocks it looks up.
// The key is the policy ARN's resource after "policy/": its path and name,
// e.g. "service-role/AmazonEC2RoleforSSM". Policies whose ARN the dataset
// does not give (deprecated or deleted ones) are left out: their path is
// not known, and an ARN names a policy only with its path. Lines are sorted
// by key and documents keep the dataset's key order, so the same input
// always gives the same bytes.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

const (
	datasetName = "github.com/iann0036/iam-dataset"
	formatTag   = "eksguard-aws-managed/2"
	arnPrefix   = "arn:aws:iam::aws:policy/"
)

// rawPolicy is the part of a dataset file the generator reads; the
// dataset's own analysis (access levels, flags) is dropped.
type rawPolicy struct {
	Name     string          `json:"name"`
	ARN      *string         `json:"arn"`
	Version  string          `json:"version"`
	Document json.RawMessage `json:"document"`
}

func main() {
	src := flag.String("src", "", "directory unpacked by extract.sh (holds COMMIT, OLDER and managedpolicies/)")
	out := flag.String("out", "policies.txt.gz", "data file to write")
	flag.Parse()
	if *src == "" {
		fatal(errors.New("-src is empty: set IAMDATASET to a directory unpacked by gen/extract.sh from " + datasetName))
	}
	data, st, err := build(*src, blockSize)
	if err != nil {
		fatal(err)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		fatal(err)
	}
	fmt.Fprintf(os.Stderr, "gen: %s %s: %d policies (%d from older commits) in %d blocks, %d without an ARN left out: %s; %d bytes\n",
		datasetName, st.commit, st.policies, st.older, st.blocks, len(st.noARN), strings.Join(st.noARN, " "), len(data))
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}

type stats struct {
	commit                  string
	policies, older, blocks int
	noARN                   []string // files left out, sorted
}

var (
	commitRE = regexp.MustCompile(`^[0-9a-f]{40}$`)
	// A path segment or name as IAM allows them (no separators of the
	// line format, no slash in the name).
	keyRE     = regexp.MustCompile(`^(?:[\w+=,.@-]+/)*[\w+=,.@-]+$`)
	versionRE = regexp.MustCompile(`^v[0-9]+$`)
)

// readCommit reads COMMIT: the dataset commit and its date.
func readCommit(src string) (commit, date string, err error) {
	b, err := os.ReadFile(filepath.Join(src, "COMMIT"))
	if err != nil {
		return "", "", err
	}
	f := strings.Fields(string(b))
	if len(f) != 2 || !commitRE.MatchString(f[0]) {
		return "", "", fmt.Errorf("COMMIT: want \"<40 hex digits> <YYYY-MM-DD>\", have %q", b)
	}
	if _, err := time.Parse(time.DateOnly, f[1]); err != nil {
		return "", "", fmt.Errorf("COMMIT: %w", err)
	}
	return f[0], f[1], nil
}

// readOlder reads OLDER: file name → the older commit it was read from.
func readOlder(src string) (map[string]string, error) {
	b, err := os.ReadFile(filepath.Join(src, "OLDER"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	older := map[string]string{}
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 || !commitRE.MatchString(f[1]) {
			return nil, fmt.Errorf("OLDER: want \"<file> <40 hex digits>\", have %q", line)
		}
		older[f[0]] = f[1]
	}
	return older, nil
}

func build(src string, blockSize int) ([]byte, stats, error) {
	var st stats
	commit, date, err := readCommit(src)
	if err != nil {
		return nil, st, err
	}
	st.commit = commit
	older, err := readOlder(src)
	if err != nil {
		return nil, st, err
	}
	dir := filepath.Join(src, "managedpolicies")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, st, err
	}
	if len(files) == 0 {
		return nil, st, fmt.Errorf("%s holds no .json files", dir)
	}
	slices.Sort(files)

	type entry struct{ key, version, doc, older string }
	var entries []entry
	seen := map[string]string{}
	usedOlder := map[string]bool{}
	for _, path := range files {
		file := filepath.Base(path)
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, st, err
		}
		var p rawPolicy
		if err := json.Unmarshal(b, &p); err != nil {
			return nil, st, fmt.Errorf("%s: %w", file, err)
		}
		if p.ARN == nil || *p.ARN == "" {
			st.noARN = append(st.noARN, file)
			continue
		}
		key, ok := strings.CutPrefix(*p.ARN, arnPrefix)
		if !ok || !keyRE.MatchString(key) {
			return nil, st, fmt.Errorf("%s: ARN %q is not an AWS managed policy ARN", file, *p.ARN)
		}
		if name := key[strings.LastIndexByte(key, '/')+1:]; name != p.Name || name+".json" != file {
			return nil, st, fmt.Errorf("%s: ARN %q does not end in the policy's name %q", file, *p.ARN, p.Name)
		}
		if !versionRE.MatchString(p.Version) {
			return nil, st, fmt.Errorf("%s: version %q", file, p.Version)
		}
		if prev, dup := seen[key]; dup {
			return nil, st, fmt.Errorf("%s and %s: both are %s", prev, file, *p.ARN)
		}
		seen[key] = file
		var doc bytes.Buffer
		// Compact leaves no whitespace outside strings, and a valid JSON
		// string holds no raw tab or newline, so a document is one field.
		if err := json.Compact(&doc, p.Document); err != nil || !bytes.HasPrefix(doc.Bytes(), []byte("{")) {
			return nil, st, fmt.Errorf("%s: document is not a JSON object", file)
		}
		e := entry{key: key, version: p.Version, doc: doc.String()}
		if c, ok := older[file]; ok {
			e.older = c
			usedOlder[file] = true
			st.older++
		}
		entries = append(entries, e)
	}
	for file := range older {
		if !usedOlder[file] {
			return nil, st, fmt.Errorf("OLDER names %s, which is not a policy of %s", file, dir)
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	st.policies = len(entries)

	// Cut the sorted documents into blocks of about blockSize bytes, each
	// compressed on its own.
	var blocks [][]byte
	var blockKeys [][]string
	var blk bytes.Buffer
	var keys []string
	flush := func() error {
		if len(keys) == 0 {
			return nil
		}
		z, err := compress(blk.Bytes())
		if err != nil {
			return err
		}
		blocks = append(blocks, z)
		blockKeys = append(blockKeys, keys)
		blk.Reset()
		keys = nil
		return nil
	}
	for _, e := range entries {
		fmt.Fprintf(&blk, "P\t%s\t%s\t%s\n", e.key, e.version, e.doc)
		keys = append(keys, e.key)
		if blk.Len() >= blockSize {
			if err := flush(); err != nil {
				return nil, st, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, st, err
	}
	st.blocks = len(blocks)

	var index bytes.Buffer
	fmt.Fprintf(&index, "%s\t%s\t%s\t%s\n", formatTag, datasetName, commit, date)
	for _, e := range entries {
		if e.older != "" {
			fmt.Fprintf(&index, "O\t%s\t%s\n", e.key, e.older)
		}
	}
	for i, z := range blocks {
		fmt.Fprintf(&index, "B\t%d\t%s\n", len(z), strings.Join(blockKeys[i], " "))
	}
	out, err := compress(index.Bytes())
	if err != nil {
		return nil, st, err
	}
	for _, z := range blocks {
		out = append(out, z...)
	}
	return out, st, nil
}

// blockSize is about how many bytes of documents one gzip member holds:
// small enough that the first lookup inflates little, large enough that
// compression loses little (deflate looks back only 32 KiB anyway).
const blockSize = 64 << 10

// compress gives one gzip member of b. No name or modification time is in
// its header, so the bytes depend only on b.
func compress(b []byte) ([]byte, error) {
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return gz.Bytes(), nil
}
