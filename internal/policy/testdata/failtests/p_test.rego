package ft

import rego.v1

test_passes if {
	deny["x"] with input as {"x": 1}
}

test_fails if {
	print("input was", {"x": 2})
	deny["x"] with input as {"x": 2}
}

test_errs if {
	x := 1 / 0
	x > 0
}
