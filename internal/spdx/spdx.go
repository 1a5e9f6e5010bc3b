// Package spdx writes an SPDX 2.3 JSON software bill of materials for a Go
// binary from the build information the Go linker records in it (what
// `go version -m` prints): the main module, every module linked in (with
// its go.sum hash, and the replacement where a replace directive applied),
// the Go standard library at the toolchain's version, and the build
// settings (GOOS, GOARCH, CGO_ENABLED, -trimpath, -ldflags).
//
// It reads any Go binary, whatever the platform it was built for, so one
// host can write the bills of a release's binaries for every platform.
// The release configuration (.goreleaser.yaml) runs it through
// internal/spdx/cmd/spdx-sbom for each binary.
package spdx

import (
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"
)

// Version is the SPDX specification version of the documents written.
const Version = "SPDX-2.3"

// NoAssertion is SPDX's value for "not stated".
const NoAssertion = "NOASSERTION"

// Creator names this generator in creationInfo.creators.
const Creator = "Tool: eksguard-spdx-sbom"

// Document is an SPDX 2.3 document, as its JSON schema names the fields.
type Document struct {
	SPDXVersion       string         `json:"spdxVersion"`
	DataLicense       string         `json:"dataLicense"`
	SPDXID            string         `json:"SPDXID"`
	Name              string         `json:"name"`
	DocumentNamespace string         `json:"documentNamespace"`
	CreationInfo      CreationInfo   `json:"creationInfo"`
	Packages          []Package      `json:"packages"`
	Relationships     []Relationship `json:"relationships"`
}

// CreationInfo tells who wrote the document and when.
type CreationInfo struct {
	Created  string   `json:"created"`
	Creators []string `json:"creators"`
}

// Package is one SPDX package: the application or a module linked into it.
type Package struct {
	Name                  string        `json:"name"`
	SPDXID                string        `json:"SPDXID"`
	VersionInfo           string        `json:"versionInfo,omitempty"`
	PackageFileName       string        `json:"packageFileName,omitempty"`
	Supplier              string        `json:"supplier,omitempty"`
	DownloadLocation      string        `json:"downloadLocation"`
	FilesAnalyzed         bool          `json:"filesAnalyzed"`
	Checksums             []Checksum    `json:"checksums,omitempty"`
	SourceInfo            string        `json:"sourceInfo,omitempty"`
	LicenseConcluded      string        `json:"licenseConcluded"`
	LicenseDeclared       string        `json:"licenseDeclared"`
	CopyrightText         string        `json:"copyrightText"`
	Comment               string        `json:"comment,omitempty"`
	ExternalRefs          []ExternalRef `json:"externalRefs,omitempty"`
	PrimaryPackagePurpose string        `json:"primaryPackagePurpose,omitempty"`
}

// Checksum of a package's file.
type Checksum struct {
	Algorithm     string `json:"algorithm"`
	ChecksumValue string `json:"checksumValue"`
}

// ExternalRef is a package URL (purl) here.
type ExternalRef struct {
	ReferenceCategory string `json:"referenceCategory"`
	ReferenceType     string `json:"referenceType"`
	ReferenceLocator  string `json:"referenceLocator"`
}

// Relationship between two elements of the document.
type Relationship struct {
	SPDXElementID      string `json:"spdxElementId"`
	RelationshipType   string `json:"relationshipType"`
	RelatedSPDXElement string `json:"relatedSpdxElement"`
}

// Options are what the build information does not tell.
type Options struct {
	// Version of the application; default: the main module's version
	// in the build information (a go install ...@vX build), else
	// NOASSERTION.
	Version string
	// Revision is the commit the binary was built from, named in the
	// application's sourceInfo when set.
	Revision string
	// License is the application's declared licence (an SPDX licence
	// expression); default NOASSERTION.
	License string
	// Created is the creation time; default: now. A release passes the
	// commit's time, so that a rebuild writes the same document.
	Created time.Time
	// FileName is the binary's file name (packageFileName); default: the
	// base of the path read.
	FileName string
}

// File reads the build information of the Go binary at path and returns
// its bill of materials.
func File(path string, o Options) (*Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	bi, err := buildinfo.Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: no Go build information: %w", path, err)
	}
	if o.FileName == "" {
		o.FileName = filepath.Base(path)
	}
	return New(bi, hex.EncodeToString(h.Sum(nil)), o), nil
}

// New returns the bill of materials of a binary with build information bi
// and SHA-256 digest sum (hex).
func New(bi *debug.BuildInfo, sum string, o Options) *Document {
	ids := map[string]bool{"SPDXRef-DOCUMENT": true}
	id := func(name, version string) string {
		base := "SPDXRef-Package-" + idChars(name)
		if version != "" {
			base += "-" + idChars(version)
		}
		s := base
		for n := 2; ids[s]; n++ {
			s = fmt.Sprintf("%s-%d", base, n)
		}
		ids[s] = true
		return s
	}

	version := o.Version
	if version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		version = bi.Main.Version
	}
	mainPath := bi.Main.Path
	if mainPath == "" {
		mainPath = bi.Path
	}
	settings := map[string]string{}
	var lines []string
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
		lines = append(lines, s.Key+"="+s.Value)
	}
	license := o.License
	if license == "" {
		license = NoAssertion
	}
	app := Package{
		Name:             mainPath,
		SPDXID:           id(mainPath, ""),
		VersionInfo:      version,
		PackageFileName:  o.FileName,
		DownloadLocation: NoAssertion,
		Checksums:        []Checksum{{Algorithm: "SHA256", ChecksumValue: sum}},
		LicenseConcluded: NoAssertion,
		LicenseDeclared:  license,
		CopyrightText:    NoAssertion,
		Comment: fmt.Sprintf("Go binary of package %s, built with %s for %s/%s. Build settings:\n%s",
			bi.Path, bi.GoVersion, settings["GOOS"], settings["GOARCH"], strings.Join(lines, "\n")),
		ExternalRefs:          purlRef(mainPath, version),
		PrimaryPackagePurpose: "APPLICATION",
	}
	if version == "" {
		app.VersionInfo = NoAssertion
	}
	if o.Revision != "" {
		app.SourceInfo = "built from revision " + o.Revision + " of " + mainPath
	} else if rev := settings["vcs.revision"]; rev != "" {
		app.SourceInfo = "built from " + settings["vcs"] + " revision " + rev + " of " + mainPath
		if settings["vcs.modified"] == "true" {
			app.SourceInfo += ", with uncommitted changes"
		}
	}

	created := o.Created
	if created.IsZero() {
		created = time.Now()
	}
	name := app.Name
	if o.FileName != "" {
		name = strings.TrimSuffix(o.FileName, ".exe")
	}
	if version != "" {
		name += "-" + version
	}
	if goos, goarch := settings["GOOS"], settings["GOARCH"]; goos != "" && goarch != "" {
		name += "-" + goos + "-" + goarch
	}
	doc := &Document{
		SPDXVersion: Version,
		DataLicense: "CC0-1.0",
		SPDXID:      "SPDXRef-DOCUMENT",
		Name:        name,
		// Unique for each binary (the digest), the same for a rebuild of it.
		DocumentNamespace: "https://" + mainPath + "/spdx/" + url.PathEscape(name) + "-" + sum,
		CreationInfo: CreationInfo{
			Created:  created.UTC().Format(time.RFC3339),
			Creators: []string{Creator},
		},
		Packages:      []Package{app},
		Relationships: []Relationship{{"SPDXRef-DOCUMENT", "DESCRIBES", app.SPDXID}},
	}

	if gv := bi.GoVersion; gv != "" {
		std := Package{
			Name:                  "stdlib",
			SPDXID:                id("stdlib", gv),
			VersionInfo:           gv,
			DownloadLocation:      NoAssertion,
			LicenseConcluded:      NoAssertion,
			LicenseDeclared:       NoAssertion,
			CopyrightText:         NoAssertion,
			Comment:               "The Go standard library and runtime of the toolchain that built the binary.",
			ExternalRefs:          purlRef("stdlib", strings.TrimPrefix(gv, "go")),
			PrimaryPackagePurpose: "LIBRARY",
		}
		doc.Packages = append(doc.Packages, std)
		doc.Relationships = append(doc.Relationships, Relationship{app.SPDXID, "DEPENDS_ON", std.SPDXID})
	}
	for _, m := range bi.Deps {
		path, ver, sum := m.Path, m.Version, m.Sum
		var comment string
		if r := m.Replace; r != nil {
			comment = "replaces " + m.Path + " " + m.Version
			path, ver, sum = r.Path, r.Version, r.Sum
		}
		if sum != "" {
			if comment != "" {
				comment += "; "
			}
			comment += "go.sum hash " + sum
		}
		p := Package{
			Name:                  path,
			SPDXID:                id(path, ver),
			VersionInfo:           ver,
			DownloadLocation:      NoAssertion,
			LicenseConcluded:      NoAssertion,
			LicenseDeclared:       NoAssertion,
			CopyrightText:         NoAssertion,
			Comment:               comment,
			PrimaryPackagePurpose: "LIBRARY",
		}
		if ver != "" {
			// A replacement by a local directory has no version and no
			// package URL.
			p.ExternalRefs = purlRef(path, ver)
		}
		doc.Packages = append(doc.Packages, p)
		doc.Relationships = append(doc.Relationships, Relationship{app.SPDXID, "DEPENDS_ON", p.SPDXID})
	}
	return doc
}

// Write writes doc as indented JSON.
func (doc *Document) Write(w io.Writer) error {
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// PURL is the package URL of a Go module at a version: pkg:golang/ with
// the module path as namespace and name, each segment percent-encoded.
func PURL(path, version string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = purlEscape(s)
	}
	s := "pkg:golang/" + strings.Join(segs, "/")
	if version != "" {
		s += "@" + purlEscape(version)
	}
	return s
}

func purlRef(path, version string) []ExternalRef {
	return []ExternalRef{{ReferenceCategory: "PACKAGE-MANAGER", ReferenceType: "purl", ReferenceLocator: PURL(path, version)}}
}

// purlEscape percent-encodes all but the characters a purl segment may
// carry as they are.
func purlEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(".-_~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// idChars maps s to the characters an SPDX identifier may hold
// (letters, digits, '.' and '-').
func idChars(s string) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '-'
	}, s)
}
