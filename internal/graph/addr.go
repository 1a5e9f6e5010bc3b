package graph

import "strings"

// StripInstanceKeys drops the [key] parts of an address (module.a["x"].module.b[0]
// becomes module.a.module.b): the configuration address, the same for every
// instance. Keys may hold brackets inside quotes.
func StripInstanceKeys(addr string) string {
	var b strings.Builder
	depth := 0
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
			continue
		case c == '"' && depth > 0:
			inStr = true
			continue
		case c == '[':
			depth++
			continue
		case c == ']':
			depth--
			continue
		}
		if depth == 0 {
			b.WriteByte(c)
		}
	}
	return b.String()
}
