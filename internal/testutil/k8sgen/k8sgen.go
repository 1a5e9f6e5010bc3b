// Package k8sgen generates Kubernetes manifest sets for benchmarks: a
// multi-tenant cluster as helm template would render it, each namespace
// with its policies and a number of Deployments, some compliant and some
// not, so every Kubernetes rule has work to do.
package k8sgen

import (
	"fmt"
	"strings"
)

// Generate returns a multi-document YAML stream with namespaces
// namespaces of perNS Deployments each, plus each namespace's Namespace,
// NetworkPolicies, ResourceQuota, LimitRange and ServiceAccount.
func Generate(namespaces, perNS int) []byte {
	var b strings.Builder
	b.Grow(namespaces * (perNS*1600 + 3000))
	for n := 0; n < namespaces; n++ {
		ns := fmt.Sprintf("team-%04d", n)
		fmt.Fprintf(&b, `---
# Source: tenant/templates/namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: %[1]s
  labels:
    pod-security.kubernetes.io/enforce: restricted
    team: %[1]s
---
# Source: tenant/templates/netpol.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: %[1]s
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
# Source: tenant/templates/netpol.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: %[1]s
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 53
---
# Source: tenant/templates/quota.yaml
apiVersion: v1
kind: ResourceQuota
metadata:
  name: quota
  namespace: %[1]s
spec:
  hard:
    requests.cpu: "20"
    requests.memory: 40Gi
    limits.memory: 40Gi
---
# Source: tenant/templates/limits.yaml
apiVersion: v1
kind: LimitRange
metadata:
  name: limits
  namespace: %[1]s
spec:
  limits:
    - type: Container
      default:
        memory: 512Mi
      defaultRequest:
        cpu: 100m
        memory: 256Mi
---
# Source: tenant/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
  namespace: %[1]s
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/%[1]s-app
automountServiceAccountToken: false
`, ns)
		for d := 0; d < perNS; d++ {
			// Every seventh Deployment drifts from the hardened template,
			// as real repositories do.
			priv, image, ro := "false", "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2", "true"
			if (n*perNS+d)%7 == 3 {
				priv, image, ro = "true", "nginx:latest", "false"
			}
			fmt.Fprintf(&b, `---
# Source: app/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-%[2]d
  namespace: %[1]s
  labels:
    app.kubernetes.io/name: svc-%[2]d
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: svc-%[2]d
  template:
    metadata:
      labels:
        app.kubernetes.io/name: svc-%[2]d
    spec:
      serviceAccountName: app
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      initContainers:
        - name: migrate
          image: %[3]s
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
      containers:
        - name: app
          image: %[3]s
          ports:
            - containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db
                  key: password
          resources:
            requests:
              cpu: 250m
              memory: 256Mi
            limits:
              memory: 512Mi
          securityContext:
            privileged: %[4]s
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: %[5]s
            capabilities:
              drop: [ALL]
`, ns, d, image, priv, ro)
		}
	}
	return []byte(b.String())
}
