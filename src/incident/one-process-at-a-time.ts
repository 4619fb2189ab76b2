/**
 * Work that one process at a time may do among all those sharing the database (the sweep: expiry,
 * recovery of work whose process is gone, announcements). A named lease in the store decides who; the
 * holder renews it while the work runs and gives it up after. A holder that died is passed over at
 * once when this process can tell it is gone (same host), otherwise when its lease runs out.
 */
import { keepLease, leaseUntil } from './process-owner';
import { nowIso, type CoreDeps } from './core-deps';

/** The sweep's lease name. */
export const SWEEP_LEASE = 'sweep';

/** Runs `work` if this process gets the lease `name`; undefined (and nothing run) when another holds it. */
export async function whileHoldingLease<T>(deps: Pick<CoreDeps, 'services'>, name: string, work: () => Promise<T>): Promise<T | undefined> {
  const { store, clock, owner, liveness, logger } = deps.services;
  const holder = await store.getLease(name);
  const gone = holder && holder.owner.id !== owner.id && liveness(holder.owner) === 'gone' ? holder.owner.id : undefined;
  if (!(await store.claimLease(name, owner, leaseUntil(clock), nowIso(deps), gone))) return undefined;
  const stop = keepLease(
    clock,
    (until) => store.claimLease(name, owner, until, nowIso(deps)),
    () => logger.warn({ lease: name }, 'lost a lease while its work ran; another process may run the same work'),
  );
  try {
    return await work();
  } finally {
    stop();
    await store.releaseLease(name, owner.id).catch((err: unknown) => logger.warn({ err, lease: name }, 'could not release a lease; it runs out by itself'));
  }
}
