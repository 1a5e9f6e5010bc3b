// Package tri is three-valued truth: what the checks and the IAM engine
// answer when the code does not say. It imports nothing, so every layer
// that decides something (the IAM engine, the rules) can share it.
package tri

// Tri is a three-valued truth: "cannot know" must never become "false".
type Tri int8

const (
	False Tri = iota
	True
	Unknown
)

func (t Tri) String() string {
	switch t {
	case True:
		return "true"
	case False:
		return "false"
	}
	return "unknown"
}

// Not negates, keeping unknown.
func (t Tri) Not() Tri {
	switch t {
	case True:
		return False
	case False:
		return True
	}
	return Unknown
}

// Or is Kleene disjunction.
func Or(ts ...Tri) Tri {
	out := False
	for _, t := range ts {
		if t == True {
			return True
		}
		if t == Unknown {
			out = Unknown
		}
	}
	return out
}

// And is Kleene conjunction.
func And(ts ...Tri) Tri {
	out := True
	for _, t := range ts {
		if t == False {
			return False
		}
		if t == Unknown {
			out = Unknown
		}
	}
	return out
}

// Of converts a Go bool.
func Of(b bool) Tri {
	if b {
		return True
	}
	return False
}
