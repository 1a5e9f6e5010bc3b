package kustomize

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// rootedFS is the file system kustomize sees: the disk, read-only, with
// every path (after symbolic links are followed) kept inside root, and
// kustomization files passed through the build's rewrite (see kfile.go)
// as they are read. Paths outside root behave as missing files with an
// error saying why, so kustomize reports them like any other load error.
type rootedFS struct {
	disk filesys.FileSystem
	root string // absolute, symbolic links resolved
	// tmp, when not empty, is the prefix of the directories kustomize's
	// own git loader clones remote bases into; reads (and the clean-up)
	// there are allowed only when remote bases may be fetched.
	tmp string
	b   *build
}

var errWrite = errors.New("the kustomize build may not write files")

func newRootedFS(root string, b *build, allowRemote bool) (*rootedFS, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	f := &rootedFS{disk: filesys.MakeFsOnDisk(), root: abs, b: b}
	if allowRemote {
		tmp := os.TempDir()
		if r, err := filepath.EvalSymlinks(tmp); err == nil {
			tmp = r
		}
		f.tmp = filepath.Join(tmp, "kustomize-")
	}
	return f, nil
}

// resolve returns the absolute path name with symbolic links followed as
// far as the path exists.
func resolve(name string) string {
	abs, err := filepath.Abs(name)
	if err != nil {
		return filepath.Clean(name)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	// The path does not exist (yet): resolve the part that does.
	dir, base := filepath.Split(abs)
	dir = filepath.Clean(dir)
	if dir == abs {
		return abs
	}
	return filepath.Join(resolve(dir), base)
}

func within(p, root string) bool {
	return p == root || strings.HasPrefix(p, root+string(filepath.Separator))
}

// check returns an error when name is outside what the build may read.
func (f *rootedFS) check(name string) error {
	r := resolve(name)
	if within(r, f.root) || (f.tmp != "" && strings.HasPrefix(r, f.tmp)) {
		return nil
	}
	return &fs.PathError{Op: "read", Path: name,
		Err: fmt.Errorf("outside the scanned tree %s: kustomize may read only files under it", f.root)}
}

func (f *rootedFS) Create(string) (filesys.File, error) { return nil, errWrite }
func (f *rootedFS) Mkdir(string) error                  { return errWrite }
func (f *rootedFS) MkdirAll(string) error               { return errWrite }
func (f *rootedFS) WriteFile(string, []byte) error      { return errWrite }

// RemoveAll is used only by kustomize's clean-up of the temporary clones
// of remote bases; nothing else may be removed.
func (f *rootedFS) RemoveAll(name string) error {
	if f.tmp != "" && strings.HasPrefix(resolve(name), f.tmp) {
		return f.disk.RemoveAll(name)
	}
	return errWrite
}

func (f *rootedFS) Open(name string) (filesys.File, error) {
	if err := f.check(name); err != nil {
		return nil, err
	}
	return f.disk.Open(name)
}

func (f *rootedFS) IsDir(name string) bool {
	return f.check(name) == nil && f.disk.IsDir(name)
}

func (f *rootedFS) ReadDir(name string) ([]string, error) {
	if err := f.check(name); err != nil {
		return nil, err
	}
	return f.disk.ReadDir(name)
}

func (f *rootedFS) CleanedAbs(name string) (filesys.ConfirmedDir, string, error) {
	if err := f.check(name); err != nil {
		return "", "", err
	}
	return f.disk.CleanedAbs(name)
}

func (f *rootedFS) Exists(name string) bool {
	return f.check(name) == nil && f.disk.Exists(name)
}

func (f *rootedFS) Glob(pattern string) ([]string, error) {
	all, err := f.disk.Glob(pattern)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range all {
		if f.check(m) == nil {
			out = append(out, m)
		}
	}
	return out, nil
}

func (f *rootedFS) ReadFile(name string) ([]byte, error) {
	if err := f.check(name); err != nil {
		return nil, err
	}
	b, err := f.disk.ReadFile(name)
	if err != nil {
		return nil, err
	}
	f.b.mu.Lock()
	f.b.read[resolve(name)] = true
	f.b.mu.Unlock()
	if isKustomizationFile(name) {
		return f.b.rewrite(name, b), nil
	}
	return b, nil
}

func (f *rootedFS) Walk(path string, walkFn filepath.WalkFunc) error {
	if err := f.check(path); err != nil {
		return err
	}
	return f.disk.Walk(path, func(p string, info fs.FileInfo, err error) error {
		if err == nil && f.check(p) != nil {
			if info.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		return walkFn(p, info, err)
	})
}
