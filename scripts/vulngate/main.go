// Command vulngate reads govulncheck's JSON output (-format json) on
// standard input and decides whether CI passes: it fails on every
// vulnerability the code calls, except those named in the accept file,
// and says so for each one, accepted or not.
//
// govulncheck's own exit code cannot make that decision: it fails on every
// called vulnerability, including those of the standard library that only
// a newer Go release fixes, which CI cannot take when its machine has an
// older one. Those must then be accepted one by one, with a reason, so a
// new one still fails.
//
// Usage: govulncheck -format json ./... | vulngate ACCEPT-FILE
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: govulncheck -format json ./... | vulngate ACCEPT-FILE")
		os.Exit(2)
	}
	accepted, err := readAccepted(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulngate:", err)
		os.Exit(2)
	}
	res, err := read(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulngate:", err)
		os.Exit(2)
	}
	if !judge(os.Stdout, res, accepted) {
		os.Exit(1)
	}
}

// config is govulncheck's description of the scan.
type config struct {
	DB             string `json:"db"`
	DBLastModified string `json:"db_last_modified"`
	GoVersion      string `json:"go_version"`
	ScannerVersion string `json:"scanner_version"`
	ScanLevel      string `json:"scan_level"`
}

type position struct {
	Filename string `json:"filename"`
	Line     int    `json:"line"`
}

// frame is one step of a finding's trace: the first is the vulnerable
// symbol (or only its package or module, when the code does not call it),
// the last the code's own call.
type frame struct {
	Module   string    `json:"module"`
	Version  string    `json:"version"`
	Package  string    `json:"package"`
	Function string    `json:"function"`
	Receiver string    `json:"receiver"`
	Position *position `json:"position"`
}

type finding struct {
	OSV          string  `json:"osv"`
	FixedVersion string  `json:"fixed_version"`
	Trace        []frame `json:"trace"`
}

type osvEntry struct {
	ID      string `json:"id"`
	Summary string `json:"summary"`
}

// message is one value of govulncheck's JSON stream; each holds one field.
type message struct {
	Config  *config   `json:"config"`
	OSV     *osvEntry `json:"osv"`
	Finding *finding  `json:"finding"`
}

// result is what one govulncheck run found.
type result struct {
	config   *config
	summary  map[string]string
	findings map[string][]*finding
}

func read(r io.Reader) (*result, error) {
	res := &result{summary: map[string]string{}, findings: map[string][]*finding{}}
	dec := json.NewDecoder(bufio.NewReader(r))
	for {
		var m message
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading govulncheck's JSON: %w", err)
		}
		switch {
		case m.Config != nil:
			res.config = m.Config
		case m.OSV != nil:
			res.summary[m.OSV.ID] = m.OSV.Summary
		case m.Finding != nil && len(m.Finding.Trace) > 0:
			res.findings[m.Finding.OSV] = append(res.findings[m.Finding.OSV], m.Finding)
		}
	}
	if res.config == nil {
		// Without it the stream is not a govulncheck result (it failed
		// before scanning): an empty input must not read as a pass.
		return nil, errors.New("no scan configuration in the input: govulncheck did not run")
	}
	return res, nil
}

// readAccepted reads the accept file: one "ID reason" a line, # comments.
// Every entry needs a reason.
func readAccepted(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		if strings.TrimSpace(reason) == "" {
			return nil, fmt.Errorf("%s:%d: %s has no reason", path, i+1, id)
		}
		out[id] = strings.TrimSpace(reason)
	}
	return out, nil
}

// called tells whether a finding reaches a vulnerable function (not only
// its package or module).
func (f *finding) called() bool { return f.Trace[0].Function != "" }

// judge prints the verdict on each vulnerability and tells whether CI
// passes.
func judge(w io.Writer, res *result, accepted map[string]string) bool {
	c := res.config
	fmt.Fprintf(w, "govulncheck %s, %s scan, %s, database %s (last modified %s)\n",
		c.ScannerVersion, c.ScanLevel, c.GoVersion, c.DB, c.DBLastModified)
	ids := make([]string, 0, len(res.findings))
	for id := range res.findings {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var failed, acceptedN int
	var notCalled []string
	for _, id := range ids {
		var call *finding
		for _, f := range res.findings[id] {
			if f.called() {
				call = f
				break
			}
		}
		if call == nil {
			notCalled = append(notCalled, id)
			continue
		}
		top := call.Trace[0]
		word := "FAIL"
		if reason, ok := accepted[id]; ok {
			word = "ACCEPTED (" + reason + ")"
			acceptedN++
		} else {
			failed++
		}
		fmt.Fprintf(w, "%s %s: %s\n", word, id, res.summary[id])
		fixed := call.FixedVersion
		if fixed == "" {
			fixed = "no fixed version"
		}
		fmt.Fprintf(w, "    %s@%s, fixed in %s; called at %s\n", top.Module, top.Version, fixed, callSite(call))
	}
	if len(notCalled) > 0 {
		fmt.Fprintf(w, "imported or required but not called (not failing): %s\n", strings.Join(notCalled, ", "))
	}
	var stale []string
	for id := range accepted {
		if _, ok := res.findings[id]; !ok {
			stale = append(stale, id)
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		fmt.Fprintf(w, "accepted but no longer found (remove them from the accept file): %s\n", strings.Join(stale, ", "))
	}
	fmt.Fprintf(w, "govulncheck: %d called vulnerabilities not accepted, %d accepted and still present\n", failed, acceptedN)
	return failed == 0
}

// callSite renders the code's own call of a finding's trace and the symbol
// it reaches.
func callSite(f *finding) string {
	top, last := f.Trace[0], f.Trace[len(f.Trace)-1]
	sym := top.Package + "." + top.Function
	if top.Receiver != "" {
		sym = top.Package + "." + top.Receiver + "." + top.Function
	}
	at := last.Package + "." + last.Function
	if last.Position != nil {
		at = fmt.Sprintf("%s:%d (%s)", last.Position.Filename, last.Position.Line, at)
	}
	return at + ", reaching " + sym
}
