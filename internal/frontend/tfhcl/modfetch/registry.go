package modfetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/go-version"
)

// registryDir is where one registry module's versions live in the cache.
// A port's colon is written as "_", which no host name contains, because
// Windows forbids colons in file names.
func (f *Fetcher) registryDir(s *source) (string, error) {
	root, err := f.cacheRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "registry", strings.ReplaceAll(s.host, ":", "_"), s.namespace, s.name, s.system), nil
}

// resolution records which version a constraint picked, so that a later
// run reuses it without asking the registry, as `terraform init` reuses
// .terraform/modules.
type resolution struct {
	Constraint string `json:"constraint"`
	Version    string `json:"version"`
}

func resolutionFile(modDir, constraint string) string {
	return filepath.Join(modDir, "resolved", hashKey("constraint:" + strings.TrimSpace(constraint))[:16]+".json")
}

func (f *Fetcher) fetchRegistry(ctx context.Context, s *source, constraint string) (*Module, error) {
	cons, err := parseConstraint(constraint)
	if err != nil {
		return nil, fmt.Errorf("module %s: version constraint %q: %v", s, constraint, err)
	}
	modDir, err := f.registryDir(s)
	if err != nil {
		return nil, err
	}
	unlock := f.lock(modDir)
	defer unlock()

	if !f.Refresh {
		if r, ok := readResolution(resolutionFile(modDir, constraint)); ok && validVersionDir(r.Version) {
			entry := filepath.Join(modDir, r.Version)
			if meta, ok := readEntry(entry); ok {
				return f.registryModule(s, entry, meta, r.Version, "")
			}
		}
	}

	base, token, err := f.registryBase(ctx, s)
	var chosen *version.Version
	if err == nil {
		chosen, err = f.chooseVersion(ctx, s, base, token, cons, constraint)
	}
	if err != nil {
		var nf *noMatchError
		if errors.As(err, &nf) {
			return nil, err
		}
		// The registry could not be asked: the newest cached version that
		// the constraint allows keeps an offline scan going, but the caller
		// learns that the registry may know a newer one.
		if v, entry, meta, ok := newestCached(modDir, cons, constraint); ok {
			return f.registryModule(s, entry, meta, v, fmt.Sprintf("registry unreachable (%v); using cached version %s", err, v))
		}
		return nil, err
	}
	vs := chosen.Original()
	if !validVersionDir(vs) {
		vs = chosen.String()
	}
	entry := filepath.Join(modDir, vs)
	meta, ok := readEntry(entry)
	if !ok || f.Refresh {
		meta, err = f.install(ctx, entry, s.String()+" "+vs, func(dst string) (string, error) {
			loc, err := f.downloadLocation(ctx, s, base, token, vs)
			if err != nil {
				return "", err
			}
			return f.getLocation(ctx, loc, dst, 0)
		})
		if err != nil {
			return nil, err
		}
	}
	writeResolution(resolutionFile(modDir, constraint), resolution{Constraint: constraint, Version: vs})
	return f.registryModule(s, entry, meta, vs, "")
}

func (f *Fetcher) registryModule(s *source, entry string, meta entryMeta, v, stale string) (*Module, error) {
	dir, err := moduleDir(entry, joinSubdir(meta.Subdir, s.subdir))
	if err != nil {
		return nil, fmt.Errorf("module %s %s: %v", s, v, err)
	}
	return &Module{Dir: dir, Version: v, Stale: stale}, nil
}

var versionDirRe = lazyRegexp(`^[0-9A-Za-z][0-9A-Za-z.+-]{0,127}$`)

// validVersionDir keeps a registry's version string from naming a path
// outside the module's cache directory.
func validVersionDir(v string) bool {
	return versionDirRe().MatchString(v) && !strings.Contains(v, "..") && v != "resolved"
}

func readResolution(p string) (resolution, bool) {
	var r resolution
	b, err := os.ReadFile(p)
	if err != nil || json.Unmarshal(b, &r) != nil || r.Version == "" {
		return r, false
	}
	return r, true
}

// writeResolution is best effort: without the record the next run only
// asks the registry again.
func writeResolution(p string, r resolution) {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".resolution-")
	if err != nil {
		return
	}
	b, _ := json.Marshal(r)
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), p) != nil {
		os.Remove(tmp.Name())
	}
}

func newestCached(modDir string, cons version.Constraints, raw string) (string, string, entryMeta, bool) {
	ents, err := os.ReadDir(modDir)
	if err != nil {
		return "", "", entryMeta{}, false
	}
	var best *version.Version
	var bestName string
	var bestMeta entryMeta
	for _, e := range ents {
		if !e.IsDir() || !validVersionDir(e.Name()) {
			continue
		}
		v, err := version.NewVersion(e.Name())
		if err != nil || !allowed(v, cons, raw) {
			continue
		}
		meta, ok := readEntry(filepath.Join(modDir, e.Name()))
		if !ok {
			continue
		}
		if best == nil || v.GreaterThan(best) {
			best, bestName, bestMeta = v, e.Name(), meta
		}
	}
	if best == nil {
		return "", "", entryMeta{}, false
	}
	return bestName, filepath.Join(modDir, bestName), bestMeta, true
}

func parseConstraint(s string) (version.Constraints, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	return version.NewConstraint(s)
}

// allowed applies a constraint as Terraform does for modules: a prerelease
// is only chosen when the constraint names exactly that version, so "~> 1.0"
// never picks 1.1.0-beta.
func allowed(v *version.Version, cons version.Constraints, raw string) bool {
	if !cons.Check(v) {
		return false
	}
	if v.Prerelease() == "" {
		return true
	}
	for _, c := range strings.Split(raw, ",") {
		c = strings.TrimSpace(c)
		if strings.HasPrefix(c, "!=") || strings.HasPrefix(c, ">") || strings.HasPrefix(c, "<") || strings.HasPrefix(c, "~") {
			continue
		}
		want, err := version.NewVersion(strings.TrimSpace(strings.TrimPrefix(c, "=")))
		if err == nil && want.Equal(v) && want.Prerelease() == v.Prerelease() {
			return true
		}
	}
	return false
}

// noMatchError means the registry answered but has no acceptable version;
// a cached version cannot be a better answer then.
type noMatchError struct{ msg string }

func (e *noMatchError) Error() string { return e.msg }

// registryBase finds the modules.v1 service URL: a CLI configuration host
// block overrides discovery, as it does in Terraform.
func (f *Fetcher) registryBase(ctx context.Context, s *source) (*url.URL, string, error) {
	cfg, err := f.loadCLIConfig()
	if err != nil {
		return nil, "", err
	}
	token, err := f.token(s.host)
	if err != nil {
		return nil, "", err
	}
	discovery := &url.URL{Scheme: "https", Host: s.host, Path: "/.well-known/terraform.json"}
	var svc string
	if hs, ok := cfg.services[s.host]; ok {
		svc = hs["modules.v1"]
		if svc == "" {
			return nil, "", fmt.Errorf("module %s: the CLI configuration's host %q block offers no modules.v1 service", s, s.host)
		}
	} else {
		var doc map[string]any
		if err := f.getJSON(ctx, discovery, "", &doc); err != nil {
			return nil, "", fmt.Errorf("module %s: service discovery at %s: %w", s, s.host, err)
		}
		v, ok := doc["modules.v1"].(string)
		if !ok || v == "" {
			return nil, "", &noMatchError{fmt.Sprintf("module %s: host %s offers no module registry (no modules.v1 in its service discovery)", s, s.host)}
		}
		svc = v
	}
	rel, err := url.Parse(svc)
	if err != nil {
		return nil, "", fmt.Errorf("module %s: bad modules.v1 URL %q: %v", s, svc, err)
	}
	base := discovery.ResolveReference(rel)
	if base.Scheme != "https" && base.Scheme != "http" {
		return nil, "", fmt.Errorf("module %s: modules.v1 URL %q is not http(s)", s, svc)
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	return base, token, nil
}

func (f *Fetcher) chooseVersion(ctx context.Context, s *source, base *url.URL, token string, cons version.Constraints, raw string) (*version.Version, error) {
	u := base.ResolveReference(&url.URL{Path: url.PathEscape(s.namespace) + "/" + url.PathEscape(s.name) + "/" + url.PathEscape(s.system) + "/versions"})
	var doc struct {
		Modules []struct {
			Versions []struct {
				Version string `json:"version"`
			} `json:"versions"`
		} `json:"modules"`
	}
	if err := f.getJSON(ctx, u, token, &doc); err != nil {
		var he *StatusError
		if errors.As(err, &he) && he.Code == http.StatusNotFound {
			return nil, &noMatchError{fmt.Sprintf("module %s does not exist in the registry", s)}
		}
		return nil, fmt.Errorf("module %s: listing versions: %w", s, err)
	}
	var all []*version.Version
	for _, m := range doc.Modules {
		for _, mv := range m.Versions {
			if v, err := version.NewVersion(mv.Version); err == nil {
				all = append(all, v)
			}
		}
	}
	sort.Sort(sort.Reverse(version.Collection(all)))
	for _, v := range all {
		if allowed(v, cons, raw) {
			return v, nil
		}
	}
	if raw == "" {
		return nil, &noMatchError{fmt.Sprintf("module %s has no versions in the registry", s)}
	}
	return nil, &noMatchError{fmt.Sprintf("module %s has no version matching %q (%d available)", s, raw, len(all))}
}

// downloadLocation asks where a version's package is: registries answer
// 204 with X-Terraform-Get, or 200 with a JSON location. A relative
// location is relative to the download URL.
func (f *Fetcher) downloadLocation(ctx context.Context, s *source, base *url.URL, token, v string) (*source, error) {
	u := base.ResolveReference(&url.URL{Path: url.PathEscape(s.namespace) + "/" + url.PathEscape(s.name) + "/" + url.PathEscape(s.system) + "/" + url.PathEscape(v) + "/download"})
	resp, err := f.get(ctx, u, token)
	if err != nil {
		return nil, fmt.Errorf("module %s %s: download: %w", s, v, err)
	}
	defer resp.Body.Close()
	loc := resp.Header.Get("X-Terraform-Get")
	if loc == "" && resp.StatusCode == http.StatusOK {
		var doc struct {
			Location string `json:"location"`
		}
		if err := decodeJSON(resp, &doc); err != nil {
			return nil, fmt.Errorf("module %s %s: download: %v", s, v, err)
		}
		loc = doc.Location
	}
	if loc == "" {
		return nil, fmt.Errorf("module %s %s: the registry gave no download location", s, v)
	}
	src, err := resolveLocation(u, loc)
	if err != nil {
		return nil, fmt.Errorf("module %s %s: download location: %v", s, v, err)
	}
	return src, nil
}

// resolveLocation turns a location a server handed over into a source.
// Only explicit relative paths are resolved against the URL they came from;
// anything else is a source address in its own right (a URL, git::…, or a
// go-getter shorthand).
func resolveLocation(from *url.URL, loc string) (*source, error) {
	if strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "./") || strings.HasPrefix(loc, "../") {
		pkg, subdir := splitSubdir(loc)
		rel, err := url.Parse(pkg)
		if err != nil {
			return nil, err
		}
		loc = from.ResolveReference(rel).String()
		if subdir != "" {
			p, q, _ := strings.Cut(loc, "?")
			loc = p + "//" + subdir
			if q != "" {
				loc += "?" + q
			}
		}
	}
	s, err := parseRemote(loc)
	if err != nil {
		return nil, err
	}
	return s, nil
}
