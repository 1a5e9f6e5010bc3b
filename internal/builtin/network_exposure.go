package builtin

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/eksguard/eksguard/internal/graph"
	"github.com/eksguard/eksguard/internal/rule"
)

// Security group rules and network ACL entries are judged by what their
// group admits as a whole: a security group admits the union of its rules,
// a network ACL what its first matching entry allows. An entry is reported
// when, on some protocol and port, the union of the group's sources covers
// the internet (every public address of a family, see cidr.go) and the
// entry is part of that: without it the rest does not cover the internet
// (0.0.0.0/1 beside 128.0.0.0/1), or, when no entry alone is needed
// (duplicates), it admits public addresses itself. An entry a group
// already exposes without it (8.8.8.8/32 beside 0.0.0.0/0) passes.
//
// Every verdict is computed twice: with what is certain (entries whose
// protocol, ports, action, rule number and ACL are known; a deny that may
// come first and may match counts as matching) and with what is possible
// (every entry that may match; only certain denies count). Certain
// exposure fails, possible exposure is unknown, no exposure passes. The
// sources of other entries that are not knowable are left out: those
// entries get their own unknown verdict.

// flowPoint is a protocol and port traffic may arrive on; the port is -1
// for protocols without ports.
type flowPoint struct {
	proto string
	port  float64
}

func (x flowPoint) String() string {
	if x.port < 0 {
		return "protocol " + x.proto
	}
	return fmt.Sprintf("%s port %g", strings.ToUpper(x.proto), x.port)
}

func portProtocol(p string) bool { return p == "tcp" || p == "udp" }

// normProto reads a protocol as security groups and network ACLs take it,
// a name or an IANA number; -1 and all are every protocol.
func normProto(s string) string {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "-1", "all":
		return "all"
	case "6":
		return "tcp"
	case "17":
		return "udp"
	case "1":
		return "icmp"
	case "58":
		return "icmpv6"
	}
	return t
}

// flowEntry is one security group rule or network ACL entry.
type flowEntry struct {
	res  *graph.Resource
	name string // how messages name it among the group's entries
	// paths: where verdicts point, per the family the verdict is about;
	// base when no CIDR attribute is written.
	path4, path6, base string
	// placeholder stands for entries not knowable from code (a dynamic
	// block over an unknown collection): they may be anything.
	placeholder bool
	allow       rule.Tri // an allow (True) or a deny (False) entry
	member      rule.Tri // an ingress entry of the group (NACL: egress = false)
	num         float64  // NACL rule number, the evaluation order
	numOK       bool
	proto       string // normProto's form
	protoOK     bool
	from, to    float64
	portsOK     bool
	src         cidrSources
}

func (e *flowEntry) matches(x flowPoint) rule.Tri {
	switch {
	case e.placeholder || !e.protoOK:
		return rule.TriUnknown
	case e.proto == "all":
		return rule.True
	case e.proto != x.proto:
		return rule.False
	case !portProtocol(x.proto):
		return rule.True
	case !e.portsOK:
		return rule.TriUnknown
	}
	return rule.Of(e.from <= x.port && x.port <= e.to)
}

// before tells whether d is evaluated before e (network ACL rule numbers).
func (d *flowEntry) before(e *flowEntry) rule.Tri {
	if d.numOK && e.numOK {
		return rule.Of(d.num < e.num)
	}
	return rule.TriUnknown
}

// path is where a verdict about one family points.
func (e *flowEntry) path(v6 bool) string {
	switch {
	case v6 && e.path6 != "":
		return e.path6
	case e.path4 != "":
		return e.path4
	case e.path6 != "":
		return e.path6
	}
	return e.base
}

// flowGroup is the entries of one security group (its inline rules and the
// rule resources attached to it) or one network ACL.
type flowGroup struct {
	entries []*flowEntry
	// sameACL is unknown for the network ACL rules whose ACL is not
	// knowable: they may belong to different ACLs.
	sameACL rule.Tri

	mu    sync.Mutex // rules running at once share the groups
	cache map[flowKey]*flowEval
}

type flowKey struct {
	x       flowPoint
	v6      bool
	subject *flowEntry // set only when the bounds depend on the subject
}

// flowEval is what a group admits on one protocol, port and family.
type flowEval struct {
	lower, upper flowBound
}

// flowBound is the sources admitted, per entry (after the denies that come
// first), whether together they cover the internet, and which entries that
// needs. Its slices run parallel to the group's entries: a group's cache
// holds a bound for every point and family judged (16 points for the
// administrative ports alone), so maps keyed by entry were most of the
// memory the exposure rules kept on a large plan.
type flowBound struct {
	contrib []ipSet // what entries[i] admits, when in[i]
	in      []bool  // whether entries[i] counts in this bound
	cov     bool
	nec     []bool // entries[i] is needed to cover the internet; nil unless cov
	anyNec  bool
}

// index is e's position in the group's entries, -1 when it is not one.
func (g *flowGroup) index(e *flowEntry) int {
	for i, a := range g.entries {
		if a == e {
			return i
		}
	}
	return -1
}

func (g *flowGroup) member(a, subject *flowEntry) rule.Tri {
	if a == subject || g.sameACL == rule.True {
		return a.member
	}
	return rule.And(a.member, g.sameACL)
}

func (g *flowGroup) eval(x flowPoint, v6 bool, subject *flowEntry) *flowEval {
	k := flowKey{x: x, v6: v6}
	if g.sameACL != rule.True || !subject.src.knownV(v6) {
		k.subject = subject // what the bounds hold depends on the subject
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if ev := g.cache[k]; ev != nil {
		return ev
	}
	ev := &flowEval{}
	n := len(g.entries)
	ev.lower.contrib, ev.lower.in = make([]ipSet, n), make([]bool, n)
	ev.upper.contrib, ev.upper.in = make([]ipSet, n), make([]bool, n)
	all := publicOf(v6)
	for i, a := range g.entries {
		if a.placeholder {
			continue
		}
		mem, m := g.member(a, subject), a.matches(x)
		if a.allow == rule.True && mem == rule.True && m == rule.True {
			c := a.src.set.family(v6)
			for _, d := range g.entries {
				if d == a || d.allow == rule.True || g.member(d, subject) == rule.False || d.matches(x) == rule.False || d.before(a) == rule.False {
					continue
				}
				if d.placeholder || !d.src.knownV(v6) {
					c = nil // it may deny everything first
					break
				}
				c = c.minus(d.src.set.family(v6))
			}
			ev.lower.contrib[i], ev.lower.in[i] = c, true
		}
		if a.allow != rule.False && mem != rule.False && m != rule.False {
			c := a.src.set.family(v6)
			if a == subject && !a.src.knownV(v6) {
				c = all // its own sources not knowable: they may be anything
			}
			for _, d := range g.entries {
				if d != a && !d.placeholder && d.allow == rule.False && g.member(d, subject) == rule.True &&
					d.matches(x) == rule.True && d.before(a) == rule.True {
					c = c.minus(d.src.set.family(v6))
				}
			}
			ev.upper.contrib[i], ev.upper.in[i] = c, true
		}
	}
	ev.lower.settle(all)
	ev.upper.settle(all)
	if g.cache == nil {
		g.cache = map[flowKey]*flowEval{}
	}
	g.cache[k] = ev
	return ev
}

func (b *flowBound) settle(public ipSet) {
	// es are the positions of the entries that count, in the group's order.
	var es []int
	for i, ok := range b.in {
		if ok {
			es = append(es, i)
		}
	}
	// before[i] is the union of the contributions of es[:i], after[i] of
	// es[i:]: what the others admit is before[i] with after[i+1].
	before, after := make([]ipSet, len(es)+1), make([]ipSet, len(es)+1)
	for i, a := range es {
		before[i+1] = before[i].union(b.contrib[a])
	}
	for i := len(es) - 1; i >= 0; i-- {
		after[i] = after[i+1].union(b.contrib[es[i]])
	}
	b.cov = before[len(es)].covers(public)
	if !b.cov {
		// Nothing reads the sources of a bound that does not reach the
		// internet (see part), and most bounds do not: the groups' caches
		// held 45 MB of them on a plan of 230,000 resources.
		b.contrib = nil
		return
	}
	b.nec = make([]bool, len(b.in))
	for i, a := range es {
		if !before[i].union(after[i+1]).covers(public) {
			b.nec[a] = true
			b.anyNec = true
		}
	}
}

// part reports whether the group's entry i is part of the internet
// exposure the bound finds.
func (b *flowBound) part(i int, v6 bool) bool {
	if i < 0 || !b.cov || !b.in[i] {
		return false
	}
	return b.nec[i] || !b.anyNec && b.contrib[i].publicV(v6)
}

// flowVerdict is the judgement of one entry over a set of points.
type flowVerdict struct {
	t        rule.Tri
	v6       bool        // the family the verdict is about
	at       []flowPoint // where the exposure is certain (fail) or possible (unknown)
	partners []*flowEntry
	reason   string // for unknown
}

// judge decides whether e exposes the points to the internet.
func (g *flowGroup) judge(e *flowEntry, points []flowPoint) flowVerdict {
	var fail, unk flowVerdict
	fail.t, unk.t = rule.False, rule.False
	ei := g.index(e)
	for _, v6 := range []bool{false, true} {
		for _, x := range points {
			ev := g.eval(x, v6, e)
			switch {
			case ev.lower.part(ei, v6):
				if fail.t == rule.False {
					fail = flowVerdict{t: rule.True, v6: v6, partners: g.partners(&ev.lower, e, v6)}
				}
				if fail.v6 == v6 {
					fail.at = append(fail.at, x)
				}
			case ev.upper.part(ei, v6) && unk.t == rule.False:
				unk = flowVerdict{t: rule.TriUnknown, v6: v6, at: []flowPoint{x}, reason: g.uncertainty(ev, e, x, v6)}
			}
		}
	}
	if fail.t == rule.True {
		return fail
	}
	return unk
}

// partners are the other entries the exposure needs.
func (g *flowGroup) partners(b *flowBound, e *flowEntry, v6 bool) []*flowEntry {
	var out []*flowEntry
	for i, a := range g.entries {
		if a != e && b.part(i, v6) {
			out = append(out, a)
		}
	}
	return out
}

// uncertainty says why an exposure is possible but not certain.
func (g *flowGroup) uncertainty(ev *flowEval, e *flowEntry, x flowPoint, v6 bool) string {
	var parts []string
	if !e.src.knownV(v6) {
		return e.src.why()
	}
	if e.matches(x) == rule.TriUnknown {
		parts = append(parts, "protocol or ports")
	}
	if e.allow == rule.TriUnknown {
		parts = append(parts, "action")
	}
	if e.member == rule.TriUnknown {
		parts = append(parts, "direction (egress)")
	}
	if len(parts) > 0 {
		return "the " + strings.Join(parts, " and ") + " of this entry are known only after apply"
	}
	for _, d := range g.entries {
		if d == e || d.allow == rule.True || g.member(d, e) == rule.False || d.matches(x) == rule.False || d.before(e) == rule.False {
			continue
		}
		if d.placeholder {
			return d.res.Address + " has entries known only after apply"
		}
		if !d.src.knownV(v6) || d.src.set.family(v6).overlaps(e.src.set.family(v6)) {
			return "whether " + d.name + " denies this traffic first is known only after apply"
		}
	}
	for i, a := range g.entries {
		if a != e && !ev.lower.in[i] && ev.upper.part(i, v6) {
			return "whether " + a.name + " also admits " + x.String() + " is known only after apply"
		}
	}
	return "what the other entries admit is known only after apply"
}

// describe is the message of a certain exposure of the entry's ports.
func (v flowVerdict) describe(e *flowEntry, ports string) string {
	return "ingress from " + e.src.describe() + " to " + ports + v.together()
}

// together names the other entries the exposure needs, "" when none.
func (v flowVerdict) together() string {
	if len(v.partners) == 0 {
		return ""
	}
	var ps []string
	for i, p := range v.partners {
		if i == 3 {
			ps = append(ps, fmt.Sprintf("%d more", len(v.partners)-3))
			break
		}
		ps = append(ps, p.name+" ("+p.src.describe()+")")
	}
	return "; together with " + strings.Join(ps, ", ") + " this admits every public " + famName(v.v6) + " address on " + v.at[0].String()
}

// portPoints are the points of ports lo..hi of proto that the group's
// entries tell apart: one per run of ports every entry treats alike.
func (g *flowGroup) portPoints(proto string, lo, hi float64) []flowPoint {
	cuts := map[float64]bool{lo: true}
	for _, a := range g.entries {
		if !a.protoOK || !a.portsOK || (a.proto != proto && a.proto != "all") {
			continue
		}
		for _, c := range []float64{a.from, a.to + 1} {
			if c > lo && c <= hi {
				cuts[c] = true
			}
		}
	}
	out := make([]flowPoint, 0, len(cuts))
	for c := range cuts {
		out = append(out, flowPoint{proto, c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].port < out[j].port })
	return out
}

// adminPoints are the administrative ports an entry may admit.
func adminPoints(e *flowEntry) []flowPoint {
	var protos []string
	switch {
	case !e.protoOK || e.proto == "all":
		protos = []string{"tcp", "udp"}
	case portProtocol(e.proto):
		protos = []string{e.proto}
	case e.portsOK && e.allPorts():
		// Another protocol with the port range written as every port, as
		// admin() reads it.
		return []flowPoint{{e.proto, -1}}
	}
	var out []flowPoint
	for _, p := range protos {
		for _, a := range adminPorts {
			for port := a[0]; port <= a[1]; port++ {
				x := flowPoint{p, port}
				if e.matches(x) != rule.False {
					out = append(out, x)
				}
			}
		}
	}
	return out
}

// allPoints are every point an entry may admit, told apart as the group
// tells them.
func (g *flowGroup) allPoints(e *flowEntry) []flowPoint {
	switch {
	case !e.protoOK:
		return append(g.portPoints("tcp", 0, 65535), g.portPoints("udp", 0, 65535)...)
	case e.proto == "all":
		out := append(g.portPoints("tcp", 0, 65535), g.portPoints("udp", 0, 65535)...)
		seen := map[string]bool{}
		for _, a := range g.entries {
			if a.protoOK && a.proto != "all" && !portProtocol(a.proto) && !seen[a.proto] {
				seen[a.proto] = true
				out = append(out, flowPoint{a.proto, -1})
			}
		}
		return out
	case !portProtocol(e.proto):
		return []flowPoint{{e.proto, -1}}
	case !e.portsOK:
		return g.portPoints(e.proto, 0, 65535)
	}
	return g.portPoints(e.proto, e.from, e.to)
}

// ---------------------------------------------------------------------------
// Security groups

// sgFlows are the ingress entries of every security group and rule
// resource, each in its group.
type sgFlows struct {
	of    map[*graph.Resource][]*flowEntry
	group map[*flowEntry]*flowGroup
}

type sgIngressKey struct{}

// sgIngress returns the groups of the graph's security groups, built once.
func sgIngress(g *graph.Graph) *sgFlows {
	return graph.Memo(g, sgIngressKey{}, func() *sgFlows { return buildSGFlows(g) })
}

func buildSGFlows(g *graph.Graph) *sgFlows {
	f := &sgFlows{of: map[*graph.Resource][]*flowEntry{}, group: map[*flowEntry]*flowGroup{}}
	bySG := map[*graph.Resource]*flowGroup{}
	byLiteral := map[string]*flowGroup{}
	add := func(grp *flowGroup, es []*flowEntry) {
		for _, e := range es {
			grp.entries = append(grp.entries, e)
			f.group[e] = grp
		}
	}
	for _, sg := range g.OfType("aws_security_group") {
		grp := &flowGroup{sameACL: rule.True}
		bySG[sg] = grp
		f.of[sg] = sgEntries(sg)
		add(grp, f.of[sg])
	}
	for _, r := range g.OfType("aws_security_group_rule", "aws_vpc_security_group_ingress_rule") {
		es := sgEntries(r)
		f.of[r] = es
		if len(es) == 0 {
			continue
		}
		var grp *flowGroup
		if ts := g.Targets(r, "security_group_id", "aws_security_group"); len(ts) == 1 {
			grp = bySG[ts[0]]
		} else if id, ok := rule.StringOr(r.Get("security_group_id"), ""); ok && id != "" && len(ts) == 0 {
			if grp = byLiteral[id]; grp == nil {
				grp = &flowGroup{sameACL: rule.True}
				byLiteral[id] = grp
			}
		} else {
			// Its group is not knowable (or not one): judged alone.
			grp = &flowGroup{sameACL: rule.True}
		}
		add(grp, es)
	}
	return f
}

// sgEntries returns the ingress rules a resource defines: the inline
// ingress blocks of a security group, or a standalone rule resource.
func sgEntries(r *graph.Resource) []*flowEntry {
	var out []*flowEntry
	switch r.Type {
	case "aws_security_group":
		v := r.Get("ingress")
		if v.IsUnknown() {
			// A plan shows ingress unknown when separate rule resources
			// fill it; the HCL evaluator, when a dynamic block's for_each
			// is not known, and says why: those rules may be anything.
			if v.Reason() == "" {
				return nil
			}
			e := &flowEntry{res: r, name: r.Address + " ingress", base: "ingress", allow: rule.True, member: rule.True}
			e.src.unknown4, e.src.unknown6 = true, true
			return []*flowEntry{e}
		}
		items := v.Items()
		for i, blk := range items {
			base := "ingress"
			if len(items) > 1 {
				base += "." + itoa(i)
			}
			out = append(out, sgEntry(r, base, base, blk, "cidr_blocks", "ipv6_cidr_blocks", "protocol"))
		}
	case "aws_security_group_rule":
		if t, ok := rule.StringOr(r.Get("type"), ""); ok && t != "ingress" {
			return nil
		}
		out = append(out, sgEntry(r, r.Address, "", r.Attrs, "cidr_blocks", "ipv6_cidr_blocks", "protocol"))
	case "aws_vpc_security_group_ingress_rule":
		out = append(out, sgEntry(r, r.Address, "", r.Attrs, "cidr_ipv4", "cidr_ipv6", "ip_protocol"))
	}
	return out
}

func sgEntry(r *graph.Resource, name, base string, blk *graph.Value, v4, v6, protoAttr string) *flowEntry {
	join := func(a string) string {
		if base == "" {
			return a
		}
		return base + "." + a
	}
	e := &flowEntry{res: r, name: name, base: base, allow: rule.True, member: rule.True}
	proto, okP := rule.StringOr(blk.Get(protoAttr), "tcp")
	from, okF := rule.NumberOr(blk.Get("from_port"), 0)
	to, okT := rule.NumberOr(blk.Get("to_port"), 65535)
	e.proto, e.protoOK = normProto(proto), okP
	e.from, e.to, e.portsOK = from, to, okF && okT
	if okP && e.proto == "all" {
		e.from, e.to, e.portsOK = 0, 65535, true
	}
	if a := blk.Get(v4); a != nil {
		e.path4 = join(v4)
		e.src.add(a, famV4)
	}
	if a := blk.Get(v6); a != nil {
		e.path6 = join(v6)
		e.src.add(a, famV6)
	}
	return e
}

// admin tells whether the entry admits an administrative port, or every
// port.
func (e *flowEntry) admin() rule.Tri {
	if !e.protoOK || !e.portsOK {
		return rule.TriUnknown
	}
	if e.allPorts() {
		return rule.True
	}
	for _, r := range adminPorts {
		if e.from <= r[1] && e.to >= r[0] {
			return rule.True
		}
	}
	return rule.False
}

func (e *flowEntry) allPorts() bool { return e.proto == "all" || (e.from <= 0 && e.to >= 65535) }

func (e *flowEntry) ports() string {
	switch {
	case !e.protoOK || !e.portsOK:
		return "unknown ports"
	case e.allPorts():
		return "all ports"
	case e.from == e.to:
		return fmt.Sprintf("port %g", e.from)
	}
	return fmt.Sprintf("ports %g-%g", e.from, e.to)
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
