package modfetch

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// sourceKind says which getter fetches a package.
type sourceKind int

const (
	kindRegistry sourceKind = iota + 1
	kindHTTP
	kindGit
)

// source is a module source address split the way Terraform and go-getter
// split it: what to fetch (the package), and where in it the module lives.
type source struct {
	kind   sourceKind
	subdir string // slash-separated, may hold a glob as go-getter allows

	// registry
	host, namespace, name, system string

	// http: the URL to GET, its query without the go-getter "archive" key,
	// and the archive format ("" when it is to be guessed from the path).
	url     *url.URL
	archive string

	// git
	gitURL string // as handed to git: a URL or scp-like user@host:path
	ref    string
	depth  int
}

// key names the package (not the subdir) for the cache, so that two module
// blocks using different directories of one repository share one download.
func (s *source) key() string {
	switch s.kind {
	case kindHTTP:
		u := *s.url
		k := u.String()
		if s.archive != "" {
			k += "#archive=" + s.archive
		}
		return "http:" + k
	case kindGit:
		return "git:" + s.gitURL + "#ref=" + s.ref + "#depth=" + strconv.Itoa(s.depth)
	}
	return "registry:" + s.host + "/" + s.namespace + "/" + s.name + "/" + s.system
}

// String shows the package address without secrets a URL may carry.
func (s *source) String() string {
	switch s.kind {
	case kindHTTP:
		return redactURL(s.url)
	case kindGit:
		if u, err := url.Parse(s.gitURL); err == nil && u.Scheme != "" {
			return "git::" + redactURL(u)
		}
		return "git::" + s.gitURL
	}
	return s.host + "/" + s.namespace + "/" + s.name + "/" + s.system
}

// redactURL keeps a user name (ssh's "git@" is harmless and helps reading)
// but never a password.
func redactURL(u *url.URL) string {
	if u.User == nil {
		return u.String()
	}
	c := *u
	if _, ok := c.User.Password(); ok {
		c.User = url.UserPassword(c.User.Username(), "redacted")
	}
	return c.String()
}

const defaultRegistryHost = "registry.terraform.io"

// lazyRegexp compiles expr when first used rather than when the program
// starts: most scans fetch nothing, and every run paid for compiling these.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

var (
	forcedRe = lazyRegexp(`^([A-Za-z0-9]+)::(.+)$`)
	// Terraform's registry address parts: namespace and name allow dashes
	// and underscores inside, the target system is lower-case alphanumeric.
	regNameRe   = lazyRegexp(`^[0-9A-Za-z](?:[0-9A-Za-z_-]{0,62}[0-9A-Za-z])?$`)
	regSystemRe = lazyRegexp(`^[0-9a-z]{1,64}$`)
	scpLikeRe   = lazyRegexp(`^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^/]`)
	commitRe    = lazyRegexp(`^[0-9a-fA-F]{7,64}$`)
)

// splitSubdir separates "pkg//subdir?query" into "pkg?query" and "subdir",
// looking for "//" only after a scheme's "://" as go-getter does.
func splitSubdir(src string) (pkg, subdir string) {
	off := 0
	if i := strings.Index(src, "://"); i >= 0 {
		off = i + 3
	}
	i := strings.Index(src[off:], "//")
	if i < 0 {
		return src, ""
	}
	i += off
	pkg, subdir = src[:i], src[i+2:]
	// The query belongs to the package even when written after the subdir.
	if q := strings.Index(subdir, "?"); q >= 0 {
		pkg += subdir[q:]
		subdir = subdir[:q]
	}
	return pkg, subdir
}

func isLocal(s string) bool {
	return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") ||
		strings.HasPrefix(s, `.\`) || strings.HasPrefix(s, `..\`)
}

// parseSource classifies a module block's source address. Terraform first
// tries the registry syntax and hands anything else to go-getter; this
// follows the same order so an address means the same thing to both.
func parseSource(raw string) (*source, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, fmt.Errorf("empty module source")
	}
	if isLocal(raw) {
		return nil, fmt.Errorf("module source %q is a local path, not fetched", raw)
	}
	if s, ok := parseRegistry(raw); ok {
		return s, nil
	}
	return parseRemote(raw)
}

func parseRegistry(raw string) (*source, bool) {
	pkg, subdir := splitSubdir(raw)
	if strings.ContainsAny(pkg, "?#:@") && !hostWithPort(pkg) {
		return nil, false
	}
	parts := strings.Split(pkg, "/")
	host := defaultRegistryHost
	switch len(parts) {
	case 3:
	case 4:
		host = strings.ToLower(parts[0])
		if !validHost(host) {
			return nil, false
		}
		// go-getter's shorthands win for these, as in Terraform.
		if host == "github.com" || host == "bitbucket.org" {
			return nil, false
		}
		parts = parts[1:]
	default:
		return nil, false
	}
	if !regNameRe().MatchString(parts[0]) || !regNameRe().MatchString(parts[1]) || !regSystemRe().MatchString(parts[2]) {
		return nil, false
	}
	return &source{kind: kindRegistry, host: host, namespace: parts[0], name: parts[1], system: parts[2], subdir: subdir}, true
}

// hostWithPort lets "host:port/ns/name/system" through the quick rejection
// of URL-ish characters; validHost checks the host part properly.
func hostWithPort(pkg string) bool {
	first, _, _ := strings.Cut(pkg, "/")
	return strings.Count(pkg, ":") == 1 && strings.Contains(first, ":") && !strings.ContainsAny(pkg, "?#@")
}

var hostLabelRe = lazyRegexp(`^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`)

// validHost accepts a dotted DNS name with an optional port, which is what
// a registry host in a module address must be (a bare word is a namespace).
func validHost(h string) bool {
	name, port, hasPort := strings.Cut(h, ":")
	if hasPort {
		if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
			return false
		}
	}
	if !strings.Contains(name, ".") {
		return false
	}
	for _, l := range strings.Split(name, ".") {
		if !hostLabelRe().MatchString(l) {
			return false
		}
	}
	return true
}

// unsupportedGetters are go-getter schemes eksguard knowingly does not
// implement; naming them beats a confusing "not a URL" error.
var unsupportedGetters = map[string]string{
	"s3":   "Amazon S3",
	"gcs":  "Google Cloud Storage",
	"hg":   "Mercurial",
	"file": "local files (write a relative path starting with ./ or ../)",
}

func parseRemote(raw string) (*source, error) {
	pkg, subdir := splitSubdir(raw)
	forced := ""
	if m := forcedRe().FindStringSubmatch(pkg); m != nil {
		forced, pkg = strings.ToLower(m[1]), m[2]
	}
	if what, ok := unsupportedGetters[forced]; ok {
		return nil, fmt.Errorf("module source %q uses the %q getter (%s), which eksguard cannot fetch", raw, forced, what)
	}
	switch {
	case forced == "" && (strings.HasPrefix(pkg, "github.com/") || strings.HasPrefix(pkg, "bitbucket.org/")):
		return parseHostedGit(raw, pkg, subdir)
	case forced == "" && strings.Contains(pkg, ".amazonaws.com/"):
		return nil, fmt.Errorf("module source %q is an Amazon S3 address (s3 getter), which eksguard cannot fetch", raw)
	case forced == "" && strings.Contains(pkg, "googleapis.com/storage/"):
		return nil, fmt.Errorf("module source %q is a Google Cloud Storage address (gcs getter), which eksguard cannot fetch", raw)
	case forced == "" && scpLikeRe().MatchString(pkg):
		forced = "git"
	}
	switch forced {
	case "git":
		return parseGit(raw, pkg, subdir)
	case "", "http", "https":
		u, err := url.Parse(pkg)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("module source %q is neither a registry address, a known shorthand nor a URL", raw)
		}
		switch u.Scheme {
		case "http", "https":
		case "git+ssh", "ssh":
			return nil, fmt.Errorf("module source %q: a %s URL needs the git:: prefix", raw, u.Scheme)
		default:
			return nil, fmt.Errorf("module source %q uses the %q scheme, which eksguard cannot fetch", raw, u.Scheme)
		}
		q := u.Query()
		archive := q.Get("archive")
		q.Del("archive")
		u.RawQuery = q.Encode()
		return &source{kind: kindHTTP, url: u, archive: archive, subdir: subdir}, nil
	}
	return nil, fmt.Errorf("module source %q uses the %q getter, which eksguard cannot fetch", raw, forced)
}

// parseHostedGit expands go-getter's GitHub and Bitbucket shorthands: the
// first two path segments name the repository, further ones are a subdir.
func parseHostedGit(raw, pkg, subdir string) (*source, error) {
	p, query, _ := strings.Cut(pkg, "?")
	segs := strings.Split(p, "/")
	if len(segs) < 3 || segs[1] == "" || segs[2] == "" {
		return nil, fmt.Errorf("module source %q: %s shorthand needs owner/repository", raw, segs[0])
	}
	repo := strings.TrimSuffix(segs[2], ".git")
	if len(segs) > 3 {
		extra := strings.Join(segs[3:], "/")
		if subdir != "" {
			subdir = extra + "/" + subdir
		} else {
			subdir = extra
		}
	}
	u := "https://" + segs[0] + "/" + segs[1] + "/" + repo + ".git"
	if query != "" {
		u += "?" + query
	}
	return parseGit(raw, u, subdir)
}

func parseGit(raw, pkg, subdir string) (*source, error) {
	s := &source{kind: kindGit, subdir: subdir}
	var q url.Values
	if scpLikeRe().MatchString(pkg) && !strings.Contains(pkg, "://") {
		base, query, _ := strings.Cut(pkg, "?")
		var err error
		if q, err = url.ParseQuery(query); err != nil {
			return nil, fmt.Errorf("module source %q: bad query: %v", raw, err)
		}
		s.gitURL = base
	} else {
		u, err := url.Parse(pkg)
		if err != nil || u.Scheme == "" {
			return nil, fmt.Errorf("module source %q is not a git URL", raw)
		}
		switch u.Scheme {
		case "https", "http", "ssh", "git":
		default:
			// ext:: and file:// would let a module address run commands or
			// read the local disk through git.
			return nil, fmt.Errorf("module source %q: git over %q is not supported", raw, u.Scheme)
		}
		if u.Host == "" {
			return nil, fmt.Errorf("module source %q is not a git URL", raw)
		}
		q = u.Query()
		u.RawQuery = ""
		s.gitURL = u.String()
	}
	s.ref = q.Get("ref")
	if d := q.Get("depth"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("module source %q: depth must be a non-negative integer", raw)
		}
		s.depth = n
	}
	for k := range q {
		switch k {
		case "ref", "depth":
		case "sshkey":
			return nil, fmt.Errorf("module source %q: the sshkey argument is not supported; use an ssh agent", raw)
		default:
			return nil, fmt.Errorf("module source %q: unknown git argument %q", raw, k)
		}
	}
	if strings.HasPrefix(s.ref, "-") || strings.HasPrefix(s.gitURL, "-") {
		return nil, fmt.Errorf("module source %q: a ref or URL may not start with '-'", raw)
	}
	if s.depth > 0 && commitRe().MatchString(s.ref) {
		// A shallow clone can only start from a branch or tag name.
		return nil, fmt.Errorf("module source %q: depth cannot be used with a commit id ref", raw)
	}
	return s, nil
}

// joinSubdir combines the subdir a registry's download location names with
// the one the module block names.
func joinSubdir(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return path.Join(a, b)
}
