package tffunc

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// errOutside is returned for a path below no root. It is an error, not an
// unknown: Terraform would read the file, eksguard will not.
var errOutside = errors.New("is outside the directories eksguard reads")

// located is a path resolved to the root that holds it.
type located struct {
	root *openRoot
	rel  string // slash-separated, relative to root.dir; "." for the root itself
}

// locate resolves p (relative paths from Config.Dir) and picks the
// innermost root lexically containing it. The lexical step only chooses the
// root and the name; confinement is os.Root's job, which also refuses
// symlinks leading out of the root.
func (l *Library) locate(p string) (located, error) {
	abs := p
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(l.dir, abs)
	}
	abs = filepath.Clean(abs)
	for i := range l.roots {
		r := &l.roots[i]
		if abs == r.dir {
			return located{root: r, rel: "."}, nil
		}
		prefix := r.dir
		if !strings.HasSuffix(prefix, string(filepath.Separator)) {
			prefix += string(filepath.Separator)
		}
		if strings.HasPrefix(abs, prefix) {
			return located{root: r, rel: filepath.ToSlash(abs[len(prefix):])}, nil
		}
	}
	return located{}, fmt.Errorf("%s %w", p, errOutside)
}

// pathError rewrites an os.Root error so it names the path relative to the
// root, whatever the underlying error says.
func pathError(rel string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("no file exists at %s; file functions read only files that are part of the configuration", rel)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot read %s: permission denied", rel)
	case strings.Contains(err.Error(), "escapes"):
		return fmt.Errorf("cannot read %s: it leads outside the directories eksguard reads (through a symlink or ..)", rel)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("cannot read %s: %s", rel, pe.Err)
	}
	return fmt.Errorf("cannot read %s", rel)
}

// readFile reads a regular file through its root, at most MaxFileSize
// bytes. It stats before opening so a FIFO or device in a scanned tree
// cannot block or stream forever.
func (l *Library) readFile(p string) ([]byte, error) {
	loc, err := l.locate(p)
	if err != nil {
		return nil, err
	}
	fi, err := loc.root.root.Stat(loc.rel)
	if err != nil {
		return nil, pathError(loc.rel, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", loc.rel)
	}
	if fi.Size() > l.max {
		return nil, fmt.Errorf("%s is larger than %d bytes", loc.rel, l.max)
	}
	f, err := loc.root.root.Open(loc.rel)
	if err != nil {
		return nil, pathError(loc.rel, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, l.max+1))
	if err != nil {
		return nil, pathError(loc.rel, err)
	}
	if int64(len(b)) > l.max {
		return nil, fmt.Errorf("%s is larger than %d bytes", loc.rel, l.max)
	}
	return b, nil
}

// fileFunc builds a one-argument file function: the path's marks reach the
// result (cty does that), a home-relative path is unknown, and the content
// goes through conv.
func (l *Library) fileFunc(name string, conv func(rel string, b []byte) (string, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{str("path")},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			if u, home, err := inHome(p, cty.String, name+"("+strconv.Quote(p)+")"); home || err != nil {
				return u, err
			}
			b, err := l.readFile(p)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			out, err := conv(p, b)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			return cty.StringVal(out), nil
		},
	})
}

func hashed(h func() hash.Hash, enc func([]byte) string) func(string, []byte) (string, error) {
	return func(_ string, b []byte) (string, error) {
		w := h()
		w.Write(b)
		return enc(w.Sum(nil)), nil
	}
}

func (l *Library) fileFunctions() map[string]function.Function {
	b64 := base64.StdEncoding.EncodeToString
	return map[string]function.Function{
		"file": l.fileFunc("file", func(p string, b []byte) (string, error) {
			if !utf8.Valid(b) {
				return "", fmt.Errorf("contents of %s are not valid UTF-8; use filebase64 or a file hash function instead", p)
			}
			return string(b), nil
		}),
		"filebase64":       l.fileFunc("filebase64", func(_ string, b []byte) (string, error) { return b64(b), nil }),
		"filemd5":          l.fileFunc("filemd5", hashed(md5.New, hex.EncodeToString)),
		"filesha1":         l.fileFunc("filesha1", hashed(sha1.New, hex.EncodeToString)),
		"filesha256":       l.fileFunc("filesha256", hashed(sha256.New, hex.EncodeToString)),
		"filesha512":       l.fileFunc("filesha512", hashed(sha512.New, hex.EncodeToString)),
		"filebase64sha256": l.fileFunc("filebase64sha256", hashed(sha256.New, b64)),
		"filebase64sha512": l.fileFunc("filebase64sha512", hashed(sha512.New, b64)),
		"fileexists":       l.fileExistsFunc(),
		"fileset":          l.fileSetFunc(),
	}
}

// fileExistsFunc: false when nothing is there, an error for a directory or
// other non-file, as in Terraform.
func (l *Library) fileExistsFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{str("path")},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			if u, home, err := inHome(p, cty.Bool, "fileexists("+strconv.Quote(p)+")"); home || err != nil {
				return u, err
			}
			loc, err := l.locate(p)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			fi, err := loc.root.root.Stat(loc.rel)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				return cty.False, nil
			case err != nil:
				return cty.NilVal, function.NewArgError(0, pathError(loc.rel, err))
			case fi.Mode().IsRegular():
				return cty.True, nil
			case fi.IsDir():
				return cty.NilVal, function.NewArgErrorf(0, "%s is a directory, not a file", loc.rel)
			}
			return cty.NilVal, function.NewArgErrorf(0, "%s is not a regular file", loc.rel)
		},
	})
}

// fileSetFunc matches like Terraform's (doublestar) globbing: * and ? and
// [class] within one path segment, ** across any number of directories,
// {a,b} alternatives. Results are regular files (symlinks followed when
// they stay in the root), named relative to the path argument with
// forward slashes.
func (l *Library) fileSetFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{str("path"), str("pattern")},
		Type:   function.StaticReturnType(cty.Set(cty.String)),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p, pattern := args[0].AsString(), args[1].AsString()
			if u, home, err := inHome(p, cty.Set(cty.String), "fileset("+strconv.Quote(p)+", ...)"); home || err != nil {
				return u, err
			}
			loc, err := l.locate(p)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			full := path.Clean(path.Join(loc.rel, filepath.ToSlash(pattern)))
			if full == ".." || strings.HasPrefix(full, "../") {
				return cty.NilVal, function.NewArgErrorf(1, "pattern %q leads outside the directories eksguard reads", pattern)
			}
			fsys := loc.root.root.FS()
			found := map[string]bool{}
			for _, alt := range expandBraces(full) {
				g := globber{fsys: fsys, found: found}
				if err := g.match(".", strings.Split(alt, "/")); err != nil {
					return cty.NilVal, err
				}
			}
			if len(found) == 0 {
				return cty.SetValEmpty(cty.String), nil
			}
			vals := make([]cty.Value, 0, len(found))
			for m := range found {
				rel, err := filepath.Rel(filepath.FromSlash(loc.rel), filepath.FromSlash(m))
				if err != nil {
					return cty.NilVal, err
				}
				vals = append(vals, cty.StringVal(filepath.ToSlash(rel)))
			}
			return cty.SetVal(vals), nil
		},
	})
}

// maxGlobEntries bounds a fileset walk so "**" over a huge tree fails
// instead of running for minutes.
const maxGlobEntries = 200000

type globber struct {
	fsys  fs.FS
	found map[string]bool
	seen  int
}

// match matches segs against what is below dir (slash-separated, relative
// to the root).
func (g *globber) match(dir string, segs []string) error {
	if len(segs) == 0 {
		return g.accept(dir)
	}
	seg := segs[0]
	if seg == "**" {
		// Zero directories...
		if err := g.match(dir, segs[1:]); err != nil {
			return err
		}
		// ...or one more real directory (not a symlink) and still "**".
		entries, err := g.readDir(dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if e.IsDir() {
				if err := g.match(path.Join(dir, e.Name()), segs); err != nil {
					return err
				}
			} else if len(segs) == 1 {
				if err := g.accept(path.Join(dir, e.Name())); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if !hasMeta(seg) {
		next := path.Join(dir, seg)
		if _, err := fs.Stat(g.fsys, next); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return pathError(next, err)
		}
		return g.match(next, segs[1:])
	}
	segPattern := strings.ReplaceAll(seg, "[!", "[^")
	if _, err := path.Match(segPattern, ""); err != nil {
		return function.NewArgErrorf(1, "invalid pattern segment %q: %s", seg, err)
	}
	entries, err := g.readDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if ok, _ := path.Match(segPattern, e.Name()); ok {
			if err := g.match(path.Join(dir, e.Name()), segs[1:]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *globber) readDir(dir string) ([]fs.DirEntry, error) {
	fi, err := fs.Stat(g.fsys, dir)
	if err != nil || !fi.IsDir() {
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, pathError(dir, err)
		}
		return nil, nil
	}
	entries, err := fs.ReadDir(g.fsys, dir)
	if err != nil {
		return nil, pathError(dir, err)
	}
	g.seen += len(entries)
	if g.seen > maxGlobEntries {
		return nil, fmt.Errorf("fileset: more than %d directory entries under %s", maxGlobEntries, dir)
	}
	return entries, nil
}

// accept records name if it is (or a symlink inside the root leads to) a
// regular file. A symlink that escapes the root is an error rather than a
// silent omission, so a result is never a quietly shortened set.
func (g *globber) accept(name string) error {
	fi, err := fs.Stat(g.fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // a dangling symlink, as doublestar would skip it
		}
		return pathError(name, err)
	}
	if fi.Mode().IsRegular() {
		g.found[name] = true
	}
	return nil
}

func hasMeta(s string) bool { return strings.ContainsAny(s, "*?[\\") }

// expandBraces turns "a/{b,c}/*.{tf,json}" into its four alternatives.
func expandBraces(p string) []string {
	depth, open := 0, -1
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '{':
			if depth == 0 {
				open = i
			}
			depth++
		case '}':
			if depth == 0 {
				continue
			}
			depth--
			if depth == 0 {
				var out []string
				for _, alt := range splitTopLevel(p[open+1 : i]) {
					out = append(out, expandBraces(p[:open]+alt+p[i+1:])...)
				}
				return out
			}
		}
	}
	return []string{p}
}

func splitTopLevel(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
