package modfetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// StatusError is a response that was not a success. Code keeps the
// status for callers that treat some specially (404, 5xx); URL is shown
// as DisplayURL shows it.
type StatusError struct {
	Code int
	URL  string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("GET %s: %s", e.URL, http.StatusText(e.Code))
}

// DisplayURL drops user info and the query from URLs shown in errors:
// download locations are often pre-signed, with credentials in the query.
func DisplayURL(u *url.URL) string {
	c := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	return c.String()
}

// displayURL is DisplayURL, as this package's errors use it.
func displayURL(u *url.URL) string { return DisplayURL(u) }

// get performs a GET with the fetcher's client (see Get).
func (f *Fetcher) get(ctx context.Context, u *url.URL, token string) (*http.Response, error) {
	return Get(ctx, f.client(), u, token, "eksguard-modfetch")
}

// Get performs a GET with client and returns a response with a 2xx
// status, or a *StatusError. The token, when given, goes only into the
// Authorization header, so no error built here can contain it.
func Get(ctx context.Context, client *http.Client, u *url.URL, token, agent string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %v", displayURL(u), err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("User-Agent", agent)
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its message repeats the full URL
		}
		return nil, fmt.Errorf("GET %s: %v", displayURL(u), err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		return nil, &StatusError{Code: resp.StatusCode, URL: displayURL(u)}
	}
	return resp, nil
}

func (f *Fetcher) getJSON(ctx context.Context, u *url.URL, token string, v any) error {
	resp, err := f.get(ctx, u, token)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := decodeJSON(resp, v); err != nil {
		return fmt.Errorf("GET %s: %v", displayURL(u), err)
	}
	return nil
}

func decodeJSON(resp *http.Response, v any) error {
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxMetadataBytes+1))
	if err != nil {
		return err
	}
	if len(b) > maxMetadataBytes {
		return fmt.Errorf("response larger than %d bytes", maxMetadataBytes)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("malformed JSON response: %v", err)
	}
	return nil
}

// getPackage fetches the package a source names into dst and returns the
// subdir that hand-offs to other locations added; the source's own subdir
// is left to the caller.
func (f *Fetcher) getPackage(ctx context.Context, s *source, dst string, hops int) (string, error) {
	switch s.kind {
	case kindGit:
		return "", f.gitClone(ctx, s, dst)
	case kindHTTP:
		return f.getHTTP(ctx, s, dst, hops)
	}
	return "", fmt.Errorf("module source %s: a registry address cannot be a download location", s)
}

// archiveFormat decides from the archive= argument or the URL's path
// suffix, as go-getter does.
func archiveFormat(s *source) string {
	if s.archive != "" {
		return strings.ToLower(s.archive)
	}
	p := strings.ToLower(path.Base(s.url.Path))
	for _, ext := range []string{"tar.gz", "tgz", "tar.bz2", "tbz2", "tar.xz", "txz", "tar", "zip"} {
		if strings.HasSuffix(p, "."+ext) {
			return ext
		}
	}
	return ""
}

var metaTerraformGetRe = lazyRegexp(`(?i)<meta\s+name=["']terraform-get["']\s+content=["']([^"']+)["']`)

// getHTTP downloads an archive, or, for a URL that does not look like one,
// asks the server where the package is (X-Terraform-Get header or a
// terraform-get meta tag) the way go-getter's HTTP getter does.
func (f *Fetcher) getHTTP(ctx context.Context, s *source, dst string, hops int) (string, error) {
	format := archiveFormat(s)
	if format == "false" {
		return "", fmt.Errorf("module source %s: archive=false would fetch a single file, not a module", s)
	}
	if format != "" {
		if _, ok := extractors[format]; !ok {
			return "", fmt.Errorf("module source %s: %s archives are not supported", s, format)
		}
		return "", f.downloadArchive(ctx, s.url, format, dst)
	}
	if hops >= maxRedirectHops {
		return "", fmt.Errorf("module source %s: too many X-Terraform-Get hand-offs", s)
	}
	u := *s.url
	q := u.Query()
	q.Set("terraform-get", "1")
	u.RawQuery = q.Encode()
	resp, err := f.get(ctx, &u, "")
	if err != nil {
		return "", fmt.Errorf("module source %s: %w", s, err)
	}
	defer resp.Body.Close()
	loc := resp.Header.Get("X-Terraform-Get")
	if loc == "" {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxMetadataBytes))
		if m := metaTerraformGetRe().FindSubmatch(b); m != nil {
			loc = string(m[1])
		}
	}
	if loc == "" {
		return "", fmt.Errorf("module source %s: not an archive (no .zip/.tar.gz suffix or archive= argument) and the server named no X-Terraform-Get location", s)
	}
	next, err := resolveLocation(&u, loc)
	if err != nil {
		return "", fmt.Errorf("module source %s: location: %v", s, err)
	}
	return f.getLocation(ctx, next, dst, hops+1)
}

// getLocation fetches a location a server handed over; its subdir is part
// of the answer, unlike a module block's own, which the cache key leaves
// out so that blocks naming different directories share one entry.
func (f *Fetcher) getLocation(ctx context.Context, s *source, dst string, hops int) (string, error) {
	sub, err := f.getPackage(ctx, s, dst, hops)
	return joinSubdir(sub, s.subdir), err
}

// downloadArchive saves the body to a temporary file first: zip needs
// random access, and a capped copy on disk keeps memory use flat.
func (f *Fetcher) downloadArchive(ctx context.Context, u *url.URL, format, dst string) error {
	resp, err := f.get(ctx, u, "")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	limit := f.maxDownload()
	if resp.ContentLength > limit {
		return fmt.Errorf("GET %s: archive of %d bytes exceeds the %d byte limit", displayURL(u), resp.ContentLength, limit)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "archive-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	n, err := io.Copy(tmp, io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return fmt.Errorf("GET %s: %v", displayURL(u), err)
	}
	if n > limit {
		return fmt.Errorf("GET %s: archive exceeds the %d byte limit", displayURL(u), limit)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if err := extractors[format](tmp, n, dst, f.limits()); err != nil {
		return fmt.Errorf("archive %s: %w", displayURL(u), err)
	}
	return nil
}
