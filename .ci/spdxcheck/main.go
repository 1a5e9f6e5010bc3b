// Command spdxcheck validates SPDX 2.3 JSON documents with the SPDX
// project's Go library (github.com/spdx/tools-golang), independently of
// the generator in internal/spdx: each document must parse as SPDX 2.3,
// pass the library's document validation (every element a relationship
// names exists), describe one package, and survive a write by the library
// with every property and value it had, so that a property the SPDX model
// does not know (a misspelt name) fails. .ci/release runs it on the SBOMs
// of the snapshot release. It is a module of its own, so that eksguard
// does not depend on the library.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx/v2/v2_3"
	"github.com/spdx/tools-golang/spdxlib"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: spdxcheck FILE.spdx.json...")
		os.Exit(2)
	}
	failed := 0
	for _, path := range os.Args[1:] {
		if err := check(path); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
			failed++
			continue
		}
		fmt.Printf("%s: valid SPDX 2.3\n", path)
	}
	if failed > 0 {
		os.Exit(1)
	}
}

func check(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc v2_3.Document
	if err := spdxjson.ReadInto(bytes.NewReader(b), &doc); err != nil {
		return fmt.Errorf("does not parse as SPDX: %w", err)
	}
	if doc.SPDXVersion != v2_3.Version {
		return fmt.Errorf("spdxVersion %q, want %q", doc.SPDXVersion, v2_3.Version)
	}
	if doc.DataLicense != v2_3.DataLicense || doc.CreationInfo == nil || len(doc.CreationInfo.Creators) == 0 ||
		doc.CreationInfo.Created == "" || doc.DocumentNamespace == "" || doc.DocumentName == "" {
		return fmt.Errorf("document information incomplete: %+v", doc)
	}
	// ValidateDocument takes the library's current model, which is 2.3.
	if err := spdxlib.ValidateDocument(&doc); err != nil {
		return fmt.Errorf("invalid: %w", err)
	}
	described, err := spdxlib.GetDescribedPackageIDs(&doc)
	if err != nil || len(described) != 1 {
		return fmt.Errorf("described packages %v (%v), want one", described, err)
	}
	for _, p := range doc.Packages {
		if p.PackageName == "" || p.PackageDownloadLocation == "" {
			return fmt.Errorf("package %s: name or downloadLocation missing", p.PackageSPDXIdentifier)
		}
	}
	var out bytes.Buffer
	if err := spdxjson.Write(&doc, &out); err != nil {
		return fmt.Errorf("the library cannot write it back: %w", err)
	}
	var orig, again any
	if err := json.Unmarshal(b, &orig); err != nil {
		return err
	}
	if err := json.Unmarshal(out.Bytes(), &again); err != nil {
		return err
	}
	if diff := subset("", orig, again); diff != "" {
		return fmt.Errorf("not kept by the SPDX model: %s", diff)
	}
	return nil
}

// subset reports the first property or value of a that b lacks.
func subset(at string, a, b any) string {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok {
			return at + ": not an object"
		}
		for k, v := range a {
			bv, ok := bm[k]
			if !ok {
				// The library leaves out a false it reads as the default.
				if v == false {
					continue
				}
				return at + "." + k + ": dropped"
			}
			if d := subset(at+"."+k, v, bv); d != "" {
				return d
			}
		}
	case []any:
		bs, ok := b.([]any)
		if !ok || len(bs) != len(a) {
			return at + ": array changed"
		}
		for i := range a {
			if d := subset(fmt.Sprintf("%s[%d]", at, i), a[i], bs[i]); d != "" {
				return d
			}
		}
	default:
		if !reflect.DeepEqual(a, b) {
			return fmt.Sprintf("%s: %v became %v", at, a, b)
		}
	}
	return ""
}
