package spdx

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"
)

// The SPDX 2.3 JSON schema's rules for what this package writes: the
// properties each object may have, the required ones, and the patterns and
// enumerations of the values.
var (
	docProps = []string{"SPDXID", "annotations", "comment", "creationInfo", "dataLicense", "documentDescribes",
		"documentNamespace", "externalDocumentRefs", "files", "hasExtractedLicensingInfos", "name", "packages",
		"relationships", "revieweds", "snippets", "spdxVersion"}
	docRequired = []string{"SPDXID", "creationInfo", "dataLicense", "name", "spdxVersion", "documentNamespace"}
	pkgProps    = []string{"SPDXID", "annotations", "attributionTexts", "builtDate", "checksums", "comment",
		"copyrightText", "description", "downloadLocation", "externalRefs", "filesAnalyzed", "hasFiles",
		"homepage", "licenseComments", "licenseConcluded", "licenseDeclared", "licenseInfoFromFiles", "name",
		"originator", "packageFileName", "packageVerificationCode", "primaryPackagePurpose", "releaseDate",
		"sourceInfo", "summary", "supplier", "validUntilDate", "versionInfo"}
	pkgRequired   = []string{"SPDXID", "downloadLocation", "name"}
	purposes      = []string{"OTHER", "INSTALL", "ARCHIVE", "FIRMWARE", "APPLICATION", "FRAMEWORK", "LIBRARY", "CONTAINER", "SOURCE", "DEVICE", "OPERATING_SYSTEM", "FILE"}
	refCategories = []string{"OTHER", "PERSISTENT-ID", "SECURITY", "PACKAGE-MANAGER", "PACKAGE_MANAGER", "PERSISTENT_ID"}
	algorithms    = []string{"SHA1", "BLAKE3", "SHA3-384", "SHA256", "SHA384", "BLAKE2b-512", "BLAKE2b-256", "SHA3-512", "MD2", "ADLER32", "MD4", "SHA3-256", "BLAKE2b-384", "SHA512", "MD6", "MD5", "SHA224"}
	relTypes      = []string{"DESCRIBES", "DESCRIBED_BY", "CONTAINS", "CONTAINED_BY", "DEPENDS_ON", "DEPENDENCY_OF", "STATIC_LINK", "OTHER"}
	spdxID        = regexp.MustCompile(`^SPDXRef-[A-Za-z0-9.-]+$`)
	created       = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
	creator       = regexp.MustCompile(`^(Tool|Organization|Person): \S`)
	sha256Hex     = regexp.MustCompile(`^[0-9a-f]{64}$`)
	purl          = regexp.MustCompile(`^pkg:golang/[A-Za-z0-9.\-_~%]+(/[A-Za-z0-9.\-_~%]+)*(@[A-Za-z0-9.\-_~%]+)?$`)
)

// validate fails t on the problems problems finds in b.
func validate(t *testing.T, b []byte) {
	t.Helper()
	for _, p := range problems(b) {
		t.Error(p)
	}
}

// problems checks b against the rules above and the document's own
// consistency (unique identifiers, relationships between elements that
// exist, one DESCRIBES from the document).
func problems(b []byte) []string {
	var out []string
	errorf := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	object := func(what string, m map[string]any, props, required []string) {
		for k := range m {
			if !slices.Contains(props, k) {
				errorf("%s: property %q is not in the SPDX 2.3 schema", what, k)
			}
		}
		for _, k := range required {
			if s, ok := m[k]; !ok || s == "" {
				errorf("%s: required property %q missing or empty", what, k)
			}
		}
	}
	str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }
	object("document", doc, docProps, docRequired)
	if str(doc, "spdxVersion") != "SPDX-2.3" || str(doc, "dataLicense") != "CC0-1.0" || str(doc, "SPDXID") != "SPDXRef-DOCUMENT" {
		errorf("document header: %v %v %v", doc["spdxVersion"], doc["dataLicense"], doc["SPDXID"])
	}
	if u, err := url.Parse(str(doc, "documentNamespace")); err != nil || !u.IsAbs() || strings.Contains(u.String(), "#") {
		errorf("documentNamespace %q: want an absolute URI without '#'", doc["documentNamespace"])
	}
	ci, _ := doc["creationInfo"].(map[string]any)
	object("creationInfo", ci, []string{"comment", "created", "creators", "licenseListVersion"}, []string{"created", "creators"})
	if !created.MatchString(str(ci, "created")) {
		errorf("created %q: want YYYY-MM-DDThh:mm:ssZ", ci["created"])
	}
	creators, _ := ci["creators"].([]any)
	if len(creators) == 0 {
		errorf("no creators")
	}
	for _, c := range creators {
		if s, _ := c.(string); !creator.MatchString(s) {
			errorf("creator %q", c)
		}
	}

	ids := map[string]bool{"SPDXRef-DOCUMENT": true}
	pkgs, _ := doc["packages"].([]any)
	for i, p := range pkgs {
		p, _ := p.(map[string]any)
		id := str(p, "SPDXID")
		what := "package " + id
		object(what, p, pkgProps, pkgRequired)
		if !spdxID.MatchString(id) || ids[id] {
			errorf("package %d: SPDXID %q not of the pattern, or not unique", i, id)
		}
		ids[id] = true
		if fa, ok := p["filesAnalyzed"].(bool); !ok || fa {
			errorf("%s: filesAnalyzed %v: want false (no files are listed)", what, p["filesAnalyzed"])
		}
		for _, k := range []string{"licenseConcluded", "licenseDeclared", "copyrightText", "downloadLocation"} {
			if str(p, k) == "" {
				errorf("%s: %s empty", what, k)
			}
		}
		if pp, ok := p["primaryPackagePurpose"]; ok && !slices.Contains(purposes, pp.(string)) {
			errorf("%s: primaryPackagePurpose %q", what, pp)
		}
		cs, _ := p["checksums"].([]any)
		for _, c := range cs {
			c, _ := c.(map[string]any)
			object(what+" checksum", c, []string{"algorithm", "checksumValue"}, []string{"algorithm", "checksumValue"})
			if !slices.Contains(algorithms, str(c, "algorithm")) || str(c, "algorithm") == "SHA256" && !sha256Hex.MatchString(str(c, "checksumValue")) {
				errorf("%s: checksum %v", what, c)
			}
		}
		refs, _ := p["externalRefs"].([]any)
		for _, r := range refs {
			r, _ := r.(map[string]any)
			object(what+" externalRef", r, []string{"comment", "referenceCategory", "referenceLocator", "referenceType"},
				[]string{"referenceCategory", "referenceLocator", "referenceType"})
			if !slices.Contains(refCategories, str(r, "referenceCategory")) {
				errorf("%s: referenceCategory %q", what, r["referenceCategory"])
			}
			if str(r, "referenceType") == "purl" && !purl.MatchString(str(r, "referenceLocator")) {
				errorf("%s: purl %q", what, r["referenceLocator"])
			}
		}
	}
	describes := 0
	rels, _ := doc["relationships"].([]any)
	for _, r := range rels {
		r, _ := r.(map[string]any)
		object("relationship", r, []string{"comment", "relatedSpdxElement", "relationshipType", "spdxElementId"},
			[]string{"relatedSpdxElement", "relationshipType", "spdxElementId"})
		if !slices.Contains(relTypes, str(r, "relationshipType")) {
			errorf("relationshipType %q", r["relationshipType"])
		}
		if !ids[str(r, "spdxElementId")] || !ids[str(r, "relatedSpdxElement")] {
			errorf("relationship %v: an element that is not in the document", r)
		}
		if str(r, "spdxElementId") == "SPDXRef-DOCUMENT" && str(r, "relationshipType") == "DESCRIBES" {
			describes++
		}
	}
	if describes != 1 {
		errorf("%d DESCRIBES relationships from the document, want 1", describes)
	}
	return out
}

func testBuildInfo() *debug.BuildInfo {
	return &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Path:      "github.com/eksguard/eksguard/cmd/eksguard",
		Main:      debug.Module{Path: "github.com/eksguard/eksguard", Version: "(devel)"},
		Deps: []*debug.Module{
			{Path: "github.com/spf13/pflag", Version: "v1.1.0", Sum: "h1:6W6MbVUrnMb8PEhjkqwsVLY7ryuzRfFHF4mQd7L94ag="},
			{Path: "github.com/BurntSushi/toml", Version: "v2.0.0+incompatible", Sum: "h1:x="},
			{Path: "example.com/old", Version: "v1.0.0", Replace: &debug.Module{Path: "example.com/fork", Version: "v1.0.1", Sum: "h1:y="}},
			{Path: "example.com/local", Version: "v0.0.0", Replace: &debug.Module{Path: "../local"}},
			// Two paths that map to one identifier.
			{Path: "example.com/a_b", Version: "v1.0.0"},
			{Path: "example.com/a~b", Version: "v1.0.0"},
		},
		Settings: []debug.BuildSetting{
			{Key: "-trimpath", Value: "true"}, {Key: "CGO_ENABLED", Value: "0"},
			{Key: "GOARCH", Value: "amd64"}, {Key: "GOOS", Value: "linux"},
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.modified", Value: "true"},
		},
	}
}

// TestDocument: the application, the standard library and every module,
// each related to the application, valid by the SPDX 2.3 rules.
func TestDocument(t *testing.T) {
	sum := strings.Repeat("ab", 32)
	doc := New(testBuildInfo(), sum, Options{Version: "v1.2.3", License: "Apache-2.0",
		Created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600)), FileName: "eksguard"})
	var buf bytes.Buffer
	if err := doc.Write(&buf); err != nil {
		t.Fatal(err)
	}
	validate(t, buf.Bytes())

	if doc.Name != "eksguard-v1.2.3-linux-amd64" || doc.CreationInfo.Created != "2026-01-02T02:04:05Z" {
		t.Errorf("name %q created %q", doc.Name, doc.CreationInfo.Created)
	}
	if want := "https://github.com/eksguard/eksguard/spdx/eksguard-v1.2.3-linux-amd64-" + sum; doc.DocumentNamespace != want {
		t.Errorf("namespace %q, want %q", doc.DocumentNamespace, want)
	}
	app := doc.Packages[0]
	if app.Name != "github.com/eksguard/eksguard" || app.VersionInfo != "v1.2.3" || app.LicenseDeclared != "Apache-2.0" ||
		app.PrimaryPackagePurpose != "APPLICATION" || app.Checksums[0].ChecksumValue != sum ||
		app.ExternalRefs[0].ReferenceLocator != "pkg:golang/github.com/eksguard/eksguard@v1.2.3" ||
		app.SourceInfo != "built from git revision 0123abcd of github.com/eksguard/eksguard, with uncommitted changes" ||
		!strings.Contains(app.Comment, "-trimpath=true") || !strings.Contains(app.Comment, "CGO_ENABLED=0") {
		t.Errorf("application: %+v", app)
	}
	byName := map[string]Package{}
	for _, p := range doc.Packages[1:] {
		byName[p.Name] = p
	}
	for name, want := range map[string]string{
		"stdlib":                     "pkg:golang/stdlib@1.26.8",
		"github.com/spf13/pflag":     "pkg:golang/github.com/spf13/pflag@v1.1.0",
		"github.com/BurntSushi/toml": "pkg:golang/github.com/BurntSushi/toml@v2.0.0%2Bincompatible",
		"example.com/fork":           "pkg:golang/example.com/fork@v1.0.1",
		"example.com/a~b":            "pkg:golang/example.com/a~b@v1.0.0",
	} {
		p, ok := byName[name]
		if !ok || len(p.ExternalRefs) != 1 || p.ExternalRefs[0].ReferenceLocator != want {
			t.Errorf("%s: %+v, want purl %s", name, p, want)
		}
	}
	if c := byName["example.com/fork"].Comment; c != "replaces example.com/old v1.0.0; go.sum hash h1:y=" {
		t.Errorf("replacement comment %q", c)
	}
	if p := byName["../local"]; p.VersionInfo != "" || p.ExternalRefs != nil {
		t.Errorf("local replacement: %+v", p)
	}
	if len(doc.Packages) != 8 || len(doc.Relationships) != 8 {
		t.Errorf("%d packages, %d relationships, want 8 and 8", len(doc.Packages), len(doc.Relationships))
	}
	if a, b := byName["example.com/a_b"].SPDXID, byName["example.com/a~b"].SPDXID; a == b {
		t.Errorf("identifiers not unique: %s", a)
	}
}

// TestDefaults: without options, the version is the build information's
// (NOASSERTION for a checkout build) and so is the licence.
func TestDefaults(t *testing.T) {
	doc := New(testBuildInfo(), strings.Repeat("0", 64), Options{})
	app := doc.Packages[0]
	if app.VersionInfo != NoAssertion || app.LicenseDeclared != NoAssertion || doc.CreationInfo.Created == "" {
		t.Errorf("%+v", app)
	}
	bi := testBuildInfo()
	bi.Main.Version = "v0.9.0"
	if v := New(bi, "", Options{}).Packages[0].VersionInfo; v != "v0.9.0" {
		t.Errorf("go install build: version %q", v)
	}
}

// TestFile reads a real binary, this test's own: its build information,
// platform and digest.
func TestFile(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	doc, err := File(exe, Options{Version: "v0.0.0-test", Created: time.Unix(0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := doc.Write(&buf); err != nil {
		t.Fatal(err)
	}
	validate(t, buf.Bytes())
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	app := doc.Packages[0]
	if app.Checksums[0].ChecksumValue != hex.EncodeToString(sum[:]) {
		t.Errorf("checksum %s", app.Checksums[0].ChecksumValue)
	}
	if app.Name != "github.com/eksguard/eksguard" || !strings.HasSuffix(doc.Name, "-"+runtime.GOOS+"-"+runtime.GOARCH) ||
		doc.Packages[1].VersionInfo != runtime.Version() || doc.CreationInfo.Created != "1970-01-01T00:00:00Z" {
		t.Errorf("%s: %+v %+v", doc.Name, app, doc.Packages[1])
	}
	if _, err := File("spdx.go", Options{}); err == nil || !strings.Contains(err.Error(), "no Go build information") {
		t.Errorf("a file that is not a Go binary: %v", err)
	}
}

// TestValidateCatches: the validator rejects what the schema forbids, so a
// pass above means something.
func TestValidateCatches(t *testing.T) {
	var buf bytes.Buffer
	_ = New(testBuildInfo(), strings.Repeat("0", 64), Options{}).Write(&buf)
	for _, c := range []struct{ from, to string }{
		{`"SPDXRef-DOCUMENT",`, `"SPDXRef-DOC UMENT",`},
		{`"downloadLocation"`, `"download_location"`},
		{`"DEPENDS_ON"`, `"USES"`},
		{`"PACKAGE-MANAGER"`, `"PACKAGE MANAGER"`},
		{`"created": "`, `"created": "x`},
		{`"filesAnalyzed": false`, `"filesAnalyzed": true`},
	} {
		bad := strings.Replace(buf.String(), c.from, c.to, 1)
		if bad == buf.String() {
			t.Fatalf("%s not in the document", c.from)
		}
		if len(problems([]byte(bad))) == 0 {
			t.Errorf("validate accepted %s → %s", c.from, c.to)
		}
	}
}
