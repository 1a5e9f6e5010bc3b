#!/usr/bin/env bash
# Regenerates the rendered twins of the Helm chart and kustomization
# fixtures with the real tools, so the tests compare eksguard's in-process
# rendering with what helm template and kustomize build print:
#
#   scripts/render-fixtures.sh
#
# helm and kustomize are built from the Go module proxy at the versions
# below (the versions of the libraries eksguard renders with), into
# $(go env GOPATH)/bin, when not already there at that version.
set -euo pipefail
cd "$(dirname "$0")/.."

HELM_VERSION=v4.3.2
KUSTOMIZE_VERSION=v5.8.1 # the kustomize/kustomize release built on kustomize/api v0.21.x
bin="$(go env GOPATH)/bin"

if ! "$bin/helm" version --template '{{.Version}}' 2>/dev/null | grep -q "^${HELM_VERSION%.*}"; then
  go install "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
fi
if ! "$bin/kustomize" version 2>/dev/null | grep -q "^$KUSTOMIZE_VERSION$"; then
  go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
fi

# Chart: one file per release, named as eksguard names the release: the
# chart's values.yaml alone, and each values variant over it.
chart=internal/frontend/testdata/charts/web
out=internal/frontend/testdata/charts-rendered
mkdir -p "$out"
"$bin/helm" template web "$chart" > "$out/web.yaml"
"$bin/helm" template web-prod "$chart" -f "$chart/values-prod.yaml" > "$out/web-prod.yaml"
"$bin/helm" template web-ci-hostnet "$chart" -f "$chart/ci/hostnet-values.yaml" > "$out/web-ci-hostnet.yaml"

# Kustomization: the overlay (with its patches and component) as built.
app=internal/frontend/kustomize/testdata/app
mkdir -p "$app-built"
"$bin/kustomize" build "$app/overlays/prod" > "$app-built/prod.yaml"

# The apps example: each release of its chart and its overlay, as built.
ex=examples/apps
out=internal/cli/testdata/apps-rendered
mkdir -p "$out"
"$bin/helm" template orders "$ex/charts/orders" > "$out/orders.yaml"
"$bin/helm" template orders-prod "$ex/charts/orders" -f "$ex/charts/orders/values-prod.yaml" > "$out/orders-prod.yaml"
"$bin/helm" template orders-staging "$ex/charts/orders" -f "$ex/charts/orders/values-staging.yaml" > "$out/orders-staging.yaml"
"$bin/kustomize" build "$ex/k8s/overlays/prod" > "$out/billing-prod.yaml"
