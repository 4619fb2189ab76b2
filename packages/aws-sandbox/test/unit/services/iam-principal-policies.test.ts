import { policyHandlers } from '../../../src/services/iam-policies';
import { roleHandlers } from '../../../src/services/iam-roles';
import type { SandboxState, ServiceHandlers } from '../../../src/model';
import { ACCOUNT, baseState, ctx, errorOf, NOW } from './fixtures';

/** The parts of IAM's wire output these tests read; the handlers return `unknown`. */
interface Outputs {
  PutGroupPolicy: unknown;
  ListGroupPolicies: unknown;
  GetGroupPolicy: unknown;
  DeleteGroupPolicy: unknown;
  AttachGroupPolicy: unknown;
  ListAttachedGroupPolicies: { AttachedPolicies: unknown[] };
  DetachGroupPolicy: unknown;
  ListRolePolicies: unknown;
}

const call = <Op extends keyof Outputs>(h: ServiceHandlers, state: SandboxState, op: Op, params: Record<string, unknown> = {}): Outputs[Op] =>
  h[op]!(ctx(state, op, params, { service: 'iam' })) as Outputs[Op];

const DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });
const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/ops`;

function state(): SandboxState {
  const s = baseState();
  s.groups.push({
    groupName: 'ops',
    groupId: 'AGPAOPS',
    arn: `arn:aws:iam::${ACCOUNT}:group/ops`,
    path: '/',
    createDate: NOW,
    inlinePolicies: [],
    attachedPolicyArns: [],
  });
  s.policies.push({ policyName: 'ops', policyId: 'ANPAOPS', arn: POLICY_ARN, path: '/', scope: 'Local', createDate: NOW, updateDate: NOW, versions: [] });
  return s;
}

// Groups, users and roles share one set of policy handlers; these cover the group and role names of them.
describe('sandbox IAM principal policies', () => {
  it('puts, replaces, reads, lists and deletes a group inline policy', () => {
    const s = state();
    call(policyHandlers, s, 'PutGroupPolicy', { GroupName: 'ops', PolicyName: 'deny', PolicyDocument: '{"Statement":[]}' });
    call(policyHandlers, s, 'PutGroupPolicy', { GroupName: 'ops', PolicyName: 'deny', PolicyDocument: DOC });
    expect(call(policyHandlers, s, 'ListGroupPolicies', { GroupName: 'ops' })).toEqual({ PolicyNames: ['deny'], IsTruncated: false });
    expect(call(policyHandlers, s, 'GetGroupPolicy', { GroupName: 'ops', PolicyName: 'deny' })).toEqual({
      GroupName: 'ops',
      PolicyName: 'deny',
      PolicyDocument: encodeURIComponent(DOC),
    });
    call(policyHandlers, s, 'DeleteGroupPolicy', { GroupName: 'ops', PolicyName: 'deny' });
    expect(errorOf(() => call(policyHandlers, s, 'GetGroupPolicy', { GroupName: 'ops', PolicyName: 'deny' }))).toEqual({
      code: 'NoSuchEntity',
      message: 'The group policy with name deny cannot be found.',
      status: 404,
    });
    expect(errorOf(() => call(policyHandlers, s, 'DeleteGroupPolicy', { GroupName: 'ops', PolicyName: 'deny' })).message).toBe(
      'The group policy with name deny cannot be found.',
    );
  });

  it('attaches a managed policy once, lists and detaches it; an unknown role is NoSuchEntity', () => {
    const s = state();
    call(policyHandlers, s, 'AttachGroupPolicy', { GroupName: 'ops', PolicyArn: POLICY_ARN });
    call(policyHandlers, s, 'AttachGroupPolicy', { GroupName: 'ops', PolicyArn: POLICY_ARN });
    expect(call(policyHandlers, s, 'ListAttachedGroupPolicies', { GroupName: 'ops' }).AttachedPolicies).toEqual([{ PolicyName: 'ops', PolicyArn: POLICY_ARN }]);
    call(policyHandlers, s, 'DetachGroupPolicy', { GroupName: 'ops', PolicyArn: POLICY_ARN });
    expect(errorOf(() => call(policyHandlers, s, 'DetachGroupPolicy', { GroupName: 'ops', PolicyArn: POLICY_ARN })).message).toBe(
      `Policy ${POLICY_ARN} was not found.`,
    );
    expect(errorOf(() => call(roleHandlers, s, 'ListRolePolicies', { RoleName: 'nobody' })).code).toBe('NoSuchEntity');
  });
});
