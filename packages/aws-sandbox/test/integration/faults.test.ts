/**
 * The sandbox's fault injection beyond AWS errors: an endpoint that never answers, a dropped
 * connection, an HTML 500 from a proxy, the service's own throttling, and seeded random faults at a
 * rate, reproducible from their seed. Real SDK v3 clients over HTTP.
 */
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { FAULT_KINDS, startSandbox, type RunningSandbox } from '../../src';
import { clientConfig, failure } from './support';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox({ rateLimits: false });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

describe('transport faults', () => {
  test('hang: the request is accepted and never answered, until the client gives up', async () => {
    sb.faults.inject('IAM:ListUsers', { transport: 'hang', times: 1 });
    const iam = new IAMClient({ ...clientConfig(sb), requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true } });
    const err = await failure(iam.send(new ListUsersCommand({})));
    expect(err.name).toBe('TimeoutError');
    await expect(iam.send(new ListUsersCommand({}))).resolves.toBeDefined();
  });

  test('reset: the connection is dropped without an answer', async () => {
    sb.faults.inject('IAM:ListUsers', { transport: 'reset', times: 1 });
    const iam = new IAMClient(clientConfig(sb));
    const err = (await failure(iam.send(new ListUsersCommand({})))) as Error & { code?: string };
    expect(`${err.code ?? ''} ${err.message}`).toMatch(/ECONNRESET|socket hang up/);
  });

  test('html500: a proxy page instead of an AWS answer', async () => {
    sb.faults.inject('EC2:DescribeInstances', { transport: 'html500', times: 1 });
    const ec2 = new EC2Client(clientConfig(sb));
    const err = await failure(ec2.send(new DescribeInstancesCommand({})));
    expect(err.$metadata?.httpStatusCode).toBe(500);
  });

  test("throttle: the service's own throttling error, which the SDK's retries absorb", async () => {
    sb.faults.inject('EC2:DescribeInstances', { throttle: true, times: 1 });
    const once = new EC2Client(clientConfig(sb));
    expect((await failure(once.send(new DescribeInstancesCommand({})))).name).toBe('RequestLimitExceeded');
    sb.faults.inject('EC2:DescribeInstances', { throttle: true, times: 1 });
    // The SDK's standard retries, without its backoff timers (nothing here is about how long they wait).
    const retrying = new EC2Client({ ...clientConfig(sb), retryStrategy: new ConfiguredRetryStrategy(3, () => 0) });
    await expect(retrying.send(new DescribeInstancesCommand({}))).resolves.toBeDefined();
  });
});

describe('random faults', () => {
  /** Which of `n` ListUsers calls fail, as a string of '.' (ok) and 'x' (failed). */
  async function pattern(seed: number, n: number): Promise<string> {
    sb.faults.clear();
    sb.faults.random({ rate: 0.3, seed, kinds: ['error', 'access-denied'] });
    const iam = new IAMClient(clientConfig(sb));
    let out = '';
    for (let i = 0; i < n; i++)
      out += await iam.send(new ListUsersCommand({})).then(
        () => '.',
        () => 'x',
      );
    return out;
  }

  test('hit about `rate` of the requests, the same ones for the same seed', async () => {
    const a = await pattern(42, 100);
    const given = sb.faults.given();
    expect(await pattern(42, 100)).toBe(a);
    expect(await pattern(7, 100)).not.toBe(a);
    const failed = [...a].filter((c) => c === 'x').length;
    expect(failed).toBeGreaterThan(20);
    expect(failed).toBeLessThan(40);
    expect((given.error ?? 0) + (given['access-denied'] ?? 0)).toBe(failed);
  });

  test('only the named operations, and clear() stops them', async () => {
    sb.faults.random({ rate: 1, seed: 1, kinds: ['error'], operations: ['EC2:DescribeInstances'] });
    await expect(new IAMClient(clientConfig(sb)).send(new ListUsersCommand({}))).resolves.toBeDefined();
    expect((await failure(new EC2Client(clientConfig(sb)).send(new DescribeInstancesCommand({})))).$metadata?.httpStatusCode).toBe(503);
    sb.faults.clear();
    await expect(new EC2Client(clientConfig(sb)).send(new DescribeInstancesCommand({}))).resolves.toBeDefined();
  });

  test('refuse a rate outside 0..1 and an empty list of kinds', () => {
    expect(() => sb.faults.random({ rate: 1.5, seed: 1 })).toThrow(RangeError);
    expect(() => sb.faults.random({ rate: 0.3, seed: 1, kinds: [] })).toThrow(RangeError);
    expect(FAULT_KINDS).toEqual(['error', 'throttle', 'hang', 'reset', 'html500', 'access-denied']);
  });
});
