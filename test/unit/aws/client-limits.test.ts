/**
 * Faults never hang: every client the factory builds has connection and request timeouts that throw
 * (not merely warn), the SDK's standard retries, and drops a request still waiting when its run is
 * stopped (a scan's deadline), without waiting for any timeout.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AwsCallAbortedError, AwsClients } from '../../../src/aws/clients';
import { withAwsCallObserver } from '../../../src/aws/call-tracking';
import { AWS_HTTP_TIMEOUTS } from '../../../src/aws/account';

/** Accepts connections and reads requests, and never answers. */
async function blackhole(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('data', () => requests++);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const target = (endpoint: string, extra: object = {}) => ({
  key: '111122223333',
  region: 'us-east-1',
  endpoint,
  credentials: { accessKeyId: 'AKIATESTTESTTESTTEST', secretAccessKey: 'test-secret-not-real' },
  ...extra,
});

describe('client limits', () => {
  it('sets throwing connection and request timeouts and standard retries on every client', async () => {
    const clients = new AwsClients(target('http://127.0.0.1:9', { timeouts: { connectionMs: 1234, requestMs: 5678 }, maxAttempts: 3 }));
    const sts = clients.sts();
    // The handler reads its options on its first request (port 9 refuses at once).
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toBeDefined();
    const handler = sts.config.requestHandler;
    if (!(handler instanceof NodeHttpHandler)) throw new Error('the client has no Node HTTP handler');
    const config = handler.httpHandlerConfigs();
    expect(config).toMatchObject({ connectionTimeout: 1234, requestTimeout: 5678, throwOnRequestTimeout: true });
    expect(await sts.config.maxAttempts()).toBe(3);
    expect(await sts.config.retryStrategy()).toMatchObject({ mode: 'standard' });
    const iam = new AwsClients(target('http://127.0.0.1:9', { maxAttempts: 1 })).sts();
    await expect(iam.send(new GetCallerIdentityCommand({}))).rejects.toBeDefined();
    const other = iam.config.requestHandler;
    if (!(other instanceof NodeHttpHandler)) throw new Error('the client has no Node HTTP handler');
    expect(other.httpHandlerConfigs()).toMatchObject({ connectionTimeout: AWS_HTTP_TIMEOUTS.connectionMs, requestTimeout: AWS_HTTP_TIMEOUTS.requestMs });
  });

  it("retries a failed request after the target's own delays, still within its attempts", async () => {
    const delays: number[] = [];
    const retryDelayMs = (attempt: number): number => {
      delays.push(attempt);
      return 0;
    };
    const sts = new AwsClients(target('http://127.0.0.1:9', { maxAttempts: 3, retryDelayMs })).sts();
    // Port 9 refuses every connection: a transient error, retried twice (retries 1 and 2), then given up.
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toBeDefined();
    expect(delays).toEqual([1, 2]);
    expect(await sts.config.retryStrategy()).toMatchObject({ mode: 'standard' });
  });

  it('drops a request that is still waiting when its run is stopped, and sends none after', async () => {
    const hole = await blackhole();
    try {
      // Timeouts far away: only the abort can end this call.
      const clients = new AwsClients(target(hole.url, { timeouts: { connectionMs: 600_000, requestMs: 600_000 }, maxAttempts: 1 }));
      const controller = new AbortController();
      const observer = { onCall: () => undefined, signal: controller.signal };
      const call = withAwsCallObserver(observer, () => clients.sts().send(new GetCallerIdentityCommand({})));
      const failed = call.then(
        () => undefined,
        (err: unknown) => err,
      );
      while (hole.requests() === 0) await new Promise((r) => setTimeout(r, 5));
      controller.abort();
      expect(await failed).toBeInstanceOf(AwsCallAbortedError);

      const after = await withAwsCallObserver(observer, () => clients.sts().send(new GetCallerIdentityCommand({}))).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(after).toBeInstanceOf(AwsCallAbortedError);
      expect(hole.requests()).toBe(1);
    } finally {
      await hole.close();
    }
  });
});
