/** The store's part of organization sweeps: the sweep a scan covers, and its accounts saved one by one. */
import { SqliteStore } from '../../../src/store/sqlite-store';
import type { SweepAccountRecord } from '../../../src/store/model';
import type { NewScan } from '../../../src/store/store';

const sweepScan: NewScan = {
  id: 'sweep-1',
  channel: 'C1',
  requestedBy: 'U1',
  startedAt: '2026-01-01T00:00:00.000Z',
  status: 'running',
  owner: { id: 'o', host: 'h', pid: 1 },
  leaseUntil: '2026-01-01T00:02:00.000Z',
  sweep: { fingerprint: 'abc', windowEnd: '2026-01-01T00:00:00.000Z', days: 7, ou: 'ou-ab12-cd34ef56' },
};

const record = (account: string, status: SweepAccountRecord['status']): SweepAccountRecord => ({
  account,
  name: `n-${account}`,
  ou: 'Root/Prod',
  status,
  access: 'member-role',
  ...(status === 'scanned'
    ? { result: { account, window: { start: 'a', end: 'b' }, regions: ['us-east-1'], findings: [], gaps: [], stats: { durationMs: 1, apiCalls: {} } } }
    : { reason: 'no role' }),
});

describe('SqliteStore: organization sweeps', () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = new SqliteStore(':memory:');
  });
  afterEach(() => store.close());

  it('keeps what a sweep covers with its scan record', async () => {
    expect(await store.claimScan(sweepScan)).toBe(true);
    expect((await store.getScan('sweep-1'))?.sweep).toEqual(sweepScan.sweep);
    expect((await store.listScans({ channel: 'C1' }))[0]?.sweep?.fingerprint).toBe('abc');
  });

  it('a sweep still holds the channel like a scan', async () => {
    expect(await store.claimScan(sweepScan)).toBe(true);
    expect(await store.claimScan({ ...sweepScan, id: 'sweep-2' })).toBe(false);
  });

  it('saves accounts as they finish, in order, and replaces an account saved again', async () => {
    await store.claimScan(sweepScan);
    await store.saveSweepAccount('sweep-1', record('111111111111', 'no-access'), '2026-01-01T00:00:01.000Z');
    await store.saveSweepAccount('sweep-1', record('222222222222', 'scanned'), '2026-01-01T00:00:02.000Z');
    await store.saveSweepAccount('sweep-1', record('111111111111', 'scanned'), '2026-01-01T00:00:03.000Z');
    const saved = await store.listSweepAccounts('sweep-1');
    expect(saved.map((r) => [r.account, r.status])).toEqual([
      ['111111111111', 'scanned'],
      ['222222222222', 'scanned'],
    ]);
    expect(saved[1]?.result?.regions).toEqual(['us-east-1']);
    expect(await store.listSweepAccounts('other')).toEqual([]);
  });
});
