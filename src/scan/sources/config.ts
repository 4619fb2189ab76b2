/**
 * The CloudTrail source settings from the environment, each problem one sentence saying what to do:
 *
 *   AWS_IR_CLOUDTRAIL_SOURCE   auto (default) | lookup-events | s3 | athena
 *   AWS_IR_TRAIL_BUCKET        an organization trail's log archive bucket (default: the account's trails)
 *   AWS_IR_TRAIL_PREFIX        its key prefix, if the trail has one
 *   AWS_IR_TRAIL_ROLE_ARN      a role in the log archive account that may read it
 *   AWS_IR_ATHENA_WORKGROUP, AWS_IR_ATHENA_DATABASE, AWS_IR_ATHENA_TABLE   Athena over the trail's table
 *   AWS_IR_ATHENA_OUTPUT_LOCATION   s3://… for results, when the workgroup has none
 */
import type { CloudTrailSourceOptions } from './model';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const NAME = /^[\w-]{1,128}$/;
const PREFERENCES = ['auto', 'lookup-events', 's3', 'athena'] as const;

export function cloudTrailSourceConfig(env: NodeJS.ProcessEnv, problems: string[]): CloudTrailSourceOptions {
  const str = (name: string): string | undefined => env[name]?.trim() || undefined;
  const out: CloudTrailSourceOptions = {};
  const prefer = str('AWS_IR_CLOUDTRAIL_SOURCE');
  if (prefer) {
    if ((PREFERENCES as readonly string[]).includes(prefer)) out.prefer = prefer as (typeof PREFERENCES)[number];
    else problems.push(`AWS_IR_CLOUDTRAIL_SOURCE must be one of ${PREFERENCES.join(', ')} (got "${prefer}").`);
  }
  const bucket = str('AWS_IR_TRAIL_BUCKET');
  if (bucket) {
    if (BUCKET.test(bucket)) out.trailBucket = bucket;
    else problems.push(`AWS_IR_TRAIL_BUCKET must be an S3 bucket name such as org-cloudtrail-logs (got "${bucket}").`);
  }
  const prefix = str('AWS_IR_TRAIL_PREFIX');
  if (prefix) {
    if (!bucket) problems.push('AWS_IR_TRAIL_PREFIX needs AWS_IR_TRAIL_BUCKET: set the log archive bucket too.');
    out.trailPrefix = prefix;
  }
  const role = str('AWS_IR_TRAIL_ROLE_ARN');
  if (role) {
    if (!bucket) problems.push('AWS_IR_TRAIL_ROLE_ARN needs AWS_IR_TRAIL_BUCKET: set the log archive bucket it reads.');
    if (ROLE_ARN.test(role)) out.trailRoleArn = role;
    else problems.push(`AWS_IR_TRAIL_ROLE_ARN must be an IAM role ARN like arn:aws:iam::123456789012:role/aws-ir-trail-logs (got "${role}").`);
  }
  const workgroup = str('AWS_IR_ATHENA_WORKGROUP');
  const database = str('AWS_IR_ATHENA_DATABASE');
  const table = str('AWS_IR_ATHENA_TABLE');
  const output = str('AWS_IR_ATHENA_OUTPUT_LOCATION');
  if (workgroup || database || table || output) {
    const missing = [
      ['AWS_IR_ATHENA_WORKGROUP', workgroup],
      ['AWS_IR_ATHENA_DATABASE', database],
      ['AWS_IR_ATHENA_TABLE', table],
    ].filter(([, v]) => !v);
    if (missing.length) problems.push(`Athena needs ${missing.map(([k]) => k).join(', ')} as well (the workgroup, and the database and table of the trail).`);
    for (const [k, v] of [
      ['AWS_IR_ATHENA_WORKGROUP', workgroup],
      ['AWS_IR_ATHENA_DATABASE', database],
      ['AWS_IR_ATHENA_TABLE', table],
    ] as const) {
      if (v && !NAME.test(v)) problems.push(`${k} must be a name of letters, digits, _ and - (got "${v}").`);
    }
    if (output && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(output))
      problems.push(`AWS_IR_ATHENA_OUTPUT_LOCATION must be an S3 URI such as s3://athena-results/aws-ir/ (got "${output}").`);
    if (workgroup && database && table) out.athena = { workgroup, database, table, ...(output ? { outputLocation: output } : {}) };
  }
  if (out.prefer === 'athena' && !out.athena)
    problems.push('AWS_IR_CLOUDTRAIL_SOURCE=athena needs AWS_IR_ATHENA_WORKGROUP, AWS_IR_ATHENA_DATABASE and AWS_IR_ATHENA_TABLE.');
  return out;
}
