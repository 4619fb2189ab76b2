/**
 * A password or access key used in the window is evidence, not by itself a sign of compromise: the
 * credential-report check lists such use as low. It becomes part of the incident when other checks
 * implicate the same credential or its user; this raises it to the severity of what implicates it
 * (at most high: the implicating finding carries the critical) and says why in `implicatedBy`.
 */
import type { Finding, Severity } from './model';
import { mostSevere, SEVERITY_RANK } from './signals';

/** Detections about a user's console access: a suspicious sign-in, or its password or MFA changed by someone. */
const CONSOLE_DETECTIONS = new Set([
  'console-login-suspicious',
  'iam-login-profile-created',
  'iam-login-profile-changed-for-another-user',
  'iam-mfa-deactivated',
  'iam-mfa-device-registered-for-another-user',
]);

/** The user whose console password a CloudTrail finding implicates, if any. */
function consoleUser(f: Finding): string | undefined {
  const user = f.target?.kind === 'user' || f.target?.kind === 'access-key' ? f.target.userName : undefined;
  if (f.detection) return CONSOLE_DETECTIONS.has(f.detection) ? user : undefined;
  // An actor summary: only when the actor's own sign-ins were among what made it suspicious.
  const events = f.evidence.events;
  return events && typeof events === 'object' && 'ConsoleLogin' in events ? user : undefined;
}

/** Credential use is raised at most to this; the finding that implicates it says the rest. */
const CEILING: Severity = 'high';

interface Implication {
  severity: Severity;
  why: string[];
}

/**
 * Implicated: a key (by its id, or by its slot once resolve-key-ids.ts has found its id) by a CloudTrail finding of at least medium made with it, or by the quarantine of
 * its user; a console password only by a CloudTrail finding of at least medium about the user's console
 * access (a suspicious sign-in, its password or MFA changed by someone): a leaked key, and AWS's
 * quarantine for it, do not make the user's own MFA sign-ins suspect.
 */
export function correlateCredentialUse(findings: Finding[]): void {
  const implicated = new Map<string, Implication>();
  const note = (subject: string, f: Finding): void => {
    const was = implicated.get(subject);
    implicated.set(subject, { severity: mostSevere(was?.severity ?? 'info', f.severity), why: [...(was?.why ?? []), f.title] });
  };
  for (const f of findings) {
    if (f.check === 'cloudtrail' && SEVERITY_RANK[f.severity] <= SEVERITY_RANK.medium) {
      if (typeof f.evidence.accessKeyId === 'string') note(`key:${f.evidence.accessKeyId}`, f);
      // A leaked key says nothing about its user's password: only console findings implicate the password.
      const user = consoleUser(f);
      if (user) note(`password:${user}`, f);
    }
    // AWS quarantines a user for a leaked key: its keys, not its (MFA) console sign-ins.
    if (f.check === 'quarantine' && f.target?.kind === 'user') note(`keys-of:${f.target.userName}`, f);
  }
  for (const f of findings) {
    if (f.check !== 'credential-report') continue;
    let subjects: string[] = [];
    if (f.target?.kind === 'access-key') subjects = [`key:${f.target.accessKeyId}`, `keys-of:${f.target.userName}`];
    else if (f.target?.kind === 'user' && f.evidence.credential === 'password') subjects = [`password:${f.target.userName}`];
    else if (f.target?.kind === 'user' && typeof f.evidence.slot === 'number') {
      // A key named by its report slot: its id is known only when CloudTrail implicated one of its user's keys.
      const id = f.evidence.accessKeyId;
      subjects = [`keys-of:${f.target.userName}`, ...(typeof id === 'string' ? [`key:${id}`] : [])];
    }
    const found = subjects.map((s) => implicated.get(s)).filter((i): i is Implication => !!i);
    if (!found.length) continue;
    const severity = found.map((i) => i.severity).reduce(mostSevere);
    const raised = SEVERITY_RANK[severity] < SEVERITY_RANK[CEILING] ? CEILING : severity;
    f.severity = mostSevere(f.severity, raised);
    f.evidence = { ...f.evidence, implicatedBy: found.flatMap((i) => i.why) };
  }
}
