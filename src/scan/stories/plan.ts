/**
 * A story's do-first plan, in the runbook's order: cut the entry credential, then the persistence it
 * created (keys, passwords, users, roles), then stop the damage (instances, what it shared or switched
 * off), then clean up with evidence first (snapshot before terminate, deactivate before delete). Each
 * step an action can do names the finding that offers it, so its button makes the same two-person
 * request as the finding's own button.
 */
import type { ActionId, ActionTarget } from '../../remediation/action-ids';
import type { Finding } from '../model';
import { SEVERITY_RANK } from '../signals';
import type { PlanStep, Story } from './model';
import { targetKey } from './target-key';

const GUIDED_MAX = 4;

export function planFor(story: Pick<Story, 'entry' | 'footprint' | 'credentials'>, findings: readonly Finding[]): PlanStep[] {
  const steps: PlanStep[] = [];
  const seen = new Set<string>();
  const add = (phase: PlanStep['phase'], action: ActionId, label: string, fits: (t: ActionTarget) => boolean, after?: ActionId): void => {
    const f = findings.find((x) => x.target && x.actions.includes(action) && fits(x.target));
    if (!f?.target) return;
    const key = `${action}|${targetKey(f.target)}`;
    if (seen.has(key)) return;
    seen.add(key);
    steps.push({ phase, label, action, target: f.target, findingId: f.id, ...(after ? { after: { action: after, targetKey: targetKey(f.target) } } : {}) });
  };
  const keyIs = (id: string) => (t: ActionTarget) => t.kind === 'access-key' && t.accessKeyId === id;
  const userIs = (name: string) => (t: ActionTarget) => t.kind === 'user' && t.userName === name;
  const roleIs = (name: string) => (t: ActionTarget) => t.kind === 'role' && t.roleName === name;
  const instanceIs = (id: string) => (t: ActionTarget) => t.kind === 'instance' && t.instanceId === id;
  const { entry, footprint } = story;

  // 1. Cut the way in.
  if (entry.kind === 'access-key' && entry.userName)
    add('cut', 'key.deactivate', `Deactivate the leaked access key ${entry.id} of ${entry.userName}`, keyIs(entry.id));
  if (entry.kind === 'password' && entry.userName)
    add('cut', 'user.disable-password', `Disable the console password of ${entry.userName}`, userIs(entry.userName));
  if (entry.kind === 'role-session' && entry.roleName)
    add('cut', 'role.revoke-sessions', `Revoke every session of role ${entry.roleName}`, roleIs(entry.roleName));
  if (entry.kind === 'root' || (entry.kind === 'access-key' && !entry.userName)) {
    steps.push({
      phase: 'cut',
      label: 'Secure the root user',
      guidance:
        "Only the root user's owner can: reset the root password, turn on MFA, delete every root access key and check the account's e-mail and contacts.",
    });
  }
  // 2. What it left behind to come back with.
  for (const key of footprint.keys) if (key !== entry.id) add('persistence', 'key.deactivate', `Deactivate access key ${key} it created`, keyIs(key));
  for (const user of footprint.loginProfiles) add('persistence', 'user.disable-password', `Disable the console password it set on ${user}`, userIs(user));
  for (const user of footprint.users) add('persistence', 'user.quarantine', `Quarantine user ${user} it created`, userIs(user));
  for (const role of footprint.roles) add('persistence', 'role.revoke-sessions', `Revoke the sessions of role ${role} it created or re-trusted`, roleIs(role));
  for (const role of footprint.rolesAssumed) add('persistence', 'role.revoke-sessions', `Revoke the sessions of role ${role} it assumed`, roleIs(role));
  for (const f of findings)
    if (f.target?.kind === 'policy' && f.actions.includes('policy.delete'))
      add('persistence', 'policy.delete', `Delete policy ${f.target.policyArn}`, (t) => t === f.target);
  // 3. Stop the damage.
  for (const i of footprint.instances) add('damage', 'instance.isolate', `Isolate instance ${i.id} (${i.region})`, instanceIs(i.id));
  const guided = findings
    .filter((f) => f.guidance && !f.actions.length && SEVERITY_RANK[f.severity] <= SEVERITY_RANK.high)
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  const guidedSeen = new Set<string>();
  for (const f of guided) {
    if (guidedSeen.size >= GUIDED_MAX || guidedSeen.has(f.guidance as string)) continue;
    guidedSeen.add(f.guidance as string);
    steps.push({ phase: 'damage', label: f.title, guidance: f.guidance as string, findingId: f.id });
  }
  // 4. Clean up, evidence first.
  for (const i of footprint.instances) add('cleanup', 'instance.snapshot', `Snapshot the volumes of ${i.id} (evidence)`, instanceIs(i.id));
  for (const i of footprint.instances)
    add('cleanup', 'instance.terminate', `Terminate ${i.id} once its snapshot is complete`, instanceIs(i.id), 'instance.snapshot');
  for (const key of [...(entry.kind === 'access-key' ? [entry.id] : []), ...footprint.keys])
    add('cleanup', 'key.delete', `Delete access key ${key} once it is inactive`, keyIs(key), 'key.deactivate');
  for (const user of footprint.users)
    add('cleanup', 'user.delete', `Delete user ${user} (its policies, keys and password go with it)`, userIs(user), 'user.quarantine');
  for (const role of footprint.roles) add('cleanup', 'role.delete', `Delete role ${role}`, roleIs(role), 'role.revoke-sessions');
  return steps;
}
