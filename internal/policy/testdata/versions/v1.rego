package new

deny contains msg if {
	input.kind == "Pod"
	msg := "new style"
}
