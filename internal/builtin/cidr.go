package builtin

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/eksguard/eksguard/internal/graph"
)

// The internet-exposure rules (NET-002, NET-003, NET-004, EKS-002,
// EKS-011) judge what a set of CIDR blocks admits, not how the blocks are
// spelled: ::/0 may be written 0000:0000:0000:0000:0000:0000:0000:0000/0,
// and 0.0.0.0/1 with 128.0.0.0/1 admit every address 0.0.0.0/0 does.
//
// "The internet" is every public address of one family: a set of blocks
// is the internet when their union covers all of publicV4 or all of
// publicV6. A list that leaves out only private, shared, loopback,
// link-local, documentation, benchmarking, multicast and reserved ranges
// (the usual "everything but RFC 1918" list) admits every host on the
// internet, so it counts; a list that leaves out any public address, even
// one, does not.

// parseCIDR reads a CIDR block as the AWS provider validates it and EC2
// stores it: any textual form of the address (IPv6 in full or compressed,
// an IPv4 address embedded in IPv6), a decimal prefix length (leading
// zeros allowed, as Go's net.ParseCIDR, which the provider uses, allows
// them: 0.0.0.0/00 is 0.0.0.0/0), and host bits masked (EC2 stores
// 10.0.0.5/8 as 10.0.0.0/8; the AWS provider rejects such a block at plan,
// so Terraform never applies it, but CloudFormation does). Anything else
// (surrounding spaces, a missing or signed length, an address with a
// zone, octets with leading zeros) is not a CIDR block AWS accepts.
func parseCIDR(s string) (netip.Prefix, bool) {
	addrText, bitsText, ok := strings.Cut(s, "/")
	if !ok || bitsText == "" || len(bitsText) > 3 {
		return netip.Prefix{}, false
	}
	addr, err := netip.ParseAddr(addrText)
	if err != nil || addr.Zone() != "" {
		return netip.Prefix{}, false
	}
	bits := 0
	for _, c := range bitsText {
		if c < '0' || c > '9' {
			return netip.Prefix{}, false
		}
		bits = bits*10 + int(c-'0')
	}
	if bits > addr.BitLen() {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(addr, bits).Masked(), true
}

// ipSpan is an inclusive range of addresses of one family.
type ipSpan struct{ lo, hi netip.Addr }

// ipSet is a set of addresses: spans sorted, disjoint and not adjacent.
// IPv4 spans sort before IPv6 ones.
type ipSet []ipSpan

func spanOf(p netip.Prefix) ipSpan {
	p = p.Masked()
	lo := p.Addr()
	if lo.Is4() {
		b := lo.As4()
		for i := p.Bits(); i < 32; i++ {
			b[i/8] |= 1 << (7 - i%8)
		}
		return ipSpan{lo, netip.AddrFrom4(b)}
	}
	b := lo.As16()
	for i := p.Bits(); i < 128; i++ {
		b[i/8] |= 1 << (7 - i%8)
	}
	return ipSpan{lo, netip.AddrFrom16(b)}
}

// newIPSet normalises spans into a set.
func newIPSet(spans ...ipSpan) ipSet {
	if len(spans) == 0 {
		return nil
	}
	s := append([]ipSpan(nil), spans...)
	sort.Slice(s, func(i, j int) bool { return s[i].lo.Less(s[j].lo) })
	out := ipSet{s[0]}
	for _, x := range s[1:] {
		last := &out[len(out)-1]
		if last.hi.BitLen() == x.lo.BitLen() {
			next := last.hi.Next()
			if !next.IsValid() || !next.Less(x.lo) { // overlapping or adjacent
				if last.hi.Less(x.hi) {
					last.hi = x.hi
				}
				continue
			}
		}
		out = append(out, x)
	}
	return out
}

func prefixSet(ps ...netip.Prefix) ipSet {
	spans := make([]ipSpan, len(ps))
	for i, p := range ps {
		spans[i] = spanOf(p)
	}
	return newIPSet(spans...)
}

func (s ipSet) union(t ipSet) ipSet {
	if len(t) == 0 {
		return s
	}
	if len(s) == 0 {
		return t
	}
	return newIPSet(append(append([]ipSpan(nil), s...), t...)...)
}

// minus is s without the addresses of t.
func (s ipSet) minus(t ipSet) ipSet {
	var out ipSet
	for _, x := range s {
		lo, hi, gone := x.lo, x.hi, false
		for _, y := range t {
			if y.hi.BitLen() != lo.BitLen() || y.hi.Less(lo) || hi.Less(y.lo) {
				continue
			}
			if lo.Less(y.lo) {
				out = append(out, ipSpan{lo, y.lo.Prev()})
			}
			if !y.hi.Less(hi) {
				gone = true
				break
			}
			lo = y.hi.Next()
		}
		if !gone {
			out = append(out, ipSpan{lo, hi})
		}
	}
	return out
}

// covers reports whether s holds every address of t: t.minus(s) is empty.
// It walks the spans as minus does but builds nothing, since the exposure
// rules ask it for every entry, point and family.
func (s ipSet) covers(t ipSet) bool {
	for _, x := range t {
		lo, gone := x.lo, false
		for _, y := range s {
			if y.hi.BitLen() != lo.BitLen() || y.hi.Less(lo) || x.hi.Less(y.lo) {
				continue
			}
			if lo.Less(y.lo) {
				return false // [lo, y.lo) is left
			}
			if !y.hi.Less(x.hi) {
				gone = true
				break
			}
			lo = y.hi.Next()
		}
		if !gone {
			return false
		}
	}
	return true
}

func (s ipSet) overlaps(t ipSet) bool { return len(t.minus(t.minus(s))) > 0 }

func mustPrefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

var (
	// publicV4 is IPv4 without the ranges IANA's special-purpose registry
	// marks not globally reachable (RFC 6890 and successors) and without
	// multicast and the reserved 240.0.0.0/4: the sources a packet from
	// the internet can carry.
	publicV4 = prefixSet(netip.MustParsePrefix("0.0.0.0/0")).minus(prefixSet(mustPrefixes(
		"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
		"192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
		"224.0.0.0/4", "240.0.0.0/4")...))
	// publicV6 is IANA's global unicast space, 2000::/3, without the
	// documentation prefixes.
	publicV6 = prefixSet(netip.MustParsePrefix("2000::/3")).minus(prefixSet(mustPrefixes("2001:db8::/32", "3fff::/20")...))
)

// family selects the IPv4 or IPv6 part of a set.
func (s ipSet) family(v6 bool) ipSet {
	var out ipSet
	for _, x := range s {
		if x.lo.Is6() == v6 {
			out = append(out, x)
		}
	}
	return out
}

func publicOf(v6 bool) ipSet {
	if v6 {
		return publicV6
	}
	return publicV4
}

// internetV reports whether s admits every public address of the family.
func (s ipSet) internetV(v6 bool) bool { return s.covers(publicOf(v6)) }

// internet reports whether s admits every public address of IPv4 or of
// IPv6.
func (s ipSet) internet() bool { return s.internetV(false) || s.internetV(true) }

// publicV reports whether s holds a public address of the family.
func (s ipSet) publicV(v6 bool) bool { return s.overlaps(publicOf(v6)) }

// cidrSources are the CIDR blocks written in one or more attributes: what
// parses, what does not, and, per family, whether some are not knowable
// from code (a block that is not valid counts as not knowable: AWS rejects
// it, and what was meant is a guess).
type cidrSources struct {
	texts              []string // as written, for messages
	set                ipSet
	invalid            []string
	unknown4, unknown6 bool
}

// The families an attribute may hold.
const (
	famV4 = 1 << iota
	famV6
	famAny = famV4 | famV6
)

// add reads a CIDR attribute, one string or a list of them, whose blocks
// are of the families fam.
func (c *cidrSources) add(v *graph.Value, fam int) {
	unknown := func() {
		c.unknown4 = c.unknown4 || fam&famV4 != 0
		c.unknown6 = c.unknown6 || fam&famV6 != 0
	}
	if v.IsUnknown() {
		unknown()
		return
	}
	var ps []netip.Prefix
	for _, e := range v.Items() {
		switch {
		case e.IsUnknown():
			unknown()
		case e.Kind == graph.String && e.Str == "":
			// How a plan shows an optional block left unset.
		case e.Kind == graph.String:
			if p, ok := parseCIDR(e.Str); ok {
				ps = append(ps, p)
				c.texts = append(c.texts, e.Str)
			} else {
				c.invalid = append(c.invalid, e.Str)
				unknown()
			}
		}
	}
	c.set = c.set.union(prefixSet(ps...))
}

// knownV reports whether every block of the family is knowable and valid.
func (c *cidrSources) knownV(v6 bool) bool {
	if v6 {
		return !c.unknown6
	}
	return !c.unknown4
}

// known reports whether every block is knowable and valid.
func (c *cidrSources) known() bool { return !c.unknown4 && !c.unknown6 }

// why says what keeps the blocks from being known.
func (c *cidrSources) why() string {
	if len(c.invalid) > 0 {
		return fmt.Sprintf("%q is not a CIDR block AWS accepts (the plan or the deployment fails on it)", c.invalid[0])
	}
	return "the source CIDRs are known only after apply"
}

// describe names the blocks written, "0.0.0.0/0" or "0.0.0.0/1,
// 128.0.0.0/1 (together every public IPv4 address)".
func (c *cidrSources) describe() string {
	var pub []string
	for _, t := range c.texts {
		if p, ok := parseCIDR(t); ok && prefixSet(p).overlaps(publicV4.union(publicV6)) {
			pub = append(pub, t)
		}
	}
	if len(pub) == 0 {
		pub = c.texts
	}
	s := strings.Join(pub, ", ")
	if len(pub) > 4 {
		s = strings.Join(pub[:3], ", ") + fmt.Sprintf(" and %d more", len(pub)-3)
	}
	if len(pub) > 1 {
		for _, v6 := range []bool{false, true} {
			if c.set.internetV(v6) && !anyAloneInternet(pub, v6) {
				s += " (together every public " + famName(v6) + " address)"
			}
		}
	}
	return s
}

func anyAloneInternet(texts []string, v6 bool) bool {
	for _, t := range texts {
		if p, ok := parseCIDR(t); ok && prefixSet(p).internetV(v6) {
			return true
		}
	}
	return false
}

func famName(v6 bool) string {
	if v6 {
		return "IPv6"
	}
	return "IPv4"
}
