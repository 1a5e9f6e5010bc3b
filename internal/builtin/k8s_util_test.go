package builtin

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/eksguard/eksguard/internal/frontend"
)

// The pod rules read below each workload's pod spec and each container
// (podSpec.SC, container.SC, the firstPresent methods) instead of walking
// the long dotted paths from the resource's root for every container and
// rule. The two must agree everywhere: on every workload of the rule
// fixtures, and on containers written as a single map (read as a
// one-container list, where paths below the container name nothing).
func TestRelativeReadsMatchRootReads(t *testing.T) {
	dirs, err := filepath.Glob("testdata/K8S-*/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no Kubernetes fixtures: %v", err)
	}
	odd := filepath.Join(t.TempDir(), "odd.yaml")
	if err := os.WriteFile(odd, []byte(`apiVersion: apps/v1
kind: Deployment
metadata: {name: map-container, namespace: a}
spec:
  template:
    spec:
      securityContext: {runAsNonRoot: true}
      containers:
        name: app
        image: nginx:latest
        securityContext: {privileged: true, capabilities: {add: [SYS_ADMIN]}}
        ports: [{containerPort: 80, hostPort: 80}]
        env: [{name: PASSWORD, value: hunter2}]
      initContainers: "not a list"
---
apiVersion: v1
kind: Pod
metadata: {name: list-of-one, namespace: a}
spec:
  securityContext: [{runAsUser: 0}]
  containers:
    - name: c
      securityContext: [{readOnlyRootFilesystem: false}]
      ports: {containerPort: 80, hostPort: 8080}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	rels := []string{"", "securityContext", "securityContext.privileged", "securityContext.capabilities",
		"securityContext.capabilities.add", "securityContext.capabilities.add.0", "securityContext.capabilities.drop",
		"securityContext.runAsNonRoot", "securityContext.seccompProfile.type", "resources", "image", "ports.0",
		"ports.0.hostPort", "env.0", "env.0.value", "env.0.valueFrom", "envFrom.0.secretRef", "volumes.0.hostPath"}
	fields := []string{"privileged", "capabilities.add", "capabilities.drop", "runAsNonRoot", "runAsUser",
		"seccompProfile.type", "readOnlyRootFilesystem", "allowPrivilegeEscalation"}
	containers := 0
	for _, in := range append(dirs, odd) {
		g := frontend.Load([]string{in}, frontend.Options{}).Graph
		for _, ps := range workloads(g) {
			for _, rel := range rels {
				if got, want := ps.firstPresent(rel), firstPresent(ps.Res, ps.At(rel)); got != want {
					t.Errorf("%s %s: pod spec firstPresent(%q) = %q, from the root %q", in, ps.Res.Address, rel, got, want)
				}
			}
			for _, f := range fields {
				if got, want := ps.SC(f), ps.Get("securityContext."+f); got != want {
					t.Errorf("%s %s: pod SC(%q) = %v, want %v", in, ps.Res.Address, f, got, want)
				}
			}
			cs, _ := ps.containers()
			for _, c := range cs {
				containers++
				for _, rel := range rels {
					if got, want := c.firstPresent(ps.Res, rel, ""), firstPresent(ps.Res, c.At(rel), c.Path); got != want {
						t.Errorf("%s %s %s: container firstPresent(%q) = %q, from the root %q", in, ps.Res.Address, c.Path, rel, got, want)
					}
				}
				for _, f := range fields {
					if got, want := c.SC(f), c.Get("securityContext."+f); got != want {
						t.Errorf("%s %s %s: container SC(%q) = %v, want %v", in, ps.Res.Address, c.Path, f, got, want)
					}
				}
				if c.Who != podSecWho(ps, c) || ps.Name != kindName(ps.Res) {
					t.Errorf("%s %s: names %q %q", in, c.Path, c.Who, ps.Name)
				}
			}
		}
	}
	if containers < 50 {
		t.Errorf("only %d containers checked", containers)
	}
	// The map written as a container list must have been read, with its
	// paths resolving to nothing below the container.
	g := frontend.Load([]string{odd}, frontend.Options{}).Graph
	for _, ps := range workloads(g) {
		cs, _ := ps.containers()
		for _, c := range cs {
			if ps.Res.Name == "map-container" && c.Field == "containers" {
				if c.direct || c.firstPresent(ps.Res, "securityContext.privileged", "securityContext", "") != "" {
					t.Errorf("map container: direct %v", c.direct)
				}
				return
			}
		}
	}
	t.Error("the map written as a container list was not read")
}
