import { cloudTrailSourceConfig } from '../../../src/scan/sources/config';

const parse = (env: Record<string, string>) => {
  const problems: string[] = [];
  return { options: cloudTrailSourceConfig(env, problems), problems };
};

describe('CloudTrail source configuration', () => {
  it('is empty (discover the account’s trails, pick automatically) when nothing is set', () => {
    expect(parse({})).toEqual({ options: {}, problems: [] });
  });

  it('reads an organization trail’s log archive and Athena', () => {
    const { options, problems } = parse({
      AWS_IR_CLOUDTRAIL_SOURCE: 'athena',
      AWS_IR_TRAIL_BUCKET: 'org-cloudtrail-logs',
      AWS_IR_TRAIL_PREFIX: 'org',
      AWS_IR_TRAIL_ROLE_ARN: 'arn:aws:iam::111122223333:role/aws-ir-trail-logs',
      AWS_IR_ATHENA_WORKGROUP: 'aws-ir',
      AWS_IR_ATHENA_DATABASE: 'security',
      AWS_IR_ATHENA_TABLE: 'cloudtrail_logs',
      AWS_IR_ATHENA_OUTPUT_LOCATION: 's3://athena-results/aws-ir/',
    });
    expect(problems).toEqual([]);
    expect(options).toEqual({
      prefer: 'athena',
      trailBucket: 'org-cloudtrail-logs',
      trailPrefix: 'org',
      trailRoleArn: 'arn:aws:iam::111122223333:role/aws-ir-trail-logs',
      athena: { workgroup: 'aws-ir', database: 'security', table: 'cloudtrail_logs', outputLocation: 's3://athena-results/aws-ir/' },
    });
  });

  it('says what to fix, one sentence per problem', () => {
    const { problems } = parse({
      AWS_IR_CLOUDTRAIL_SOURCE: 'fastest',
      AWS_IR_TRAIL_ROLE_ARN: 'not-a-role',
      AWS_IR_ATHENA_WORKGROUP: 'aws-ir',
      AWS_IR_ATHENA_OUTPUT_LOCATION: 'athena-results',
    });
    expect(problems).toEqual([
      'AWS_IR_CLOUDTRAIL_SOURCE must be one of auto, lookup-events, s3, athena (got "fastest").',
      'AWS_IR_TRAIL_ROLE_ARN needs AWS_IR_TRAIL_BUCKET: set the log archive bucket it reads.',
      'AWS_IR_TRAIL_ROLE_ARN must be an IAM role ARN like arn:aws:iam::123456789012:role/aws-ir-trail-logs (got "not-a-role").',
      'Athena needs AWS_IR_ATHENA_DATABASE, AWS_IR_ATHENA_TABLE as well (the workgroup, and the database and table of the trail).',
      'AWS_IR_ATHENA_OUTPUT_LOCATION must be an S3 URI such as s3://athena-results/aws-ir/ (got "athena-results").',
    ]);
  });
});
