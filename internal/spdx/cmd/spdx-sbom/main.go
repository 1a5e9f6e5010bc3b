// Command spdx-sbom writes the SPDX 2.3 JSON bill of materials of a Go
// binary, from the build information in the binary (see package
// internal/spdx). The release configuration runs it for each binary:
//
//	spdx-sbom -version v1.2.3 -revision <commit> -created 2026-01-02T03:04:05Z \
//	  -license Apache-2.0 -o eksguard.spdx.json dist/eksguard_linux_amd64_v1/eksguard
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/eksguard/eksguard/internal/spdx"
)

func main() {
	var o spdx.Options
	var created, out string
	flag.StringVar(&o.Version, "version", "", "`version` of the application (default: the main module's version in the build information)")
	flag.StringVar(&o.Revision, "revision", "", "`commit` the binary was built from")
	flag.StringVar(&o.License, "license", "", "declared licence of the application, an SPDX licence `expression` (default NOASSERTION)")
	flag.StringVar(&created, "created", "", "creation `time` (RFC 3339; default: $SOURCE_DATE_EPOCH, else now)")
	flag.StringVar(&o.FileName, "file-name", "", "`name` of the binary as shipped (default: the base name of BINARY)")
	flag.StringVar(&out, "o", "", "output `file` (default: standard output)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: spdx-sbom [flags] BINARY")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	var err error
	if o.Created, err = createdTime(created, os.Getenv("SOURCE_DATE_EPOCH")); err != nil {
		fail(err)
	}
	doc, err := spdx.File(flag.Arg(0), o)
	if err != nil {
		fail(err)
	}
	w := os.Stdout
	if out != "" {
		if w, err = os.Create(out); err != nil {
			fail(err)
		}
	}
	if err := doc.Write(w); err != nil {
		fail(err)
	}
	if err := w.Close(); err != nil {
		fail(err)
	}
}

func createdTime(flagValue, epoch string) (time.Time, error) {
	switch {
	case flagValue != "":
		t, err := time.Parse(time.RFC3339, flagValue)
		if err != nil {
			return t, fmt.Errorf("-created: %w", err)
		}
		return t, nil
	case epoch != "":
		var sec int64
		if _, err := fmt.Sscanf(epoch, "%d", &sec); err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: not a number of seconds", epoch)
		}
		return time.Unix(sec, 0), nil
	}
	return time.Time{}, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "spdx-sbom:", err)
	os.Exit(1)
}
