package old

deny[msg] {
	input.kind == "Pod"
	msg := "old style"
}
