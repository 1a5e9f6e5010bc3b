// Command docsection replaces a generated section of a document with its
// standard input, for go:generate hooks:
//
//	eksguard iam methods --format markdown | docsection -name methods docs/iam-paths.md
//
// The section is the lines between "<!-- NAME:begin -->" and
// "<!-- NAME:end -->". Empty input is refused, so a generator that failed
// before writing does not blank the section.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/eksguard/eksguard/internal/docsection"
)

func main() {
	name := flag.String("name", "", "`name` of the section (required)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: docsection -name NAME FILE < body")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *name == "" || flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	file := flag.Arg(0)
	body, err := io.ReadAll(os.Stdin)
	if err == nil && len(bytes.TrimSpace(body)) == 0 {
		err = fmt.Errorf("empty input: the generator wrote nothing")
	}
	if err != nil {
		fail(err)
	}
	doc, err := os.ReadFile(file)
	if err != nil {
		fail(err)
	}
	out, err := docsection.Set(doc, *name, body)
	if err != nil {
		fail(fmt.Errorf("%s: %w", file, err))
	}
	if bytes.Equal(out, doc) {
		return
	}
	if err := os.WriteFile(file, out, 0o644); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "docsection:", err)
	os.Exit(1)
}
