/**
 * The evidence manifest (R6/R7) from the store alone: snapshots with who asked and approved and the
 * AWS request id of each CreateSnapshot, configurations saved before deletions with restore guidance,
 * their Markdown export, and the optional current-state read (DescribeSnapshots, mocked here).
 */
import * as EC2 from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { incidentRecord, recordMarkdown } from '../../../src/remediation/audit-record';
import { evidenceManifest } from '../../../src/remediation/evidence-manifest';
import { withSnapshotStates } from '../../../src/remediation/evidence-state';
import { NO_AUTOMATIC_RESTORE, RESTORE_GUIDANCE } from '../../../src/remediation/restore-guidance';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { ACCOUNT, pendingRequest, testClients } from './helpers';

const ec2 = mockClient(EC2.EC2Client);
const instance = { kind: 'instance' as const, region: 'sa-east-1', instanceId: 'i-0bad0bad0bad00003' };

async function seed(store: SqliteStore): Promise<void> {
  await store.createRequest(
    pendingRequest({
      id: 'req-snap',
      action: 'instance.snapshot',
      target: instance,
      status: 'succeeded',
      decidedBy: 'U2',
      decidedAt: '2026-01-01T00:05:00.000Z',
    }),
  );
  await store.createRequest(
    pendingRequest({ id: 'req-del', action: 'user.delete', target: { kind: 'user', userName: 'svc-backup' }, status: 'succeeded', decidedBy: 'U3' }),
  );
  const call = (volume: string, rid: string, errorCode?: string) =>
    store.appendAudit({
      at: '2026-01-01T00:05:01.000Z',
      channel: 'C1',
      kind: 'aws.call',
      requestId: 'req-snap',
      data: { operation: 'EC2:CreateSnapshot', region: 'sa-east-1', input: { VolumeId: volume }, requestId: rid, ...(errorCode ? { errorCode } : {}) },
    });
  await call('vol-1', 'aws-rid-throttled', 'RequestLimitExceeded');
  await call('vol-1', 'aws-rid-1');
  await call('vol-2', 'aws-rid-2');
  await store.appendAudit({
    at: '2026-01-01T00:05:02.000Z',
    channel: 'C1',
    kind: 'action.snapshot',
    requestId: 'req-snap',
    data: {
      what: 'evidence manifest',
      instanceId: instance.instanceId,
      region: 'sa-east-1',
      account: ACCOUNT,
      snapshots: [
        { volumeId: 'vol-1', device: '/dev/xvda', snapshotId: 'snap-1' },
        { volumeId: 'vol-2', device: '/dev/sdf', snapshotId: 'snap-2' },
      ],
    },
  });
  await store.appendAudit({
    at: '2026-01-01T00:07:00.000Z',
    channel: 'C1',
    kind: 'action.snapshot',
    requestId: 'req-del',
    data: { what: 'configuration of IAM user svc-backup', user: { userName: 'svc-backup', path: '/' }, groups: ['admins'] },
  });
  // Another channel's evidence stays out of C1's manifest.
  await store.appendAudit({ at: '2026-01-01T00:08:00.000Z', channel: 'C2', kind: 'action.snapshot', data: { what: 'configuration of IAM role elsewhere' } });
}

describe('evidence manifest', () => {
  let store: SqliteStore;
  const NOW = new Date('2026-01-02T00:00:00.000Z');
  beforeEach(async () => {
    store = new SqliteStore(':memory:');
    await seed(store);
    ec2.reset();
  });
  afterEach(() => store.close());

  it('lists every snapshot with its volume, device, instance, region, account, requests and people', async () => {
    const m = await evidenceManifest(store, 'C1', NOW);
    expect(m.note).toBe(NO_AUTOMATIC_RESTORE);
    expect(m.snapshots).toEqual([
      expect.objectContaining({
        snapshotId: 'snap-1',
        volumeId: 'vol-1',
        device: '/dev/xvda',
        instanceId: instance.instanceId,
        region: 'sa-east-1',
        account: ACCOUNT,
        requestId: 'req-snap',
        awsRequestId: 'aws-rid-1',
        requestedBy: 'U1',
        approvedBy: 'U2',
        takenAt: '2026-01-01T00:05:02.000Z',
      }),
      expect.objectContaining({ snapshotId: 'snap-2', device: '/dev/sdf', awsRequestId: 'aws-rid-2' }),
    ]);
    expect(m.snapshots[0]!.restore).toContain('create-volume --snapshot-id snap-1');
    expect(m.snapshots[0]!.currentState).toBeUndefined();
  });

  it('lists configurations saved before deletions, with the deletion status and restore guidance per kind', async () => {
    const m = await evidenceManifest(store, 'C1', NOW);
    expect(m.configurations).toEqual([
      expect.objectContaining({
        kind: 'user',
        resource: 'IAM user svc-backup',
        requestId: 'req-del',
        action: 'user.delete',
        approvedBy: 'U3',
        deletion: 'succeeded',
        restore: RESTORE_GUIDANCE.user,
        configuration: { user: { userName: 'svc-backup', path: '/' }, groups: ['admins'] },
      }),
    ]);
    expect((await evidenceManifest(store, undefined, NOW)).configurations.map((c) => c.kind)).toEqual(['user', 'other']);
  });

  it('is part of the exported incident record, as JSON and as Markdown', async () => {
    const record = await incidentRecord(store, 'C1', NOW);
    expect(record.evidence.snapshots).toHaveLength(2);
    expect(JSON.parse(JSON.stringify(record)).evidence.configurations[0].kind).toBe('user');
    const md = recordMarkdown(record);
    expect(md).toContain('## Evidence manifest');
    expect(md).toContain('| snap-1 | vol-1 | /dev/xvda | i-0bad0bad0bad00003 | sa-east-1 | 111122223333 | req-snap | aws-rid-1 | U1 | U2 |');
    expect(md).toContain('aws-ir does not restore anything automatically');
    expect(md).toContain('#### IAM user svc-backup');
    expect(md).toContain(`To restore: ${RESTORE_GUIDANCE.user}`);
    expect(md).toContain('"groups": [');
  });

  it('adds the current state of each snapshot, and says when it could not be read', async () => {
    ec2.on(EC2.DescribeSnapshotsCommand).resolves({ Snapshots: [{ SnapshotId: 'snap-1', State: 'completed' }] });
    const m = await withSnapshotStates(await evidenceManifest(store, 'C1', NOW), testClients());
    expect(m.snapshots.map((s) => s.currentState)).toEqual(['completed', expect.stringContaining('not found')]);
    const input = ec2.commandCalls(EC2.DescribeSnapshotsCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ OwnerIds: ['self'], Filters: [{ Name: 'snapshot-id', Values: ['snap-1', 'snap-2'] }] });

    ec2.reset();
    ec2.on(EC2.DescribeSnapshotsCommand).rejects(Object.assign(new Error('not allowed'), { name: 'UnauthorizedOperation' }));
    const failed = await withSnapshotStates(await evidenceManifest(store, 'C1', NOW), testClients());
    expect(failed.snapshots.every((s) => s.currentState?.startsWith('not read: AWS refused the call (UnauthorizedOperation)'))).toBe(true);
  });
});
