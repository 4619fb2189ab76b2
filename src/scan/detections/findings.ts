/**
 * Turns detection hits into findings. Each finding is about the resource the detection names (the user
 * given a key, the bucket made public, the snapshot and the account it went to); several calls on the
 * same resource make one finding. Actions attach to that resource where an action exists for its kind.
 */
import type { ActionId, ActionTarget } from '../../remediation/action-ids';
import type { TrailEvent } from '../cloudtrail-events';
import type { CheckContext } from '../context';
import { makeFinding } from '../context';
import type { Finding, Severity } from '../model';
import { principalKey } from '../routine-activity';
import { mostSevere, SEVERITY_RANK } from '../signals';
import type { DetectionHit } from './evaluate';
import type { ActionableKind, Detection, NamedTarget } from './model';
import { uniqueBy } from './read';

const CHECK = 'cloudtrail' as const;

/** Which remediation kind a named target is, and the action target it maps to, if any. */
function actionTarget(t: NamedTarget, account: string): { kind: ActionableKind; target: ActionTarget } | undefined {
  switch (t.kind) {
    case 'user':
      if (t.exact && !t.resource.includes(`::${account}:user/`)) return undefined;
      return { kind: 'user', target: { kind: 'user', userName: t.name, ...(t.exact ? { arn: t.resource } : {}) } };
    case 'access-key':
      return t.userName && /^AKIA/.test(t.name) ? { kind: 'access-key', target: { kind: 'access-key', userName: t.userName, accessKeyId: t.name } } : undefined;
    case 'role':
      // Another account's role, or a service-linked one, is not ours to act on.
      return t.resource.includes(':role/aws-service-role/') || !t.resource.includes(`::${account}:role/`)
        ? undefined
        : { kind: 'role', target: { kind: 'role', roleName: t.name, ...(t.exact ? { arn: t.resource } : {}) } };
    case 'policy':
      // AWS-managed policies (account "aws") cannot be deleted; only the account's own.
      return t.resource.includes(`::${account}:policy/`) ? { kind: 'policy', target: { kind: 'policy', policyArn: t.resource } } : undefined;
    case 'instance':
      return /^i-[0-9a-f]+$/.test(t.name) && t.region ? { kind: 'instance', target: { kind: 'instance', region: t.region, instanceId: t.name } } : undefined;
    default:
      return undefined;
  }
}

/** The caller's own credentials as an action target: its long-term key, its user, or its role. */
export function actorTarget(e: Pick<TrailEvent, 'principalType' | 'userName' | 'roleName' | 'accessKeyId'>): ActionTarget | undefined {
  if (e.principalType === 'IAMUser' && e.userName && e.accessKeyId?.startsWith('AKIA'))
    return { kind: 'access-key', userName: e.userName, accessKeyId: e.accessKeyId };
  if (e.principalType === 'IAMUser' && e.userName) return { kind: 'user', userName: e.userName };
  if (e.principalType === 'AssumedRole' && e.roleName) return { kind: 'role', roleName: e.roleName };
  return undefined;
}

const ACTIONS_FOR_KIND: Record<ActionTarget['kind'], RegExp> = {
  'access-key': /^key\./,
  user: /^user\./,
  role: /^role\./,
  policy: /^policy\./,
  instance: /^instance\./,
};

/** The response's actions on the first named target (or the actor) they can act on. */
export function responseFor(d: Detection, targets: NamedTarget[], actor: TrailEvent, account: string): { actions: ActionId[]; target?: ActionTarget } {
  const byKind = d.response.actions ?? {};
  for (const t of targets) {
    const at = actionTarget(t, account);
    const actions = at ? byKind[at.kind] : undefined;
    if (at && actions?.length) return { actions, target: at.target };
  }
  const forActor = byKind.actor;
  const at = forActor ? actorTarget(actor) : undefined;
  if (at && forActor) {
    const actions = forActor.filter((a) => ACTIONS_FOR_KIND[at.kind].test(a));
    if (actions.length) return { actions, target: at };
  }
  return { actions: [] };
}

export function describeActor(e: Pick<TrailEvent, 'principal' | 'principalType' | 'userName' | 'roleName' | 'accessKeyId'>): string {
  if (e.principalType === 'Root') return 'the root user';
  if (e.principalType === 'IAMUser' && e.userName) return `IAM user ${e.userName}${e.accessKeyId ? ` (key ${e.accessKeyId})` : ''}`;
  if (e.principalType === 'AssumedRole' && e.roleName) return `role ${e.roleName}`;
  return e.principal;
}

interface TargetGroup {
  detection: Detection;
  subject: NamedTarget;
  hits: DetectionHit[];
}

/** One finding per detection and named resource (per principal for aggregate detections). */
export function detectionFindings(ctx: Pick<CheckContext, 'account'>, hits: DetectionHit[]): Finding[] {
  const groups = new Map<string, TargetGroup>();
  for (const h of hits) {
    const subject: NamedTarget = h.detection.threshold
      ? { kind: 'principal', name: describeActor(h.event), resource: h.event.principal }
      : (h.targets[0] ?? { kind: 'principal', name: describeActor(h.event), resource: h.event.principal });
    const key = `${h.detection.id}|${h.detection.threshold ? principalKey(h.event) : subject.resource}`;
    const g = groups.get(key) ?? { detection: h.detection, subject, hits: [] };
    g.hits.push(h);
    groups.set(key, g);
  }
  return [...groups].map(([key, g]) => findingOf(ctx, key, g));
}

function findingOf(ctx: Pick<CheckContext, 'account'>, key: string, g: TargetGroup): Finding {
  const d = g.detection;
  const hits = [...g.hits].sort((a, b) => a.event.time.getTime() - b.event.time.getTime());
  const first = hits[0] as DetectionHit;
  const last = hits[hits.length - 1] as DetectionHit;
  const severity = hits.reduce<Severity>((s, h) => mostSevere(s, h.severity), 'info');
  const named = uniqueTargets(hits.flatMap((h) => h.targets));
  const others = named.filter((t) => t.resource !== g.subject.resource);
  const actors = [...new Set(hits.map((h) => describeActor(h.event)))];
  const keys = [...new Set(hits.map((h) => h.event.accessKeyId).filter((k): k is string => !!k))];
  const events: Record<string, number> = {};
  for (const h of hits) events[h.event.eventName] = (events[h.event.eventName] ?? 0) + 1;
  const shared = others.filter((t) => t.kind === 'account').map((t) => t.name);
  const subjectText = d.threshold ? `${actors.join(', ')}` : `${g.subject.name}${shared.length ? ` → ${shared.join(', ')}` : ''}`;
  const by = d.threshold || g.subject.kind === 'principal' ? '' : ` (by ${actors.slice(0, 2).join(', ')}${actors.length > 2 ? ', …' : ''})`;
  const regions = [...new Set(hits.map((h) => h.event.region))];
  const { actions, target } = responseFor(d, [g.subject, ...others], first.event, ctx.account);
  return {
    ...makeFinding(ctx, CHECK, `detection:${key}`, {
      severity,
      step: d.step,
      title: `${d.title}: ${subjectText}${by}`,
      resources: [...new Set([g.subject.resource, ...others.map((t) => t.resource)])],
      evidence: {
        why: d.why,
        technique: `${d.technique.id} ${d.technique.name}`,
        events,
        count: hits.length,
        actors,
        ...(keys.length === 1 ? { accessKeyId: keys[0] } : keys.length ? { accessKeyIds: keys } : {}),
        sourceIps: [...new Set(hits.map((h) => h.event.sourceIp).filter(Boolean))],
        regions,
        ...(named.length ? { targets: named.map((t) => `${t.kind} ${t.name}`) } : {}),
        ...severityReasons(hits),
        first: first.event.time.toISOString(),
        last: last.event.time.toISOString(),
        response: d.response.guidance,
      },
      actions,
      ...(target ? { target } : {}),
      // Guidance becomes an open item of the incident checklist: only for what a person must do (no button) and matters.
      ...(!actions.length && SEVERITY_RANK[severity] <= SEVERITY_RANK.medium ? { guidance: d.response.guidance } : {}),
    }),
    detection: d.id,
    technique: d.technique.id,
  };
}

function severityReasons(hits: DetectionHit[]): { why_severity?: string[] } {
  const reasons = [...new Set(hits.flatMap((h) => h.reasons))];
  return reasons.length ? { why_severity: reasons } : {};
}

function uniqueTargets(list: NamedTarget[]): NamedTarget[] {
  return uniqueBy(list, (t) => t.resource);
}
