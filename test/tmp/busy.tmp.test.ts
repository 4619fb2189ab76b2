import { startSandbox } from '@aws-ir/aws-sandbox';
import { AwsClients } from '../../src/aws/clients';
import { RateLimiterRegistry } from '../../src/aws/rate-limit';
import { runScan } from '../../src/scan/engine';
const prefer = (process.env.PREFER ?? 'auto') as 'auto';
test('busy', async () => {
  const sb = await startSandbox({ scenario: process.env.SCENARIO ?? 'busy', rateLimits: false });
  const clients = new AwsClients(
    { key: sb.accountId, region: 'us-east-1', endpoint: sb.endpoint, credentials: sb.adminCredentials },
    new RateLimiterRegistry({}),
  );
  const t = Date.now();
  const r = await runScan({
    clients,
    options: { days: 7, pollIntervalMs: 0, cloudTrail: { prefer, athena: { workgroup: 'aws-ir', database: 'security', table: 'cloudtrail_logs' } } },
  });
  console.log('ms', Date.now() - t, 'rss', Math.round(process.memoryUsage().rss / 1e6));
  const u = r.cloudtrail?.regions.find((x) => x.region === 'us-east-1');
  console.log(
    u?.strategy,
    u?.source,
    u?.requests,
    u?.bytes,
    u?.eventsRead,
    u?.estimatedEvents,
    u?.fallback,
    u?.notCovered,
    u?.coverage.filter((c) => c.events > 0 || !c.complete).map((c) => `${c.source} ${JSON.stringify(c.filter)} ${c.events} ${c.complete}`),
  );
  console.log(r.gaps);
  console.log(
    r.findings
      .filter((f) => f.check === 'cloudtrail' && f.severity !== 'low' && f.severity !== 'info')
      .map((f) => `${f.severity} ${f.detection} ${f.resources.join(' ')}`)
      .join('\n'),
  );
  console.log(r.stats.apiCalls);
  await sb.close();
}, 600000);
