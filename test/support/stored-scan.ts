/**
 * Puts a finished scan in a store the way the incident core does (claim the channel, then finish),
 * for tests whose buttons refer to a scan that "ran" before them.
 */
import type { ProcessOwner, ScanRecord } from '../../src/store/model';
import type { Store } from '../../src/store/store';

export const TEST_OWNER: ProcessOwner = { id: 'test-owner', host: 'test-host', pid: 1 };

export async function storeFinishedScan(store: Store, scan: ScanRecord & { status: 'done' | 'failed' }): Promise<ScanRecord> {
  const owner = scan.owner ?? TEST_OWNER;
  if (!(await store.claimScan({ ...scan, status: 'running', owner, leaseUntil: scan.startedAt })))
    throw new Error(`channel ${scan.channel} already has a running scan`);
  const end = { status: scan.status, finishedAt: scan.finishedAt ?? scan.startedAt, ...(scan.result ? { result: scan.result } : {}) };
  await store.finishScan(scan.id, owner.id, end);
  return (await store.getScan(scan.id))!;
}
