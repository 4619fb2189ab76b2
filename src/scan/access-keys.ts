/**
 * The credential report names a user's keys only as "key 1" and "key 2"; actions need the key id.
 * Only for keys someone will act on (never for every user; see resolve-key-ids.ts), ListAccessKeys maps a
 * slot to its id by the key's creation time, which the report calls "last rotated". Creation time alone
 * is never trusted to pick between two keys: when both keys were created in the same second, each key's
 * last use (GetAccessKeyLastUsed) is compared with the slot's, and when that still does not tell them
 * apart the key stays unnamed (the finding keeps its user-level action and says why).
 */
import { GetAccessKeyLastUsedCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import type { CheckContext } from './context';
import { step } from './errors';

interface KeyMeta {
  id: string;
  created?: Date;
  status?: string;
}

/** Within this, a ListAccessKeys CreateDate and the report's "last rotated" (whole seconds) are the same instant. */
const SAME_INSTANT_MS = 2000;

function userKeys(ctx: Pick<CheckContext, 'clients' | 'memo'>, userName: string): Promise<KeyMeta[]> {
  return ctx.memo(`access-keys:${userName}`, async () => {
    const out = await step('iam:ListAccessKeys', () => ctx.clients.iam().send(new ListAccessKeysCommand({ UserName: userName })));
    return (out.AccessKeyMetadata ?? [])
      .filter((k) => !!k.AccessKeyId)
      .map((k) => ({ id: k.AccessKeyId as string, created: k.CreateDate, status: k.Status }))
      .sort((a, b) => (a.created?.getTime() ?? 0) - (b.created?.getTime() ?? 0));
  });
}

/** Which of a user's keys the report means: its slot, its creation ("last rotated") time and what the report says of its last use. */
export interface KeySlot {
  slot: 1 | 2;
  created?: Date;
  active?: boolean;
  lastUsed?: Date;
  lastUsedService?: string;
  lastUsedRegion?: string;
}

export type KeyResolution = { id: string } | { ambiguous: string[] } | { unknown: true };

/** The id of a report key slot, or why it cannot be told (two candidates that look alike, or none). */
export async function resolveAccessKey(ctx: Pick<CheckContext, 'clients' | 'memo'>, userName: string, key: KeySlot): Promise<KeyResolution> {
  const keys = await userKeys(ctx, userName);
  const rotated = key.created;
  let candidates = rotated ? keys.filter((k) => k.created && Math.abs(k.created.getTime() - rotated.getTime()) < SAME_INSTANT_MS) : keys;
  if (!candidates.length) candidates = keys;
  if (key.active !== undefined && candidates.length > 1) {
    const byStatus = candidates.filter((k) => (k.status === 'Active') === key.active);
    if (byStatus.length) candidates = byStatus;
  }
  if (candidates.length === 1) return { id: (candidates[0] as KeyMeta).id };
  if (!candidates.length) return { unknown: true };
  // Same creation second and same status: only each key's last use can tell them apart.
  const uses = await Promise.all(
    candidates.map(async (k) => {
      const out = await step('iam:GetAccessKeyLastUsed', () => ctx.clients.iam().send(new GetAccessKeyLastUsedCommand({ AccessKeyId: k.id })));
      return { id: k.id, used: out.AccessKeyLastUsed?.LastUsedDate, service: out.AccessKeyLastUsed?.ServiceName, region: out.AccessKeyLastUsed?.Region };
    }),
  );
  const matching = uses.filter(
    (u) =>
      sameUse(u.used, key.lastUsed) &&
      (!key.lastUsedService || !u.service || u.service === key.lastUsedService) &&
      (!key.lastUsedRegion || !u.region || u.region === key.lastUsedRegion),
  );
  return matching.length === 1 ? { id: (matching[0] as { id: string }).id } : { ambiguous: candidates.map((k) => k.id) };
}

/** The report rounds to the second (and says N/A for never); LastUsedDate may carry more. */
function sameUse(a: Date | undefined, b: Date | undefined): boolean {
  if (!a || !b) return !a && !b;
  return Math.abs(a.getTime() - b.getTime()) < SAME_INSTANT_MS;
}

/** The id of a report key slot, or undefined when it cannot be told apart (see resolveAccessKey for why). */
export async function accessKeyIdFor(ctx: Pick<CheckContext, 'clients' | 'memo'>, userName: string, key: KeySlot): Promise<string | undefined> {
  const r = await resolveAccessKey(ctx, userName, key);
  return 'id' in r ? r.id : undefined;
}
