/**
 * Runbook R1 after aws-ir deactivated a key: the key's owner creates the replacement key, switches
 * the application to it and checks it works. aws-ir never creates keys or shows secrets, so this is a
 * person's step, one per user whose keys were deactivated.
 */
import type { ActionRequest } from '../store/model';
import type { OpenItemSpec } from './item-spec';

export function replacementKeyGuidance(userName: string, keys: string): string {
  return (
    `aws-ir deactivated ${keys}. The owner of IAM user ${userName} creates a new access key (IAM console, or \`aws iam create-access-key --user-name ${userName}\`), ` +
    'switches the application to it and checks that it works. If the application broke, request Undo on the deactivation while switching. ' +
    'Once all is well, delete the old key with aws-ir (Delete key). aws-ir never creates keys and never shows or posts a secret.'
  );
}

export function itemsFromRequests(requests: readonly ActionRequest[]): OpenItemSpec[] {
  const out: OpenItemSpec[] = [];
  for (const r of requests) {
    if (r.status !== 'succeeded' || r.dryRun) continue;
    let userName: string | undefined;
    let keys: string | undefined;
    if (r.action === 'key.deactivate' && r.target.kind === 'access-key') {
      userName = r.target.userName;
      keys = `access key ${r.target.accessKeyId}`;
    } else if (r.action === 'user.deactivate-keys' && r.target.kind === 'user') {
      userName = r.target.userName;
      keys = `the access keys of IAM user ${r.target.userName}`;
    }
    if (!userName || !keys) continue;
    out.push({
      key: `replacement-key:${r.account}:${userName}`,
      account: r.account,
      step: 'R1',
      title: `The owner of IAM user ${userName} creates a replacement access key`,
      guidance: replacementKeyGuidance(userName, keys),
      verifiedBy: 'person',
      source: { requestId: r.id, ...(r.scanId ? { scanId: r.scanId } : {}), ...(r.findingId ? { findingId: r.findingId } : {}) },
    });
  }
  return out;
}
