/**
 * `npm run bench`: scans the sandbox's `large` scenario (1,000 users, 17 regions, 20,000 events) with
 * AWS's rate limits on, through unchanged SDK clients, and checks the scan against the floor the rate
 * limits set for that data. Exits non-zero when a target is missed.
 *
 *   node --expose-gc dist/bench/scan-large.js [--scenario NAME] [--days N]
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { AwsClients } from '../src/aws/clients';
import { runScan } from '../src/scan/engine';
import { minimumCalls, TARGETS, verdicts, type Measurement } from './targets';
import { LOOKUP_EVENTS_PER_SECOND, type ChildReply, type ParentRequest, type StartedReply, type StoppedReply } from './protocol';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function request<T extends ChildReply['type']>(child: ChildProcess, msg: ParentRequest, expect: T): Promise<Extract<ChildReply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: ChildReply) => {
      child.off('message', onMessage);
      if (reply.type === 'failed') reject(new Error(`sandbox: ${reply.message}`));
      else if (reply.type === expect) resolve(reply as Extract<ChildReply, { type: T }>);
      else reject(new Error(`sandbox: unexpected reply ${reply.type}`));
    };
    child.on('message', onMessage);
    child.send(msg);
  });
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<number> {
  const scenario = arg('scenario', 'large');
  const days = Number(arg('days', '7'));
  const now = new Date();
  const child = fork(path.join(__dirname, 'sandbox-child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const started: StartedReply = await request(child, { type: 'start', scenario, now: now.toISOString(), days }, 'started');
    const { profile } = started;
    const clients = new AwsClients({
      key: started.accountId,
      region: 'us-east-1',
      endpoint: started.endpoint,
      credentials: started.adminCredentials,
    });

    global.gc?.();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 25);
    const t0 = performance.now();
    const result = await runScan({ clients, options: { days, now } });
    const wallMs = performance.now() - t0;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const busiest = profile.regions.reduce((a, b) => (b.lookupPages > a.lookupPages ? b : a));
    const floorMs = (busiest.lookupPages / LOOKUP_EVENTS_PER_SECOND) * 1000;
    const calls = result.stats.apiCalls;
    const ceRequests = Object.entries(calls)
      .filter(([op]) => op.startsWith('CostExplorer:'))
      .reduce((n, [, c]) => n + c, 0);
    const stopped: StoppedReply = await request(child, { type: 'stop' }, 'stopped');

    const m: Measurement = { wallMs, floorMs, ceRequests, peakRssBytes: peakRss };
    const minimum = minimumCalls(profile);
    const lines = [
      `aws-ir scan benchmark — scenario ${scenario}, window ${days} days`,
      `data: ${profile.users} IAM users, ${profile.regions.length} enabled regions, ${profile.totalEvents} events (${profile.regions.reduce((n, r) => n + r.eventsInWindow, 0)} in the window)`,
      `busiest region: ${busiest.name}, ${busiest.eventsInWindow} events = ${busiest.lookupPages} LookupEvents pages`,
      '',
      `scan wall time        ${(wallMs / 1000).toFixed(2)} s`,
      `rate-limit floor      ${(floorMs / 1000).toFixed(2)} s  (${busiest.lookupPages} pages / ${LOOKUP_EVENTS_PER_SECOND} per second)`,
      `ratio                 ${(wallMs / floorMs).toFixed(2)}  (target <= ${TARGETS.maxFloorRatio})`,
      `Cost Explorer calls   ${ceRequests}  (target <= ${TARGETS.maxCostExplorerRequests})`,
      `peak RSS (scan)       ${mb(peakRss)}  (target < ${mb(TARGETS.maxRssBytes)}; sandbox process: ${mb(stopped.peakRssBytes)})`,
      `findings ${result.findings.length}, gaps ${result.gaps.length}`,
      ...result.gaps.map((g) => `  gap: ${g.check}${g.region ? ` ${g.region}` : ''}: ${g.reason}`),
      '',
      'API calls by operation (minimum needed for this data where it is defined):',
      ...Object.keys({ ...calls, ...minimum })
        .sort()
        .map((op) => `  ${op.padEnd(44)} ${String(calls[op] ?? 0).padStart(5)}   ${minimum[op] === undefined ? '' : `min ${minimum[op]}`}`),
      '',
    ];
    const results = verdicts(m);
    for (const v of results) lines.push(`${v.ok ? 'PASS' : 'FAIL'}  ${v.target}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return results.every((v) => v.ok) ? 0 : 1;
  } finally {
    if (child.connected) child.kill();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
