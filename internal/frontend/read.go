package frontend

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"

	"github.com/eksguard/eksguard/internal/diag"
)

// sniffLen is how much of a file's head is looked at to call it binary:
// enough to see past a licence header, little enough to stay cheap on a
// directory of large plans.
const sniffLen = 8000

// roots are the real (symlink-resolved) directories and files the user
// asked to scan. A symbolic link met in the scan is followed only when its
// target lies under one of them (or FollowOutside is set), so a checkout
// holding a link to /etc/shadow or ~/.aws cannot make its content appear
// in a report that may be published.
type roots struct {
	real   []string
	follow bool
}

func (r *roots) add(p string) {
	if rp, err := filepath.EvalSymlinks(p); err == nil {
		if abs, err := filepath.Abs(rp); err == nil {
			r.real = append(r.real, abs)
		}
	}
}

func (r *roots) inside(real string) bool {
	for _, root := range r.real {
		if real == root || strings.HasPrefix(real, root+string(filepath.Separator)) || root == string(filepath.Separator) {
			return true
		}
	}
	return false
}

// resolve returns the real path of a symbolic link and whether the scan
// may follow it; when it may not, it has said why.
func (res *Result) resolveLink(path string, explicit bool) (string, bool) {
	target, err := filepath.EvalSymlinks(path)
	if err == nil {
		target, err = filepath.Abs(target)
	}
	if err != nil {
		res.Diags = append(res.Diags, diag.Diagnostic{Severity: sevFor(explicit), File: filepath.ToSlash(path),
			Summary: "symbolic link not followed", Detail: "its target cannot be resolved: " + errText(err)})
		return "", false
	}
	if !res.roots.follow && !res.roots.inside(target) {
		res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Notice, File: filepath.ToSlash(path),
			Summary: "symbolic link to " + filepath.ToSlash(target) + " outside the scanned paths, not followed",
			Detail:  "scan the target itself, or give --follow-outside to follow links out of the scanned paths"})
		return "", false
	}
	return target, true
}

func sevFor(explicit bool) diag.Severity {
	if explicit {
		return diag.Error
	}
	return diag.Notice
}

// notRegular is the one diagnostic for a FIFO, socket or device: such a
// file is never opened, because opening a FIFO blocks until a writer comes
// and reading /dev/zero never ends.
func (res *Result) notRegular(path string, mode fs.FileMode, explicit bool) {
	res.Diags = append(res.Diags, diag.Diagnostic{Severity: sevFor(explicit), File: filepath.ToSlash(path),
		Summary: "not a regular file", Detail: fmt.Sprintf("%s; not read (pipe such input to eksguard scan - instead)", modeName(mode))})
}

func modeName(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m.IsDir():
		return "a directory"
	}
	return "not a regular file (" + m.String() + ")"
}

// mapMin is the size from which a file that may be a Terraform plan is
// mapped rather than read into memory (see readInput): below a few MiB the
// copy costs nothing worth a mapping's system calls. A variable so that
// tests exercise the mapped path on small files.
var mapMin int64 = 4 << 20

// readInput is readRegular for a file loadBytes reads: a large .json file
// is mapped, not copied, and unmap (nil when it was read) releases it. A
// plan is decoded straight from the mapping, and nothing decoded keeps a
// reference into it; every other kind of input gets a copy (see
// loadMapped).
func (res *Result) readInput(path, name string, explicit bool) (data []byte, unmap func(), ok bool) {
	f, size, ok := res.openRegular(path, name, explicit)
	if !ok {
		return nil, nil, false
	}
	defer f.Close()
	// Raw policies keep a plan's whole document, which needs a copy of
	// the bytes anyway.
	if !res.keepDocs && size >= mapMin && strings.EqualFold(filepath.Ext(path), ".json") {
		if data, unmap, ok := mapFile(f, size); ok {
			return data, unmap, true
		}
	}
	data, ok = res.readOpen(f, size, name)
	return data, nil, ok
}

// readRegular reads path if it is a regular file within the size bound.
// ok is false when a diagnostic was given instead.
func (res *Result) readRegular(path, name string, explicit bool) ([]byte, bool) {
	f, size, ok := res.openRegular(path, name, explicit)
	if !ok {
		return nil, false
	}
	defer f.Close()
	return res.readOpen(f, size, name)
}

// openRegular opens path if it is a regular file within the size bound,
// and gives its size. The file is opened without blocking and checked
// again on the open descriptor, so a FIFO swapped in after the caller's
// Lstat still cannot hang the scan. ok is false when a diagnostic was
// given instead.
func (res *Result) openRegular(path, name string, explicit bool) (f *os.File, size int64, ok bool) {
	f, err := openNonBlocking(path)
	if err != nil {
		res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: name, Summary: "cannot read", Detail: errText(err)})
		return nil, 0, false
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: name, Summary: "cannot read", Detail: errText(err)})
		return nil, 0, false
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		res.notRegular(name, fi.Mode(), explicit)
		return nil, 0, false
	}
	if fi.Size() > MaxFileSize {
		f.Close()
		res.Diags = append(res.Diags, tooLarge(name))
		return nil, 0, false
	}
	return f, fi.Size(), true
}

// readOpen reads f, whose size was size when opened.
func (res *Result) readOpen(f *os.File, size int64, name string) ([]byte, bool) {
	// Sized from the file, as os.ReadFile does: io.ReadAll grows by
	// doubling, three times the file in garbage for a large plan. The
	// size is a hint only; the bound is still the limit.
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxFileSize+1)); err != nil {
		res.Diags = append(res.Diags, diag.Diagnostic{Severity: diag.Error, File: name, Summary: "cannot read", Detail: errText(err)})
		return nil, false
	}
	return buf.Bytes(), true
}

func tooLarge(name string) diag.Diagnostic {
	return diag.Diagnostic{Severity: diag.Error, File: name, Summary: "file too large",
		Detail: fmt.Sprintf("more than %d MiB", MaxFileSize>>20)}
}

var (
	bomUTF8    = []byte{0xef, 0xbb, 0xbf}
	bomUTF16LE = []byte{0xff, 0xfe}
	bomUTF16BE = []byte{0xfe, 0xff}
)

// decodeText turns input bytes into BOM-less UTF-8. Windows tools write a
// UTF-8 BOM, and PowerShell 5.1's > redirection writes UTF-16 LE with a
// BOM, so terraform show -json > tfplan.json gives UTF-16 there. Line
// breaks are kept one for one, so positions the parsers give are those an
// editor shows (an editor does not count the BOM as a column).
func decodeText(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return data[len(bomUTF8):], nil
	case bytes.HasPrefix(data, bomUTF16LE), bytes.HasPrefix(data, bomUTF16BE):
		// ExpectBOM reads the byte order from the BOM and drops it.
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return nil, fmt.Errorf("invalid UTF-16: %v", err)
		}
		return out, nil
	}
	return data, nil
}

// binaryReason tells why decoded content is not text, or "" when it is:
// a NUL byte or invalid UTF-8 in the head. Parsing such a file only yields
// a flood of syntax errors (a binary main.tf gave 3,177).
func binaryReason(data []byte) string {
	head := data
	if len(head) > sniffLen {
		head = head[:sniffLen]
		// Do not blame a multi-byte character the cut split.
		for i := 0; i < utf8.UTFMax-1 && len(head) > 0 && !utf8.Valid(head); i++ {
			head = head[:len(head)-1]
		}
	}
	if i := bytes.IndexByte(head, 0); i >= 0 {
		return fmt.Sprintf("NUL byte at offset %d", i)
	}
	if !utf8.Valid(head) {
		for i := 0; i < len(head); {
			r, n := utf8.DecodeRune(head[i:])
			if r == utf8.RuneError && n <= 1 {
				return fmt.Sprintf("invalid UTF-8 at offset %d", i)
			}
			i += n
		}
	}
	return ""
}

// textOf decodes data and refuses binary content with one diagnostic.
func (res *Result) textOf(name string, data []byte, sev diag.Severity) ([]byte, bool) {
	text, err := decodeText(data)
	if err == nil {
		if why := binaryReason(text); why != "" {
			err = errors.New(why)
		}
	}
	if err != nil {
		res.Diags = append(res.Diags, binaryDiag(name, sev, err.Error()))
		return nil, false
	}
	return text, true
}

func binaryDiag(name string, sev diag.Severity, why string) diag.Diagnostic {
	return diag.Diagnostic{Severity: sev, File: name, Summary: "binary file, not an input eksguard reads",
		Detail: why + " (inputs are UTF-8 text, or UTF-16 with a byte order mark)"}
}
