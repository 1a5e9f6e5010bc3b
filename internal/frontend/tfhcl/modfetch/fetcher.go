package modfetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Fetcher fetches remote module packages into a cache. Its zero value is
// ready to use; a Fetcher is safe for concurrent use once Fetch has been
// called, provided its fields are not changed afterwards.
type Fetcher struct {
	// CacheDir holds fetched packages; default os.UserCacheDir()/eksguard/modules.
	CacheDir string
	// Client makes every HTTP request; default a client with timeouts.
	Client *http.Client
	// Getenv reads TF_TOKEN_*, TF_CLI_CONFIG_FILE, HOME, APPDATA; default os.Getenv.
	Getenv func(string) string
	// CLIConfigFile is Terraform's CLI configuration; default
	// TF_CLI_CONFIG_FILE, else ~/.terraformrc (%APPDATA%/terraform.rc on Windows).
	CLIConfigFile string
	// Git is the git binary; default "git" found on PATH.
	Git string
	// Refresh re-resolves registry versions and re-downloads packages even
	// when the cache has them, as `terraform init -upgrade` does.
	Refresh bool

	// Limits; zero means the default.
	MaxDownloadBytes int64 // one HTTP response body, default 256 MiB
	MaxExtractBytes  int64 // all files of one package, default 512 MiB
	MaxFiles         int   // files and directories of one package, default 50,000

	cfgOnce sync.Once
	cfg     *cliConfig
	cfgErr  error

	locksMu sync.Mutex
	locks   map[string]*sync.Mutex
}

// Module is what FetchModule found.
type Module struct {
	Dir     string // the module's directory, subdir applied
	Version string // registry sources only: the version used
	// Stale is set when the registry could not be asked and a cached
	// version satisfying the constraint was used instead; it says why.
	Stale string
}

const (
	defaultMaxDownload = 256 << 20
	defaultMaxExtract  = 512 << 20
	defaultMaxFiles    = 50000
	maxMetadataBytes   = 4 << 20
	maxRedirectHops    = 5 // X-Terraform-Get hand-offs between sources
)

// Fetch returns the local directory holding the module at source (as
// written in a module block) with the version constraint (registry sources
// only; "" means any), fetching it into the cache or reusing the cache.
func (f *Fetcher) Fetch(ctx context.Context, source, version string) (dir string, resolvedVersion string, err error) {
	m, err := f.FetchModule(ctx, source, version)
	if err != nil {
		return "", "", err
	}
	return m.Dir, m.Version, nil
}

// FetchModule is Fetch that also tells whether a registry answer was
// replaced by the cache.
func (f *Fetcher) FetchModule(ctx context.Context, raw, constraint string) (*Module, error) {
	src, err := parseSource(raw)
	if err != nil {
		return nil, err
	}
	if constraint != "" && src.kind != kindRegistry {
		return nil, fmt.Errorf("module source %q: a version constraint needs a registry source", raw)
	}
	if src.kind == kindRegistry {
		return f.fetchRegistry(ctx, src, constraint)
	}
	root, err := f.cacheRoot()
	if err != nil {
		return nil, err
	}
	entry := filepath.Join(root, "pkg", hashKey(src.key()))
	unlock := f.lock(entry)
	defer unlock()

	meta, ok := readEntry(entry)
	if !ok || f.Refresh {
		if meta, err = f.install(ctx, entry, src.String(), func(dst string) (string, error) {
			return f.getPackage(ctx, src, dst, 0)
		}); err != nil {
			return nil, err
		}
	}
	dir, err := moduleDir(entry, joinSubdir(meta.Subdir, src.subdir))
	if err != nil {
		return nil, fmt.Errorf("module source %q: %v", raw, err)
	}
	return &Module{Dir: dir}, nil
}

func (f *Fetcher) getenv(k string) string {
	if f.Getenv != nil {
		return f.Getenv(k)
	}
	return os.Getenv(k)
}

// HTTPClient is the client the Fetcher makes its requests with, so that
// other downloads of the scan (Helm chart dependencies) share its
// timeouts.
func (f *Fetcher) HTTPClient() *http.Client { return f.client() }

func (f *Fetcher) client() *http.Client {
	if f.Client != nil {
		return f.Client
	}
	return defaultClient
}

// defaultClient bounds each phase of a request so that a stalled server
// ends the scan instead of hanging it; the overall limit is generous
// because module archives can be large on slow links.
var defaultClient = &http.Client{
	Timeout: 10 * time.Minute,
	Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: time.Minute,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	},
}

func (f *Fetcher) maxDownload() int64 {
	if f.MaxDownloadBytes > 0 {
		return f.MaxDownloadBytes
	}
	return defaultMaxDownload
}

func (f *Fetcher) maxExtract() int64 {
	if f.MaxExtractBytes > 0 {
		return f.MaxExtractBytes
	}
	return defaultMaxExtract
}

func (f *Fetcher) maxFiles() int {
	if f.MaxFiles > 0 {
		return f.MaxFiles
	}
	return defaultMaxFiles
}

// CacheRoot is the directory fetched modules are kept in, so the caller
// can let file() read inside them.
func (f *Fetcher) CacheRoot() (string, error) { return f.cacheRoot() }

func (f *Fetcher) cacheRoot() (string, error) {
	if f.CacheDir != "" {
		return f.CacheDir, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for fetched modules: %v", err)
	}
	return filepath.Join(d, "eksguard", "modules"), nil
}

// lock serialises work on one cache entry within this process; between
// processes the atomic rename in install keeps entries whole.
func (f *Fetcher) lock(key string) func() {
	f.locksMu.Lock()
	if f.locks == nil {
		f.locks = map[string]*sync.Mutex{}
	}
	m := f.locks[key]
	if m == nil {
		m = &sync.Mutex{}
		f.locks[key] = m
	}
	f.locksMu.Unlock()
	m.Lock()
	return m.Unlock
}

func hashKey(k string) string {
	h := sha256.Sum256([]byte(k))
	return hex.EncodeToString(h[:20])
}

// entryMeta is written into an entry last before it is renamed into
// place, so an entry without it is never trusted.
type entryMeta struct {
	Source  string    `json:"source"`           // address, without secrets
	Subdir  string    `json:"subdir,omitempty"` // named by a redirect, e.g. a registry's download location
	Fetched time.Time `json:"fetched"`
}

func readEntry(entry string) (entryMeta, bool) {
	var m entryMeta
	b, err := os.ReadFile(filepath.Join(entry, "meta.json"))
	if err != nil || json.Unmarshal(b, &m) != nil {
		return m, false
	}
	if fi, err := os.Stat(filepath.Join(entry, "src")); err != nil || !fi.IsDir() {
		return m, false
	}
	return m, true
}

// install fills a fresh staging directory and renames it to entry, so a
// crash or a failed download leaves only garbage under tmp/, never a
// half-written entry.
func (f *Fetcher) install(ctx context.Context, entry, display string, fill func(dst string) (subdir string, err error)) (entryMeta, error) {
	root, err := f.cacheRoot()
	if err != nil {
		return entryMeta{}, err
	}
	tmp := filepath.Join(root, "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return entryMeta{}, fmt.Errorf("module cache: %v", err)
	}
	cleanStale(tmp)
	stage, err := os.MkdirTemp(tmp, "stage-")
	if err != nil {
		return entryMeta{}, fmt.Errorf("module cache: %v", err)
	}
	defer os.RemoveAll(stage)
	src := filepath.Join(stage, "src")
	if err := os.Mkdir(src, 0o755); err != nil {
		return entryMeta{}, fmt.Errorf("module cache: %v", err)
	}
	subdir, err := fill(src)
	if err != nil {
		return entryMeta{}, err
	}
	if err := ctx.Err(); err != nil {
		return entryMeta{}, err
	}
	meta := entryMeta{Source: display, Subdir: subdir, Fetched: time.Now().UTC()}
	b, _ := json.MarshalIndent(meta, "", "  ")
	if err := os.WriteFile(filepath.Join(stage, "meta.json"), b, 0o644); err != nil {
		return entryMeta{}, fmt.Errorf("module cache: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(entry), 0o755); err != nil {
		return entryMeta{}, fmt.Errorf("module cache: %v", err)
	}
	if _, ok := readEntry(entry); f.Refresh || !ok {
		// Move a replaced or untrusted entry aside first: a rename cannot
		// replace a non-empty directory. An entry without meta.json is
		// never one still being written (those live in tmp/), so it is
		// garbage, e.g. from a partial copy of the cache.
		if _, err := os.Lstat(entry); err == nil {
			old := stage + ".old"
			if err := os.Rename(entry, old); err == nil {
				defer os.RemoveAll(old)
			}
		}
	}
	if err := os.Rename(stage, entry); err != nil {
		// Another process may have installed the same entry meanwhile;
		// theirs is as good as ours.
		if m, ok := readEntry(entry); ok {
			return m, nil
		}
		return entryMeta{}, fmt.Errorf("module cache: %v", err)
	}
	return meta, nil
}

// cleanStale removes staging directories left by crashed runs; a day is
// far longer than any fetch takes, so a live one is never removed.
func cleanStale(tmp string) {
	ents, err := os.ReadDir(tmp)
	if err != nil {
		return
	}
	for _, e := range ents {
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			os.RemoveAll(filepath.Join(tmp, e.Name()))
		}
	}
}

// moduleDir applies a subdir to a cache entry, refusing one that leaves the
// package; a glob, which go-getter allows, must match exactly one directory.
func moduleDir(entry, subdir string) (string, error) {
	base := filepath.Join(entry, "src")
	if subdir == "" {
		return base, nil
	}
	var parts []string
	for _, p := range strings.Split(strings.ReplaceAll(subdir, `\`, "/"), "/") {
		switch p {
		case "", ".":
		case "..":
			return "", fmt.Errorf("subdirectory %q leaves the package", subdir)
		default:
			parts = append(parts, p)
		}
	}
	dir := filepath.Join(base, filepath.Join(parts...))
	if strings.ContainsAny(subdir, "*?[") {
		matches, err := filepath.Glob(dir)
		if err != nil {
			return "", fmt.Errorf("subdirectory pattern %q: %v", subdir, err)
		}
		var dirs []string
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil && fi.IsDir() {
				dirs = append(dirs, m)
			}
		}
		if len(dirs) != 1 {
			return "", fmt.Errorf("subdirectory pattern %q matches %d directories, want 1", subdir, len(dirs))
		}
		dir = dirs[0]
	}
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("subdirectory %q does not exist in the package", subdir)
	case err != nil:
		return "", err
	case !fi.IsDir():
		return "", fmt.Errorf("subdirectory %q is not a directory", subdir)
	}
	return dir, nil
}
