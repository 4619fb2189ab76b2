/**
 * The sandbox's `large-org` organization for the sweep benchmark, in its own process (its CPU and
 * memory are not the sweep's). On request it reports, per member account, the LookupEvents pages its
 * busiest region needs for the window: the input of each account's rate-limit floor.
 */
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import { profile } from './profile';

export type OrgChildRequest = { type: 'start'; scenario: string } | { type: 'floors'; accounts: string[]; now: string; days: number } | { type: 'stop' };
export type OrgChildReply =
  | { type: 'started'; endpoint: string; accountId: string; adminCredentials: { accessKeyId: string; secretAccessKey: string }; startMs: number }
  | { type: 'floors'; pages: Record<string, { region: string; pages: number }> }
  | { type: 'stopped'; peakRssBytes: number }
  | { type: 'failed'; message: string };

let sandbox: RunningSandbox | undefined;
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

const send = (reply: OrgChildReply) => process.send?.(reply);

process.on('message', (raw: OrgChildRequest) => {
  void (async () => {
    try {
      if (raw.type === 'start') {
        const t0 = performance.now();
        sandbox = await startSandbox({ scenario: raw.scenario, rateLimits: true, port: 0 });
        send({
          type: 'started',
          endpoint: sandbox.endpoint,
          accountId: sandbox.accountId,
          adminCredentials: sandbox.adminCredentials,
          startMs: performance.now() - t0,
        });
      } else if (raw.type === 'floors') {
        const now = new Date(raw.now);
        const start = new Date(now.getTime() - raw.days * 86_400_000);
        const pages: Record<string, { region: string; pages: number }> = {};
        for (const id of raw.accounts) {
          const state = sandbox?.account(id);
          if (!state) continue;
          const busiest = profile(state, start, now).regions.reduce((a, b) => (b.lookupPages > a.lookupPages ? b : a));
          pages[id] = { region: busiest.name, pages: busiest.lookupPages };
        }
        send({ type: 'floors', pages });
      } else {
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
