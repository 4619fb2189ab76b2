/**
 * Which process holds claimed work, and whether it is still there. Work claimed in the store (a scan,
 * an executing action) names its owner and holds a lease the owner renews; another process takes it
 * over only when the lease ran out, or at once when the owner is known to be gone: on the same host,
 * its pid no longer exists, or the pid is this process's own under another owner id (the container's
 * previous start, whose pid 1 is ours now).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Cancel, Clock } from '../clock';
import { LEASE_MS, LEASE_RENEW_MS } from '../limits';
import type { ProcessOwner } from '../store/model';

export type OwnerState = 'alive' | 'gone' | 'unknown';
export type ProcessLiveness = (owner: ProcessOwner) => OwnerState;

export function currentProcessOwner(): ProcessOwner {
  return { id: randomUUID(), host: os.hostname(), pid: process.pid };
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return typeof err === 'object' && err !== null && 'code' in err && err.code === 'EPERM';
  }
}

/** Liveness as this process can tell it: certain on its own host, 'unknown' (the lease decides) elsewhere. */
export function hostLiveness(self: ProcessOwner): ProcessLiveness {
  return (owner) => {
    if (owner.id === self.id) return 'alive';
    if (owner.host !== self.host) return 'unknown';
    if (owner.pid === self.pid || !pidExists(owner.pid)) return 'gone';
    // A live pid may be a reused one: the lease tells.
    return 'unknown';
  };
}

export function leaseUntil(clock: Clock): string {
  return new Date(clock.now().getTime() + LEASE_MS).toISOString();
}

/** Renews a lease while the work runs; the returned function stops renewing. */
export function keepLease(clock: Clock, renew: (until: string) => Promise<boolean>, onLost: () => void): Cancel {
  return clock.every(LEASE_RENEW_MS, () => {
    renew(leaseUntil(clock)).then(
      (held) => {
        if (!held) onLost();
      },
      () => undefined,
    );
  });
}
