/**
 * Ids of the response actions and the shape of what they act on. Shared by the scan engine
 * (which suggests actions on findings), the blocks (buttons) and the remediation catalog.
 */
export const ACTION_IDS = [
  'key.deactivate',
  'key.reactivate',
  'key.delete',
  'user.deactivate-keys',
  'user.quarantine',
  'user.unquarantine',
  'user.disable-password',
  'user.delete',
  'role.revoke-sessions',
  'role.delete',
  'policy.delete',
  'instance.isolate',
  'instance.unisolate',
  'instance.snapshot',
  'instance.terminate',
] as const;
export type ActionId = (typeof ACTION_IDS)[number];

export function isActionId(value: string): value is ActionId {
  return (ACTION_IDS as readonly string[]).includes(value);
}

export type ActionTarget =
  | { kind: 'access-key'; userName: string; accessKeyId: string }
  | { kind: 'user'; userName: string; arn?: string }
  | { kind: 'role'; roleName: string; arn?: string }
  | { kind: 'policy'; policyArn: string }
  | { kind: 'instance'; region: string; instanceId: string };

/** A short human label for a target, e.g. for request messages and audit lines. */
export function describeTarget(t: ActionTarget): string {
  switch (t.kind) {
    case 'access-key':
      return `access key ${t.accessKeyId} of user ${t.userName}`;
    case 'user':
      return `IAM user ${t.userName}`;
    case 'role':
      return `IAM role ${t.roleName}`;
    case 'policy':
      return `policy ${t.policyArn}`;
    case 'instance':
      return `EC2 instance ${t.instanceId} (${t.region})`;
  }
}
