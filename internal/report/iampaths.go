package report

// PathView is one IAM privilege-escalation path as the report carries it:
// the principal it starts from and each hop to administrator.
type PathView struct {
	From    string    `json:"from"`
	Certain bool      `json:"certain"`
	Hops    []HopView `json:"hops"`
}

// HopView is one hop of a path; Grants are the file:line of the
// statements that grant it (a policy name when it has no position).
type HopView struct {
	From    string   `json:"from"`
	To      string   `json:"to"`
	Method  string   `json:"method"`
	Certain bool     `json:"certain"`
	Grants  []string `json:"grants"`
}
