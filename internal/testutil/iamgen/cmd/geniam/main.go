// Command geniam writes a generated IAM estate as Terraform plan JSON for
// benchmarks of `eksguard iam paths`:
//
//	go run ./internal/testutil/iamgen/cmd/geniam -n 1000 -groups -o /tmp/iam1000.json
//
// With -groups the estate has n principals (users and roles), 3n policies
// and n/5 groups (iamgen.GenerateWithGroups); without, n principals
// (groups included) and 5n policies (iamgen.Generate).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/eksguard/eksguard/internal/testutil/iamgen"
)

func main() {
	n := flag.Int("n", 1000, "number of principals")
	groups := flag.Bool("groups", false, "the estate with groups: 3 policies per principal, a group per 5 principals")
	out := flag.String("o", "-", "output file (- for stdout)")
	flag.Parse()
	gen := iamgen.Generate
	if *groups {
		gen = iamgen.GenerateWithGroups
	}
	data, st := gen(*n)
	var err error
	if *out == "-" {
		_, err = os.Stdout.Write(data)
	} else {
		err = os.WriteFile(*out, data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "geniam:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "geniam: %d principals (%d users, %d roles), %d groups, %d memberships, %d policies, %d resources, %d bytes\n",
		st.Principals, st.Users, st.Roles, st.Groups, st.Memberships, st.Policies, st.Resources, len(data))
}
