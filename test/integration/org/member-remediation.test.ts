/**
 * Buttons on a member account's finding act in that member account, through its remediation role,
 * with the same two-person approval; protected principals and dry run are decided per account.
 * Against the sandbox organization over real HTTP: the key is deactivated in the member's own account
 * model, by a session of aws-ir-remediate, and the management account is untouched.
 */
import type { OrgSweepResult } from '../../../src/org/model';
import { orgRig, RecordingPublisher, type OrgRig } from './org-rig';

async function sweepProdWeb(rig: OrgRig): Promise<{ scanId: string; result: OrgSweepResult }> {
  const outcome = await rig.core.startSweep(
    { channel: 'C0ORG', requestedBy: 'U1', days: 7, accounts: ['222200000000', '222200000001'] },
    new RecordingPublisher(),
  );
  if (outcome.kind !== 'done') throw new Error(`sweep ${outcome.kind}`);
  return { scanId: outcome.scan.id, result: outcome.result };
}

/** prod-web's leaked ci-deploy key finding (the key id is the member's own, rewritten by the sandbox). */
function leakedKeyFinding(result: OrgSweepResult) {
  const f = result.findings.find(
    (x) => x.account === '222200000001' && x.target?.kind === 'access-key' && x.target.userName === 'ci-deploy' && x.actions.includes('key.deactivate'),
  );
  if (f?.target?.kind !== 'access-key') throw new Error('no finding for the leaked key of ci-deploy in prod-web');
  return { finding: f, keyId: f.target.accessKeyId };
}

const keyStatus = (rig: OrgRig, account: string, keyId: string) =>
  rig.sandbox
    .account(account)!
    .users.flatMap((u) => u.accessKeys)
    .find((k) => k.accessKeyId === keyId)?.status;

describe('remediation in a member account', () => {
  let rig: OrgRig;
  afterEach(() => rig.close());

  it('deactivates the key in the member account through its remediation role, after a second responder approves', async () => {
    rig = await orgRig();
    const { scanId, result } = await sweepProdWeb(rig);
    const { finding, keyId } = leakedKeyFinding(result);
    const created = await rig.core.requestFromFinding({ scanId, findingId: finding.id, action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    if (!created.ok) throw new Error(created.reason);
    expect(created.request).toMatchObject({ account: '222200000001', memberAccount: true, dryRun: false });
    expect((await rig.core.approve({ requestId: created.request.id, userId: 'U1' })).ok).toBe(false);
    const approved = await rig.core.approve({ requestId: created.request.id, userId: 'U2' });
    if (!approved.ok) throw new Error(approved.reason);
    expect(approved.request.status).toBe('succeeded');
    expect(approved.request.outcome).toMatchObject({ ok: true, verified: true });
    expect(keyStatus(rig, '222200000001', keyId)).toBe('Inactive');
    // The write is in the member's CloudTrail, made by a session of its remediation role.
    const write = rig.sandbox.account('222200000001')!.events.find((e) => e.record.eventName === 'UpdateAccessKey');
    expect(JSON.stringify(write?.record.userIdentity)).toContain('assumed-role/aws-ir-remediate');
    expect(rig.sandbox.state.events.some((e) => e.record.eventName === 'UpdateAccessKey')).toBe(false);
    // Undo acts in the same account.
    const undo = await rig.core.requestUndo({ requestId: created.request.id, userId: 'U2', reason: 'rotated' });
    if (!undo.ok) throw new Error(undo.reason);
    expect(undo.request).toMatchObject({ account: '222200000001', memberAccount: true });
    await rig.core.approve({ requestId: undo.request.id, userId: 'U1' });
    expect(keyStatus(rig, '222200000001', keyId)).toBe('Active');
  });

  it("snapshots a member's instance in that member, and the evidence manifest reads the snapshot's state there", async () => {
    rig = await orgRig();
    const { scanId, result } = await sweepProdWeb(rig);
    const instance = result.findings.find((f) => f.account === '222200000001' && f.target?.kind === 'instance' && f.actions.includes('instance.snapshot'));
    if (instance?.target?.kind !== 'instance') throw new Error('no instance finding in prod-web');
    const created = await rig.core.requestFromFinding({ scanId, findingId: instance.id, action: 'instance.snapshot', userId: 'U1', reason: 'evidence' });
    if (!created.ok) throw new Error(created.reason);
    const approved = await rig.core.approve({ requestId: created.request.id, userId: 'U2' });
    expect(approved.ok && approved.request.status).toBe('succeeded');
    const member = rig.sandbox.account('222200000001')!;
    const snapshots = member.regions.flatMap((r) => r.snapshots ?? []);
    expect(snapshots.length).toBeGreaterThan(0);
    const evidence = await rig.core.evidence('C0ORG');
    expect(evidence.snapshots.length).toBe(snapshots.length);
    for (const s of evidence.snapshots) {
      expect(s.account).toBe('222200000001');
      expect(s.currentState).not.toMatch(/not found|not read/);
    }
  });

  it("protects the member's principals listed for that account, and aws-ir's own member roles, but not same-named principals elsewhere", async () => {
    rig = await orgRig({ AWS_IR_PROTECTED_ARNS: 'arn:aws:iam::222200000001:user/automation/ci-deploy,arn:aws:iam::222200000009:user/svc-backup' });
    const { scanId, result } = await sweepProdWeb(rig);
    const { finding } = leakedKeyFinding(result);
    const refused = await rig.core.requestFromFinding({ scanId, findingId: finding.id, action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    expect(refused).toMatchObject({ ok: false, code: 'protected' });
    // svc-backup is protected in another account only: in prod-web it may be acted on.
    const backup = result.findings.find(
      (f) => f.account === '222200000001' && f.target?.kind === 'user' && f.target.userName === 'svc-backup' && f.actions.includes('user.quarantine'),
    );
    const allowed = await rig.core.requestFromFinding({ scanId, findingId: backup!.id, action: 'user.quarantine', userId: 'U1', reason: 'backdoor' });
    expect(allowed.ok).toBe(true);
  });

  it('runs dry in the accounts listed in AWS_IR_DRY_RUN_ACCOUNTS', async () => {
    rig = await orgRig({ AWS_IR_DRY_RUN_ACCOUNTS: '222200000001' });
    const { scanId, result } = await sweepProdWeb(rig);
    const { finding, keyId } = leakedKeyFinding(result);
    const created = await rig.core.requestFromFinding({ scanId, findingId: finding.id, action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    if (!created.ok) throw new Error(created.reason);
    expect(created.request.dryRun).toBe(true);
    const approved = await rig.core.approve({ requestId: created.request.id, userId: 'U2' });
    expect(approved.ok && approved.request.outcome).toMatchObject({ ok: true, dryRun: true });
    expect(keyStatus(rig, '222200000001', keyId)).toBe('Active');
  });

  it("refuses the request, changing nothing, when the member's remediation role cannot be assumed", async () => {
    rig = await orgRig({ AWS_IR_MEMBER_REMEDIATION_ROLE_NAME: 'not-deployed' });
    const { scanId, result } = await sweepProdWeb(rig);
    const { finding, keyId } = leakedKeyFinding(result);
    const refused = await rig.core.requestFromFinding({ scanId, findingId: finding.id, action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    expect(refused).toMatchObject({ ok: false, reason: expect.stringMatching(/could not assume arn:aws:iam::222200000001:role\/not-deployed/) });
    expect(keyStatus(rig, '222200000001', keyId)).toBe('Active');
  });
});
