package tri

import "testing"

func TestKleene(t *testing.T) {
	if Or(False, Unknown) != Unknown || Or(Unknown, True) != True || Or() != False {
		t.Error("Or")
	}
	if And(True, Unknown) != Unknown || And(Unknown, False) != False || And() != True {
		t.Error("And")
	}
	if Unknown.Not() != Unknown || True.Not() != False || False.Not() != True {
		t.Error("Not")
	}
	if Of(true) != True || Of(false) != False {
		t.Error("Of")
	}
	if True.String() != "true" || False.String() != "false" || Unknown.String() != "unknown" {
		t.Error("String")
	}
}
