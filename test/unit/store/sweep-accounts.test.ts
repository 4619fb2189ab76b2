/**
 * The store's part of organization sweeps: the sweep a scan covers, and its accounts saved one by one.
 * Run on both backends, like the rest of the store contract.
 */
import { PostgresStore } from '../../../src/store/postgres/postgres-store';
import { SqliteStore } from '../../../src/store/sqlite-store';
import type { SweepAccountRecord } from '../../../src/store/model';
import type { NewScan, Store } from '../../../src/store/store';
import { describePostgres, freshSchema } from '../../support/postgres';

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

function sweepContract(open: () => Promise<{ store: Store & { close(): Promise<void> | void }; dispose: () => Promise<void> }>): void {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await open());
  });
  afterEach(() => dispose());

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
}

describe('organization sweeps in the store: SQLite', () =>
  sweepContract(async () => {
    const store = new SqliteStore(':memory:');
    return { store, dispose: async () => store.close() };
  }));
describePostgres('organization sweeps in the store: PostgreSQL', () =>
  sweepContract(async () => {
    const schema = await freshSchema('sweep');
    const store = new PostgresStore(schema.url, { poolSize: 2 });
    return {
      store,
      dispose: async () => {
        await store.close();
        await schema.drop();
      },
    };
  }),
);
