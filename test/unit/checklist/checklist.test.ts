/**
 * The incident checklist without Slack: which findings and executed requests become open items, how
 * a later scan closes or reopens the ones it re-reads, and "Mark done" as a once-only, audited
 * attestation.
 */
import { markDone, syncChecklist, syncFromRequests, syncFromScan } from '../../../src/checklist/checklist';
import { NOT_VERIFIED_NOTE, RESCAN_NOTE } from '../../../src/checklist/item-spec';
import { itemsFromScan } from '../../../src/checklist/items-from-scan';
import { findingId } from '../../../src/scan/ids';
import type { Finding, Gap } from '../../../src/scan/model';
import { SqliteStore } from '../../../src/store/sqlite-store';
import type { ScanRecord } from '../../../src/store/model';
import { storeFinishedScan } from '../../support/stored-scan';
import { ACCOUNT, pendingRequest } from '../remediation/helpers';

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;

function finding(check: Finding['check'], resourceKey: string, extra: Partial<Finding> = {}): Finding {
  return {
    id: findingId(ACCOUNT, check, resourceKey),
    check,
    severity: 'high',
    step: 'D1',
    title: resourceKey,
    resources: [ROOT],
    evidence: {},
    actions: [],
    ...extra,
  };
}

const rootKeys = () =>
  finding('credential-report', `${ROOT}#root-keys`, { step: 'R1', title: 'The root user has 1 active access key', guidance: 'Sign in as root and delete it.' });
const rootUsed = () =>
  finding('credential-report', `${ROOT}#root-used`, { title: 'The root user was used in the incident window', guidance: 'Confirm with the owner.' });
const contacts = () => finding('account-info', 'contacts', { step: 'R8', severity: 'info', title: 'Confirm the account contacts are still correct' });
const quarantined = () =>
  finding('quarantine', `arn:aws:iam::${ACCOUNT}:user/ci-deploy`, {
    step: 'R2',
    actions: ['user.deactivate-keys'],
    target: { kind: 'user', userName: 'ci-deploy' },
  });
const withButton = () =>
  finding('credential-report', 'AKIAEXAMPLE', {
    actions: ['key.deactivate'],
    target: { kind: 'access-key', userName: 'ci-deploy', accessKeyId: 'AKIAEXAMPLE' },
  });

let clock = new Date('2026-01-01T00:00:00.000Z');
const tick = (minutes: number) => (clock = new Date(clock.getTime() + minutes * 60_000));
let n = 0;

async function scan(store: SqliteStore, findings: Finding[], gaps: Gap[] = []): Promise<ScanRecord> {
  tick(1);
  const record: ScanRecord & { status: 'done' } = {
    id: `scan-${++n}`,
    channel: 'C1',
    threadTs: '1.1',
    requestedBy: 'U1',
    startedAt: clock.toISOString(),
    status: 'done',
    result: { account: ACCOUNT, window: { start: 'a', end: 'b' }, regions: [], findings, gaps, stats: { durationMs: 1, apiCalls: {} } },
  };
  tick(1);
  return storeFinishedScan(store, record);
}

describe('incident checklist', () => {
  let store: SqliteStore;
  const deps = () => ({ store, now: () => clock });
  beforeEach(() => {
    store = new SqliteStore(':memory:');
    clock = new Date('2026-01-01T00:00:00.000Z');
  });
  afterEach(() => store.close());
  const openItems = async () => store.listOpenItems({ channel: 'C1' });
  const audit = async (kind: string) => (await store.listAudit({ channel: 'C1' })).filter((e) => e.kind === kind);

  it('makes items of guided findings, the contacts confirmation and quarantined users, not of findings with buttons', () => {
    const specs = itemsFromScan('s', {
      account: ACCOUNT,
      window: { start: 'a', end: 'b' },
      regions: [],
      findings: [rootKeys(), rootUsed(), contacts(), quarantined(), withButton()],
      gaps: [],
      stats: { durationMs: 1, apiCalls: {} },
    });
    expect(specs.map((s) => [s.step, s.verifiedBy])).toEqual([
      ['R1', 'scan'],
      ['D1', 'person'],
      ['R8', 'person'],
      ['R2', 'person'],
    ]);
    expect(specs[3]!.guidance).toMatch(/change its console password.*never sets passwords/);
  });

  it('opens items once per channel, whatever the number of scans', async () => {
    const first = await syncFromScan(deps(), await scan(store, [rootKeys(), contacts()]));
    expect(first.opened.map((i) => i.step)).toEqual(['R1', 'R8']);
    expect((await syncFromScan(deps(), await scan(store, [rootKeys(), contacts()]))).opened).toEqual([]);
    expect(await openItems()).toHaveLength(2);
    expect(await audit('checklist.opened')).toHaveLength(2);
  });

  it('closes a re-readable item when a later scan no longer shows it, but not after a gap in its check', async () => {
    await syncFromScan(deps(), await scan(store, [rootKeys(), rootUsed()]));
    expect((await syncFromScan(deps(), await scan(store, [], [{ check: 'credential-report', reason: 'throttled' }]))).verified).toEqual([]);
    const later = await syncFromScan(deps(), await scan(store, []));
    expect(later.verified.map((i) => i.title)).toEqual(['The root user has 1 active access key']);
    expect(later.verified[0]).toMatchObject({ status: 'verified', note: expect.stringContaining('Verified by scan') });
    // "Root was used" is an event: it leaving the window proves nothing, so it stays open.
    expect((await store.listOpenItems({ channel: 'C1', status: 'open' })).map((i) => i.title)).toEqual(['The root user was used in the incident window']);
    expect(await audit('checklist.verified')).toHaveLength(1);
  });

  it('reopens a closed item a newer scan still shows, never because of an older scan', async () => {
    const s1 = await scan(store, [rootKeys()]);
    await syncFromScan(deps(), s1);
    const [item] = await openItems();
    tick(5);
    expect(await markDone(deps(), item!.id, 'U2')).toMatchObject({ ok: true, item: { status: 'done', closedBy: 'U2', note: RESCAN_NOTE } });
    expect((await syncFromScan(deps(), s1)).reopened).toEqual([]);
    const reopened = (await syncFromScan(deps(), await scan(store, [rootKeys()]))).reopened;
    expect(reopened).toHaveLength(1);
    expect(reopened[0]).toMatchObject({ status: 'open', note: expect.stringContaining('still shows it') });
    expect(reopened[0]!.closedBy).toBeUndefined();
  });

  it('verifies an item a person marked done once a later scan no longer shows it', async () => {
    await syncFromScan(deps(), await scan(store, [rootKeys()]));
    const [item] = await openItems();
    await markDone(deps(), item!.id, 'U2');
    expect((await syncFromScan(deps(), await scan(store, []))).verified.map((i) => i.id)).toEqual([item!.id]);
  });

  it("marks an item done once: a person's word, audited with who and when", async () => {
    await syncFromScan(deps(), await scan(store, [contacts()]));
    const [item] = await openItems();
    const first = await markDone(deps(), item!.id, 'U2');
    expect(first).toMatchObject({ ok: true, item: { status: 'done', closedBy: 'U2', closedAt: clock.toISOString(), note: NOT_VERIFIED_NOTE } });
    const second = await markDone(deps(), item!.id, 'U3');
    expect(second).toMatchObject({ ok: false, reason: expect.stringContaining('<@U2> already marked this item done') });
    expect(await markDone(deps(), 'item_missing', 'U3')).toMatchObject({ ok: false, reason: expect.stringContaining('no longer on record') });
    expect(await audit('checklist.done')).toEqual([
      expect.objectContaining({ user: 'U2', at: clock.toISOString(), data: expect.objectContaining({ attestation: true, verifiedInAws: false }) }),
    ]);
  });

  it('asks the key owner for a replacement key after aws-ir deactivated keys, once per user, never for dry runs', async () => {
    await store.createRequest(pendingRequest({ id: 'r1', status: 'succeeded' }));
    await store.createRequest(
      pendingRequest({ id: 'r2', status: 'succeeded', action: 'user.deactivate-keys', target: { kind: 'user', userName: 'ci-deploy' } }),
    );
    await store.createRequest(
      pendingRequest({ id: 'r3', status: 'succeeded', dryRun: true, target: { kind: 'access-key', userName: 'bob', accessKeyId: 'AKIABOB' } }),
    );
    await store.createRequest(pendingRequest({ id: 'r4', status: 'failed', target: { kind: 'access-key', userName: 'carol', accessKeyId: 'AKIACAROL' } }));
    const opened = await syncFromRequests(deps(), 'C1');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      step: 'R1',
      verifiedBy: 'person',
      source: { requestId: 'r1' },
      title: 'The owner of IAM user ci-deploy creates a replacement access key',
    });
    expect(opened[0]!.guidance).toMatch(/AKIAEXAMPLE0001.*never creates keys and never shows or posts a secret/);
    expect((await syncChecklist(deps(), 'C1')).opened).toEqual([]);
  });
});
