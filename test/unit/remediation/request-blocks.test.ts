import { expectWithinBlockKitLimits } from '../../support/block-kit';
import { auditGroups } from '../../../src/blocks/audit';
import { decidedMessage, requestMessage } from '../../../src/blocks/request';
import { actionDefinition } from '../../../src/remediation/catalog';
import { ACTION_IDS } from '../../../src/remediation/action-ids';
import type { ActionTarget } from '../../../src/remediation/action-ids';
import type { ActionRequest } from '../../../src/store/store';
import { pendingRequest } from './helpers';

const TARGETS: Record<ActionTarget['kind'], ActionTarget> = {
  'access-key': { kind: 'access-key', userName: 'ci-deploy', accessKeyId: 'AKIAEXAMPLE0001' },
  user: { kind: 'user', userName: 'svc-backup' },
  role: { kind: 'role', roleName: 'ops-support' },
  policy: { kind: 'policy', policyArn: 'arn:aws:iam::111122223333:policy/backdoor' },
  instance: { kind: 'instance', region: 'ap-southeast-2', instanceId: 'i-0bad' },
};

function requestFor(id: (typeof ACTION_IDS)[number], overrides: Partial<ActionRequest> = {}): ActionRequest {
  return pendingRequest({ action: id, target: TARGETS[actionDefinition(id).targetKind], reason: 'x'.repeat(600), ...overrides });
}

const json = (v: unknown) => JSON.stringify(v);

describe('request blocks', () => {
  it.each(ACTION_IDS.map((id) => [id]))('%s: the request names account, resource, effect and reversibility, within limits', (id) => {
    const def = actionDefinition(id);
    const m = requestMessage(requestFor(id), def);
    expectWithinBlockKitLimits(m.blocks, m.text);
    const text = json(m.blocks);
    expect(text).toContain('111122223333');
    expect(text).toContain(def.describe(requestFor(id).target, '111122223333').effect.slice(0, 40));
    expect(text).toContain(def.reversible ? 'Yes' : 'cannot be undone');
    expect(text).toContain('aws_ir.approve:0');
    expect(text).toContain('aws_ir.reject:0');
    // Irreversible changes ask the approver to confirm.
    expect(text.includes('"confirm"')).toBe(!def.reversible);
  });

  it('a decided request has no Approve/Reject, shows failure plainly, and offers Undo only on success', () => {
    const def = actionDefinition('key.deactivate');
    const outcome = {
      ok: false,
      dryRun: false,
      verified: false,
      calls: [],
      requestIds: [],
      error: 'Failed while making the change: AccessDenied',
      startedAt: 't',
      finishedAt: 't',
    };
    const failed = decidedMessage(requestFor('key.deactivate', { status: 'failed', decidedBy: 'U2', decidedAt: '2026-01-01T00:01:00.000Z', outcome }), def);
    expectWithinBlockKitLimits(failed.blocks, failed.text);
    expect(json(failed.blocks)).not.toContain('aws_ir.approve');
    expect(json(failed.blocks)).not.toContain('aws_ir.undo');
    expect(json(failed.blocks)).toContain('AccessDenied');
    expect(failed.text).toMatch(/^Failed/);

    const ok = decidedMessage(
      requestFor('key.deactivate', {
        status: 'succeeded',
        decidedBy: 'U2',
        outcome: { ...outcome, ok: true, verified: true, error: undefined, requestIds: ['rid-1'], before: { status: 'Active' }, after: { status: 'Inactive' } },
      }),
      def,
    );
    expect(json(ok.blocks)).toContain('aws_ir.undo:0');
    expect(json(ok.blocks)).toContain('rid-1');
  });

  it('the audit groups fit Slack even for a long record', () => {
    const entries = Array.from({ length: 300 }, (_, i) => ({
      seq: i,
      at: '2026-01-01T00:00:00.000Z',
      channel: 'C1',
      user: 'U1',
      kind: 'aws.call' as const,
      requestId: 'r',
      data: { operation: 'IAM:ListUsers', region: 'us-east-1', input: { x: 'y'.repeat(400) } },
    }));
    const groups = auditGroups({ generatedAt: 't', channel: 'C1', requests: [requestFor('user.delete')], entries });
    for (const g of groups) expectWithinBlockKitLimits(g);
    expect(groups.length).toBeGreaterThan(10);
  });
});
