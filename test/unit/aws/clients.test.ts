import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AwsClients } from '../../../src/aws/clients';
import { CallCounter, withAwsCallObserver, type AwsCallRecord } from '../../../src/aws/call-tracking';
import { RateLimiterRegistry } from '../../../src/aws/rate-limit';
import { VirtualTime } from '../../support/virtual-time';

// A minimal STS endpoint on 127.0.0.1: enough wire protocol for GetCallerIdentity.
function startFakeSts(): Promise<{ url: string; requests: number; close: () => Promise<void> }> {
  const state = { requests: 0 };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      state.requests++;
      res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': `req-${state.requests}` });
      res.end(
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
          '<Arn>arn:aws:iam::111122223333:user/alice</Arn><UserId>AIDAEXAMPLE</UserId><Account>111122223333</Account>' +
          '</GetCallerIdentityResult><ResponseMetadata><RequestId>req</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        get requests() {
          return state.requests;
        },
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    }),
  );
}

describe('AwsClients', () => {
  it('creates one client per service and region and reports every call to the current observer', async () => {
    const sts = await startFakeSts();
    try {
      const clients = new AwsClients({
        key: 'acct',
        region: 'us-east-1',
        endpoint: sts.url,
        credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example-secret' },
      });
      expect(clients.sts()).toBe(clients.sts());
      expect(clients.ec2('eu-west-1')).not.toBe(clients.ec2('us-east-1'));

      const counter = new CallCounter();
      const calls: AwsCallRecord[] = [];
      const onCall = (c: AwsCallRecord) => {
        counter.onCall(c);
        calls.push(c);
      };
      const out = await withAwsCallObserver({ onCall }, async () => {
        await clients.sts().send(new GetCallerIdentityCommand({}));
        return clients.sts().send(new GetCallerIdentityCommand({}));
      });
      expect(out.Account).toBe('111122223333');
      expect(counter.counts).toEqual({ 'STS:GetCallerIdentity': 2 });
      expect(calls.map((c) => c.requestId)).toEqual(['req-1', 'req-2']);
      // Outside an observer nothing is recorded, and nothing breaks.
      await clients.sts().send(new GetCallerIdentityCommand({}));
      expect(counter.counts['STS:GetCallerIdentity']).toBe(2);
      expect(sts.requests).toBe(3);
    } finally {
      await sts.close();
    }
  });

  it('paces operations with a documented limit per account and region', async () => {
    const sts = await startFakeSts();
    try {
      const time = new VirtualTime(0);
      const clients = new AwsClients(
        {
          key: 'acct',
          region: 'us-east-1',
          endpoint: sts.url,
          credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' },
          clock: time,
        },
        new RateLimiterRegistry({ 'STS:GetCallerIdentity': 10 }, time),
      );
      await Promise.all(Array.from({ length: 4 }, () => clients.sts().send(new GetCallerIdentityCommand({}))));
      // 4 requests at 10/s: the first at once, then a slot every 100 ms (of virtual time: nobody waited).
      expect(sts.requests).toBe(4);
      expect(time.ms()).toBe(300);
    } finally {
      await sts.close();
    }
  });
});

describe('AwsClients.s3', () => {
  it('addresses buckets path-style only for the sandbox’s single endpoint, and follows a bucket to its region', async () => {
    const sandbox = new AwsClients({ key: 'sandbox', region: 'us-east-1', endpoint: 'http://127.0.0.1:1' }, new RateLimiterRegistry({}));
    const aws = new AwsClients({ key: 'aws', region: 'us-east-1' }, new RateLimiterRegistry({}));
    expect(sandbox.s3('us-east-1').config.forcePathStyle).toBe(true);
    expect(aws.s3('us-east-1').config.forcePathStyle).toBe(false);
    expect(aws.s3('eu-west-1').config.followRegionRedirects).toBe(true);
    expect(aws.s3('us-east-1')).toBe(aws.s3('us-east-1'));
  });
});
