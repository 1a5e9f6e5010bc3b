package helm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/Masterminds/semver/v3"
	chartv2 "helm.sh/helm/v4/pkg/chart/v2"
	loader "helm.sh/helm/v4/pkg/chart/v2/loader"
	"sigs.k8s.io/yaml"

	"github.com/eksguard/eksguard/internal/frontend/tfhcl/modfetch"
)

// Fetcher downloads chart dependencies from HTTP chart repositories
// (--download-modules), as helm dependency build does for a repository
// given by URL, and keeps what it downloads in CacheDir. Helm's own
// repository package is not used: it would bring Helm's OCI client, plugin
// runtime and OpenPGP code into the binary; the few rules it applies to an
// index (which entries count, their order, which version a constraint
// picks) are reproduced in this file with Helm's semver library.
//
// A Fetcher is safe for concurrent use; its fields must not change once
// it is in use.
type Fetcher struct {
	// CacheDir keeps repository indexes and chart archives. Required.
	CacheDir string
	// Client makes every request: the caller gives the module fetcher's,
	// whose timeouts bound each phase. Redirects to another scheme are
	// refused whatever the client says.
	Client *http.Client
	// MaxIndexBytes and MaxChartBytes bound a repository index and a
	// chart archive (zero: DefaultMaxIndex, MaxChartSize).
	MaxIndexBytes, MaxChartBytes int64

	mu      sync.Mutex
	indexes map[string]*indexFetch
}

// DefaultMaxIndex bounds a repository's index.yaml: the largest public
// indexes (every version of every chart of a big repository) weigh tens of
// MiB.
const DefaultMaxIndex = 64 << 20

// indexFetch is one repository's index, fetched once per Fetcher.
type indexFetch struct {
	once  sync.Once
	index *repoIndex
	stale string // set when the cached copy stood in for the repository
	err   error
}

// repoIndex is a repository's index.yaml. Its fields are those of Helm's
// IndexFile: the file is read strictly, as Helm reads it, so an index Helm
// rejects is rejected here too.
type repoIndex struct {
	ServerInfo  map[string]any           `json:"serverInfo,omitempty"`
	APIVersion  string                   `json:"apiVersion"`
	Generated   time.Time                `json:"generated"`
	Entries     map[string]chartVersions `json:"entries"`
	PublicKeys  []string                 `json:"publicKeys,omitempty"`
	Annotations map[string]string        `json:"annotations,omitempty"`
}

// chartVersion is one entry of an index, with the fields of Helm's
// ChartVersion (the deprecated ones only so that strict reading accepts
// them).
type chartVersion struct {
	*chartv2.Metadata
	URLs          []string  `json:"urls"`
	Created       time.Time `json:"created"`
	Removed       bool      `json:"removed,omitempty"`
	Digest        string    `json:"digest,omitempty"`
	Checksum      string    `json:"checksum,omitempty"`
	Engine        string    `json:"engine,omitempty"`
	TillerVersion string    `json:"tillerVersion,omitempty"`
	URL           string    `json:"url,omitempty"`
}

// chartVersions sorts as Helm sorts an index's entries: by semantic
// version, an unparsable version counting as the lowest.
type chartVersions []*chartVersion

func (c chartVersions) Len() int      { return len(c) }
func (c chartVersions) Swap(i, j int) { c[i], c[j] = c[j], c[i] }
func (c chartVersions) Less(a, b int) bool {
	i, err := semver.NewVersion(c[a].Version)
	if err != nil {
		return true
	}
	j, err := semver.NewVersion(c[b].Version)
	if err != nil {
		return false
	}
	return i.LessThan(j)
}

// parseIndex reads an index as Helm does: JSON when the bytes are JSON,
// else strict YAML; entries that are null or fail validation are dropped
// (but not for a duplicate alias, which some repositories produce by
// stripping aliases); each chart's versions newest first, with Helm's
// (unstable) sort so that equal versions keep Helm's order.
func parseIndex(data []byte) (*repoIndex, error) {
	if len(data) == 0 {
		return nil, errors.New("empty index.yaml")
	}
	idx := &repoIndex{}
	var err error
	if json.Valid(data) {
		err = json.Unmarshal(data, idx)
	} else {
		err = yaml.UnmarshalStrict(data, idx)
	}
	if err != nil {
		return nil, err
	}
	for name, cvs := range idx.Entries {
		kept := cvs[:0]
		for _, v := range cvs {
			if v == nil {
				continue
			}
			if v.Metadata == nil {
				v.Metadata = &chartv2.Metadata{}
			}
			if v.APIVersion == "" {
				v.APIVersion = chartv2.APIVersionV1
			}
			if err := v.Validate(); err != nil && !skippableValidation(err) {
				continue
			}
			kept = append(kept, v)
		}
		idx.Entries[name] = kept
		sort.Sort(sort.Reverse(kept))
	}
	if idx.APIVersion == "" {
		return nil, errors.New("no API version specified")
	}
	return idx, nil
}

func skippableValidation(err error) bool {
	var verr chartv2.ValidationError
	return errors.As(err, &verr) && strings.HasPrefix(verr.Error(), "validation: more than one dependency with name or alias")
}

// resolveVersion is the version helm dependency update locks for a
// constraint: the first (newest) entry whose version parses, which has a
// download URL, and which the constraint allows. Masterminds' constraints
// leave out prereleases unless the constraint names one, as Helm does.
func resolveVersion(idx *repoIndex, name, constraint, repo string) (string, error) {
	c, err := semver.NewConstraint(constraint)
	if err != nil {
		return "", fmt.Errorf("invalid version constraint %q: %v", constraint, err)
	}
	vs, ok := idx.Entries[name]
	if !ok {
		return "", fmt.Errorf("chart %s not found in the repository index of %s", name, repo)
	}
	for _, cv := range vs {
		v, err := semver.NewVersion(cv.Version)
		if err != nil || len(cv.URLs) == 0 {
			continue
		}
		if c.Check(v) {
			return v.Original(), nil
		}
	}
	return "", fmt.Errorf("no version of chart %s in %s satisfies %q (%s)", name, repo, constraint, versionList(vs))
}

// versionList names the newest versions an index offers, for an error.
func versionList(vs chartVersions) string {
	if len(vs) == 0 {
		return "the index lists no version"
	}
	var out []string
	for i, v := range vs {
		if i == 5 {
			out = append(out, fmt.Sprintf("and %d more", len(vs)-5))
			break
		}
		out = append(out, v.Version)
	}
	return "the index has " + strings.Join(out, ", ")
}

// getVersion is the entry helm dependency build downloads for an exact
// version (a resolved or locked one): the entry whose version string is
// that version, else the first the version, read as a constraint, allows.
func getVersion(idx *repoIndex, name, version string) (*chartVersion, error) {
	vs, ok := idx.Entries[name]
	if !ok || len(vs) == 0 {
		return nil, fmt.Errorf("chart %s not found in the repository index", name)
	}
	c, err := semver.NewConstraint(version)
	if err != nil {
		return nil, fmt.Errorf("invalid version %q: %v", version, err)
	}
	for _, cv := range vs {
		if cv.Version == version {
			return cv, nil
		}
	}
	for _, cv := range vs {
		if v, err := semver.NewVersion(cv.Version); err == nil && c.Check(v) {
			return cv, nil
		}
	}
	return nil, fmt.Errorf("chart %s version %s not found in the repository index", name, version)
}

// resolveReference resolves a URL of an index against the repository's
// URL as Helm does: relative to the repository URL taken as a directory,
// keeping the repository URL's query (some repositories sign it).
func resolveReference(base, ref string) (*url.URL, error) {
	r, err := url.Parse(ref)
	if err != nil {
		return nil, err
	}
	if r.IsAbs() {
		return r, nil
	}
	b, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	b.RawPath = strings.TrimSuffix(b.RawPath, "/") + "/"
	b.Path = strings.TrimSuffix(b.Path, "/") + "/"
	u := b.ResolveReference(r)
	u.RawQuery = b.RawQuery
	return u, nil
}

// displayURL leaves out user information and the query, which may hold
// credentials, from a URL shown in a diagnostic.
func displayURL(u *url.URL) string { return modfetch.DisplayURL(u) }

// statusError is a response that was not a success.
type statusError struct {
	code int
	url  string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("GET %s: %d %s", e.url, e.code, http.StatusText(e.code))
}

// get fetches u into memory, at most limit bytes.
func (f *Fetcher) get(ctx context.Context, u *url.URL, limit int64) ([]byte, error) {
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("%s: only http and https chart repositories are fetched", displayURL(u))
	}
	resp, err := modfetch.Get(ctx, f.client(), u, "", "eksguard-helm")
	if err != nil {
		var se *modfetch.StatusError
		if errors.As(err, &se) {
			return nil, &statusError{code: se.Code, url: se.URL}
		}
		return nil, err
	}
	defer resp.Body.Close()
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("GET %s: %d bytes exceed the bound of %d MiB", displayURL(u), resp.ContentLength, limit>>20)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %v", displayURL(u), err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("GET %s: more than %d MiB", displayURL(u), limit>>20)
	}
	return data, nil
}

// client is the caller's client, made to refuse a redirect to another
// scheme: a repository on https must not hand the download to plain http.
func (f *Fetcher) client() *http.Client {
	c := http.DefaultClient
	if f.Client != nil {
		c = f.Client
	}
	cc := *c
	cc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		if req.URL.Scheme != via[0].URL.Scheme {
			return fmt.Errorf("redirect from %s to %s refused: it changes the scheme", displayURL(via[0].URL), displayURL(req.URL))
		}
		if c.CheckRedirect != nil {
			return c.CheckRedirect(req, via)
		}
		return nil
	}
	return &cc
}

func (f *Fetcher) maxIndex() int64 {
	if f.MaxIndexBytes > 0 {
		return f.MaxIndexBytes
	}
	return DefaultMaxIndex
}

func (f *Fetcher) maxChart() int64 {
	if f.MaxChartBytes > 0 {
		return f.MaxChartBytes
	}
	return MaxChartSize
}

func cacheKey(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:20])
}

// index is the repository's index, fetched once per Fetcher. When the
// repository cannot be reached (no answer, or a server error) a copy
// cached by an earlier run stands in, and stale says so; a 4xx answer is
// the repository's own and is not papered over.
func (f *Fetcher) index(ctx context.Context, repo string) (*repoIndex, string, error) {
	f.mu.Lock()
	if f.indexes == nil {
		f.indexes = map[string]*indexFetch{}
	}
	e := f.indexes[repo]
	if e == nil {
		e = &indexFetch{}
		f.indexes[repo] = e
	}
	f.mu.Unlock()
	e.once.Do(func() {
		e.index, e.stale, e.err = f.fetchIndex(ctx, repo)
	})
	return e.index, e.stale, e.err
}

func (f *Fetcher) fetchIndex(ctx context.Context, repo string) (*repoIndex, string, error) {
	u, err := resolveReference(repo, "index.yaml")
	if err != nil {
		return nil, "", fmt.Errorf("repository URL %q: %v", repo, err)
	}
	cached := filepath.Join(f.CacheDir, "index", cacheKey(repo)+".yaml")
	data, err := f.get(ctx, u, f.maxIndex())
	if err != nil {
		var se *statusError
		if errors.As(err, &se) && se.code < 500 {
			return nil, "", err
		}
		old, rerr := os.ReadFile(cached)
		if rerr != nil {
			return nil, "", err
		}
		idx, perr := parseIndex(old)
		if perr != nil {
			return nil, "", err
		}
		when := ""
		if fi, serr := os.Stat(cached); serr == nil {
			when = " fetched on " + fi.ModTime().UTC().Format("2006-01-02 15:04 UTC")
		}
		return idx, "the repository index was read from the cache (" + strings.TrimPrefix(when, " ") + "): " + err.Error(), nil
	}
	idx, err := parseIndex(data)
	if err != nil {
		return nil, "", fmt.Errorf("%s: not a chart repository index: %v", displayURL(u), err)
	}
	// A cache that cannot be written costs only the offline fallback.
	_ = writeAtomic(cached, data)
	return idx, "", nil
}

// writeAtomic writes through a temporary file renamed into place, so a
// reader never sees half a file.
func writeAtomic(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// fetched is a chart archive downloaded (or found in the cache) for a
// dependency.
type fetched struct {
	data    []byte
	chart   *chartv2.Chart
	version string
	url     string // where it was downloaded from ("" when the cache answered without a request)
	stale   string // set when a cached index stood in for the repository
}

// fetch returns the archive of chart name from the repository repo: the
// version Chart.lock pinned when pinned is set, else the newest that the
// constraint allows. A pinned version found in the cache costs no
// request; otherwise the index is read (once per Fetcher), the archive is
// taken from the cache when it matches the index's digest, or downloaded
// and checked against that digest.
func (f *Fetcher) fetch(ctx context.Context, repo, name, constraint string, pinned bool) (*fetched, error) {
	if f.CacheDir == "" {
		return nil, errors.New("no cache directory for Helm charts")
	}
	if pinned {
		if fc := f.cached(repo, name, constraint, ""); fc != nil {
			return fc, nil
		}
	}
	idx, stale, err := f.index(ctx, repo)
	if err != nil {
		return nil, err
	}
	version := constraint
	if !pinned {
		if version, err = resolveVersion(idx, name, constraint, repo); err != nil {
			return nil, err
		}
	}
	cv, err := getVersion(idx, name, version)
	if err != nil {
		if pinned {
			err = fmt.Errorf("%v (version pinned by Chart.lock)", err)
		}
		return nil, err
	}
	if len(cv.URLs) == 0 {
		return nil, fmt.Errorf("chart %s version %s has no download URL in the repository index", name, cv.Version)
	}
	digest := strings.ToLower(cv.Digest)
	if _, after, ok := strings.Cut(digest, ":"); ok {
		digest = after
	}
	if fc := f.cached(repo, name, version, digest); fc != nil {
		fc.stale = stale
		return fc, nil
	}
	u, err := resolveReference(repo, cv.URLs[0])
	if err != nil {
		return nil, fmt.Errorf("chart %s version %s: download URL %q: %v", name, cv.Version, cv.URLs[0], err)
	}
	data, err := f.get(ctx, u, f.maxChart())
	if err != nil {
		return nil, err
	}
	if digest != "" {
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != digest {
			return nil, fmt.Errorf("%s: digest mismatch: the archive's sha256 is %s, the repository index says %s", displayURL(u), got, digest)
		}
	}
	ch, err := loader.LoadArchive(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: not a chart archive: %v", displayURL(u), err)
	}
	_ = writeAtomic(f.archivePath(repo, name, version), data)
	return &fetched{data: data, chart: ch, version: version, url: displayURL(u), stale: stale}, nil
}

func (f *Fetcher) archivePath(repo, name, version string) string {
	return filepath.Join(f.CacheDir, "charts", cacheKey(repo, name, version)+".tgz")
}

// cached is the archive an earlier run downloaded, if it is still whole,
// is a chart, and (when a digest is given) matches it.
func (f *Fetcher) cached(repo, name, version, digest string) *fetched {
	data, err := os.ReadFile(f.archivePath(repo, name, version))
	if err != nil || int64(len(data)) > f.maxChart() {
		return nil
	}
	if digest != "" {
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != digest {
			return nil
		}
	}
	ch, err := loader.LoadArchive(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	return &fetched{data: data, chart: ch, version: version}
}
