// Package baseline records the findings a repository has today, so a team
// adopting eksguard on existing code can gate only what is new. Findings are
// known by their fingerprint, which survives line moves and unrelated edits.
package baseline

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/eksguard/eksguard/internal/finding"
)

// SchemaVersion of the baseline file.
const SchemaVersion = "1.0"

// Entry is one baselined finding.
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	RuleID      string `json:"rule_id"`
	Resource    string `json:"resource"`
	File        string `json:"file,omitempty"`
}

// File is the baseline document.
type File struct {
	SchemaVersion string  `json:"schema_version"`
	Created       string  `json:"created"`
	Findings      []Entry `json:"findings"`
}

// Create builds a baseline from findings, sorted for stable diffs.
func Create(findings []finding.Finding, date string) File {
	b := File{SchemaVersion: SchemaVersion, Created: date}
	seen := map[string]bool{}
	for _, f := range findings {
		if seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		b.Findings = append(b.Findings, Entry{Fingerprint: f.Fingerprint, RuleID: f.RuleID, Resource: f.Resource, File: f.File})
	}
	sort.Slice(b.Findings, func(i, j int) bool { return b.Findings[i].Fingerprint < b.Findings[j].Fingerprint })
	return b
}

// Write saves a baseline as indented JSON.
func (b File) Write(path string) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// Load reads a baseline file.
func Load(path string) (File, error) {
	var b File
	data, err := os.ReadFile(path)
	if err != nil {
		return b, err
	}
	if err := json.Unmarshal(data, &b); err != nil {
		return b, fmt.Errorf("%s: not a baseline file: %v", path, err)
	}
	if b.SchemaVersion == "" {
		return b, fmt.Errorf("%s: not a baseline file (no schema_version)", path)
	}
	return b, nil
}

// Index is a loaded baseline for matching.
type Index struct {
	entries map[string]Entry
	seen    map[string]bool
}

// NewIndex indexes a baseline by fingerprint.
func NewIndex(b File) *Index {
	ix := &Index{entries: map[string]Entry{}, seen: map[string]bool{}}
	for _, e := range b.Findings {
		ix.entries[e.Fingerprint] = e
	}
	return ix
}

// Contains reports whether a finding is in the baseline, and notes it seen.
func (ix *Index) Contains(f finding.Finding) bool {
	if _, ok := ix.entries[f.Fingerprint]; ok {
		ix.seen[f.Fingerprint] = true
		return true
	}
	return false
}

// Fixed returns the baselined findings no longer found.
func (ix *Index) Fixed() []Entry {
	var out []Entry
	for fp, e := range ix.entries {
		if !ix.seen[fp] {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Fingerprint < out[j].Fingerprint })
	return out
}
