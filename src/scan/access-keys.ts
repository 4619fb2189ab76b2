/**
 * The credential report names a user's keys only as "key 1" and "key 2"; actions need the key id.
 * Only for keys someone will act on (never for every user; see resolve-key-ids.ts), ListAccessKeys maps a
 * slot to its id by the key's creation time, which the report calls "last rotated".
 */
import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import type { CheckContext } from './context';
import { step } from './errors';

interface KeyMeta {
  id: string;
  created?: Date;
  status?: string;
}

function userKeys(ctx: Pick<CheckContext, 'clients' | 'memo'>, userName: string): Promise<KeyMeta[]> {
  return ctx.memo(`access-keys:${userName}`, async () => {
    const out = await step('iam:ListAccessKeys', () => ctx.clients.iam().send(new ListAccessKeysCommand({ UserName: userName })));
    return (out.AccessKeyMetadata ?? [])
      .filter((k) => !!k.AccessKeyId)
      .map((k) => ({ id: k.AccessKeyId as string, created: k.CreateDate, status: k.Status }))
      .sort((a, b) => (a.created?.getTime() ?? 0) - (b.created?.getTime() ?? 0));
  });
}

/** Which of a user's keys the report means: its slot and its creation ("last rotated") time. */
export interface KeySlot {
  slot: 1 | 2;
  created?: Date;
}

/** The id of a report key slot, or undefined when it cannot be told apart. */
export async function accessKeyIdFor(ctx: Pick<CheckContext, 'clients' | 'memo'>, userName: string, key: KeySlot): Promise<string | undefined> {
  const keys = await userKeys(ctx, userName);
  const rotated = key.created;
  if (rotated) {
    const match = keys.find((k) => k.created && Math.abs(k.created.getTime() - rotated.getTime()) < 2000);
    if (match) return match.id;
  }
  if (keys.length === 1) return keys[0]?.id;
  // AWS lists the older key in slot 1.
  return keys[key.slot - 1]?.id;
}
