/**
 * R1: exposed access keys. Deactivate (undo: reactivate); delete only an inactive key that shows no
 * use since it was deactivated. aws-ir never creates a key and never shows a secret.
 */
import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  paginateListAccessKeys,
  UpdateAccessKeyCommand,
  type AccessKeyMetadata,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../../aws/clients';
import type { Store } from '../../store/store';
import { targetAs, type ActionContext, type ActionDefinition, type ActionDescription } from '../types';
import type { ActionTarget } from '../action-ids';
import { collect } from '../../aws/collect-pages';
import { readIfExists } from './iam-reads';

/** Undefined when the key is gone, including when its user was deleted (ListAccessKeys: NoSuchEntity). */
export async function findKey(clients: AwsClients, userName: string, accessKeyId: string): Promise<AccessKeyMetadata | undefined> {
  const keys = await readIfExists(() => listKeys(clients, userName));
  return keys?.find((k) => k.AccessKeyId === accessKeyId);
}

export function listKeys(clients: AwsClients, userName: string): Promise<AccessKeyMetadata[]> {
  return collect(paginateListAccessKeys({ client: clients.iam() }, { UserName: userName }), (p) => p.AccessKeyMetadata);
}

function keyDescription(target: ActionTarget, account: string, effect: string): ActionDescription {
  const t = target.kind === 'access-key' ? target : undefined;
  return {
    account,
    region: 'global',
    resource: t ? `access key ${t.accessKeyId} of IAM user ${t.userName}` : 'access key',
    effect,
  };
}

function setStatus(status: 'Active' | 'Inactive', id: 'key.deactivate' | 'key.reactivate'): ActionDefinition {
  const from = status === 'Active' ? 'Inactive' : 'Active';
  return {
    id,
    step: 'R1',
    targetKind: 'access-key',
    reversible: true,
    undo: id === 'key.deactivate' ? 'key.reactivate' : 'key.deactivate',
    label: status === 'Inactive' ? 'Deactivate access key' : 'Reactivate access key',
    describe: (target, account) =>
      keyDescription(
        target,
        account,
        status === 'Inactive'
          ? 'Sets the key to Inactive: every request signed with it fails from now on. Applications using it stop working until they switch to a new key, which the key owner creates; the key can be reactivated.'
          : 'Sets the key back to Active: requests signed with it work again. Use this only if an application broke and the key is not compromised further.',
      ),
    async precheck(ctx) {
      const t = targetAs(ctx, 'access-key');
      const key = await findKey(ctx.clients, t.userName, t.accessKeyId);
      if (!key) return { ok: false, reason: `Access key ${t.accessKeyId} no longer exists on user ${t.userName}.` };
      if (key.Status !== from) return { ok: false, reason: `Access key ${t.accessKeyId} is already ${key.Status}.` };
      return { ok: true, before: { status: key.Status } };
    },
    async execute(ctx) {
      const t = targetAs(ctx, 'access-key');
      const input = { UserName: t.userName, AccessKeyId: t.accessKeyId, Status: status };
      await ctx.write('IAM:UpdateAccessKey', input, () => ctx.clients.iam().send(new UpdateAccessKeyCommand(input)));
      return {};
    },
    async verify(ctx) {
      const t = targetAs(ctx, 'access-key');
      const key = await findKey(ctx.clients, t.userName, t.accessKeyId);
      const now = key?.Status ?? 'missing';
      return now === status
        ? { ok: true, after: { status: now } }
        : { ok: false, after: { status: now }, problem: `The key reads as ${now} after the change, not ${status}.` };
    },
  };
}

export const deactivateKey = setStatus('Inactive', 'key.deactivate');
export const reactivateKey = setStatus('Active', 'key.reactivate');

/** When aws-ir last deactivated this key, from its own records (succeeded key.deactivate requests). */
export async function deactivatedAt(store: Store, accessKeyId: string): Promise<Date | undefined> {
  const times = (await store.listRequests({ status: 'succeeded' }))
    .filter((r) => r.action === 'key.deactivate' && !r.dryRun && r.target.kind === 'access-key' && r.target.accessKeyId === accessKeyId)
    .map((r) => r.outcome?.finishedAt ?? r.decidedAt)
    .filter((t): t is string => typeof t === 'string')
    .sort();
  const last = times[times.length - 1];
  return last ? new Date(last) : undefined;
}

export const deleteKey: ActionDefinition = {
  id: 'key.delete',
  step: 'R1',
  targetKind: 'access-key',
  reversible: false,
  label: 'Delete access key',
  describe: (target, account) =>
    keyDescription(
      target,
      account,
      'Deletes the key permanently. It cannot be restored; allowed only for an inactive key that shows no use since it was deactivated.',
    ),
  async precheck(ctx: ActionContext) {
    const t = targetAs(ctx, 'access-key');
    const key = await findKey(ctx.clients, t.userName, t.accessKeyId);
    if (!key) return { ok: false, reason: `Access key ${t.accessKeyId} no longer exists on user ${t.userName}.` };
    if (key.Status !== 'Inactive') {
      return { ok: false, reason: `Access key ${t.accessKeyId} is still Active: deactivate it first, check that nothing breaks, then delete it.` };
    }
    const used = await ctx.clients.iam().send(new GetAccessKeyLastUsedCommand({ AccessKeyId: t.accessKeyId }));
    const lastUsed = used.AccessKeyLastUsed?.LastUsedDate;
    const since = await deactivatedAt(ctx.store, t.accessKeyId);
    if (lastUsed) {
      if (!since) {
        return {
          ok: false,
          reason: `Access key ${t.accessKeyId} was last used ${lastUsed.toISOString()} and aws-ir has no record of when it was deactivated, so it cannot tell whether it was used since. Reactivate and deactivate it through aws-ir, or delete it in the console after checking.`,
        };
      }
      if (lastUsed.getTime() >= since.getTime()) {
        return { ok: false, reason: `Access key ${t.accessKeyId} was used at ${lastUsed.toISOString()}, after it was deactivated at ${since.toISOString()}.` };
      }
    }
    return {
      ok: true,
      before: { status: key.Status, lastUsed: lastUsed?.toISOString() ?? null, deactivatedAt: since?.toISOString() ?? null },
    };
  },
  async execute(ctx) {
    const t = targetAs(ctx, 'access-key');
    const input = { UserName: t.userName, AccessKeyId: t.accessKeyId };
    await ctx.write('IAM:DeleteAccessKey', input, () => ctx.clients.iam().send(new DeleteAccessKeyCommand(input)));
    return {};
  },
  async verify(ctx) {
    const t = targetAs(ctx, 'access-key');
    const key = await findKey(ctx.clients, t.userName, t.accessKeyId);
    return key
      ? { ok: false, after: { status: key.Status }, problem: 'The key still exists after the delete call.' }
      : { ok: true, after: { status: 'deleted' } };
  },
};
