/**
 * `scan --org` through the incident core against the sandbox's organization (a management account,
 * six members, each its own account reached through AssumeRole): every reachable account scanned with
 * the same engine, the suspended one and the one without the role as gaps with their reasons, the
 * ranking, the story across two accounts, narrowing, and a sweep started again resuming.
 */
import type { StartSweepOutcome } from '../../../src/incident/start-sweep';
import type { OrgSweepResult } from '../../../src/org/model';
import { toOrgJsonObject } from '../../../src/org/format';
import { orgRig, RecordingPublisher, type OrgRig } from './org-rig';

function done(outcome: StartSweepOutcome): OrgSweepResult {
  if (outcome.kind !== 'done') throw new Error(`sweep ${outcome.kind}: ${'reason' in outcome ? outcome.reason : ''}`);
  return outcome.result;
}

/**
 * What these tests are about is the sweep (accounts, gaps, ranking, resuming), not a scan's regions: each
 * account is scanned in the regions where the organization's accounts hold anything, as `--regions` would.
 */
const REGIONS = ['us-east-1', 'eu-west-1', 'sa-east-1', 'ca-central-1', 'ap-southeast-2'];

const sweep = (rig: OrgRig, extra: Record<string, unknown> = {}, publisher = new RecordingPublisher()) =>
  rig.core.startSweep({ channel: 'C0ORG', requestedBy: 'U1', days: 7, regions: REGIONS, ...extra }, publisher);

describe('organization sweep against the sandbox organization', () => {
  let rig: OrgRig;
  afterEach(() => rig.close());

  it('scans every reachable account, and the suspended account and the one without the role are gaps with their reason', async () => {
    rig = await orgRig();
    const publisher = new RecordingPublisher();
    const outcome = await sweep(rig, {}, publisher);
    const result = done(outcome);
    const status = Object.fromEntries(result.accounts.map((a) => [a.account, a.status]));
    expect(status).toEqual({
      '222200000000': 'scanned',
      '222200000001': 'scanned',
      '222200000002': 'scanned',
      '222200000003': 'scanned',
      '222200000004': 'scanned',
      '222200000005': 'suspended',
      '222200000006': 'no-access',
    });
    const noRole = result.accounts.find((a) => a.account === '222200000006')!;
    expect(noRole.reason).toMatch(/could not assume arn:aws:iam::222200000006:role\/aws-ir-scan \(AccessDenied\)/);
    expect(result.accounts.find((a) => a.account === '222200000005')!.reason).toMatch(/suspended/);
    // The engine ran on the reachable accounts only; the management account with aws-ir's own identity.
    expect([...rig.scanned].sort()).toEqual(['222200000000', '222200000001', '222200000002', '222200000003', '222200000004']);
    expect(result.accounts.find((a) => a.account === '222200000000')!.access).toBe('home');
    // Every account was reported as it finished, and saved with the sweep.
    expect(publisher.done).toHaveLength(7);
    expect(publisher.starts[0]).toMatchObject({ account: '222200000000', accounts: 7, reused: 0 });
    expect(outcome.kind === 'done' && (await rig.store.listSweepAccounts(outcome.scan.id)).map((r) => r.account).sort()).toEqual(Object.keys(status).sort());
    expect(result.organization).toMatchObject({ home: '222200000000', listed: 7, scanned: 5, gaps: 2, reused: 0 });
  });

  it('ranks accounts by their worst finding, names each finding and gap with its account, and tells the story across accounts once', async () => {
    rig = await orgRig();
    const result = done(await sweep(rig));
    expect(result.accounts[0]!.account).toBe('222200000001');
    expect(result.accounts.slice(-2).map((a) => a.status)).toEqual(expect.arrayContaining(['suspended', 'no-access']));
    expect(result.findings.every((f) => /^2222000000\d\d$/.test(f.account ?? ''))).toBe(true);
    expect(result.findings.filter((f) => f.account === '222200000001').length).toBe(result.accounts[0]!.result!.findings.length);
    const story = result.crossAccount.find((s) => s.value === '185.220.101.34');
    expect(story).toMatchObject({ kind: 'source-address', severity: 'critical' });
    expect(story!.accounts.map((a) => a.account)).toEqual(['222200000001', '222200000002']);
    // aws-ir's own member roles trust the management account: inside the organization, not a finding.
    expect(result.findings.filter((f) => f.check === 'iam-changes' && /aws-ir-(scan|remediate)/.test(f.title))).toEqual([]);
    // Members cannot list the organization; the management account's scan did.
    expect(result.gaps.filter((g) => g.check === 'organizations' && g.account !== '222200000005' && g.account !== '222200000006')).toEqual([]);
    const json = toOrgJsonObject(result);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['account', 'window', 'regions', 'findings', 'gaps', 'stats', 'accounts']));
    const accounts = json.accounts as { account: string; ou: string; status: string; result: { findings: unknown[] } | null }[];
    expect(accounts.find((a) => a.account === '222200000004')).toMatchObject({ ou: 'Root/Development/Sandboxes', status: 'scanned' });
    expect(accounts.find((a) => a.account === '222200000006')).toMatchObject({ status: 'no-access', result: null });
  });

  it('narrows to an organizational unit (with the units under it) or to listed accounts, and names ids the organization does not have', async () => {
    rig = await orgRig();
    const byOu = done(await sweep(rig, { ou: 'ou-acme-devl0001' }));
    expect(byOu.accounts.map((a) => a.account).sort()).toEqual(['222200000004', '222200000005']);
    const byIds = done(await sweep(rig, { accounts: ['222200000002', '999999999999'] }));
    expect(byIds.accounts.map((a) => a.account)).toEqual(['222200000002']);
    expect(byIds.organization.unknownAccounts).toEqual(['999999999999']);
    expect(await sweep(rig, { accounts: ['999999999999'] })).toMatchObject({ kind: 'not-started', reason: expect.stringMatching(/No account/) });
  });

  it('keeps going when one account crashes the engine, and a sweep started again scans only what was not finished', async () => {
    rig = await orgRig({}, new Set(['222200000003']));
    const first = done(await sweep(rig));
    expect(first.accounts.find((a) => a.account === '222200000003')).toMatchObject({ status: 'failed', reason: expect.stringMatching(/stopped/) });
    expect(first.organization.scanned).toBe(4);

    rig.scanned.length = 0;
    const second = done(await sweep(rig));
    // Only the account that failed was scanned again (it fails again here); the four finished were reused.
    expect(rig.scanned).toEqual(['222200000003']);
    expect(second.organization).toMatchObject({ reused: 4, resumedFrom: expect.any(String) });
    expect(second.window).toEqual(first.window);
    expect(
      second.accounts
        .filter((a) => a.reusedFrom)
        .map((a) => a.account)
        .sort(),
    ).toEqual(['222200000000', '222200000001', '222200000002', '222200000004']);

    rig.scanned.length = 0;
    const fresh = done(await sweep(rig, { fresh: true }));
    expect(rig.scanned.sort()).toEqual(['222200000000', '222200000001', '222200000002', '222200000003', '222200000004']);
    expect(fresh.organization.reused).toBe(0);
    // Something changed (another narrowing): nothing is reused.
    rig.scanned.length = 0;
    done(await sweep(rig, { days: 3 }));
    expect(rig.scanned).toHaveLength(5);
  });

  it('does not resume when AWS_IR_ORG_RESUME_MINUTES is 0', async () => {
    rig = await orgRig({ AWS_IR_ORG_RESUME_MINUTES: '0' });
    done(await sweep(rig, { ou: 'ou-acme-prod0001' }));
    rig.scanned.length = 0;
    expect(done(await sweep(rig, { ou: 'ou-acme-prod0001' })).organization.reused).toBe(0);
    expect(rig.scanned).toHaveLength(2);
  });
});
