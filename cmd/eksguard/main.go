// Command eksguard checks AWS EKS platform code (Terraform, CloudFormation,
// Kubernetes manifests, IAM policies, CI workflows) against hardening
// practice before anything is deployed. See README.md.
package main

//go:generate sh -c "go run . rules --format markdown > ../../docs/rules.md"
//go:generate sh -c "go run . iam methods --format markdown | go run ../../internal/docsection/cmd/docsection -name methods ../../docs/iam-paths.md"
//go:generate sh -c "go run . flags --format markdown | go run ../../internal/docsection/cmd/docsection -name flags ../../README.md"

import (
	"os"

	"github.com/eksguard/eksguard/internal/cli"
	"github.com/eksguard/eksguard/internal/frontend/helm"
)

func main() {
	// The scan renders each Helm chart in a child process, this
	// executable started again: that child renders and exits here.
	helm.ServeIfWorker()
	isTTY := false
	if fi, err := os.Stdout.Stat(); err == nil {
		isTTY = fi.Mode()&os.ModeCharDevice != 0
	}
	errTTY := false
	if fi, err := os.Stderr.Stat(); err == nil {
		errTTY = fi.Mode()&os.ModeCharDevice != 0
	}
	os.Exit(cli.Main(os.Args[1:], cli.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		IsTTY: isTTY, StderrTTY: errTTY, Getenv: os.Getenv,
	}))
}
