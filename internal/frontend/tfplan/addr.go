package tfplan

import "strings"

// splitAddr splits a Terraform address on dots that are outside brackets and
// quotes: module.a["x.y"].aws_s3_bucket.b[0] → module, a["x.y"], aws_s3_bucket, b[0].
func splitAddr(addr string) []string {
	var parts []string
	depth, start := 0, 0
	inStr := false
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		switch {
		case inStr:
			if c == '\\' {
				i++
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '[':
			depth++
		case c == ']':
			if depth > 0 {
				depth--
			}
		case c == '.' && depth == 0:
			parts = append(parts, addr[start:i])
			start = i + 1
		}
	}
	return append(parts, addr[start:])
}

// cutIndex separates name[key] into name and [key].
func cutIndex(s string) (name, index string) {
	if i := strings.IndexByte(s, '['); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// parsedAddr is a resource address taken apart.
type parsedAddr struct {
	modules    []string // module instance calls: module.a[0], module.b
	configMod  string   // module.a.module.b (no keys)
	configAddr string   // [data.]type.name
	index      string   // [0] or ["k"], "" when none
}

func parseAddr(addr string) parsedAddr {
	parts := splitAddr(addr)
	var p parsedAddr
	i := 0
	var cm []string
	for i+1 < len(parts) && parts[i] == "module" {
		p.modules = append(p.modules, "module."+parts[i+1])
		name, _ := cutIndex(parts[i+1])
		cm = append(cm, "module."+name)
		i += 2
	}
	p.configMod = strings.Join(cm, ".")
	rest := parts[i:]
	if len(rest) > 0 {
		last, idx := cutIndex(rest[len(rest)-1])
		p.index = idx
		rest = append(append([]string(nil), rest[:len(rest)-1]...), last)
	}
	p.configAddr = strings.Join(rest, ".")
	return p
}

func (p parsedAddr) modulePath() string { return strings.Join(p.modules, ".") }
