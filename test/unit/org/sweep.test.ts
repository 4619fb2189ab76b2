/**
 * The sweep runner on fakes: isolation (a suspended account, a role that cannot be assumed, every
 * check failing, an engine that throws: each is that account's gap, the rest are scanned), bounded
 * concurrency, reuse of finished accounts, and each account saved as soon as it is done.
 */
import { AwsClients } from '../../../src/aws/clients';
import { RateLimiterRegistry } from '../../../src/aws/rate-limit';
import type { OrgAccount } from '../../../src/org/accounts';
import { MemberAccessError } from '../../../src/org/member-access';
import { runSweep, type SweepRun } from '../../../src/org/sweep';
import type { ScanFn } from '../../../src/scan/engine';
import type { ScanResult } from '../../../src/scan/model';
import type { SweepAccountRecord } from '../../../src/store/model';

const clientsOf = (key: string) =>
  new AwsClients({ key, region: 'us-east-1', credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 's' } }, new RateLimiterRegistry());
const HOME = '100000000000';
const account = (id: string, status = 'ACTIVE'): OrgAccount => ({ id, name: `n${id.slice(-2)}`, status, ou: 'Root/Prod', ouIds: ['r-1', 'ou-1'] });
const result = (account: string, over: Partial<ScanResult> = {}): ScanResult => ({
  account,
  window: { start: 'a', end: 'b' },
  regions: ['us-east-1'],
  findings: [{ id: `f-${account}`, check: 'cost', severity: 'high', step: 'D4', title: 't', resources: [], evidence: {}, actions: [] }],
  gaps: [],
  stats: { durationMs: 1, apiCalls: { 'IAM:ListUsers': 1 } },
  ...over,
});

/** A manually released engine: each account's scan waits until the test lets it finish. */
function gatedEngine(behaviour: Record<string, 'throw' | 'all-gaps'> = {}) {
  let running = 0;
  let peak = 0;
  const waiting: (() => void)[] = [];
  const engine: ScanFn = async ({ clients }) => {
    const id = clients.target.key;
    running++;
    peak = Math.max(peak, running);
    await new Promise<void>((release) => waiting.push(release));
    running--;
    if (behaviour[id] === 'throw') throw new Error('boom');
    if (behaviour[id] === 'all-gaps') {
      const checks = ['credential-report', 'quarantine', 'cloudtrail', 'iam-changes', 'organizations', 'cost', 'resources', 'account-info'] as const;
      return result(id, { findings: [], gaps: checks.map((check) => ({ check, reason: `${check}: AccessDenied` })) });
    }
    return result(id);
  };
  return {
    engine,
    peak: () => peak,
    /** Lets every waiting scan finish, repeatedly, until the sweep is done. */
    async drain(until: Promise<unknown>) {
      let finished = false;
      void until.then(() => {
        finished = true;
      });
      while (!finished) {
        for (const release of waiting.splice(0)) release();
        await new Promise((r) => setImmediate(r));
      }
    },
  };
}

function run(over: Partial<SweepRun> & Pick<SweepRun, 'accounts' | 'runScan'>): SweepRun {
  return {
    home: { clients: clientsOf(HOME), account: HOME },
    role: { roleName: 'aws-ir-scan', sessionName: 'aws-ir-scan' },
    options: { days: 7 },
    concurrency: 2,
    reach: async (id) => {
      if (id === '100000000004') throw new MemberAccessError(id, 'aws-ir could not assume arn:aws:iam::100000000004:role/aws-ir-scan (AccessDenied)');
      return clientsOf(id);
    },
    ...over,
  };
}

describe('runSweep', () => {
  it('isolates every kind of failure as that account gap and scans all the others', async () => {
    const gate = gatedEngine({ '100000000005': 'throw', '100000000006': 'all-gaps' });
    const accounts = ['100000000000', '100000000001', '100000000002', '100000000003', '100000000004', '100000000005', '100000000006'].map((id) =>
      account(id, id === '100000000003' ? 'SUSPENDED' : 'ACTIVE'),
    );
    const saved: SweepAccountRecord[] = [];
    const sweep = runSweep(run({ accounts, runScan: gate.engine, saved: async (r) => void saved.push(r) }));
    await gate.drain(sweep);
    const records = await sweep;
    expect(records.map((r) => [r.account, r.status])).toEqual([
      ['100000000000', 'scanned'],
      ['100000000001', 'scanned'],
      ['100000000002', 'scanned'],
      ['100000000003', 'suspended'],
      ['100000000004', 'no-access'],
      ['100000000005', 'failed'],
      ['100000000006', 'failed'],
    ]);
    expect(records[0]!.access).toBe('home');
    expect(records[1]!.access).toBe('member-role');
    expect(records[4]!.reason).toMatch(/AccessDenied/);
    expect(records[5]!.reason).toMatch(/stopped/);
    expect(records[6]!.reason).toMatch(/^Every check failed/);
    expect(saved.map((r) => r.account).sort()).toEqual(accounts.map((a) => a.id));
  });

  it('never runs more accounts at once than the concurrency', async () => {
    const gate = gatedEngine();
    const accounts = Array.from({ length: 9 }, (_, i) => account(`2000000000${String(i).padStart(2, '0')}`));
    const sweep = runSweep(run({ accounts, runScan: gate.engine, concurrency: 3, home: { clients: clientsOf(HOME), account: HOME } }));
    await gate.drain(sweep);
    expect((await sweep).every((r) => r.status === 'scanned')).toBe(true);
    expect(gate.peak()).toBe(3);
  });

  it('reuses the finished accounts of an earlier run as they are, and scans the others', async () => {
    const gate = gatedEngine();
    const earlier: SweepAccountRecord = {
      account: '100000000001',
      name: 'old',
      ou: 'Root',
      status: 'scanned',
      access: 'member-role',
      result: result('100000000001'),
      reusedFrom: 'scan-0',
    };
    const scanned: string[] = [];
    const engine: ScanFn = (input) => {
      scanned.push(input.clients.target.key);
      return gate.engine(input);
    };
    const sweep = runSweep(run({ accounts: [account('100000000001'), account('100000000002')], runScan: engine, reuse: new Map([['100000000001', earlier]]) }));
    await gate.drain(sweep);
    const records = await sweep;
    expect(scanned).toEqual(['100000000002']);
    expect(records[0]).toMatchObject({ account: '100000000001', status: 'scanned', reusedFrom: 'scan-0', name: 'n01', ou: 'Root/Prod' });
  });
});
