// Package suppress reads the analysed exceptions a team records for
// findings — inline comments beside the code and entries in .eksguard.yaml —
// and decides which findings they cover. The DevSecOps settings page lets a high finding
// through only with a recorded analysis: every suppression must give a
// reason, may expire, and is reported when it expires or covers nothing.
package suppress

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/eksguard/eksguard/internal/diag"
	"github.com/eksguard/eksguard/internal/glob"
	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/yamlpos"
)

// Suppression is one recorded exception.
type Suppression struct {
	// Rules are rule ids or globs (IAM-*).
	Rules []string `json:"rules"`
	// Resource and Path are globs on the finding's resource address and
	// file; empty matches any. Inline suppressions cover the finding whose
	// line or resource they sit on instead.
	Resource string `json:"resource,omitempty"`
	Path     string `json:"path,omitempty"`
	Reason   string `json:"reason"`
	Owner    string `json:"owner,omitempty"`
	// Expires is YYYY-MM-DD, empty for none.
	Expires string `json:"expires,omitempty"`
	// File and Line say where the suppression is written.
	File string `json:"file"`
	Line int    `json:"line"`
	// Inline is set for comments in the code.
	Inline bool `json:"inline"`
	// Status is used, unused or expired, set once findings are matched.
	Status string `json:"status"`

	expires time.Time
	used    int
}

// Set is every suppression of a scan.
type Set struct {
	config []*Suppression
	// inline holds the suppressions of each file by the line they cover.
	inline map[string]map[int][]*Suppression
	read   map[string]bool
	all    []*Suppression
	Diags  diag.List
}

// New returns an empty set.
func New() *Set {
	return &Set{inline: map[string]map[int][]*Suppression{}, read: map[string]bool{}}
}

const marker = "eksguard:ignore"

// mentions tells whether the file holds s, reading it in blocks.
func mentions(file, s string) bool {
	f, err := os.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	keep := 0 // the end of the last block, which s may start in
	for {
		n, err := io.ReadFull(f, buf[keep:])
		block := buf[:keep+n]
		if bytes.Contains(block, []byte(s)) {
			return true
		}
		if err != nil {
			return false
		}
		keep = min(len(s)-1, len(block))
		copy(buf, block[len(block)-keep:])
	}
}

var commentRE = regexp.MustCompile(`(#|//)\s*eksguard:ignore\s+([^\s]+)(.*)$`)
var argRE = regexp.MustCompile(`(\w+)=("([^"]*)"|[^\s]+)`)

// LoadConfig reads the suppressions of a .eksguard.yaml file.
func (s *Set) LoadConfig(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		s.Diags = append(s.Diags, diag.Diagnostic{Severity: diag.Error, File: path, Summary: "cannot read config", Detail: err.Error()})
		return
	}
	docs, ds := yamlpos.Decode(data, path, yamlpos.Options{})
	s.Diags = append(s.Diags, ds...)
	if len(docs) == 0 {
		return
	}
	list := docs[0].Value.Get("suppressions")
	if list == nil {
		return
	}
	for _, e := range list.Items() {
		sup := &Suppression{File: path, Line: int(e.Range.Line)}
		str := func(k string) string {
			if v := e.Get(k); v != nil && (v.Kind == graph.String || v.Kind == graph.Number) {
				return strings.Trim(v.String(), `"`)
			}
			return ""
		}
		for _, r := range strings.Split(str("rule"), ",") {
			if r = strings.TrimSpace(r); r != "" {
				sup.Rules = append(sup.Rules, r)
			}
		}
		sup.Resource, sup.Path, sup.Reason, sup.Owner, sup.Expires = str("resource"), str("path"), str("reason"), str("owner"), str("expires")
		s.add(sup)
	}
}

// add validates a suppression and keeps it when valid.
func (s *Set) add(sup *Suppression) bool {
	bad := func(msg string) bool {
		s.Diags = append(s.Diags, diag.Diagnostic{Severity: diag.Error, File: sup.File, Line: sup.Line,
			Summary: "suppression rejected", Detail: msg})
		return false
	}
	if len(sup.Rules) == 0 {
		return bad("it names no rule")
	}
	if strings.TrimSpace(sup.Reason) == "" {
		return bad(`it gives no reason: write why the finding is accepted, e.g. reason="public website, reviewed by security 2026-11"`)
	}
	if sup.Expires != "" {
		t, err := time.Parse("2006-01-02", sup.Expires)
		if err != nil {
			return bad(fmt.Sprintf("expires=%q is not a date (YYYY-MM-DD)", sup.Expires))
		}
		sup.expires = t
	}
	if !sup.Inline {
		s.config = append(s.config, sup)
	}
	s.all = append(s.all, sup)
	return true
}

// readInline reads the eksguard:ignore comments of a source file once. A
// comment alone on its line covers the next line; one after code covers
// its own line.
// Inline is the inline suppressions of file by the line they cover, none
// for "" or a file without any. A caller that must read a finding's
// resource to give Match its lines asks this first: nearly no file has
// any, and a large plan's findings would each read attributes long out of
// the cache for nothing.
func (s *Set) Inline(file string) map[int][]*Suppression {
	if file == "" {
		return nil
	}
	s.readInline(file)
	return s.inline[file]
}

func (s *Set) readInline(file string) {
	if s.read[file] {
		return
	}
	s.read[file] = true
	// Nearly no file has a suppression comment: look for one without
	// holding the file (a plan can be hundreds of megabytes), and read it
	// whole only when there is one.
	if !mentions(file, marker) {
		return
	}
	data, err := os.ReadFile(file)
	if err != nil || !bytes.Contains(data, []byte(marker)) {
		return
	}
	byLine := map[int][]*Suppression{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		m := commentRE.FindStringSubmatchIndex(text)
		if m == nil {
			continue
		}
		sup := &Suppression{File: file, Line: n, Inline: true}
		for _, r := range strings.Split(text[m[4]:m[5]], ",") {
			if r = strings.TrimSpace(r); r != "" {
				sup.Rules = append(sup.Rules, r)
			}
		}
		for _, a := range argRE.FindAllStringSubmatch(text[m[6]:m[7]], -1) {
			val := a[2]
			if a[3] != "" || strings.HasPrefix(val, `"`) {
				val = a[3]
			}
			switch a[1] {
			case "reason":
				sup.Reason = val
			case "expires":
				sup.Expires = val
			case "owner":
				sup.Owner = val
			}
		}
		if !s.add(sup) {
			continue
		}
		covers := n
		if strings.TrimSpace(text[:m[0]]) == "" {
			covers = n + 1
		}
		byLine[covers] = append(byLine[covers], sup)
	}
	s.inline[file] = byLine
}

// Finding is what matching needs to know of a finding.
type Finding struct {
	RuleID, Resource, File string
	// Line is the finding's line; ResourceLine the line its resource
	// starts at (a suppression above the resource covers all its findings);
	// AttrLines the lines of the attributes enclosing the finding (one above
	// policy = jsonencode({...}) covers a statement inside it).
	Line, ResourceLine int
	AttrLines          []int
}

// Match returns the suppression covering f at date asOf, and an expired one
// that would have covered it (reported, not applied).
func (s *Set) Match(f Finding, asOf time.Time) (active, expired *Suppression) {
	var cands []*Suppression
	if byLine := s.Inline(f.File); len(byLine) > 0 {
		seen := map[int]bool{}
		for _, l := range append([]int{f.Line, f.ResourceLine}, f.AttrLines...) {
			if l > 0 && !seen[l] {
				seen[l] = true
				cands = append(cands, byLine[l]...)
			}
		}
	}
	for _, c := range s.config {
		if (c.Resource == "" || glob.Match(c.Resource, f.Resource, false)) && (c.Path == "" || globPath(c.Path, f.File)) {
			cands = append(cands, c)
		}
	}
	for _, c := range cands {
		if !c.covers(f.RuleID) {
			continue
		}
		if !c.expires.IsZero() && !asOf.Before(c.expires.AddDate(0, 0, 1)) {
			if expired == nil {
				expired = c
			}
			continue
		}
		c.used++
		return c, nil
	}
	return nil, expired
}

// globPath matches a path glob against a finding's file: * spans
// directories, and a glob without a directory matches the file's base name
// too.
func globPath(pattern, file string) bool {
	if glob.Match(pattern, file, false) {
		return true
	}
	if !strings.Contains(pattern, "/") {
		if i := strings.LastIndexByte(file, '/'); i >= 0 {
			return glob.Match(pattern, file[i+1:], false)
		}
	}
	return strings.HasSuffix(file, "/"+pattern)
}

func (c *Suppression) covers(ruleID string) bool {
	for _, r := range c.Rules {
		if glob.Match(r, ruleID, true) {
			return true
		}
	}
	return false
}

// Statuses returns every valid suppression with its status: used, expired
// (its date has passed) or unused (it covered no finding).
func (s *Set) Statuses(asOf time.Time) []Suppression {
	var out []Suppression
	for _, c := range s.all {
		st := *c
		switch {
		case c.used > 0:
			st.Status = "used"
		case !c.expires.IsZero() && !asOf.Before(c.expires.AddDate(0, 0, 1)):
			st.Status = "expired"
		default:
			st.Status = "unused"
		}
		out = append(out, st)
	}
	return out
}

// ReadInlineFiles reads the inline suppressions of files that produced no
// finding, so suppressions there are listed as unused too.
func (s *Set) ReadInlineFiles(files []string) {
	for _, f := range files {
		s.readInline(f)
	}
}
