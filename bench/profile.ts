/** What the scan will have to read from a sandbox state in its window: the input to the benchmark's floor. */
import { countEvents, type RegionState, type SandboxState } from '@aws-ir/aws-sandbox';
import { EVENTS_PER_PAGE, type DataProfile } from './protocol';

/** The parts of an account's state the floor depends on. */
export type ProfiledState = Pick<SandboxState, 'accountId' | 'users' | 'events' | 'generated'> & {
  regions: Pick<RegionState, 'name' | 'optInStatus' | 'trails' | 'instances' | 'lambdaFunctions'>[];
};

export function profile(state: ProfiledState, start: Date, end: Date): DataProfile {
  const from = start.getTime();
  const to = end.getTime();
  // Planted and generated events alike (the busy account's millions are never listed).
  const counts = new Map(state.regions.map((r) => [r.name, countEvents(state, r.name, from, to)]));
  const trails = new Set(state.regions.flatMap((r) => r.trails.map((t) => t.arn)));
  return {
    accountId: state.accountId,
    users: state.users.length,
    totalEvents: state.events.length + (state.generated?.regions().reduce((n, r) => n + (state.generated?.count(r, 0, Number.MAX_SAFE_INTEGER) ?? 0), 0) ?? 0),
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
