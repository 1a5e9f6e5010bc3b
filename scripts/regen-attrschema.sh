#!/usr/bin/env bash
# Regenerates the attribute lists the schema tests check rules and the
# CloudFormation mapping against (internal/testutil/attrschema/tf-aws.txt
# and cfn.txt) from the npm packages @cdktf/provider-aws (the Terraform AWS
# provider's schema, as cdktf generates its bindings from it) and
# @aws-cdk/aws-service-spec (the CloudFormation resource specification).
# Run it after a rule or the mapping starts using a new aws_* or AWS::
# type, or to move to a newer provider; then update the versions in NOTICE.
#
#   scripts/regen-attrschema.sh [cdktf-provider-aws-version [aws-service-spec-version]]
#
# Without versions it takes the ones the lists were made from (see their
# first lines); pass "latest" for the newest.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=internal/testutil/attrschema
tfv="${1:-$(sed -n '1s/.*@cdktf\/provider-aws \([^ ]*\).*/\1/p' "$dir/tf-aws.txt")}"
cfnv="${2:-$(sed -n '1s/.*@aws-cdk\/aws-service-spec \([^ ]*\).*/\1/p' "$dir/cfn.txt")}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@cdktf/provider-aws@$tfv" "@aws-cdk/aws-service-spec@$cfnv" >/dev/null)
mkdir "$tmp/tf" "$tmp/cfn"
tar -xzf "$tmp"/cdktf-provider-aws-*.tgz -C "$tmp/tf"
tar -xzf "$tmp"/aws-cdk-aws-service-spec-*.tgz -C "$tmp/cfn"
(cd "$dir" && CDKTF_AWS="$tmp/tf/package" AWS_SERVICE_SPEC="$tmp/cfn/package" go generate .)
git --no-pager diff --stat -- "$dir"
