/**
 * What the account's state shows (an instance launched, a function changed, a key created, a password
 * changed in the window) says nothing of who did it; CloudTrail does. This pass lets the CloudTrail
 * judgement decide the severity of those state findings: an instance of an Auto Scaling group that ran
 * before the window, a deploy the catalog judged routine, a key its owner uses only from its usual
 * address, a password whose owner signs in with MFA from the usual address. Where CloudTrail could not
 * be read completely, the state findings keep their severity (the safe side).
 */
import type { TrailEvent } from './cloudtrail-events';
import type { CheckContext } from './context';
import type { Finding, Severity } from './model';
import type { ActivityHistory, KeyUse } from './routine-activity';
import { mostSevere, SEVERITY_RANK } from './signals';
import { trailWindow } from './trail-window';

const LAUNCH_DETECTIONS = new Set(['ec2-instances-launched']);
const FUNCTION_DETECTIONS = new Set(['lambda-function-created', 'lambda-code-updated', 'lambda-layer-added', 'lambda-permission-outside', 'lambda-public-url']);
/** Sign-in and console-access detections that would have named a password taken over. */
const PASSWORD_DETECTIONS = new Set(['iam-login-profile-created', 'iam-login-profile-changed-for-another-user', 'console-login-suspicious']);

function lower(f: Finding, to: Severity, why: string): void {
  if (SEVERITY_RANK[to] <= SEVERITY_RANK[f.severity]) return;
  f.evidence = { ...f.evidence, severityFromCloudTrail: why };
  f.severity = to;
}

const detectionsNaming = (findings: Finding[], ids: Set<string>, match: (resource: string) => boolean): Finding[] =>
  findings.filter((f) => f.detection && ids.has(f.detection) && f.resources.some(match));

export async function reconcileWithTrail(ctx: CheckContext, findings: Finding[]): Promise<void> {
  const trail = await trailWindow(ctx);
  const own = ctx.caller?.arn;
  const theirs = trail.events.filter((e) => !e.awsOrigin && e.principal !== own);
  for (const f of findings) {
    if (f.check === 'resources') reconcileResource(f, findings, trail.complete);
    if (f.check === 'credential-report')
      reconcileCredential(ctx, f, findings, { events: theirs, history: trail.history, keyUses: trail.keyUses }, trail.complete.has('us-east-1'));
  }
}

function reconcileResource(f: Finding, findings: Finding[], complete: Set<string>): void {
  const region = typeof f.evidence.region === 'string' ? f.evidence.region : '';
  if (f.target?.kind === 'instance') {
    const id = f.target.instanceId;
    const judged = detectionsNaming(findings, LAUNCH_DETECTIONS, (r) => r.endsWith(`/${id}`));
    if (judged.length) {
      const severity = judged.map((j) => j.severity).reduce(mostSevere);
      if (SEVERITY_RANK[severity] > SEVERITY_RANK[f.severity]) lower(f, severity, `CloudTrail judged the launch ${severity}: ${judged[0]?.title}`);
      return;
    }
    const group = f.evidence.autoScalingGroup;
    if (typeof group === 'string' && f.evidence.groupRanBefore === true) {
      lower(f, 'low', `launched by Auto Scaling group ${group}, which ran instances before the window`);
    }
    return;
  }
  if (typeof f.evidence.lastModified === 'string' && f.resources[0]?.includes(':function:')) {
    const name = f.resources[0].split(':function:')[1]?.split(':')[0] ?? '';
    const judged = detectionsNaming(findings, FUNCTION_DETECTIONS, (r) => r.includes(`:${region}:`) && r.endsWith(`:function:${name}`));
    if (judged.length) {
      const severity = judged.map((j) => j.severity).reduce(mostSevere);
      if (SEVERITY_RANK[severity] > SEVERITY_RANK[f.severity]) lower(f, severity, `CloudTrail judged the change ${severity}: ${judged[0]?.title}`);
    } else if (complete.has(region) && f.evidence.unusedRegion !== true) {
      lower(f, 'low', 'no principal created or changed it in the window according to CloudTrail (a change AWS made, or one outside the event history)');
    }
  }
}

interface TrailFacts {
  /** The kept events (sign-ins among them), principals' own only. */
  events: TrailEvent[];
  history: ActivityHistory;
  /** How an access key was used, over every event read (not only the kept ones). */
  keyUses(accessKeyId: string): KeyUse[];
}

function reconcileCredential(ctx: CheckContext, f: Finding, findings: Finding[], trail: TrailFacts, complete: boolean): void {
  const { events, history } = trail;
  const t = f.target;
  if (!complete || !t || (t.kind !== 'access-key' && t.kind !== 'user')) return;
  const implicated = Array.isArray(f.evidence.implicatedBy) && f.evidence.implicatedBy.length > 0;
  if (implicated) return;
  const user = t.userName;
  // A user created in the window by a person at their desk (MFA, usual address), as CloudTrail judged it.
  if (t.kind === 'user' && f.title.endsWith('was created in the incident window')) {
    const judged = detectionsNaming(findings, new Set(['iam-user-created']), (r) => r.endsWith(`:user/${user}`) || r.endsWith(`/${user}`));
    if (judged.length) {
      const severity = judged.map((j) => j.severity).reduce(mostSevere);
      lower(f, severity, `CloudTrail judged its creation ${severity}: ${judged[0]?.title}`);
    }
    return;
  }
  // A key created in the window whose every use CloudTrail shows is its owner's, from an address usual for it.
  if (t.kind === 'access-key' && typeof f.evidence.created === 'string' && new Date(f.evidence.created) >= ctx.window.start) {
    const keyId = t.accessKeyId;
    const named = findings.some((x) => x.check === 'cloudtrail' && x.resources.includes(keyId) && SEVERITY_RANK[x.severity] <= SEVERITY_RANK.medium);
    const uses = trail.keyUses(keyId);
    if (!named && uses.length && uses.every((e) => e.userName === user && history.isUsualAddress(e))) {
      lower(f, 'low', `every call CloudTrail shows with ${keyId} is ${user}'s own, from addresses usual for ${user}`);
    }
    return;
  }
  // A password changed in the window whose owner keeps signing in with MFA from the usual address.
  if (t.kind === 'user' && typeof f.evidence.passwordLastChanged === 'string') {
    const takenOver = findings.some((x) => x.detection && PASSWORD_DETECTIONS.has(x.detection) && x.target?.kind === 'user' && x.target.userName === user);
    const signIns = events.filter((e) => e.eventName === 'ConsoleLogin' && e.userName === user && e.time >= new Date(f.evidence.passwordLastChanged as string));
    if (!takenOver && signIns.length && signIns.every((e) => e.signIn?.mfaUsed === true && !e.signIn.failed && history.isUsualAddress(e))) {
      lower(f, 'low', `${user} has signed in since only with MFA, from addresses usual for them`);
    }
  }
}
