#!/usr/bin/env bash
# Validates eksguard's SARIF with Microsoft's SARIF multitool, with the
# SARIF spec rules and GitHub code scanning's ingestion rules
# (--rule-kind "Gh;Sarif"). Exits non-zero on any validator error.
# Needs node and npm; installs the multitool into a temporary prefix.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="${SARIF_MULTITOOL_PREFIX:-/tmp/sarif-multitool}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ ! -x "$prefix/node_modules/.bin/sarif-multitool" ]; then
  npm install --no-audit --no-fund --prefix "$prefix" @microsoft/sarif-multitool >&2
fi
# npm may skip the package's postinstall (chmod u+x) when install scripts
# are not allowed; make the native binary executable ourselves.
find "$prefix/node_modules/@microsoft" -name 'Sarif.Multitool' -type f -exec chmod u+x {} + 2>/dev/null || true

go build -o "$work/eksguard" ./cmd/eksguard
out="$work/out.sarif"
# Exit 1 means the gate failed on the example's findings: expected. The
# incomplete fixture (a module call that is not downloaded) puts a tool
# execution notification in the log, so that shape is validated too. The
# exceptions fixture, scanned against a baseline of itself, adds results
# with suppressions[] (inSource and external) and baselineState
# (unchanged, and new for the rest), and its configuration's disabled rule
# a tool configuration notification.
"$work/eksguard" baseline create --output "$work/baseline.json" internal/cli/testdata/exceptions >/dev/null
set +e
"$work/eksguard" scan --format sarif="$out" --policy examples/policies --baseline "$work/baseline.json" \
  --config internal/cli/testdata/exceptions/.eksguard.yaml \
  internal/cli/testdata/exceptions examples/shop examples/policies/testdata internal/cli/testdata/incomplete >/dev/null
rc=$?
set -e
if [ "$rc" -gt 1 ] || [ ! -s "$out" ]; then
  echo "sarif-validate: eksguard scan failed (exit $rc)" >&2; exit 1
fi

# The npm launcher runs the tool through a shell, so the ';' list is
# quoted a second time.
set +e
npx --prefix "$prefix" sarif-multitool validate --rule-kind '"Gh;Sarif"' \
  --output "$work/validation.sarif" "$out" >"$work/log" 2>&1
vrc=$?
set -e
grep -v '^npm warn' "$work/log" || true
errors="$(grep -c ': error ' "$work/log" || true)"
warnings="$(grep -c ': warning ' "$work/log" || true)"
if [ "$vrc" -ne 0 ] || [ "$errors" -ne 0 ] || ! grep -q 'Analysis completed successfully' "$work/log"; then
  echo "sarif-validate: FAILED (validator exit $vrc, $errors errors, $warnings warnings)" >&2
  exit 1
fi
for shape in '"toolExecutionNotifications"' '"toolConfigurationNotifications"' '"kind": "inSource"' '"kind": "external"' \
  '"baselineState": "unchanged"' '"baselineState": "new"'; do
  if ! grep -q "$shape" "$out"; then
    echo "sarif-validate: the log has no $shape to validate" >&2; exit 1
  fi
done
echo "sarif-validate: OK ($errors errors, $warnings warnings, $(grep -c '"ruleId"' "$out") results)"
