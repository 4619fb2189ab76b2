/**
 * Users, groups and roles hold policies the same way: inline documents by name and attached
 * managed-policy ARNs. One set of handlers serves all three; each principal's file maps its own
 * operation names (ListUserPolicies, PutRolePolicy…) onto them.
 */
import { SandboxError, type OperationContext, type OperationHandler } from '../model';
import { encodeDocument, findAttachablePolicy, paginate, policyDocumentParam, requiredString, validName } from './iam-common';

interface PolicyHolder {
  inlinePolicies: { name: string; document: string }[];
  attachedPolicyArns: string[];
}

export interface PrincipalPolicyHandlers {
  listInline: OperationHandler;
  getInline: OperationHandler;
  putInline: OperationHandler;
  deleteInline: OperationHandler;
  listAttached: OperationHandler;
  attach: OperationHandler;
  detach: OperationHandler;
}

/**
 * `kind` is the principal as IAM's error messages name it ('user', 'group', 'role'); `nameField`
 * is how GetXPolicy names the principal in its answer (UserName…).
 */
export function principalPolicyHandlers<P extends PolicyHolder>(
  kind: 'user' | 'group' | 'role',
  find: (ctx: OperationContext) => P,
  nameField: (principal: P) => Record<string, string>,
): PrincipalPolicyHandlers {
  return {
    listInline(ctx) {
      const { page, ...more } = paginate(ctx, find(ctx).inlinePolicies);
      return { PolicyNames: page.map((p) => p.name), ...more };
    },
    getInline(ctx) {
      const principal = find(ctx);
      const name = requiredString(ctx, 'PolicyName');
      const policy = principal.inlinePolicies.find((p) => p.name === name);
      if (!policy) throw new SandboxError('NoSuchEntity', `The ${kind} policy with name ${name} cannot be found.`, 404);
      return { ...nameField(principal), PolicyName: name, PolicyDocument: encodeDocument(policy.document) };
    },
    putInline(ctx) {
      const list = find(ctx).inlinePolicies;
      const name = validName(requiredString(ctx, 'PolicyName'), 'PolicyName');
      const document = policyDocumentParam(ctx, 'PolicyDocument');
      const existing = list.find((p) => p.name === name);
      if (existing) existing.document = document;
      else list.push({ name, document });
      return undefined;
    },
    deleteInline(ctx) {
      const list = find(ctx).inlinePolicies;
      const name = requiredString(ctx, 'PolicyName');
      const i = list.findIndex((p) => p.name === name);
      if (i < 0) throw new SandboxError('NoSuchEntity', `The ${kind} policy with name ${name} cannot be found.`, 404);
      list.splice(i, 1);
      return undefined;
    },
    listAttached(ctx) {
      const { page, ...more } = paginate(ctx, find(ctx).attachedPolicyArns);
      return { AttachedPolicies: page.map((arn) => ({ PolicyName: arn.split('/').pop(), PolicyArn: arn })), ...more };
    },
    attach(ctx) {
      const principal = find(ctx);
      const policy = findAttachablePolicy(ctx);
      if (!principal.attachedPolicyArns.includes(policy.arn)) principal.attachedPolicyArns.push(policy.arn);
      return undefined;
    },
    detach(ctx) {
      const principal = find(ctx);
      const arn = requiredString(ctx, 'PolicyArn');
      const i = principal.attachedPolicyArns.indexOf(arn);
      if (i < 0) throw new SandboxError('NoSuchEntity', `Policy ${arn} was not found.`, 404);
      principal.attachedPolicyArns.splice(i, 1);
      return undefined;
    },
  };
}
