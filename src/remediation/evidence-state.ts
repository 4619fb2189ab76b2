/**
 * The current state of the manifest's snapshots (pending, completed, error, or gone), read with
 * DescribeSnapshots, read whole with the SDK's paginator, per region. Read-only and optional: when AWS cannot be read the
 * manifest is still shown, with the reason in place of a state.
 */
import { paginateDescribeSnapshots, type Snapshot } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../aws/clients';
import { collect } from '../aws/collect-pages';
import { plainError } from './aws-errors';
import type { EvidenceManifest } from './evidence-manifest';

/** DescribeSnapshots accepts at most 200 values in one filter. */
const FILTER_VALUES_MAX = 200;

async function snapshotsById(clients: AwsClients, region: string, ids: string[]): Promise<Map<string, Snapshot>> {
  const out = new Map<string, Snapshot>();
  for (let i = 0; i < ids.length; i += FILTER_VALUES_MAX) {
    // A filter, not SnapshotIds: one deleted snapshot would fail the whole call with InvalidSnapshot.NotFound.
    const input = { OwnerIds: ['self'], Filters: [{ Name: 'snapshot-id', Values: ids.slice(i, i + FILTER_VALUES_MAX) }] };
    for (const s of await collect(paginateDescribeSnapshots({ client: clients.ec2(region) }, input), (p) => p.Snapshots))
      if (s.SnapshotId) out.set(s.SnapshotId, s);
  }
  return out;
}

/** Returns a copy of the manifest whose snapshots carry `currentState`. Never throws. */
export async function withSnapshotStates(manifest: EvidenceManifest, clients: AwsClients): Promise<EvidenceManifest> {
  const regions = [...new Set(manifest.snapshots.map((s) => s.region))];
  const states = new Map<string, string>();
  await Promise.all(
    regions.map(async (region) => {
      const inRegion = manifest.snapshots.filter((s) => s.region === region);
      try {
        const found = await snapshotsById(
          clients,
          region,
          inRegion.map((s) => s.snapshotId),
        );
        for (const s of inRegion) {
          const snap = found.get(s.snapshotId);
          states.set(
            s.snapshotId,
            snap
              ? `${snap.State ?? 'unknown'}${snap.Progress && snap.State === 'pending' ? ` (${snap.Progress})` : ''}`
              : 'not found (deleted, or not visible to this identity)',
          );
        }
      } catch (err) {
        for (const s of inRegion) states.set(s.snapshotId, `not read: ${plainError(err)}`);
      }
    }),
  );
  return { ...manifest, snapshots: manifest.snapshots.map((s) => ({ ...s, currentState: states.get(s.snapshotId) ?? 'not read' })) };
}
