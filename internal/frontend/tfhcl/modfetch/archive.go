package modfetch

import (
	"archive/tar"
	"archive/zip"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

type limits struct {
	bytes int64
	files int
}

func (f *Fetcher) limits() limits {
	return limits{bytes: f.maxExtract(), files: f.maxFiles()}
}

type extractor func(file *os.File, size int64, dst string, lim limits) error

// extractors covers what the standard library can read; xz is missing
// from it, so .tar.xz is reported as unsupported rather than half done.
var extractors = map[string]extractor{
	"zip":     extractZip,
	"tar":     func(f *os.File, _ int64, dst string, lim limits) error { return extractTar(f, dst, lim) },
	"tar.gz":  extractTarGz,
	"tgz":     extractTarGz,
	"tar.bz2": extractTarBz2,
	"tbz2":    extractTarBz2,
}

func extractTarGz(f *os.File, _ int64, dst string, lim limits) error {
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	defer zr.Close()
	return extractTar(zr, dst, lim)
}

func extractTarBz2(f *os.File, _ int64, dst string, lim limits) error {
	return extractTar(bzip2.NewReader(f), dst, lim)
}

// writer puts archive entries under a root. os.Root already refuses to
// write through a symlink that leaves dst; the name checks on top give a
// clear error instead of a bare "path escapes" and refuse archives that
// try, rather than extracting the rest.
type writer struct {
	root    *os.Root
	dst     string
	lim     limits
	written int64
	entries int
}

func newWriter(dst string, lim limits) (*writer, error) {
	r, err := os.OpenRoot(dst)
	if err != nil {
		return nil, err
	}
	return &writer{root: r, dst: dst, lim: lim}, nil
}

// entryName validates an archive member name and returns it relative to
// the root, "" for the root itself.
func entryName(raw string) (string, error) {
	if strings.ContainsRune(raw, 0) {
		return "", fmt.Errorf("entry name %q contains NUL", raw)
	}
	// Windows tools write backslashes; treat them as separators so that
	// "..\..\x" cannot pass as a plain file name and escape on Windows.
	n := strings.ReplaceAll(raw, `\`, "/")
	if strings.HasPrefix(n, "/") || (len(n) >= 2 && n[1] == ':') {
		return "", fmt.Errorf("entry %q has an absolute path", raw)
	}
	var parts []string
	for _, p := range strings.Split(n, "/") {
		switch p {
		case "", ".":
		case "..":
			return "", fmt.Errorf("entry %q leaves the destination", raw)
		default:
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "/"), nil
}

func (w *writer) count() error {
	w.entries++
	if w.entries > w.lim.files {
		return fmt.Errorf("more than %d entries", w.lim.files)
	}
	return nil
}

func (w *writer) dir(name string) error {
	if name == "" {
		return nil
	}
	if err := w.count(); err != nil {
		return err
	}
	return w.root.MkdirAll(filepath.FromSlash(name), 0o755)
}

func (w *writer) file(name string, r io.Reader, mode fs.FileMode) error {
	if name == "" {
		return fmt.Errorf("file entry without a name")
	}
	if err := w.count(); err != nil {
		return err
	}
	p := filepath.FromSlash(name)
	if d := path.Dir(name); d != "." {
		if err := w.root.MkdirAll(filepath.FromSlash(d), 0o755); err != nil {
			return err
		}
	}
	// A duplicate entry replaces the earlier one; removing it first means
	// an earlier symlink of that name is replaced rather than written through.
	if fi, err := w.root.Lstat(p); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if err := w.root.Remove(p); err != nil {
			return err
		}
	}
	perm := fs.FileMode(0o644)
	if mode&0o111 != 0 {
		perm = 0o755
	}
	out, err := w.root.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	left := w.lim.bytes - w.written
	n, err := io.Copy(out, io.LimitReader(r, left+1))
	w.written += n
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	if n > left {
		return fmt.Errorf("more than %d bytes when extracted", w.lim.bytes)
	}
	return nil
}

// symlink accepts only relative targets that stay inside the package when
// read lexically; checkLinks later resolves chains for real.
func (w *writer) symlink(name, target string) error {
	if name == "" {
		return fmt.Errorf("symlink entry without a name")
	}
	if err := w.count(); err != nil {
		return err
	}
	t := strings.ReplaceAll(target, `\`, "/")
	if t == "" || strings.HasPrefix(t, "/") || (len(t) >= 2 && t[1] == ':') {
		return fmt.Errorf("symlink %q points to absolute path %q", name, target)
	}
	if j := path.Join(path.Dir(name), t); j == ".." || strings.HasPrefix(j, "../") {
		return fmt.Errorf("symlink %q points outside the package (%q)", name, target)
	}
	if d := path.Dir(name); d != "." {
		if err := w.root.MkdirAll(filepath.FromSlash(d), 0o755); err != nil {
			return err
		}
	}
	w.root.Remove(filepath.FromSlash(name))
	return w.root.Symlink(filepath.FromSlash(t), filepath.FromSlash(name))
}

func (w *writer) close() error { return w.root.Close() }

func extractTar(r io.Reader, dst string, lim limits) error {
	w, err := newWriter(dst, lim)
	if err != nil {
		return err
	}
	defer w.close()
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		name, err := entryName(h.Name)
		if err != nil {
			return err
		}
		switch h.Typeflag {
		case tar.TypeDir:
			err = w.dir(name)
		case tar.TypeReg, tar.TypeGNUSparse:
			err = w.file(name, tr, fs.FileMode(h.Mode))
		case tar.TypeSymlink:
			err = w.symlink(name, h.Linkname)
		case tar.TypeLink:
			err = w.hardlink(name, h.Linkname)
		default:
			// Devices, FIFOs and PAX globals mean nothing in a module.
			continue
		}
		if err != nil {
			return err
		}
	}
	return checkLinks(dst)
}

// hardlink copies the earlier member, which stays within the root; a real
// hard link would tie the cache to whatever that file becomes.
func (w *writer) hardlink(name, target string) error {
	t, err := entryName(target)
	if err != nil {
		return fmt.Errorf("hard link %q: %v", name, err)
	}
	src, err := w.root.Open(filepath.FromSlash(t))
	if err != nil {
		return fmt.Errorf("hard link %q to %q: %v", name, target, err)
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("hard link %q to non-file %q", name, target)
	}
	return w.file(name, src, fi.Mode())
}

func extractZip(f *os.File, size int64, dst string, lim limits) error {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return err
	}
	w, err := newWriter(dst, lim)
	if err != nil {
		return err
	}
	defer w.close()
	for _, zf := range zr.File {
		name, err := entryName(zf.Name)
		if err != nil {
			return err
		}
		mode := zf.Mode()
		switch {
		case mode.IsDir() || strings.HasSuffix(zf.Name, "/"):
			err = w.dir(name)
		case mode&fs.ModeSymlink != 0:
			var target []byte
			target, err = readZipMember(zf, 4096)
			if err == nil {
				err = w.symlink(name, string(target))
			}
		case mode.IsRegular():
			var rc io.ReadCloser
			if rc, err = zf.Open(); err == nil {
				err = w.file(name, rc, mode)
				rc.Close()
			}
		default:
			continue
		}
		if err != nil {
			return err
		}
	}
	return checkLinks(dst)
}

func readZipMember(zf *zip.File, max int64) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("symlink %q: target too long", zf.Name)
	}
	return b, nil
}

// checkLinks resolves every symlink under dir and fails when one leads
// outside it: each link can look harmless alone while a chain of them
// escapes, and the evaluator reading the module would follow it. Dangling
// links are removed because nothing can read through them anyway.
func checkLinks(dir string) error {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return err
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		t, err := filepath.EvalSymlinks(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return os.Remove(p)
			}
			return fmt.Errorf("symlink %q: %v", filepath.ToSlash(rel), err)
		}
		if r, err := filepath.Rel(real, t); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return fmt.Errorf("symlink %q leads outside the package", filepath.ToSlash(rel))
		}
		return nil
	})
}
