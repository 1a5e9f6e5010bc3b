// Command genplan writes a generated Terraform plan JSON for benchmarks:
//
//	go run ./internal/testutil/plangen/cmd/genplan -n 10000 -o /tmp/plan10k.json
//	go run ./internal/testutil/plangen/cmd/genplan -n 230000 -compact -o /tmp/plan230k.min.json
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/eksguard/eksguard/internal/testutil/plangen"
)

func main() {
	n := flag.Int("n", 10000, "number of resources")
	out := flag.String("o", "-", "output file (- for stdout)")
	compact := flag.Bool("compact", false, "write the plan on one line, as terraform show -json does")
	flag.Parse()
	var data []byte
	if *compact {
		data = plangen.GenerateCompact(*n)
	} else {
		data = plangen.Generate(*n)
	}
	var err error
	if *out == "-" {
		_, err = os.Stdout.Write(data)
	} else {
		err = os.WriteFile(*out, data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genplan:", err)
		os.Exit(1)
	}
}
