/**
 * Runs the sandbox for the benchmark in its own process, so the sandbox's work neither shares the
 * scan's event loop (which would distort wall time) nor counts toward the scan's memory.
 */
import { startSandbox, type RunningSandbox } from '../src/sandbox';
import type { SandboxState } from '../src/sandbox/model';
import { EVENTS_PER_PAGE, type ChildReply, type DataProfile, type ParentRequest } from './protocol';

let sandbox: RunningSandbox | undefined;
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

function send(reply: ChildReply): void {
  process.send?.(reply);
}

export function profile(state: SandboxState, start: Date, end: Date): DataProfile {
  const from = start.getTime();
  const to = end.getTime();
  const counts = new Map<string, number>();
  for (const e of state.events) {
    const t = e.eventTime.getTime();
    if (t >= from && t <= to) counts.set(e.region, (counts.get(e.region) ?? 0) + 1);
  }
  const trails = new Set(state.regions.flatMap((r) => r.trails.map((t) => t.arn)));
  return {
    accountId: state.accountId,
    users: state.users.length,
    totalEvents: state.events.length,
    regions: state.regions
      .filter((r) => r.optInStatus !== 'not-opted-in')
      .map((r) => {
        const eventsInWindow = counts.get(r.name) ?? 0;
        return {
          name: r.name,
          eventsInWindow,
          lookupPages: Math.max(1, Math.ceil(eventsInWindow / EVENTS_PER_PAGE)),
          instances: r.instances.length,
          lambdaFunctions: r.lambdaFunctions.length,
        };
      }),
    trails: trails.size,
  };
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
