/**
 * An organization sweep (`scan --org`), from whichever surface asked: list the organization's
 * accounts from aws-ir's own account, narrow them (--accounts, --ou), find an earlier run of the same
 * sweep to resume (org/resume.ts), claim the channel like a scan, then scan every account with the
 * same engine (org/sweep.ts), saving each account as it finishes, and store and publish the
 * organization's result. One account failing never stops the sweep: it becomes that account's gap.
 */
import type { AwsClients } from '../aws/clients';
import { clientsFor } from '../aws/clients';
import { syncFromScan, type SyncResult } from '../checklist/checklist';
import { orgSettings } from '../config';
import { ERROR_CODES, userMessage } from '../errors';
import { listOrganizationAccounts, narrowAccounts, type Narrowing, type OrgAccount } from '../org/accounts';
import { aggregateSweep } from '../org/aggregate';
import type { OrgSweepResult } from '../org/model';
import { resumable, sweepFingerprint } from '../org/resume';
import { homeAccount, runSweep } from '../org/sweep';
import type { ScanOptions } from '../scan/model';
import type { ScanRecord, SweepAccountRecord, SweepInfo } from '../store/model';
import { nowIso, type CoreDeps } from './core-deps';
import type { SweepPublisher, SweepStart } from './ports';
import { claimChannel, holdClaim } from './start-scan';

export interface StartSweepInput extends Narrowing {
  channel: string;
  requestedBy: string;
  days: number;
  regions?: string[];
  /** Start over even when an earlier run of the same sweep could be resumed. */
  fresh?: boolean;
}

export type StartSweepOutcome =
  | { kind: 'busy'; running?: ScanRecord }
  /** Nothing ran: the organization could not be listed, nothing matched, or the sweep could not be announced. */
  | { kind: 'not-started'; reason: string }
  | { kind: 'failed'; scan: ScanRecord; reason: string }
  | { kind: 'done'; scan: ScanRecord; result: OrgSweepResult; checklist?: SyncResult };

/** The organization could not be listed from aws-ir's account. */
export class OrgListingError extends Error {
  readonly code = ERROR_CODES.orgListing;
  constructor(message: string) {
    super(message);
    this.name = 'OrgListingError';
  }
}

interface Plan {
  home: string;
  accounts: OrgAccount[];
  /** Every account id of the organization, narrowed or not. */
  organization: string[];
  unknown: string[];
  sweep: SweepInfo;
  reuse: Map<string, SweepAccountRecord>;
}

async function plan(deps: CoreDeps, input: StartSweepInput, clients: AwsClients): Promise<Plan> {
  const { store, clock, config } = deps.services;
  const org = orgSettings(config);
  let home: string;
  let all: OrgAccount[];
  try {
    home = await homeAccount(clients);
    all = await listOrganizationAccounts(clients);
  } catch (err) {
    throw new OrgListingError(
      `aws-ir could not list the organization's accounts (${userMessage(err)}). Run the sweep with the management account's or a delegated administrator's identity, allowed organizations:ListRoots, ListOrganizationalUnitsForParent and ListAccountsForParent.`,
    );
  }
  const narrowing: Narrowing = { ...(input.accounts ? { accounts: input.accounts } : {}), ...(input.ou ? { ou: input.ou } : {}) };
  const { selected, unknown } = narrowAccounts(all, narrowing);
  const fingerprint = sweepFingerprint({
    accounts: selected,
    days: input.days,
    ...(input.regions ? { regions: input.regions } : {}),
    narrowing,
    memberRoleName: org.memberRoleName,
    ...(org.externalId ? { externalId: org.externalId } : {}),
  });
  const now = clock.now();
  const earlier = input.fresh ? undefined : resumable(await store.listScans({ channel: input.channel }), fingerprint, now, org.resumeMinutes);
  const reuse = new Map<string, SweepAccountRecord>();
  if (earlier)
    for (const r of await store.listSweepAccounts(earlier.id))
      if (r.status === 'scanned') reuse.set(r.account, { ...r, reusedFrom: r.reusedFrom ?? earlier.id });
  const sweep: SweepInfo = {
    fingerprint,
    windowEnd: earlier?.sweep.windowEnd ?? now.toISOString(),
    days: input.days,
    ...(input.regions ? { regions: input.regions } : {}),
    ...narrowing,
    ...(earlier ? { resumedFrom: earlier.id } : {}),
  };
  return { home, accounts: selected, organization: all.map((a) => a.id), unknown, sweep, reuse };
}

export async function startSweep(deps: CoreDeps, input: StartSweepInput, publisher: SweepPublisher): Promise<StartSweepOutcome> {
  const { services } = deps;
  const { store, clock, logger } = services;
  const org = orgSettings(services.config);
  const clients = clientsFor(services.scanTarget);
  let p: Plan;
  try {
    p = await plan(deps, input, clients);
  } catch (err) {
    logger.warn({ err }, 'could not plan the organization sweep');
    return { kind: 'not-started', reason: userMessage(err) };
  }
  if (!p.accounts.length) {
    const asked = input.ou ? `in ${input.ou}` : input.accounts ? `among ${input.accounts.join(', ')}` : 'in the organization';
    return { kind: 'not-started', reason: `No account ${asked} to scan.` };
  }

  const claim = await claimChannel(deps, input, p.sweep);
  if (!('claimed' in claim)) return claim.busy ? { kind: 'busy', running: claim.busy } : { kind: 'busy' };
  const scanId = claim.claimed.id;
  const log = logger.child({ channel: input.channel, user: input.requestedBy, account: p.home, scanId, sweep: true });
  const { end, stopLease } = holdClaim(deps, scanId, () => log.warn('lost the claim on a running sweep; it was taken over as interrupted'));
  try {
    const start: SweepStart = {
      scanId,
      channel: input.channel,
      requestedBy: input.requestedBy,
      account: p.home,
      days: input.days,
      ...(input.regions ? { regions: input.regions } : {}),
      accounts: p.accounts.length,
      reused: p.accounts.filter((a) => p.reuse.has(a.id)).length,
      ...(input.ou ? { ou: input.ou } : {}),
    };
    try {
      const threadTs = await publisher.opened(start);
      if (threadTs) await store.setScanThread(scanId, threadTs);
    } catch (err) {
      log.warn({ err }, 'could not announce the sweep');
      const reason = userMessage(err);
      await end('failed', { reason: `The sweep could not be announced: ${reason}` });
      return { kind: 'not-started', reason };
    }
    const sweepData = { organization: true, accounts: p.accounts.length, reused: start.reused, resumedFrom: p.sweep.resumedFrom ?? null, ou: input.ou ?? null };
    await store.appendAudit({
      at: claim.claimed.startedAt,
      channel: input.channel,
      user: input.requestedBy,
      kind: 'scan.started',
      scanId,
      data: { account: p.home, days: input.days, regions: input.regions ?? 'all enabled', ...sweepData },
    });
    log.info({ accounts: p.accounts.length, reused: start.reused, concurrency: org.concurrency }, 'organization sweep started');

    const startedMs = clock.now().getTime();
    const options: ScanOptions = {
      days: input.days,
      now: new Date(p.sweep.windowEnd),
      organizationAccounts: p.organization,
      ...(input.regions ? { regions: input.regions } : {}),
    };
    let done = 0;
    let records: SweepAccountRecord[];
    try {
      records = await runSweep({
        home: { clients, account: p.home },
        accounts: p.accounts,
        role: { roleName: org.memberRoleName, sessionName: 'aws-ir-scan', ...(org.externalId ? { externalId: org.externalId } : {}) },
        runScan: services.runScan,
        options,
        concurrency: org.concurrency,
        reuse: p.reuse,
        saved: async (record) => {
          await store.saveSweepAccount(scanId, record, nowIso(deps));
          done++;
          try {
            publisher.accountDone(record, done, p.accounts.length);
          } catch {
            // Progress is display only.
          }
        },
      });
    } catch (err) {
      // Only the store can fail here (every account's own failure is its gap): the sweep cannot be kept.
      log.error({ err }, 'organization sweep failed');
      const reason = userMessage(err);
      const failed = await end('failed', { reason });
      await store.appendAudit({
        at: nowIso(deps),
        channel: input.channel,
        user: input.requestedBy,
        kind: 'scan.finished',
        scanId,
        data: { status: 'failed', reason },
      });
      await publisher.failed(reason);
      return { kind: 'failed', scan: failed, reason };
    }
    const result = aggregateSweep({
      records,
      window: { start: new Date(Date.parse(p.sweep.windowEnd) - input.days * 86_400_000).toISOString(), end: p.sweep.windowEnd },
      durationMs: clock.now().getTime() - startedMs,
      summary: { home: p.home, concurrency: org.concurrency, unknownAccounts: p.unknown, ...(p.sweep.resumedFrom ? { resumedFrom: p.sweep.resumedFrom } : {}) },
    });
    const stored = await end('done', { result });
    await store.appendAudit({
      at: nowIso(deps),
      channel: input.channel,
      user: input.requestedBy,
      kind: 'scan.finished',
      scanId,
      data: {
        status: 'done',
        findings: result.findings.length,
        gaps: result.gaps.length,
        durationMs: result.stats.durationMs,
        accounts: {
          listed: result.organization.listed,
          scanned: result.organization.scanned,
          gaps: result.organization.gaps,
          reused: result.organization.reused,
        },
      },
    });
    log.info({ ...result.organization, findings: result.findings.length, durationMs: result.stats.durationMs }, 'organization sweep finished');
    let checklist: SyncResult | undefined;
    try {
      checklist = await syncSweepChecklist(deps, stored, result);
    } catch (err) {
      log.error({ err }, 'could not update the incident checklist');
    }
    await publisher.finished({ scan: stored, result, ...(checklist ? { checklist } : {}) });
    return { kind: 'done', scan: stored, result, ...(checklist ? { checklist } : {}) };
  } finally {
    stopLease();
  }
}

/** Each scanned account brings its own checklist items up to date, as a scan of that account would. */
async function syncSweepChecklist(deps: CoreDeps, scan: ScanRecord, result: OrgSweepResult): Promise<SyncResult> {
  const { store, clock } = deps.services;
  const total: SyncResult = { opened: [], verified: [], reopened: [] };
  for (const r of result.accounts) {
    if (r.status !== 'scanned' || !r.result) continue;
    const one = await syncFromScan({ store, now: () => clock.now() }, { ...scan, result: r.result });
    total.opened.push(...one.opened);
    total.verified.push(...one.verified);
    total.reopened.push(...one.reopened);
  }
  return total;
}
