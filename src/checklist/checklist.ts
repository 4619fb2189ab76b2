/**
 * The incident checklist of a channel: steps only a person can do, stored as open items. Items come
 * from scan findings and from executed deactivations; a person marks one done (an attestation, one
 * person suffices since nothing in AWS changes), and a later scan closes or reopens the items whose
 * state it re-reads. Every change is in the audit trail. No Bolt and no AWS here.
 */
import { randomUUID } from 'node:crypto';
import { REFUSALS } from '../errors';
import type { AuditEntry, OpenItem, ScanRecord } from '../store/model';
import type { Store } from '../store/store';
import { NOT_VERIFIED_NOTE, RESCAN_NOTE, type OpenItemSpec } from './item-spec';
import { itemsFromRequests } from './items-from-requests';
import { itemsFromScan } from './items-from-scan';

export interface ChecklistDeps {
  store: Store;
  now: () => Date;
  newId?: () => string;
}

export interface SyncResult {
  opened: OpenItem[];
  verified: OpenItem[];
  reopened: OpenItem[];
}

export type MarkDoneResult = { ok: true; item: OpenItem } | { ok: false; reason: string; item?: OpenItem };

async function audit(
  deps: ChecklistDeps,
  kind: AuditEntry['kind'],
  item: OpenItem,
  user: string | undefined,
  data: Record<string, unknown> = {},
): Promise<void> {
  await deps.store.appendAudit({
    at: deps.now().toISOString(),
    channel: item.channel,
    ...(user ? { user } : {}),
    kind,
    ...(item.source.scanId ? { scanId: item.source.scanId } : {}),
    data: { item: item.id, title: item.title, step: item.step, ...data },
  });
}

async function addItems(deps: ChecklistDeps, channel: string, specs: OpenItemSpec[]): Promise<OpenItem[]> {
  const added: OpenItem[] = [];
  const newId = deps.newId ?? (() => `item_${randomUUID()}`);
  for (const spec of specs) {
    const item: OpenItem = { ...spec, id: newId(), channel, status: 'open', createdAt: deps.now().toISOString() };
    if (!(await deps.store.addOpenItem(item))) continue;
    await audit(deps, 'checklist.opened', item, undefined, { guidance: item.guidance, verifiedBy: item.verifiedBy });
    added.push(item);
  }
  return added;
}

/**
 * After a scan: adds the items its findings call for, closes the re-readable items it no longer
 * shows (only when their check ran without a gap), and reopens closed ones it still shows. Only scans
 * that started after an item was opened or closed count, so an older scan never undoes a newer word.
 */
export async function syncFromScan(deps: ChecklistDeps, scan: ScanRecord): Promise<SyncResult> {
  const result: SyncResult = { opened: [], verified: [], reopened: [] };
  if (scan.status !== 'done' || !scan.result) return result;
  const scanResult = scan.result;
  result.opened = await addItems(deps, scan.channel, itemsFromScan(scan.id, scanResult));
  const shown = new Set(scanResult.findings.map((f) => f.id));
  const started = Date.parse(scan.startedAt);
  for (const item of await deps.store.listOpenItems({ channel: scan.channel })) {
    const { check, findingId } = item.source;
    if (item.verifiedBy !== 'scan' || !check || !findingId || item.account !== scanResult.account) continue;
    if (shown.has(findingId)) {
      if (item.status === 'open' || started <= Date.parse(item.closedAt ?? item.createdAt)) continue;
      const note = `Reopened: the scan of ${scan.startedAt} still shows it (the credential report can be up to 4 hours old).`;
      if (await deps.store.transitionOpenItem(item.id, item.status, 'open', { closedAt: undefined, closedBy: undefined, note })) {
        const reopened = (await deps.store.getOpenItem(item.id))!;
        await audit(deps, 'checklist.reopened', reopened, undefined, { scan: scan.id, note });
        result.reopened.push(reopened);
      }
    } else if (item.status !== 'verified' && started > Date.parse(item.createdAt) && !scanResult.gaps.some((g) => g.check === check)) {
      const note = `Verified by scan: the scan of ${scan.startedAt} no longer shows it.`;
      if (await deps.store.transitionOpenItem(item.id, item.status, 'verified', { closedAt: deps.now().toISOString(), note })) {
        const verified = (await deps.store.getOpenItem(item.id))!;
        await audit(deps, 'checklist.verified', verified, undefined, { scan: scan.id, note });
        result.verified.push(verified);
      }
    }
  }
  return result;
}

/** Adds the R1 replacement-key items of the channel's executed deactivations. */
export async function syncFromRequests(deps: ChecklistDeps, channel: string): Promise<OpenItem[]> {
  return addItems(deps, channel, itemsFromRequests(await deps.store.listRequests({ channel, status: 'succeeded' })));
}

/** Brings the channel's checklist up to date with its latest finished scan and its executed requests. */
export async function syncChecklist(deps: ChecklistDeps, channel: string): Promise<SyncResult> {
  const latest = await deps.store.latestScan(channel);
  const fromScan = latest ? await syncFromScan(deps, latest) : { opened: [], verified: [], reopened: [] };
  return { ...fromScan, opened: [...fromScan.opened, ...(await syncFromRequests(deps, channel))] };
}

/** A person says the step is done. Concurrent clicks: the store's compare-and-set lets one win. */
export async function markDone(deps: ChecklistDeps, itemId: string, userId: string): Promise<MarkDoneResult> {
  const item = await deps.store.getOpenItem(itemId);
  if (!item) return { ok: false, reason: REFUSALS.itemGone };
  const note = item.verifiedBy === 'scan' ? RESCAN_NOTE : NOT_VERIFIED_NOTE;
  const closedAt = deps.now().toISOString();
  if (item.status !== 'open' || !(await deps.store.transitionOpenItem(item.id, 'open', 'done', { closedBy: userId, closedAt, note }))) {
    const current = (await deps.store.getOpenItem(item.id)) ?? item;
    return { ok: false, reason: alreadyClosed(current), item: current };
  }
  const done = (await deps.store.getOpenItem(item.id))!;
  await audit(deps, 'checklist.done', done, userId, { attestation: true, verifiedInAws: false, note });
  return { ok: true, item: done };
}

function alreadyClosed(item: OpenItem): string {
  if (item.status === 'verified') return `This item is already closed: ${item.note ?? 'verified by scan.'}`;
  if (item.status === 'done') return `<@${item.closedBy ?? 'unknown'}> already marked this item done (${item.closedAt ?? 'earlier'}).`;
  return 'This item is open again; run `/aws-ir status` for its current state.';
}
