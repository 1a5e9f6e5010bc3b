package objrule

deny[msg] if {
	input.kind == "Pod"
	msg := "object style"
}
