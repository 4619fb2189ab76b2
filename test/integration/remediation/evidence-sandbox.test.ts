/**
 * Against the sandbox account over real HTTP: an approved "Snapshot volumes" run, then the evidence
 * manifest lists each snapshot (ids, device, AWS request id, who approved) with its current state read
 * from EC2, both in the exported record and through `/aws-ir evidence` in the Bolt app.
 */
import type { AwsAccountTarget } from '../../../src/aws/account';
import { clientsFor } from '../../../src/aws/clients';
import { incidentRecord, recordMarkdown } from '../../../src/remediation/audit-record';
import { evidenceManifest } from '../../../src/remediation/evidence-manifest';
import { withSnapshotStates } from '../../../src/remediation/evidence-state';
import { runAction } from '../../../src/remediation/executor';
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import type { ActionRequest } from '../../../src/store/store';
import { storeFinishedScan } from '../../support/stored-scan';
import { ALICE, BOB, startAppHarness, TEST_CHANNEL, type AppHarness } from '../../support/app-harness';
import { sandboxClock } from '../../../src/sandbox-account';
import { sandboxTestTarget, VirtualTime } from '../../support/virtual-time';

/** The sandbox's clock and throttling, and the app's pacing and polls, on one virtual time: nobody waits. */
const time = new VirtualTime();
let sandbox: RunningSandbox;
let h: AppHarness;
let target: AwsAccountTarget;
const instance = { kind: 'instance' as const, region: 'sa-east-1', instanceId: 'i-0bad0bad0bad00003' };

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'compromised-key', ...sandboxClock(time) });
  target = sandboxTestTarget(sandbox, time, { maxAttempts: 2 });
  h = await startAppHarness({ services: { remediationTarget: target, scanTarget: target, clock: time } });
});
afterAll(async () => {
  await h.close();
  await sandbox.close();
});

it('lists the snapshots an approved request took, with their state, in the export and in Slack', async () => {
  const store = h.services.store;
  await storeFinishedScan(store, {
    id: 'scan-1',
    channel: TEST_CHANNEL,
    threadTs: '1700000000.000100',
    requestedBy: ALICE,
    startedAt: new Date().toISOString(),
    status: 'done',
  });
  const now = new Date();
  const request: ActionRequest = {
    id: 'req-snap-1',
    action: 'instance.snapshot',
    target: instance,
    account: sandbox.accountId,
    channel: TEST_CHANNEL,
    threadTs: '1700000000.000100',
    requestedBy: ALICE,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 60_000).toISOString(),
    status: 'executing',
    decidedBy: BOB,
    decidedAt: now.toISOString(),
    dryRun: false,
  };
  await store.createRequest(request);
  const outcome = await runAction(request, { clients: clientsFor(target), store, now: () => new Date() });
  expect(outcome).toMatchObject({ ok: true, verified: true });
  await store.transitionRequest(request.id, 'executing', 'succeeded', { outcome });
  const taken = (outcome.details?.snapshots ?? []) as { snapshotId: string; volumeId: string; device: string }[];
  expect(taken.length).toBeGreaterThan(0);

  const manifest = await evidenceManifest(store, TEST_CHANNEL, new Date());
  expect(manifest.snapshots.map((s) => s.snapshotId).sort()).toEqual(taken.map((s) => s.snapshotId).sort());
  for (const s of manifest.snapshots) {
    const t = taken.find((x) => x.snapshotId === s.snapshotId)!;
    expect(s).toMatchObject({
      volumeId: t.volumeId,
      device: t.device,
      instanceId: instance.instanceId,
      region: 'sa-east-1',
      account: sandbox.accountId,
      requestId: 'req-snap-1',
      requestedBy: ALICE,
      approvedBy: BOB,
    });
    expect(s.awsRequestId).toEqual(expect.any(String));
  }
  const states = await withSnapshotStates(manifest, clientsFor(target));
  expect(states.snapshots.every((s) => s.currentState === 'completed' || s.currentState?.startsWith('pending'))).toBe(true);
  expect(recordMarkdown(await incidentRecord(store, TEST_CHANNEL, new Date()))).toContain(`| ${taken[0]!.snapshotId} | ${taken[0]!.volumeId} |`);

  await h.command('evidence');
  await h.waitFor(
    () => h.slack.webApi.callsTo('chat.postMessage').some((p) => JSON.stringify(p.args.blocks).includes(taken[0]!.snapshotId)),
    10_000,
    'evidence post',
  );
  const posts = h.slack.webApi.callsTo('chat.postMessage');
  // A shared answer is a new message in the channel (not the end of the scan's thread); the rest follows in its own thread.
  expect(posts[0]?.args.thread_ts).toBeUndefined();
  expect(posts.slice(1).every((p) => p.args.thread_ts !== undefined && p.args.thread_ts !== '1700000000.000100')).toBe(true);
  const text = posts.map((p) => JSON.stringify(p.args.blocks)).join('\n');
  for (const s of taken) expect(text).toContain(s.snapshotId);
  expect(text).toMatch(/Current state: \*(completed|pending)/);
  expect(text).toContain('approved by <@U0BOB>');
  expect(text).toContain('aws-ir does not restore anything automatically');
});
