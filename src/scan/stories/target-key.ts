/** One string per action target, so plans, requests and re-scans can say "the same key" or "the same instance". */
import type { ActionTarget } from '../../remediation/action-ids';

export function targetKey(t: ActionTarget): string {
  switch (t.kind) {
    case 'access-key':
      return `access-key:${t.accessKeyId}`;
    case 'user':
      return `user:${t.userName}`;
    case 'role':
      return `role:${t.roleName}`;
    case 'policy':
      return `policy:${t.policyArn}`;
    case 'instance':
      return `instance:${t.region}:${t.instanceId}`;
  }
}
