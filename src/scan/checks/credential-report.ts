/**
 * Runbook D1: who used a password or access key in the window, and the standing risks the report
 * shows (root keys, keys idle for 90+ days, console users without MFA, users created in the window).
 */
import { resolveAccessKey, type KeySlot } from '../access-keys';
import type { Check, CheckContext } from '../context';
import { inWindow, isoOrUndefined, makeFinding } from '../context';
import { credentialReport, dateOf, ROOT_USER, type CredentialReportRow, type ReportKey } from '../credential-report';
import { gapFrom } from '../errors';
import type { Finding, Gap } from '../model';

const CHECK = 'credential-report' as const;
const IDLE_DAYS = 90;
const DAY_MS = 86_400_000;
export const MAX_IDLE_KEY_LOOKUPS = 25;
const USER_CONCURRENCY = 8;

export const ROOT_KEY_GUIDANCE =
  'Root access keys cannot be removed by an IAM principal. Sign in as the root user, open "Security credentials" ' +
  '(top-right account menu), and under "Access keys" deactivate, then delete, every root key that no application needs.';

export const credentialReportCheck: Check = async (ctx) => {
  const findings: Finding[] = [];
  const gaps: Gap[] = [];
  const report = await credentialReport(ctx);
  const idleLookups = { count: 0 };
  ctx.detail(`credential report: ${report.rows.length} principals`);
  if (!report.rows.some((r) => r.isRoot)) {
    gaps.push({
      check: CHECK,
      reason: `the credential report has no row for the root user (${ROOT_USER}), so root access keys, root MFA and root use in the window were not checked.`,
    });
  }
  // A few users at a time: flagged users cost one ListAccessKeys each, and IAM throttles bursts.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < report.rows.length) {
      const row = report.rows[next++] as CredentialReportRow;
      try {
        if (row.isRoot) findings.push(...rootFindings(ctx, row));
        else findings.push(...(await userFindings(ctx, row, idleLookups)));
      } catch (err) {
        const g = gapFrom(CHECK, err);
        g.reason = `IAM user ${row.user}: ${g.reason}`;
        gaps.push(g);
      }
    }
  };
  await Promise.all(Array.from({ length: USER_CONCURRENCY }, worker));
  return { findings, gaps };
};

/**
 * A key used (or created) in the window, named by `label`: its slot ("1") until its id is known. The
 * last use comes from the report, so naming it costs no request.
 */
function keyUseTitle(user: string, label: string, evidence: Record<string, unknown>, createdOnly: boolean): string {
  if (createdOnly) return `Access key ${label} of ${user} was created in the incident window`;
  const service = typeof evidence.lastUsedService === 'string' ? evidence.lastUsedService : undefined;
  const region = typeof evidence.lastUsedRegion === 'string' ? evidence.lastUsedRegion : 'unknown region';
  const when = typeof evidence.lastUsed === 'string' && !Number.isNaN(Date.parse(evidence.lastUsed)) ? evidence.lastUsed.slice(0, 10) : undefined;
  const last = [service ? `${service} in ${region}` : undefined, when ? `on ${when}` : undefined].filter(Boolean).join(' ');
  return `Access key ${label} of ${user} was used in the incident window${last ? ` (last: ${last})` : ''}`;
}

/** The key-use finding's slot, when its key id is not known yet (see resolve-key-ids.ts). */
export function unresolvedKeySlot(f: Finding): (KeySlot & { userName: string }) | undefined {
  if (f.check !== CHECK || f.target?.kind !== 'user' || !f.actions.includes('user.deactivate-keys')) return undefined;
  const slot = f.evidence.slot;
  if (slot !== 1 && slot !== 2) return undefined;
  const date = (v: unknown): Date | undefined => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v) : undefined);
  const out: KeySlot & { userName: string } = { userName: f.target.userName, slot };
  const created = date(f.evidence.created);
  const lastUsed = date(f.evidence.lastUsed);
  if (created) out.created = created;
  if (lastUsed) out.lastUsed = lastUsed;
  if (typeof f.evidence.active === 'boolean') out.active = f.evidence.active;
  if (typeof f.evidence.lastUsedService === 'string') out.lastUsedService = f.evidence.lastUsedService;
  if (typeof f.evidence.lastUsedRegion === 'string') out.lastUsedRegion = f.evidence.lastUsedRegion;
  return out;
}

/** Says on the finding why its key is named by slot only: two keys AWS cannot tell apart from the report. */
export function noteAmbiguousKey(f: Finding, candidates: string[]): void {
  f.evidence = {
    ...f.evidence,
    keyIdUnknown: `key ${String(f.evidence.slot)} is one of ${candidates.join(' and ')}: both were created in the same second and their last use does not tell them apart, so aws-ir offers the user-level action instead of guessing a key.`,
  };
}

/**
 * Names a key-use finding by its key id and offers the per-key actions; its id (user ARN + slot) is
 * unchanged, so a finding raised after correlation keeps the id it had while it was low.
 */
export function nameKey(f: Finding, keyId: string): void {
  const user = f.target?.kind === 'user' ? f.target.userName : String(f.evidence.user);
  const active = f.evidence.active !== false;
  f.evidence = { ...f.evidence, accessKeyId: keyId };
  f.title = f.title.replace(`Access key ${String(f.evidence.slot)} of`, `Access key ${keyId} of`);
  f.resources = [...f.resources.filter((r) => r !== keyId), keyId];
  f.actions = active ? ['key.deactivate', 'key.delete'] : ['key.delete'];
  f.target = { kind: 'access-key', userName: user, accessKeyId: keyId };
}

function keyEvidence(k: ReportKey): Record<string, unknown> {
  return {
    slot: k.slot,
    active: k.active,
    created: isoOrUndefined(dateOf(k.lastRotated)),
    lastUsed: dateOf(k.lastUsed)?.toISOString() ?? k.lastUsed.kind,
    lastUsedRegion: k.lastUsedRegion,
    lastUsedService: k.lastUsedService,
  };
}

function rootFindings(ctx: CheckContext, row: CredentialReportRow): Finding[] {
  const out: Finding[] = [];
  const activeKeys = row.keys.filter((k) => k.active);
  if (activeKeys.length) {
    out.push(
      makeFinding(ctx, CHECK, `${row.arn}#root-keys`, {
        severity: 'high',
        step: 'R1',
        title: `The root user has ${activeKeys.length} active access key${activeKeys.length > 1 ? 's' : ''}`,
        resources: [row.arn],
        evidence: { keys: activeKeys.map(keyEvidence) },
        guidance: ROOT_KEY_GUIDANCE,
      }),
    );
  }
  const uses: Record<string, unknown>[] = [];
  const pw = dateOf(row.passwordLastUsed);
  if (inWindow(ctx, pw)) uses.push({ credential: 'password', lastUsed: pw?.toISOString() });
  for (const k of row.keys) {
    if (inWindow(ctx, dateOf(k.lastUsed))) uses.push({ credential: `access key ${k.slot}`, ...keyEvidence(k) });
  }
  if (uses.length) {
    out.push(
      makeFinding(ctx, CHECK, `${row.arn}#root-used`, {
        severity: 'critical',
        step: 'D1',
        title: 'The root user was used in the incident window',
        resources: [row.arn],
        evidence: { uses, mfaActive: row.mfaActive },
        guidance:
          'Confirm with the account owner that this root sign-in or key use was theirs; if not, reset the root password, enable MFA and delete root keys.',
      }),
    );
  }
  if (!row.mfaActive) {
    out.push(
      makeFinding(ctx, CHECK, `${row.arn}#root-no-mfa`, {
        severity: 'high',
        step: 'D1',
        title: 'The root user has no MFA device',
        resources: [row.arn],
        evidence: { mfaActive: false },
        guidance: 'Sign in as the root user and assign an MFA device under "Security credentials".',
      }),
    );
  }
  return out;
}

async function userFindings(ctx: CheckContext, row: CredentialReportRow, idleLookups: { count: number }): Promise<Finding[]> {
  const out: Finding[] = [];
  const userTarget = { kind: 'user' as const, userName: row.user, arn: row.arn };
  const created = dateOf(row.created);
  if (inWindow(ctx, created)) {
    out.push(
      makeFinding(ctx, CHECK, `${row.arn}#created`, {
        severity: 'high',
        step: 'D1',
        title: `IAM user ${row.user} was created in the incident window`,
        resources: [row.arn],
        evidence: {
          created: created?.toISOString(),
          passwordEnabled: row.passwordEnabled,
          mfaActive: row.mfaActive,
          activeKeys: row.keys.filter((k) => k.active).map(keyEvidence),
        },
        actions: ['user.deactivate-keys', 'user.quarantine', 'user.disable-password', 'user.delete'],
        target: userTarget,
      }),
    );
  }
  const userCreatedInWindow = inWindow(ctx, created);
  for (const k of row.keys) {
    const used = dateOf(k.lastUsed);
    const keyCreated = dateOf(k.lastRotated);
    const usedInWindow = inWindow(ctx, used);
    const createdInWindow = k.active && inWindow(ctx, keyCreated);
    const idle = k.active && !usedInWindow && ctx.now.getTime() - (used ?? keyCreated ?? ctx.now).getTime() >= IDLE_DAYS * DAY_MS;
    if (!usedInWindow && !createdInWindow && !idle) continue;
    // Ids cost one ListAccessKeys per user, so they are looked up here only for keys or users created in
    // the window. Routine use is resolved after correlation, and only if other checks implicate it; idle
    // keys, a standing risk rather than the incident, for a bounded number of users.
    const resolveId = createdInWindow || userCreatedInWindow || (!usedInWindow && idleLookups.count++ < MAX_IDLE_KEY_LOOKUPS);
    const slot: KeySlot = { slot: k.slot, active: k.active };
    if (keyCreated) slot.created = keyCreated;
    if (used) slot.lastUsed = used;
    if (k.lastUsedService) slot.lastUsedService = k.lastUsedService;
    if (k.lastUsedRegion) slot.lastUsedRegion = k.lastUsedRegion;
    const resolved = resolveId ? await resolveAccessKey(ctx, row.user, slot) : undefined;
    const keyId = resolved && 'id' in resolved ? resolved.id : undefined;
    // Ids come from the user and the slot, never the key id, so a finding keeps its id once its key is known.
    const resource = `${row.arn}#key${k.slot}`;
    const evidence = { user: row.user, accessKeyId: keyId, ...keyEvidence(k) };
    if (usedInWindow || createdInWindow) {
      const f = makeFinding(ctx, CHECK, `${resource}#used`, {
        // Routine use is an inventory line; the engine raises it when other checks implicate the key.
        severity: createdInWindow && !userCreatedInWindow ? 'high' : usedInWindow ? 'low' : 'medium',
        step: 'R1',
        title: keyUseTitle(row.user, `${k.slot}`, evidence, createdInWindow && !usedInWindow),
        resources: [row.arn],
        evidence,
        actions: ['user.deactivate-keys'],
        target: userTarget,
      });
      if (keyId) nameKey(f, keyId);
      else if (resolved && 'ambiguous' in resolved) noteAmbiguousKey(f, resolved.ambiguous);
      out.push(f);
    } else {
      const keyLabel = keyId ?? `${k.slot}`;
      out.push(
        makeFinding(ctx, CHECK, `${resource}#idle`, {
          severity: 'low',
          step: 'D1',
          title: `Access key ${keyLabel} of ${row.user} is active but unused for ${IDLE_DAYS}+ days`,
          resources: [row.arn, ...(keyId ? [keyId] : [])],
          evidence,
          actions: keyId ? ['key.deactivate'] : [],
          target: keyId ? { kind: 'access-key', userName: row.user, accessKeyId: keyId } : undefined,
        }),
      );
    }
  }
  const pwUsed = dateOf(row.passwordLastUsed);
  if (row.passwordEnabled === true && inWindow(ctx, pwUsed)) {
    out.push(
      makeFinding(ctx, CHECK, `${row.arn}#console-login`, {
        // People sign in every day: evidence, raised by the engine when other checks implicate the user.
        severity: 'low',
        step: 'D1',
        title: `IAM user ${row.user} signed in to the console in the incident window`,
        resources: [row.arn],
        evidence: { credential: 'password', passwordLastUsed: pwUsed?.toISOString(), mfaActive: row.mfaActive },
        actions: ['user.disable-password'],
        target: userTarget,
      }),
    );
  }
  const pwChanged = dateOf(row.passwordLastChanged);
  if (row.passwordEnabled === true && inWindow(ctx, pwChanged) && !inWindow(ctx, created)) {
    out.push(
      makeFinding(ctx, CHECK, `${row.arn}#password-changed`, {
        severity: 'medium',
        step: 'D1',
        title: `The console password of ${row.user} was changed in the incident window`,
        resources: [row.arn],
        evidence: { passwordLastChanged: pwChanged?.toISOString() },
        actions: ['user.disable-password'],
        target: userTarget,
      }),
    );
  }
  if (row.passwordEnabled === true && !row.mfaActive) {
    out.push(
      makeFinding(ctx, CHECK, `${row.arn}#no-mfa`, {
        severity: 'medium',
        step: 'D1',
        title: `Console user ${row.user} has no MFA device`,
        resources: [row.arn],
        evidence: { passwordLastUsed: dateOf(row.passwordLastUsed)?.toISOString() ?? row.passwordLastUsed.kind },
        actions: ['user.disable-password'],
        target: userTarget,
      }),
    );
  }
  return out;
}
