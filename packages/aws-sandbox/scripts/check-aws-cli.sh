#!/usr/bin/env bash
# Checks the sandbox's wire protocols against the official AWS CLI: credential report (IAM query/XML),
# event history (CloudTrail JSON 1.1), costs (Cost Explorer JSON 1.1), caller identity (STS), regions
# (EC2 query). Usage: scripts/check-aws-cli.sh ENDPOINT_URL  (e.g. the URL `aws-ir sandbox` prints).
# Uses the sandbox administrator key; ignores the user's own AWS config so it never reaches AWS.
set -euo pipefail

endpoint="${1:?usage: $0 ENDPOINT_URL (from aws-ir sandbox)}"
case "$endpoint" in
  http://127.0.0.1:*|http://localhost:*) ;;
  *) echo "refusing to run against $endpoint: the check only talks to a local sandbox" >&2; exit 2 ;;
esac
command -v aws >/dev/null || { echo "the AWS CLI is not installed (Debian: apt-get install awscli)" >&2; exit 2; }

export AWS_ACCESS_KEY_ID=AKIASANDBOXADMIN0001
export AWS_SECRET_ACCESS_KEY=sandbox-admin-secret-key-not-a-real-secret
unset AWS_SESSION_TOKEN AWS_PROFILE
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=""
export AWS_MAX_ATTEMPTS=5

awsl() { aws --endpoint-url "$endpoint" --output json "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

account=$(awsl sts get-caller-identity --query Account --output text)
[[ "$account" =~ ^[0-9]{12}$ ]] || fail "sts get-caller-identity returned account '$account'"
ok "sts get-caller-identity: account $account"

# The administrator key's signature is verified like any known key's: the CLI's own signing must match it.
if denied=$(AWS_SECRET_ACCESS_KEY=not-the-admin-secret awsl sts get-caller-identity 2>&1); then
  fail "sts get-caller-identity accepted a wrong secret"
fi
[[ "$denied" == *SignatureDoesNotMatch* ]] || fail "a wrong secret was refused with something else: $denied"
ok "sts get-caller-identity with a wrong secret: SignatureDoesNotMatch"

state=$(awsl iam generate-credential-report --query State --output text)
[[ "$state" == STARTED || "$state" == COMPLETE ]] || fail "iam generate-credential-report: state '$state'"
while [[ "$state" != COMPLETE ]]; do
  sleep 1
  state=$(awsl iam generate-credential-report --query State --output text)
done
ok "iam generate-credential-report: $state"

report=$(awsl iam get-credential-report --query Content --output text)
# The CLI prints the blob base64-encoded; the CSV is inside.
header=$(printf '%s' "$report" | base64 -d | head -n 1)
columns=$(printf '%s' "$header" | awk -F, '{print NF}')
[[ "$columns" == 22 ]] || fail "credential report header has $columns columns: $header"
printf '%s' "$report" | base64 -d | grep -q '^<root_account>,arn:aws:iam::' || fail "credential report has no <root_account> row"
ok "iam get-credential-report: 22 columns, root row present"

events=$(awsl cloudtrail lookup-events --max-results 5 --query 'length(Events)' --output text)
[[ "$events" =~ ^[1-5]$ ]] || fail "cloudtrail lookup-events returned '$events' events"
first_time=$(awsl cloudtrail lookup-events --max-results 1 --query 'Events[0].EventTime' --output text)
# CLI v1 prints the wire value (epoch seconds); v2 formats it as ISO 8601. Either must parse as a recent time.
[[ "$first_time" =~ ^(20[0-9]{2}-|[0-9]{10}(\.[0-9]+)?$) ]] || fail "cloudtrail lookup-events EventTime '$first_time' is not a timestamp"
ok "cloudtrail lookup-events: $events events, newest at $first_time"

start=$(date -u -d '-7 days' +%F)
end=$(date -u +%F)
periods=$(awsl ce get-cost-and-usage --time-period "Start=$start,End=$end" --granularity DAILY --metrics UnblendedCost \
  --group-by Type=DIMENSION,Key=REGION --query 'length(ResultsByTime)' --output text)
[[ "$periods" == 7 ]] || fail "ce get-cost-and-usage returned $periods daily periods for 7 days"
ok "ce get-cost-and-usage: $periods daily periods"

regions=$(awsl ec2 describe-regions --query 'length(Regions)' --output text)
[[ "$regions" -ge 17 ]] || fail "ec2 describe-regions returned $regions regions"
ok "ec2 describe-regions: $regions regions"

echo "All AWS CLI checks passed against $endpoint"
