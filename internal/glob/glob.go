// Package glob matches the wildcards of IAM policies (* and ?), which
// eksguard also uses wherever a user names resources, files or rule ids by
// pattern (suppressions, rule selection). It imports nothing, so the IAM
// engine and the suppressions share one matcher without depending on each
// other.
package glob

// Match matches IAM wildcards: * any run of characters, ? one character.
// fold compares ASCII letters case-insensitively (IAM actions); ARNs and
// resource names compare case-sensitively.
func Match(pattern, s string, fold bool) bool {
	// Iterative matching with one backtrack point: linear in practice and
	// never exponential on patterns with many stars. Case folding compares
	// ASCII bytes in place: lowering whole strings on every match was most
	// of the escalation analysis's time.
	eq := func(a, b byte) bool {
		if a == b {
			return true
		}
		if !fold {
			return false
		}
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		return a == b
	}
	p, i, star, mark := 0, 0, -1, 0
	for i < len(s) {
		switch {
		// A star is a wildcard even facing a '*' in s (an ARN whose
		// account was replaced by *), so it is tried before equality.
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || eq(pattern[p], s[i])):
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
