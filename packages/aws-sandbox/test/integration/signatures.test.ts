import { AccountClient, GetContactInformationCommand } from '@aws-sdk/client-account';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { HttpRequest } from '@smithy/types';
import { startSandbox, type RunningSandbox } from '../../src';
import { clientConfig, failure } from './support';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const MISMATCH = /^The request signature we calculated does not match the signature you provided\./;
const wrongAdminSecret = () => ({ accessKeyId: sb.adminCredentials.accessKeyId, secretAccessKey: 'not-the-admin-secret' });

/** Changes the body after the SDK signed it (same length, so only the signature can notice). */
function tamperAfterSigning(client: { middlewareStack: { add: (mw: never, opts: { step: 'deserialize' }) => void } }, from: string, to: string): void {
  const mw = (next: (args: { request: HttpRequest }) => Promise<unknown>) => (args: { request: HttpRequest }) => {
    const body: unknown = args.request.body;
    const text =
      typeof body === 'string'
        ? body
        : body instanceof Uint8Array
          ? new TextDecoder().decode(new Uint8Array(body.buffer, body.byteOffset, body.byteLength))
          : undefined;
    if (text === undefined || !text.includes(from)) throw new Error(`nothing to tamper with in ${String(body)}`);
    args.request.body = text.replace(from, to);
    return next(args);
  };
  client.middlewareStack.add(mw as never, { step: 'deserialize' });
}

describe('a wrong secret is rejected in each protocol with AWS error', () => {
  test('IAM and STS (query): SignatureDoesNotMatch 403', async () => {
    const err = await failure(new IAMClient(clientConfig(sb, { credentials: wrongAdminSecret() })).send(new ListUsersCommand({})));
    expect(err.name).toBe('SignatureDoesNotMatch');
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(err.message).toMatch(MISMATCH);
    expect((await failure(new STSClient(clientConfig(sb, { credentials: wrongAdminSecret() })).send(new GetCallerIdentityCommand({})))).name).toBe(
      'SignatureDoesNotMatch',
    );
  });

  test('EC2: AuthFailure 401, as EC2 says nothing more', async () => {
    const err = await failure(new EC2Client(clientConfig(sb, { credentials: wrongAdminSecret() })).send(new DescribeRegionsCommand({})));
    expect(err.name).toBe('AuthFailure');
    expect(err.$metadata?.httpStatusCode).toBe(401);
  });

  test('CloudTrail (JSON 1.1): InvalidSignatureException 400; Lambda and Account (REST-JSON): 403', async () => {
    const ct = await failure(new CloudTrailClient(clientConfig(sb, { credentials: wrongAdminSecret() })).send(new LookupEventsCommand({ MaxResults: 1 })));
    expect(ct.name).toBe('InvalidSignatureException');
    expect(ct.$metadata?.httpStatusCode).toBe(400);
    expect(ct.message).toMatch(MISMATCH);
    const lambda = await failure(new LambdaClient(clientConfig(sb, { credentials: wrongAdminSecret() })).send(new ListFunctionsCommand({})));
    expect(lambda.name).toBe('InvalidSignatureException');
    expect(lambda.$metadata?.httpStatusCode).toBe(403);
    const account = await failure(new AccountClient(clientConfig(sb, { credentials: wrongAdminSecret() })).send(new GetContactInformationCommand({})));
    expect(account.name).toBe('InvalidSignatureException');
  });

  test("a scenario user's key with a wrong secret is rejected and does not count as a use of the key", async () => {
    const alice = sb.state.users.find((u) => u.userName === 'alice')!;
    const key = alice.accessKeys[0]!;
    const lastUsed = key.lastUsedDate;
    const err = await failure(
      new STSClient(clientConfig(sb, { credentials: { accessKeyId: key.accessKeyId, secretAccessKey: 'guessed' } })).send(new GetCallerIdentityCommand({})),
    );
    expect(err.name).toBe('SignatureDoesNotMatch');
    expect(key.lastUsedDate).toBe(lastUsed);
    const who = await new STSClient(clientConfig(sb, { credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey } })).send(
      new GetCallerIdentityCommand({}),
    );
    expect(who.Arn).toBe(alice.arn);
  });
});

describe('tampering and sessions', () => {
  test('a body changed after signing is rejected (IAM query and CloudTrail JSON)', async () => {
    const iam = new IAMClient(clientConfig(sb));
    tamperAfterSigning(iam, 'MaxItems=5', 'MaxItems=6');
    expect((await failure(iam.send(new ListUsersCommand({ MaxItems: 5 })))).name).toBe('SignatureDoesNotMatch');
    const ct = new CloudTrailClient(clientConfig(sb));
    tamperAfterSigning(ct, '"MaxResults":1', '"MaxResults":2');
    expect((await failure(ct.send(new LookupEventsCommand({ MaxResults: 1 })))).name).toBe('InvalidSignatureException');
  });

  test('session keys verify with their own secret and need their own token', async () => {
    const c = (
      await new STSClient(clientConfig(sb)).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111122223333:role/deploy-runner', RoleSessionName: 'sig' }))
    ).Credentials!;
    const good = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    expect((await new STSClient(clientConfig(sb, { credentials: good })).send(new GetCallerIdentityCommand({}))).Arn).toContain(
      ':assumed-role/deploy-runner/sig',
    );
    const badSecret = await failure(new STSClient(clientConfig(sb, { credentials: { ...good, secretAccessKey: 'x' } })).send(new GetCallerIdentityCommand({})));
    expect(badSecret.name).toBe('SignatureDoesNotMatch');
    const badToken = await failure(
      new STSClient(clientConfig(sb, { credentials: { ...good, sessionToken: 'IQoJforged' } })).send(new GetCallerIdentityCommand({})),
    );
    expect(badToken.name).toBe('InvalidClientTokenId');
  });

  test('a key the sandbox does not know still acts as the administrator, whatever its secret', async () => {
    const who = await new STSClient(clientConfig(sb, { credentials: { accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'anything' } })).send(
      new GetCallerIdentityCommand({}),
    );
    expect(who.Arn).toBe('arn:aws:iam::111122223333:user/sandbox-admin');
  });
});

describe('clock skew', () => {
  const twentyMinutesSlow = -20 * 60_000;

  test('a request signed 20 minutes ago is refused in each protocol family', async () => {
    const sts = await failure(new STSClient({ ...clientConfig(sb), systemClockOffset: twentyMinutesSlow }).send(new GetCallerIdentityCommand({})));
    expect(sts.name).toBe('SignatureDoesNotMatch');
    expect(sts.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
    const ec2 = await failure(new EC2Client({ ...clientConfig(sb), systemClockOffset: twentyMinutesSlow }).send(new DescribeRegionsCommand({})));
    expect(ec2.name).toBe('RequestExpired');
    const ct = await failure(
      new CloudTrailClient({ ...clientConfig(sb), systemClockOffset: -twentyMinutesSlow }).send(new LookupEventsCommand({ MaxResults: 1 })),
    );
    expect(ct.name).toBe('InvalidSignatureException');
    expect(ct.message).toContain('Signature not yet current');
  });

  test("after one refusal the SDK corrects its clock from the sandbox's Date header, and the next call succeeds", async () => {
    const sts = new STSClient({ ...clientConfig(sb), systemClockOffset: twentyMinutesSlow });
    await failure(sts.send(new GetCallerIdentityCommand({})));
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('111122223333');
  });
});
