#!/usr/bin/env bash
# Checks the sandbox's wire protocols against the official AWS CLI: credential report (IAM query/XML),
# event history (CloudTrail JSON 1.1), costs (Cost Explorer JSON 1.1), caller identity (STS), regions
# (EC2 query), and one service per protocol among those attackers change: S3 (REST-XML), RDS and SES
# (query), GuardDuty and SES v2 (REST-JSON), Config (JSON 1.1), EC2 snapshot sharing, Lambda policies.
# Usage: scripts/check-aws-cli.sh ENDPOINT_URL  (e.g. the URL `aws-ir sandbox` prints).
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

bucket="cli-check-$RANDOM$RANDOM"
awsl s3api create-bucket --bucket "$bucket" >/dev/null
awsl s3api put-bucket-policy --bucket "$bucket" \
  --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::'"$bucket"'/*"}]}'
principal=$(awsl s3api get-bucket-policy --bucket "$bucket" --query Policy --output text | python3 -c 'import json,sys; print(json.load(sys.stdin)["Statement"][0]["Principal"]["AWS"])')
[[ "$principal" == "arn:aws:iam::999988887777:root" ]] || fail "s3api get-bucket-policy returned principal '$principal'"
ok "s3api (REST-XML): create-bucket, put/get-bucket-policy"

quota=$(awsl ses get-send-quota --region eu-west-1 --query Max24HourSend --output text)
[[ "$quota" == 200.0 || "$quota" == 200 ]] || fail "ses get-send-quota: Max24HourSend '$quota'"
token=$(awsl ses verify-domain-identity --region eu-west-1 --domain cli-check.example --query VerificationToken --output text)
[[ ${#token} == 44 ]] || fail "ses verify-domain-identity: token '$token'"
ok "ses (query): get-send-quota, verify-domain-identity"

sandboxed=$(awsl sesv2 get-account --region eu-west-1 --query ProductionAccessEnabled --output text)
[[ "$sandboxed" == False ]] || fail "sesv2 get-account: ProductionAccessEnabled '$sandboxed'"
ok "sesv2 (REST-JSON): get-account"

missing=$(awsl rds describe-db-snapshot-attributes --db-snapshot-identifier no-such-snapshot 2>&1 || true)
[[ "$missing" == *DBSnapshotNotFound* ]] || fail "rds describe-db-snapshot-attributes of an unknown snapshot: $missing"
ok "rds (query): describe-db-snapshot-attributes, DBSnapshotNotFound"

detector=$(awsl guardduty create-detector --enable --query DetectorId --output text)
listed=$(awsl guardduty list-detectors --query 'DetectorIds[0]' --output text)
[[ "$listed" == "$detector" ]] || fail "guardduty list-detectors returned '$listed', created '$detector'"
ok "guardduty (REST-JSON): create-detector, list-detectors"

stopped=$(awsl configservice stop-configuration-recorder --configuration-recorder-name nope 2>&1 || true)
[[ "$stopped" == *NoSuchConfigurationRecorderException* ]] || fail "configservice stop-configuration-recorder of an unknown recorder: $stopped"
ok "configservice (JSON 1.1): stop-configuration-recorder, NoSuchConfigurationRecorderException"

volume=$(awsl ec2 describe-volumes --no-paginate --query 'Volumes[0].VolumeId' --output text)
snapshot=$(awsl ec2 create-snapshot --volume-id "$volume" --query SnapshotId --output text)
awsl ec2 modify-snapshot-attribute --snapshot-id "$snapshot" --attribute createVolumePermission --operation-type add --user-ids 999988887777
shared=$(awsl ec2 describe-snapshot-attribute --snapshot-id "$snapshot" --attribute createVolumePermission --query 'CreateVolumePermissions[0].UserId' --output text)
[[ "$shared" == 999988887777 ]] || fail "ec2 describe-snapshot-attribute returned '$shared'"
ok "ec2 (EC2 query): modify-snapshot-attribute, describe-snapshot-attribute"

function=$(awsl lambda list-functions --query 'Functions[0].FunctionName' --output text)
if [[ -n "$function" && "$function" != None ]]; then
  awsl lambda add-permission --function-name "$function" --statement-id cli-check --action lambda:InvokeFunction --principal 999988887777 >/dev/null
  sid=$(awsl lambda get-policy --function-name "$function" --query Policy --output text | python3 -c 'import json,sys; print(json.load(sys.stdin)["Statement"][-1]["Sid"])')
  [[ "$sid" == cli-check ]] || fail "lambda get-policy: last statement '$sid'"
  ok "lambda (REST-JSON): add-permission, get-policy"
fi

recorded=$(awsl cloudtrail lookup-events --region eu-west-1 --lookup-attributes AttributeKey=EventName,AttributeValue=VerifyDomainIdentity \
  --max-results 1 --query 'Events[0].CloudTrailEvent' --output text | python3 -c 'import json,sys; print(json.load(sys.stdin)["requestParameters"]["domain"])')
[[ "$recorded" == cli-check.example ]] || fail "cloudtrail lookup-events: VerifyDomainIdentity recorded with domain '$recorded'"
ok "cloudtrail lookup-events: the CLI's own VerifyDomainIdentity, full record"

echo "All AWS CLI checks passed against $endpoint"
