/**
 * A scan, from whichever surface asked for it: claim the channel in the store (one running scan per
 * channel, decided by the database), announce it, record it in the audit, run the engine, store the
 * result, bring the incident checklist up to date and publish the results. A scan whose process is
 * gone never blocks the channel: it is taken over as interrupted and the new scan starts at once.
 */
import { clientsFor } from '../aws/clients';
import { syncFromScan, type SyncResult } from '../checklist/checklist';
import { userMessage } from '../errors';
import { SCAN_DEADLINE_SECONDS } from '../limits';
import type { ScanOptions, ScanResult } from '../scan/model';
import type { ScanRecord } from '../store/model';
import type { NewScan, ScanEnd } from '../store/store';
import { nowIso, type CoreDeps } from './core-deps';
import { keepLease, leaseUntil } from './process-owner';
import type { ScanPublisher, ScanStart } from './ports';
import { recoverScans } from './recover-interrupted';
import { compareWithPrevious, type ScanComparison } from './scan-progress';

export interface StartScanInput {
  channel: string;
  requestedBy: string;
  days: number;
  regions?: string[];
}

export type StartScanOutcome =
  /** Another scan holds the channel. */
  | { kind: 'busy'; running?: ScanRecord }
  /** The publisher could not announce the scan (e.g. aws-ir is not in the channel); nothing ran. */
  | { kind: 'not-started'; reason: string }
  | { kind: 'failed'; scan: ScanRecord; reason: string }
  | { kind: 'done'; scan: ScanRecord; result: ScanResult; checklist?: SyncResult };

/**
 * The new scan when this caller got the channel; otherwise the scan holding it (if it is still there).
 * An organization sweep claims the channel the same way, with what it covers (`sweep`).
 */
export async function claimChannel(
  deps: CoreDeps,
  input: Pick<StartScanInput, 'channel' | 'requestedBy'>,
  sweep?: ScanRecord['sweep'],
): Promise<{ claimed: NewScan } | { busy?: ScanRecord }> {
  const { store, clock, owner } = deps.services;
  let holder: ScanRecord | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const scan: NewScan = {
      id: deps.newId('scan'),
      channel: input.channel,
      requestedBy: input.requestedBy,
      startedAt: nowIso(deps),
      status: 'running',
      owner,
      leaseUntil: leaseUntil(clock),
      ...(sweep ? { sweep } : {}),
    };
    if (await store.claimScan(scan)) return { claimed: scan };
    // The holder may be gone: then it is interrupted (and announced) and the channel is free.
    if ((await recoverScans(deps, input.channel)).length > 0) continue;
    holder = (await store.listScans({ channel: input.channel, status: 'running' }))[0];
    // No holder any more: it finished between the claim and the read; claim again.
    if (holder) break;
  }
  return holder ? { busy: holder } : {};
}

/**
 * While a claimed scan or sweep runs: its lease renewed (onLost when another process took it over), and
 * `end` recording how it ended, by its owner only, then reading the record back.
 */
export function holdClaim(
  deps: CoreDeps,
  scanId: string,
  onLost: () => void,
): { end: (status: 'done' | 'failed', extra: Pick<ScanEnd, 'result' | 'reason'>) => Promise<ScanRecord>; stopLease: () => void } {
  const { store, clock, owner } = deps.services;
  const stopLease = keepLease(clock, (until) => store.renewScanLease(scanId, owner.id, until), onLost);
  const end = async (status: 'done' | 'failed', extra: Pick<ScanEnd, 'result' | 'reason'>) => {
    await store.finishScan(scanId, owner.id, { status, finishedAt: nowIso(deps), ...extra });
    return (await store.getScan(scanId))!;
  };
  return { end, stopLease };
}

export async function startScan(deps: CoreDeps, input: StartScanInput, publisher: ScanPublisher): Promise<StartScanOutcome> {
  const { services } = deps;
  const { store, clock, logger } = services;
  const claim = await claimChannel(deps, input);
  if (!('claimed' in claim)) return claim.busy ? { kind: 'busy', running: claim.busy } : { kind: 'busy' };
  const { claimed } = claim;
  const scanId = claimed.id;
  const account = services.scanTarget.key;
  const log = logger.child({ channel: input.channel, user: input.requestedBy, account, scanId });
  const { end, stopLease } = holdClaim(deps, scanId, () => log.warn('lost the claim on a running scan; it was taken over as interrupted'));
  try {
    const start: ScanStart = {
      scanId,
      channel: input.channel,
      requestedBy: input.requestedBy,
      account,
      days: input.days,
      ...(input.regions ? { regions: input.regions } : {}),
    };
    let threadTs: string | undefined;
    try {
      threadTs = await publisher.opened(start);
    } catch (err) {
      log.warn({ err }, 'could not announce the scan');
      const reason = userMessage(err);
      await end('failed', { reason: `The scan could not be announced: ${reason}` });
      return { kind: 'not-started', reason };
    }
    if (threadTs) await store.setScanThread(scanId, threadTs);
    const startedAt = claimed.startedAt;
    await store.appendAudit({
      at: startedAt,
      channel: input.channel,
      user: input.requestedBy,
      kind: 'scan.started',
      scanId,
      data: { account, days: input.days, regions: input.regions ?? 'all enabled' },
    });
    log.info({ days: input.days, regions: input.regions }, 'scan started');

    let result: ScanResult;
    try {
      const options: ScanOptions = {
        days: input.days,
        now: new Date(startedAt),
        deadline: { ms: (services.config.scanDeadlineSeconds ?? SCAN_DEADLINE_SECONDS.default) * 1000 },
        ...(input.regions ? { regions: input.regions } : {}),
      };
      result = await services.runScan({ clients: clientsFor(services.scanTarget), options, onProgress: (event) => publisher.progress(event) });
    } catch (err) {
      log.error({ err }, 'scan failed');
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

    // Stored before anything is rendered: the buttons of the results refer to this record.
    const done = await end('done', { result });
    await store.appendAudit({
      at: nowIso(deps),
      channel: input.channel,
      user: input.requestedBy,
      kind: 'scan.finished',
      scanId,
      data: { status: 'done', findings: result.findings.length, gaps: result.gaps.length, durationMs: result.stats.durationMs },
    });
    log.info({ findings: result.findings.length, gaps: result.gaps.length, durationMs: result.stats.durationMs }, 'scan finished');
    // Guided findings become checklist items; a failure here must not cost the team the findings.
    let checklist: SyncResult | undefined;
    try {
      checklist = await syncFromScan({ store, now: () => clock.now() }, done);
    } catch (err) {
      log.error({ err }, 'could not update the incident checklist');
    }
    let progress: ScanComparison | undefined;
    try {
      progress = await compareWithPrevious(deps, done);
    } catch (err) {
      log.error({ err }, 'could not compare the scan with the previous one');
    }
    await publisher.finished({ scan: done, result, ...(checklist ? { checklist } : {}), ...(progress ? { progress } : {}) });
    return { kind: 'done', scan: done, result, ...(checklist ? { checklist } : {}) };
  } finally {
    stopLease();
  }
}
