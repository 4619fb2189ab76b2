/**
 * Runs the sandbox for the benchmark in its own process, so the sandbox's work neither shares the
 * scan's event loop (which would distort wall time) nor counts toward the scan's memory.
 */
import { deliverTrailLogs, historyOf, startSandbox, warmAthena, type RunningSandbox } from '@aws-ir/aws-sandbox';
import { verifyCoverage } from './coverage';
import { profile } from './profile';
import type { ChildReply, ParentRequest } from './protocol';

let sandbox: RunningSandbox | undefined;
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

function send(reply: ChildReply): void {
  process.send?.(reply);
}

process.on('message', (raw: ParentRequest) => {
  void (async () => {
    try {
      if (raw.type === 'start') {
        sandbox = await startSandbox({ scenario: raw.scenario, rateLimits: true, port: 0 });
        const now = new Date(raw.now);
        const start = new Date(now.getTime() - raw.days * 86_400_000);
        send({
          type: 'started',
          endpoint: sandbox.endpoint,
          accountId: sandbox.accountId,
          adminCredentials: sandbox.adminCredentials,
          profile: profile(sandbox.state, start, now),
        });
      } else if (raw.type === 'deliver' && sandbox) {
        const t0 = Date.now();
        const d = deliverTrailLogs(sandbox.state, Date.now(), raw.samples);
        const t1 = Date.now();
        await warmAthena(sandbox.state, Date.now());
        send({ type: 'delivered', files: d.files, bytes: d.bytes, ms: t1 - t0, athenaMs: Date.now() - t1, samplePaths: d.samplePaths });
      } else if (raw.type === 'verify' && sandbox) {
        const state = sandbox.state;
        const verdict = verifyCoverage(
          state,
          { events: (region, from, to) => historyOf(state, region, from, to) },
          raw.report,
          Date.parse(raw.from),
          Date.parse(raw.to),
        );
        send({ type: 'verified', verdict });
      } else if (raw.type === 'stop') {
        await sandbox?.close();
        clearInterval(sampler);
        send({ type: 'stopped', peakRssBytes: peakRss });
        process.disconnect?.();
      }
    } catch (err) {
      send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  })();
});
