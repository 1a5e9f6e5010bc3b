// Command genk8s writes a generated Kubernetes manifest set for benchmarks:
//
//	go run ./internal/testutil/k8sgen/cmd/genk8s -ns 500 -per 10 -o /tmp/k8s5000.yaml
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/eksguard/eksguard/internal/testutil/k8sgen"
)

func main() {
	ns := flag.Int("ns", 500, "number of namespaces")
	per := flag.Int("per", 10, "Deployments per namespace")
	out := flag.String("o", "-", "output file (- for stdout)")
	flag.Parse()
	data := k8sgen.Generate(*ns, *per)
	var err error
	if *out == "-" {
		_, err = os.Stdout.Write(data)
	} else {
		err = os.WriteFile(*out, data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genk8s:", err)
		os.Exit(1)
	}
}
