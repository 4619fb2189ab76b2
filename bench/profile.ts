/** What the scan will have to read from a sandbox state in its window: the input to the benchmark's floor. */
import type { SandboxState } from '@aws-ir/aws-sandbox';
import { EVENTS_PER_PAGE, type DataProfile } from './protocol';

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
