import { startSandbox } from '@aws-ir/aws-sandbox';
import { AwsClients } from '../../src/aws/clients';
import { RateLimiterRegistry } from '../../src/aws/rate-limit';
import { EventCollector } from '../../src/scan/sources/collector';
import { readS3Logs } from '../../src/scan/sources/s3-logs';
test('s3 prof', async () => {
  const sb = await startSandbox({ scenario: 'busy-small', rateLimits: false });
  const clients = new AwsClients(
    { key: sb.accountId, region: 'us-east-1', endpoint: sb.endpoint, credentials: sb.adminCredentials },
    new RateLimiterRegistry({}),
  );
  const to = new Date();
  const from = new Date(to.getTime() - 86400000);
  const c = new EventCollector(sb.accountId, undefined);
  let t = Date.now();
  const loc = { bucket: 'acme-busy-cloudtrail', root: `AWSLogs/${sb.accountId}/CloudTrail/`, clients, region: 'us-east-1' };
  let r = await readS3Logs(loc, 'us-east-1', from, to, c);
  console.log('first', Date.now() - t, r.files, r.requests, r.coverage.events, r.failed.length);
  t = Date.now();
  r = await readS3Logs(loc, 'us-east-1', from, to, c);
  console.log('second', Date.now() - t, r.files, r.requests, r.coverage.events);
  await sb.close();
}, 600000);
