import { request } from 'node:http';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient, ListPoliciesCommand, ListUsersCommand, PutRolePolicyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startSandbox, type RunningSandbox } from '../../src';
import { clientConfig, failure } from './support';

let sb: RunningSandbox;
const crashes: string[] = [];
/** The clock rate limits are measured on: the throttling test moves it instead of waiting for the bucket. */
let rateNow = Date.now();

beforeAll(async () => {
  sb = await startSandbox({ onInternalError: (_err, op) => crashes.push(op), rateLimitClock: () => rateNow });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const FAKE_AUTH = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE00/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'ab'.repeat(32)}`;

function raw(path: string, headers: Record<string, string>, body: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(path, sb.endpoint);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('wire shapes', () => {
  test('a request without Authorization is MissingAuthenticationToken in the query error shape', async () => {
    const res = await raw('/', { 'content-type': 'application/x-www-form-urlencoded' }, 'Action=ListUsers&Version=2010-05-08');
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toMatch(
      /^<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code><Message>Request is missing Authentication Token<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );
  });

  test('a malformed Credential scope is IncompleteSignature', async () => {
    const res = await raw('/', { authorization: `AWS4-HMAC-SHA256 Credential=AKIA/x, SignedHeaders=host, Signature=${'0'.repeat(64)}` }, 'Action=ListUsers');
    expect(res.status).toBe(403);
    expect(res.body).toContain('<Code>IncompleteSignature</Code>');
  });

  test('an unknown query operation is InvalidAction naming it; EC2 uses its own error shape', async () => {
    const iam = await raw(
      '/',
      { authorization: FAKE_AUTH('iam'), 'content-type': 'application/x-www-form-urlencoded' },
      'Action=ListUnicorns&Version=2010-05-08',
    );
    expect(iam.status).toBe(400);
    expect(iam.body).toContain('<Code>InvalidAction</Code><Message>Could not find operation ListUnicorns for version 2010-05-08</Message>');
    const ec2 = await raw(
      '/',
      { authorization: FAKE_AUTH('ec2'), 'content-type': 'application/x-www-form-urlencoded' },
      'Action=LaunchRockets&Version=2016-11-15',
    );
    expect(ec2.body).toMatch(
      /<Response><Errors><Error><Code>InvalidAction<\/Code><Message>The action LaunchRockets is not valid for this web service.<\/Message><\/Error><\/Errors><RequestID>/,
    );
  });

  test('an unknown JSON operation is UnknownOperationException with x-amzn-ErrorType', async () => {
    const res = await raw(
      '/',
      {
        authorization: FAKE_AUTH('cloudtrail'),
        'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DeleteEverything',
        'content-type': 'application/x-amz-json-1.1',
      },
      '{}',
    );
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('UnknownOperationException');
    expect(JSON.parse(res.body)).toMatchObject({ __type: 'UnknownOperationException', message: expect.stringContaining('DeleteEverything') });
  });

  test('a handler crash is InternalFailure 500 and the server keeps serving', async () => {
    sb.state.policies.push({ ...sb.state.policies[0]!, versions: undefined as never });
    const iam = new IAMClient(clientConfig(sb));
    const err = await failure(iam.send(new ListPoliciesCommand({})));
    expect(err.name).toBe('InternalFailure');
    expect(err.$metadata?.httpStatusCode).toBe(500);
    expect(crashes).toContain('ListPolicies');
    sb.reset();
    expect((await iam.send(new ListUsersCommand({}))).Users!.length).toBeGreaterThan(0);
  });
});

describe('limits and faults', () => {
  test('LookupEvents is throttled beyond 2 requests/s per region with ThrottlingException "Rate exceeded"', async () => {
    const ct = new CloudTrailClient(clientConfig(sb));
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => ct.send(new LookupEventsCommand({ MaxResults: 1 }))));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(2);
    expect(rejected.length).toBe(4);
    expect((rejected[0]!.reason as Error).name).toBe('ThrottlingException');
    expect((rejected[0]!.reason as Error).message).toBe('Rate exceeded');
    // Another region has its own bucket.
    const other = new CloudTrailClient(clientConfig(sb, { region: 'eu-west-1' }));
    await expect(other.send(new LookupEventsCommand({ MaxResults: 1 }))).resolves.toBeDefined();
  });

  test('the SDK retries a throttled call and succeeds once the bucket refills', async () => {
    // The SDK's standard retries; its backoff is a second on the sandbox's rate clock instead of a real wait.
    const retryStrategy = new ConfiguredRetryStrategy(5, () => {
      rateNow += 1000;
      return 0;
    });
    const ct = new CloudTrailClient({ ...clientConfig(sb, { region: 'sa-east-1' }), retryStrategy });
    const results = await Promise.all(Array.from({ length: 4 }, () => ct.send(new LookupEventsCommand({ MaxResults: 1 }))));
    expect(results.every((r) => Array.isArray(r.Events))).toBe(true);
    // Throttled at first (2 requests/s), then answered once the bucket refilled.
    expect(results.some((r) => (r.$metadata.attempts ?? 1) > 1)).toBe(true);
  });

  test('injected faults answer with the given error for the given number of calls, and latency delays', async () => {
    const iam = new IAMClient(clientConfig(sb));
    sb.faults.inject('IAM:ListUsers', { error: 'ServiceFailure', status: 500, times: 1 });
    const err = await failure(iam.send(new ListUsersCommand({})));
    expect(err.name).toBe('ServiceFailureException');
    expect(err.$metadata?.httpStatusCode).toBe(500);
    await expect(iam.send(new ListUsersCommand({}))).resolves.toBeDefined();

    // A slow answer: a client that waits less gives up, one that waits longer gets it.
    sb.faults.inject('IAM:ListUsers', { latencyMs: 300, times: 2 });
    const impatient = new IAMClient({ ...clientConfig(sb), requestHandler: { requestTimeout: 50, throwOnRequestTimeout: true } });
    expect((await failure(impatient.send(new ListUsersCommand({})))).name).toBe('TimeoutError');
    await expect(iam.send(new ListUsersCommand({}))).resolves.toBeDefined();
    sb.faults.clear();
  });
});

describe('callers', () => {
  test('AssumeRole issues usable session credentials; a revoke-older-sessions policy rejects them', async () => {
    const sts = new STSClient(clientConfig(sb));
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111122223333:role/deploy-runner', RoleSessionName: 'drill' }));
    const c = assumed.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA/);
    expect(c.Expiration).toBeInstanceOf(Date);
    const credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    const asRole = new STSClient(clientConfig(sb, { credentials }));
    expect((await asRole.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:sts::111122223333:assumed-role/deploy-runner/drill');

    const revokeBefore = new Date(Date.now() + 1000).toISOString();
    await new IAMClient(clientConfig(sb)).send(
      new PutRolePolicyCommand({
        RoleName: 'deploy-runner',
        PolicyName: 'AWSRevokeOlderSessions',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': revokeBefore } } }],
        }),
      }),
    );
    const err = await failure(asRole.send(new GetCallerIdentityCommand({})));
    expect(err.name).toBe('AccessDenied');
    expect(err.message).toContain('explicit deny');
    // The role's events carry the assumed-role identity.
    const put = sb.state.events.find((e) => e.eventName === 'PutRolePolicy')!;
    expect(put.record.userIdentity).toMatchObject({ type: 'IAMUser', userName: 'sandbox-admin' });
  });

  test('EC2 rejects an inactive key with AuthFailure', async () => {
    const key = sb.state.users.find((u) => u.userName === 'alice')!.accessKeys[0]!;
    await new IAMClient(clientConfig(sb)).send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: key.accessKeyId, Status: 'Inactive' }));
    const ec2 = new EC2Client(clientConfig(sb, { credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey } }));
    const err = await failure(ec2.send(new DescribeInstancesCommand({})));
    expect(err.name).toBe('AuthFailure');
    expect(err.$metadata?.httpStatusCode).toBe(401);
  });

  test('the leaked key acts as ci-deploy and its writes are recorded with the caller and source IP', async () => {
    const key = sb.state.users.find((u) => u.userName === 'ci-deploy')!.accessKeys[0]!;
    const asCi = new IAMClient(clientConfig(sb, { credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey } }));
    await asCi.send(new UpdateAccessKeyCommand({ UserName: 'ci-deploy', AccessKeyId: key.accessKeyId, Status: 'Inactive' }));
    const event = sb.state.events.filter((e) => e.eventName === 'UpdateAccessKey').pop()!;
    expect(event.userName).toBe('ci-deploy');
    expect(event.accessKeyId).toBe(key.accessKeyId);
    expect(event.record).toMatchObject({
      sourceIPAddress: '127.0.0.1',
      awsRegion: 'us-east-1',
      requestParameters: { userName: 'ci-deploy', status: 'Inactive' },
    });
  });
});
