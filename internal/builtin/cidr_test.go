package builtin

import (
	"math/rand"
	"net/netip"
	"testing"

	"github.com/eksguard/eksguard/internal/graph"
)

func TestParseCIDR(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // "" when AWS does not accept it
	}{
		{"0.0.0.0/0", "0.0.0.0/0"},
		{"::/0", "::/0"},
		{"0000:0000:0000:0000:0000:0000:0000:0000/0", "::/0"},
		{"0:0:0:0:0:0:0:0/0", "::/0"},
		{"0.0.0.0/00", "0.0.0.0/0"},
		{"0.0.0.0/032", "0.0.0.0/32"},
		{"10.0.0.5/8", "10.0.0.0/8"},
		{"1.2.3.4/0", "0.0.0.0/0"},
		{"2001:DB8::/32", "2001:db8::/32"},
		{"::ffff:0.0.0.0/96", "::ffff:0.0.0.0/96"},
		{" 0.0.0.0/0", ""},
		{"0.0.0.0/0 ", ""},
		{"0.0.0.0", ""},
		{"0.0.0.0/", ""},
		{"0.0.0.0/33", ""},
		{"::/129", ""},
		{"0.0.0.0/+0", ""},
		{"0.0.0.0/-0", ""},
		{"0.0.0.0/0000", ""},
		{"010.0.0.0/8", ""},
		{"fe80::1%eth0/64", ""},
		{"any", ""},
		{"", ""},
	} {
		p, ok := parseCIDR(c.in)
		got := ""
		if ok {
			got = p.String()
		}
		if got != c.want {
			t.Errorf("parseCIDR(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func setOf(t *testing.T, ss ...string) ipSet {
	t.Helper()
	var ps []netip.Prefix
	for _, s := range ss {
		p, ok := parseCIDR(s)
		if !ok {
			t.Fatalf("bad test prefix %q", s)
		}
		ps = append(ps, p)
	}
	return prefixSet(ps...)
}

// allButPrivate is every IPv4 address but 10.0.0.0/8, 172.16.0.0/12 and
// 192.168.0.0/16, the list written to mean "the internet, not the VPC".
var allButPrivate = []string{"0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6", "16.0.0.0/4", "32.0.0.0/3",
	"64.0.0.0/2", "128.0.0.0/3", "160.0.0.0/5", "168.0.0.0/6", "172.0.0.0/12", "172.32.0.0/11", "172.64.0.0/10",
	"172.128.0.0/9", "173.0.0.0/8", "174.0.0.0/7", "176.0.0.0/4", "192.0.0.0/9", "192.128.0.0/11", "192.160.0.0/13",
	"192.169.0.0/16", "192.170.0.0/15", "192.172.0.0/14", "192.176.0.0/12", "192.192.0.0/10", "193.0.0.0/8",
	"194.0.0.0/7", "196.0.0.0/6", "200.0.0.0/5", "208.0.0.0/4", "224.0.0.0/3"}

func TestInternet(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []string
		want bool
	}{
		{"v4 any", []string{"0.0.0.0/0"}, true},
		{"v6 any", []string{"::/0"}, true},
		{"v6 any, long form", []string{"0000:0000:0000:0000:0000:0000:0000:0000/0"}, true},
		{"v4 halves", []string{"0.0.0.0/1", "128.0.0.0/1"}, true},
		{"v4 halves, host bits", []string{"0.0.0.1/1", "128.0.0.1/1"}, true},
		{"v6 halves", []string{"::/1", "8000::/1"}, true},
		{"v6 global unicast", []string{"2000::/3"}, true},
		{"one v4 half", []string{"0.0.0.0/1"}, false},
		{"halves of different families", []string{"0.0.0.0/1", "8000::/1"}, false},
		{"everything but RFC 1918", allButPrivate, true},
		{"everything but RFC 1918 and one public /24", append(append([]string(nil), allButPrivate[1:]...),
			"0.0.0.0/8", "1.0.0.0/8", "2.0.0.0/8", "3.0.0.0/8", "4.0.0.0/8", "5.0.0.0/8", "6.0.0.0/8", "7.0.0.0/9",
			"7.128.0.0/10", "7.192.0.0/11", "7.224.0.0/12", "7.240.0.0/13", "7.248.0.0/14", "7.252.0.0/15",
			"7.254.0.0/16", "7.255.0.0/17", "7.255.128.0/18", "7.255.192.0/19", "7.255.224.0/20", "7.255.240.0/21",
			"7.255.248.0/22", "7.255.252.0/23", "7.255.254.0/24"), false},
		{"private only", []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}, false},
		{"documentation ranges", []string{"203.0.113.0/24", "2001:db8::/32"}, false},
		{"nothing", nil, false},
	} {
		if got := setOf(t, c.in...).internet(); got != c.want {
			t.Errorf("%s: internet() = %v, want %v", c.name, got, c.want)
		}
	}
	// The list above is right: it leaves out exactly the private ranges.
	s := setOf(t, allButPrivate...)
	for _, a := range []string{"10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.3.4"} {
		if s.covers(prefixSet(netip.PrefixFrom(netip.MustParseAddr(a), 32))) {
			t.Errorf("allButPrivate holds %s", a)
		}
	}
	for _, a := range []string{"9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255", "192.169.0.0", "8.8.8.8"} {
		if !s.covers(prefixSet(netip.PrefixFrom(netip.MustParseAddr(a), 32))) {
			t.Errorf("allButPrivate lacks %s", a)
		}
	}
}

// TestIPSetAgainstBitmap checks union, minus, covers and overlaps against
// the same operations on a bitmap of 256 addresses, over random prefixes.
func TestIPSetAgainstBitmap(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	randSet := func() (ipSet, [256]bool) {
		var bits [256]bool
		var ps []netip.Prefix
		for n := rnd.Intn(5); n > 0; n-- {
			l := 24 + rnd.Intn(9)
			a := netip.AddrFrom4([4]byte{10, 0, 0, byte(rnd.Intn(256))})
			p := netip.PrefixFrom(a, l).Masked()
			ps = append(ps, p)
			sp := spanOf(p)
			for i := int(sp.lo.As4()[3]); i <= int(sp.hi.As4()[3]); i++ {
				bits[i] = true
			}
		}
		return prefixSet(ps...), bits
	}
	bitsOf := func(s ipSet) (out [256]bool) {
		for _, x := range s {
			lo, hi := x.lo.As4(), x.hi.As4()
			if !x.lo.Is4() || [3]byte(lo[:3]) != [3]byte{10, 0, 0} || [3]byte(hi[:3]) != [3]byte{10, 0, 0} {
				t.Fatalf("span %v left the test range", x)
			}
			for i := int(x.lo.As4()[3]); i <= int(x.hi.As4()[3]); i++ {
				out[i] = true
			}
		}
		return out
	}
	for i := 0; i < 2000; i++ {
		a, ab := randSet()
		b, bb := randSet()
		var wantU, wantM [256]bool
		covers, overlaps := true, false
		for j := range ab {
			wantU[j] = ab[j] || bb[j]
			wantM[j] = ab[j] && !bb[j]
			if bb[j] && !ab[j] {
				covers = false
			}
			if ab[j] && bb[j] {
				overlaps = true
			}
		}
		if got := bitsOf(a.union(b)); got != wantU {
			t.Fatalf("union of %v and %v is %v", a, b, a.union(b))
		}
		if got := bitsOf(a.minus(b)); got != wantM {
			t.Fatalf("%v minus %v is %v", a, b, a.minus(b))
		}
		if a.covers(b) != covers || a.overlaps(b) != overlaps {
			t.Fatalf("%v and %v: covers %v overlaps %v", a, b, a.covers(b), a.overlaps(b))
		}
		// Normal form: sorted, disjoint, not adjacent.
		u := a.union(b)
		for k := 1; k < len(u); k++ {
			if !u[k-1].hi.Next().Less(u[k].lo) {
				t.Fatalf("not normal: %v", u)
			}
		}
	}
}

func TestCIDRSources(t *testing.T) {
	list := func(ss ...string) *graph.Value {
		l := graph.NewList()
		for _, s := range ss {
			l.List = append(l.List, graph.NewString(s))
		}
		return l
	}
	var c cidrSources
	c.add(list("0.0.0.0/1", "128.0.0.0/1", "10.0.0.0/8"), famV4)
	if !c.known() || !c.set.internet() {
		t.Errorf("halves: known %v internet %v", c.known(), c.set.internet())
	}
	if got, want := c.describe(), "0.0.0.0/1, 128.0.0.0/1 (together every public IPv4 address)"; got != want {
		t.Errorf("describe() = %q, want %q", got, want)
	}
	var many cidrSources
	many.add(list(allButPrivate...), famV4)
	if got, want := many.describe(), "0.0.0.0/5, 8.0.0.0/7, 11.0.0.0/8 and 27 more (together every public IPv4 address)"; got != want {
		t.Errorf("describe() = %q, want %q", got, want)
	}
	var bad cidrSources
	bad.add(list("10.0.0.0/8", "0.0.0.0/0 "), famV4)
	if bad.knownV(false) || !bad.knownV(true) || bad.set.internet() {
		t.Errorf("an invalid IPv4 block must leave IPv4 unknown, and only IPv4")
	}
	var empty cidrSources
	empty.add(list(""), famAny)
	if !empty.known() || len(empty.texts) != 0 {
		t.Errorf("an empty string is no block")
	}
}
