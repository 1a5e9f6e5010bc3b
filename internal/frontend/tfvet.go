package frontend

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/eksguard/eksguard/internal/diag"
)

// tfDirCheck is what vetting a Terraform directory found. The Terraform
// reader (tfhcl) lists and reads a module's .tf files itself, so what the
// other inputs get from readRegular and textOf is checked here, before the
// directory is handed over.
type tfDirCheck struct {
	// files counts the .tf and .tf.json files that are text.
	files int
	// blocked: a file the reader would block on (a FIFO), read without
	// end (a device) or reach outside the scanned paths through a link;
	// the directory is not evaluated at all.
	blocked bool
	// skip lists the files already reported (binary, UTF-16): the parse
	// errors the reader gives for them would only bury that one line.
	skip map[string]bool
}

func (res *Result) vetTerraformDir(dir string) *tfDirCheck {
	dir = filepath.Clean(dir)
	if c := res.tfVet[dir]; c != nil {
		return c
	}
	c := &tfDirCheck{skip: map[string]bool{}}
	res.tfVet[dir] = c
	entries, err := os.ReadDir(dir)
	if err != nil {
		// The reader reports a module directory it cannot list.
		return c
	}
	notEvaluated := "; the Terraform directory " + filepath.ToSlash(dir) + " (and any module calling it) was not evaluated"
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !isTerraformFile(n) {
			continue
		}
		p := filepath.Join(dir, n)
		name := filepath.ToSlash(p)
		if e.Type()&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(p)
			if err == nil {
				target, err = filepath.Abs(target)
			}
			if err != nil {
				// The reader reports the broken link as unreadable.
				continue
			}
			if !res.roots.follow && !res.roots.inside(target) {
				res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: name,
					Summary: "symbolic link to " + filepath.ToSlash(target) + " outside the scanned paths, not followed",
					Detail:  "give --follow-outside to follow it" + notEvaluated})
				c.blocked = true
				continue
			}
		}
		fi, err := os.Stat(p)
		if err != nil || fi.IsDir() {
			continue
		}
		if !fi.Mode().IsRegular() {
			res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: name, Summary: "not a regular file",
				Detail: modeName(fi.Mode()) + notEvaluated})
			c.blocked = true
			continue
		}
		data, ok := res.readRegular(p, name, true)
		if !ok {
			c.skip[name] = true
			continue
		}
		text, err := decodeText(data)
		why := ""
		if err != nil {
			why = err.Error()
		} else {
			why = binaryReason(text)
		}
		switch {
		case why != "":
			res.Diags = append(res.Diags, binaryDiag(name, diag.Error, why))
			c.skip[name] = true
		case bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE):
			res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: name, Summary: "UTF-16 encoded Terraform file not read",
				Detail: "eksguard's Terraform reader does not decode UTF-16 yet; save the file as UTF-8"})
			c.skip[name] = true
		default:
			c.files++
		}
	}
	return c
}

// terraformTree vets dir and the local modules it calls, at any depth,
// before any of them is parsed (listing a module's calls parses it). It
// returns the number of text files read and false when one is blocked.
func (res *Result) terraformTree(dir string) (int, bool) {
	seen := map[string]bool{}
	var visit func(string) (int, bool)
	visit = func(d string) (int, bool) {
		d = filepath.Clean(d)
		if seen[d] {
			return 0, true
		}
		seen[d] = true
		c := res.vetTerraformDir(d)
		if c.blocked {
			return 0, false
		}
		n := c.files
		ok := true
		for _, m := range res.dirInfo(d).Calls {
			k, mok := visit(m)
			n += k
			ok = ok && mok
		}
		return n, ok
	}
	return visit(dir)
}

// dropVetted removes the reader's diagnostics for files vetting reported.
func (res *Result) dropVetted(ds diag.List) diag.List {
	var out diag.List
	for _, d := range ds {
		skipped := false
		for _, c := range res.tfVet {
			if c.skip[filepath.ToSlash(d.File)] {
				skipped = true
				break
			}
		}
		if !skipped {
			out = append(out, d)
		}
	}
	return out
}
