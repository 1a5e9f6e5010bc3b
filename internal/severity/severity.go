// Package severity is the scale findings are ranked and gated on: bands
// of CVSS v3. It imports nothing, so the importers of other scanners'
// reports, which sit below the rule layer, rank on the same scale as the
// rules.
package severity

import (
	"fmt"
	"strings"
)

// Level orders findings; each maps to a CVSS v3 band.
type Level int

const (
	None Level = iota
	Low
	Medium
	High
	Critical
)

var names = [...]string{"none", "low", "medium", "high", "critical"}

func (l Level) String() string {
	if l < None || l > Critical {
		return "unknown"
	}
	return names[l]
}

// Parse reads a level name, case-insensitively.
func Parse(s string) (Level, error) {
	for i, n := range names {
		if strings.EqualFold(s, n) {
			return Level(i), nil
		}
	}
	return None, fmt.Errorf("unknown severity %q (want critical, high, medium, low or none)", s)
}

// Score is the representative CVSS score of the band, used where a number
// is wanted (SARIF security-severity).
func (l Level) Score() float64 {
	switch l {
	case Critical:
		return 9.5
	case High:
		return 8.0
	case Medium:
		return 5.5
	case Low:
		return 2.0
	}
	return 0
}

// Band is the CVSS range of the level, as written in the DevSecOps settings page.
func (l Level) Band() string {
	switch l {
	case Critical:
		return "9.0-10.0"
	case High:
		return "7.0-8.9"
	case Medium:
		return "4.0-6.9"
	case Low:
		return "0.1-3.9"
	}
	return "0.0"
}

// FromScore maps a CVSS score to its band.
func FromScore(score float64) Level {
	switch {
	case score >= 9.0:
		return Critical
	case score >= 7.0:
		return High
	case score >= 4.0:
		return Medium
	case score > 0:
		return Low
	}
	return None
}
