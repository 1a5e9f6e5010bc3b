package tffunc

import (
	"fmt"
	"math/big"
	"net"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/gocty"
)

// Address arithmetic is done on big.Int so IPv6 prefixes can be extended by
// more than 64 bits and host numbers can be that large, as in Terraform.

// parseCIDR accepts IPv4 octets with leading zeros ("010.0.0.0/8" is
// 10.0.0.0/8), as Terraform's parser (Go's before 1.17) does; Go's current
// net.ParseCIDR rejects them.
func parseCIDR(s string) (*net.IPNet, error) {
	_, n, err := net.ParseCIDR(stripIPv4Zeros(s))
	if err != nil {
		return nil, fmt.Errorf("invalid CIDR expression: %s", err)
	}
	return n, nil
}

func parseIP(s string) net.IP {
	ip := net.ParseIP(stripIPv4Zeros(s))
	if v4 := ip.To4(); v4 != nil && !strings.Contains(s, ":") {
		return v4
	}
	return ip
}

func stripIPv4Zeros(s string) string {
	addr, rest, hasSlash := strings.Cut(s, "/")
	if strings.Contains(addr, ":") {
		return s
	}
	parts := strings.Split(addr, ".")
	for i, p := range parts {
		t := strings.TrimLeft(p, "0")
		if t == "" && p != "" {
			t = "0"
		}
		parts[i] = t
	}
	out := strings.Join(parts, ".")
	if hasSlash {
		out += "/" + rest
	}
	return out
}

func ipInt(ip net.IP) *big.Int { return new(big.Int).SetBytes(ip) }

func intIP(n *big.Int, size int) net.IP {
	b := n.Bytes()
	ip := make(net.IP, size)
	copy(ip[size-len(b):], b)
	return ip
}

func bigArg(v cty.Value, i int) (*big.Int, error) {
	var n *big.Int
	if err := gocty.FromCtyValue(v, &n); err != nil {
		return nil, function.NewArgError(i, err)
	}
	return n, nil
}

func intArg(v cty.Value, i int) (int, error) {
	var n int
	if err := gocty.FromCtyValue(v, &n); err != nil {
		return 0, function.NewArgError(i, err)
	}
	return n, nil
}

func pow2(n int) *big.Int { return new(big.Int).Lsh(big.NewInt(1), uint(n)) }

var cidrHostFunc = function.New(&function.Spec{
	Params: []function.Parameter{str("prefix"), {Name: "hostnum", Type: cty.Number}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		num, err := bigArg(args[1], 1)
		if err != nil {
			return cty.NilVal, err
		}
		network, err := parseCIDR(args[0].AsString())
		if err != nil {
			return cty.NilVal, err
		}
		ones, bits := network.Mask.Size()
		size := pow2(bits - ones)
		host := new(big.Int).Set(num)
		// A negative host number counts back from the end: -1 is the last
		// address.
		if host.Sign() < 0 {
			host.Add(host, size)
		}
		if host.Sign() < 0 || host.Cmp(size) >= 0 {
			return cty.NilVal, fmt.Errorf("prefix of %d does not accommodate a host numbered %s", ones, num)
		}
		ip := intIP(host.Add(host, ipInt(network.IP)), len(network.IP))
		return cty.StringVal(ip.String()), nil
	},
})

var cidrNetmaskFunc = function.New(&function.Spec{
	Params: []function.Parameter{str("prefix")},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		network, err := parseCIDR(args[0].AsString())
		if err != nil {
			return cty.NilVal, err
		}
		if network.IP.To4() == nil {
			return cty.NilVal, fmt.Errorf("IPv6 addresses cannot have a netmask: %s", args[0].AsString())
		}
		return cty.StringVal(net.IP(network.Mask).String()), nil
	},
})

var cidrSubnetFunc = function.New(&function.Spec{
	Params: []function.Parameter{str("prefix"), {Name: "newbits", Type: cty.Number}, {Name: "netnum", Type: cty.Number}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		newbits, err := intArg(args[1], 1)
		if err != nil {
			return cty.NilVal, err
		}
		num, err := bigArg(args[2], 2)
		if err != nil {
			return cty.NilVal, err
		}
		network, err := parseCIDR(args[0].AsString())
		if err != nil {
			return cty.NilVal, err
		}
		ones, bits := network.Mask.Size()
		if newbits < 0 || ones+newbits > bits {
			return cty.NilVal, fmt.Errorf("insufficient address space to extend prefix of %d by %d", ones, newbits)
		}
		if num.Sign() < 0 || num.Cmp(pow2(newbits)) >= 0 {
			return cty.NilVal, fmt.Errorf("prefix extension of %d does not accommodate a subnet numbered %s", newbits, num)
		}
		base := ipInt(network.IP)
		base.Add(base, new(big.Int).Lsh(num, uint(bits-ones-newbits)))
		out := net.IPNet{IP: intIP(base, len(network.IP)), Mask: net.CIDRMask(ones+newbits, bits)}
		return cty.StringVal(out.String()), nil
	},
})

// cidrSubnetsFunc allocates consecutive subnets, each aligned to its own
// size, so a larger subnet after a smaller one skips to its next boundary.
var cidrSubnetsFunc = function.New(&function.Spec{
	Params:   []function.Parameter{str("prefix")},
	VarParam: &function.Parameter{Name: "newbits", Type: cty.Number},
	Type:     function.StaticReturnType(cty.List(cty.String)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		network, err := parseCIDR(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		if len(args) == 1 {
			return cty.ListValEmpty(cty.String), nil
		}
		ones, bits := network.Mask.Size()
		base := ipInt(network.IP)
		end := new(big.Int).Add(base, pow2(bits-ones))
		next := new(big.Int).Set(base)
		out := make([]cty.Value, 0, len(args)-1)
		for i, a := range args[1:] {
			n, err := intArg(a, i+1)
			if err != nil {
				return cty.NilVal, err
			}
			switch {
			case n < 1:
				return cty.NilVal, function.NewArgErrorf(i+1, "must extend prefix by at least one bit")
			case n > 32:
				return cty.NilVal, function.NewArgErrorf(i+1, "may not extend prefix by more than 32 bits")
			case ones+n > bits:
				family := "IPv4"
				if bits == 128 {
					family = "IPv6"
				}
				return cty.NilVal, function.NewArgErrorf(i+1, "would extend prefix to %d bits, which is too long for an %s address", ones+n, family)
			}
			size := pow2(bits - ones - n)
			// Round up to a multiple of size.
			start := new(big.Int).Add(next, new(big.Int).Sub(size, big.NewInt(1)))
			start.Div(start, size).Mul(start, size)
			stop := new(big.Int).Add(start, size)
			if stop.Cmp(end) > 0 {
				return cty.NilVal, function.NewArgErrorf(i+1, "not enough remaining address space for a subnet with a prefix of %d bits after %s", ones+n, intIP(new(big.Int).Sub(next, big.NewInt(1)), len(network.IP)))
			}
			sub := net.IPNet{IP: intIP(start, len(network.IP)), Mask: net.CIDRMask(ones+n, bits)}
			out = append(out, cty.StringVal(sub.String()))
			next = stop
		}
		return cty.ListVal(out), nil
	},
})

// cidrContainsFunc is OpenTofu's: whether an address, or every address of
// a prefix, is inside the first prefix.
var cidrContainsFunc = function.New(&function.Spec{
	Params: []function.Parameter{str("containing_prefix"), str("contained_ip_or_prefix")},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		outer, err := parseCIDR(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		s := args[1].AsString()
		var ip net.IP
		innerOnes := -1
		if strings.Contains(s, "/") {
			inner, err := parseCIDR(s)
			if err != nil {
				return cty.NilVal, function.NewArgError(1, err)
			}
			ip = inner.IP
			innerOnes, _ = inner.Mask.Size()
		} else if ip = parseIP(s); ip == nil {
			return cty.NilVal, function.NewArgErrorf(1, "invalid IP address: %s", s)
		}
		if (outer.IP.To4() == nil) != (ip.To4() == nil) {
			return cty.NilVal, fmt.Errorf("address family mismatch: %s and %s", args[0].AsString(), s)
		}
		outerOnes, _ := outer.Mask.Size()
		return cty.BoolVal(outer.Contains(ip) && (innerOnes < 0 || innerOnes >= outerOnes)), nil
	},
})
