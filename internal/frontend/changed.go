package frontend

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/eksguard/eksguard/internal/diag"
)

// changedFile reads a PATH under Options.ChangedFiles, where the PATHs are
// the files a change touched (what pre-commit or git diff --name-only
// passes) rather than inputs the user chose: each is read as a walk of the
// current directory reads the files it meets. A file skipped by
// --skip-dirs, --skip-files or the default skipped directories, or whose
// name is no input's, is left out; one of no kind eksguard reads, an
// unrendered template or a file that does not parse (unless it marks an
// input) is a notice, not an error. A Terraform file, and one the change
// deleted, stands for its directory, judged as a walk judges it: a
// directory only used as a module (under modules/, or with a variable
// nothing gives a value) is read through a root module that calls it, and
// is otherwise a notice. A file that is gone is a notice. It tells whether
// it handled p: a directory, and anything it cannot judge, is left to the
// usual reading of a PATH named.
func (res *Result) changedFile(p string) bool {
	name := filepath.ToSlash(p)
	li, err := os.Lstat(p)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return false
		}
		if res.skippedChange(p) {
			return true
		}
		if isTerraformFile(p) {
			// Deleted: its directory changed, and is evaluated without it.
			if fi, err := os.Stat(filepath.Dir(p)); err == nil && fi.IsDir() {
				res.addTFDir(filepath.Dir(p), ".")
				return true
			}
		}
		res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Notice, File: name, Summary: "not found",
			Detail: "deleted by the change, or mistyped; not read"})
		return true
	}
	fi := li
	if li.Mode()&fs.ModeSymlink != 0 {
		if fi, err = os.Stat(p); err != nil {
			res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Notice, File: name,
				Summary: "symbolic link not followed", Detail: "its target cannot be resolved: " + errText(err)})
			return true
		}
	}
	if fi.IsDir() {
		return false
	}
	if res.skippedChange(p) {
		return true
	}
	if isTerraformFile(p) {
		res.addTFDir(filepath.Dir(p), ".")
		return true
	}
	if !candidate(p) {
		return true
	}
	if !fi.Mode().IsRegular() {
		res.notRegular(p, fi.Mode(), false)
		return true
	}
	res.loadFile(p, false)
	return true
}

// skippedChange tells whether a walk from the current directory would
// leave out the file at p: the file itself, or a directory it lies in.
func (res *Result) skippedChange(p string) bool {
	p = filepath.Clean(p)
	if res.skip.file(".", p) {
		return true
	}
	for d := filepath.Dir(p); d != "." && d != filepath.Dir(d); d = filepath.Dir(d) {
		if res.skip.dir(".", d) {
			return true
		}
	}
	return false
}
