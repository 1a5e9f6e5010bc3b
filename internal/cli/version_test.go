package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// TestVersionFromBuildInfo: the module version of a go install ...@vX
// build, else the VCS revision with its dirty flag, else dev; -ldflags -X
// overrides both.
func TestVersionFromBuildInfo(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	for _, c := range []struct {
		name     string
		bi       *debug.BuildInfo
		ok       bool
		override string
		want     string
		modified bool
	}{
		{"go install @v1.2.3", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, true, "", "v1.2.3", false},
		{"checkout, clean", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("0123456789abcdef0123", "false")}, true, "", "dev-0123456789ab", false},
		{"checkout, dirty", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("0123456789abcdef0123", "true")}, true, "", "dev-0123456789ab-dirty", true},
		{"no build information", nil, false, "", "dev", false},
		{"-ldflags -X", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, true, "v2.0.0-rc.1", "v2.0.0-rc.1", false},
	} {
		saved := Version
		Version = c.override
		info := readBuildInfo(c.bi, c.ok)
		Version = saved
		if info.Version != c.want || info.Modified != c.modified {
			t.Errorf("%s: version %q modified %v, want %q %v", c.name, info.Version, info.Modified, c.want, c.modified)
		}
		if info.GoVersion == "" || info.IAMCatalog == "" {
			t.Errorf("%s: %+v", c.name, info)
		}
	}
}

// TestVersionCommand: text and JSON, with the IAM catalogue's date.
func TestVersionCommand(t *testing.T) {
	code, out, _ := run(t, "", "version", "--format", "json")
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	for _, k := range []string{"version", "revision", "modified", "go_version", "iam_catalog_date", "iam_catalog_source"} {
		if _, ok := v[k]; !ok {
			t.Errorf("version JSON lacks %q: %s", k, out)
		}
	}
	if d, _ := v["iam_catalog_date"].(string); len(d) != len("2006-01-02") {
		t.Errorf("iam_catalog_date %q", d)
	}
	code, out, _ = run(t, "", "--version")
	if code != ExitOK || !strings.HasPrefix(out, "eksguard "+version()+"\n") || !strings.Contains(out, "IAM catalogue: ") {
		t.Errorf("--version: exit %d\n%s", code, out)
	}
	if code, _, _ := run(t, "", "version", "-f", "xml"); code != ExitUsage {
		t.Errorf("version -f xml: exit %d", code)
	}
}

// TestScanVersionLeavesCatalogUnread: the version every report carries is
// read without decompressing the IAM catalogue (megabytes a Kubernetes
// scan never needs). The catalogue is read once per process, so the check
// runs in a fresh one, where nothing has read it yet.
func TestScanVersionLeavesCatalogUnread(t *testing.T) {
	if os.Getenv("EKSGUARD_TEST_VERSION_ALLOC") == "1" {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		v := version()
		runtime.ReadMemStats(&after)
		fmt.Printf("version %q allocated %d\n", v, after.TotalAlloc-before.TotalAlloc)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestScanVersionLeavesCatalogUnread$")
	cmd.Env = append(os.Environ(), "EKSGUARD_TEST_VERSION_ALLOC=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	_, rest, ok := strings.Cut(string(out), " allocated ")
	if !ok {
		t.Fatalf("no measurement in\n%s", out)
	}
	n, err := strconv.Atoi(strings.Fields(rest)[0])
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// The catalogue allocates megabytes; the version alone, a few hundred
	// bytes of build information.
	if n > 256<<10 {
		t.Errorf("version() allocated %d bytes: the IAM catalogue was read", n)
	}
}
