/**
 * Runbook D1: who used a password or access key in the window, and the standing risks the report
 * shows (root keys, keys idle for 90+ days, console users without MFA, users created in the window).
 */
import { accessKeyIdFor } from '../access-keys';
import type { Check, CheckContext } from '../context';
import { inWindow, isoOrUndefined, makeFinding } from '../context';
import { credentialReport, dateOf, type CredentialReportRow, type ReportKey } from '../credential-report';
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
        guidance: 'Confirm with the account owner that this root sign-in or key use was theirs; if not, reset the root password, enable MFA and delete root keys.',
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
  for (const k of row.keys) {
    const used = dateOf(k.lastUsed);
    const keyCreated = dateOf(k.lastRotated);
    const usedInWindow = inWindow(ctx, used);
    const createdInWindow = k.active && inWindow(ctx, keyCreated);
    const idle =
      k.active &&
      !usedInWindow &&
      ctx.now.getTime() - (used ?? keyCreated ?? ctx.now).getTime() >= IDLE_DAYS * DAY_MS;
    if (!usedInWindow && !createdInWindow && !idle) continue;
    // Idle keys are a standing risk, not the incident: their ids (one ListAccessKeys per user) are
    // resolved for a bounded number of users so a large account does not cost thousands of calls.
    const resolveId = usedInWindow || createdInWindow || idleLookups.count++ < MAX_IDLE_KEY_LOOKUPS;
    const keyId = resolveId ? await accessKeyIdFor(ctx, row.user, k) : undefined;
    const resource = keyId ?? `${row.arn}#key${k.slot}`;
    const target = keyId ? { kind: 'access-key' as const, userName: row.user, accessKeyId: keyId } : undefined;
    const evidence = { user: row.user, accessKeyId: keyId, ...keyEvidence(k) };
    const keyLabel = keyId ?? `key ${k.slot}`;
    if (usedInWindow || createdInWindow) {
      const what = usedInWindow
        ? `was used in the incident window${k.lastUsedService ? ` (last: ${k.lastUsedService} in ${k.lastUsedRegion ?? 'unknown region'})` : ''}`
        : 'was created in the incident window';
      out.push(
        makeFinding(ctx, CHECK, `${resource}#used`, {
          // Routine use is an inventory line; the engine raises it when other checks implicate the key.
          severity: createdInWindow && !inWindow(ctx, created) ? 'high' : usedInWindow ? 'low' : 'medium',
          step: 'R1',
          title: `Access key ${keyLabel} of ${row.user} ${what}`,
          resources: [row.arn, ...(keyId ? [keyId] : [])],
          evidence,
          actions: target ? (k.active ? ['key.deactivate', 'key.delete'] : ['key.delete']) : [],
          target,
        }),
      );
    } else {
      out.push(
        makeFinding(ctx, CHECK, `${resource}#idle`, {
          severity: 'low',
          step: 'D1',
          title: `Access key ${keyLabel} of ${row.user} is active but unused for ${IDLE_DAYS}+ days`,
          resources: [row.arn, ...(keyId ? [keyId] : [])],
          evidence,
          actions: target ? ['key.deactivate'] : [],
          target,
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
