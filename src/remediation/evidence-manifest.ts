/**
 * Runbook R6/R7: the evidence manifest. Every snapshot aws-ir took and every configuration it saved
 * before a deletion, with who asked, who approved, when, the AWS request ids, and how to restore from
 * it. Built from the audit trail and the requests alone (no AWS call), so the CLI export works offline;
 * the snapshots' current state can be added by evidence-state.ts.
 */
import type { ActionRequest, AuditEntry } from '../store/model';
import type { Store } from '../store/store';
import { describeTarget } from './action-ids';
import { NO_AUTOMATIC_RESTORE, RESTORE_GUIDANCE, snapshotRestoreGuidance, type SavedKind } from './restore-guidance';

export interface SnapshotEvidence {
  snapshotId: string;
  volumeId: string;
  device: string;
  instanceId: string;
  region: string;
  account: string;
  /** The aws-ir request that took it. */
  requestId: string;
  /** AWS's id of the CreateSnapshot call, for CloudTrail and AWS support. */
  awsRequestId?: string;
  requestedBy?: string;
  approvedBy?: string;
  takenAt: string;
  restore: string;
  /** Filled by evidence-state.ts when the current state was read: pending, completed, error, not found… */
  currentState?: string;
}

export interface SavedConfiguration {
  kind: SavedKind;
  /** e.g. "IAM user svc-backup". */
  resource: string;
  what: string;
  account?: string;
  requestId?: string;
  action?: string;
  requestedBy?: string;
  approvedBy?: string;
  savedAt: string;
  /** Status of the deletion it was saved for: succeeded, failed, interrupted… */
  deletion?: string;
  restore: string;
  configuration: Record<string, unknown>;
}

export interface EvidenceManifest {
  channel: string | null;
  generatedAt: string;
  note: string;
  snapshots: SnapshotEvidence[];
  configurations: SavedConfiguration[];
}

const KIND_OF_ACTION: Readonly<Record<string, SavedKind>> = {
  'user.delete': 'user',
  'role.delete': 'role',
  'policy.delete': 'policy',
  'instance.terminate': 'instance',
};

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

interface RecordedSnapshot {
  volumeId?: unknown;
  device?: unknown;
  snapshotId?: unknown;
}

/** AWS request ids of the successful CreateSnapshot calls of one request, by volume. */
function createSnapshotIds(calls: AuditEntry[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of calls) {
    const volume = str((c.data.input as Record<string, unknown> | undefined)?.VolumeId);
    if (c.data.operation === 'EC2:CreateSnapshot' && !c.data.errorCode && volume && str(c.data.requestId)) out.set(volume, str(c.data.requestId)!);
  }
  return out;
}

function snapshotsOf(entry: AuditEntry, request: ActionRequest | undefined, calls: AuditEntry[]): SnapshotEvidence[] {
  const d = entry.data;
  const region = str(d.region) ?? '?';
  const awsIds = createSnapshotIds(calls);
  const recorded = Array.isArray(d.snapshots) ? (d.snapshots as RecordedSnapshot[]) : [];
  return recorded
    .filter((s) => str(s.snapshotId))
    .map((s) => {
      const snapshotId = str(s.snapshotId)!;
      const volumeId = str(s.volumeId) ?? '?';
      const out: SnapshotEvidence = {
        snapshotId,
        volumeId,
        device: str(s.device) ?? '?',
        instanceId: str(d.instanceId) ?? '?',
        region,
        account: str(d.account) ?? request?.account ?? '?',
        requestId: entry.requestId ?? '?',
        takenAt: entry.at,
        restore: snapshotRestoreGuidance(snapshotId, region),
      };
      if (awsIds.has(volumeId)) out.awsRequestId = awsIds.get(volumeId);
      if (request?.requestedBy) out.requestedBy = request.requestedBy;
      if (request?.decidedBy) out.approvedBy = request.decidedBy;
      return out;
    });
}

function configurationOf(entry: AuditEntry, request: ActionRequest | undefined): SavedConfiguration {
  const { what, ...configuration } = entry.data;
  const kind: SavedKind = (request && KIND_OF_ACTION[request.action]) ?? 'other';
  const out: SavedConfiguration = {
    kind,
    resource: request ? describeTarget(request.target) : (str(what) ?? 'configuration'),
    what: str(what) ?? 'configuration',
    savedAt: entry.at,
    restore: RESTORE_GUIDANCE[kind],
    configuration,
  };
  if (request) {
    out.account = request.account;
    out.requestId = request.id;
    out.action = request.action;
    out.requestedBy = request.requestedBy;
    if (request.decidedBy) out.approvedBy = request.decidedBy;
    out.deletion = request.status;
  }
  return out;
}

export async function evidenceManifest(store: Store, channel: string | undefined, now: Date): Promise<EvidenceManifest> {
  const entries = await store.listAudit(channel ? { channel } : {});
  const requests = new Map((await store.listRequests(channel ? { channel } : {})).map((r) => [r.id, r]));
  const manifest: EvidenceManifest = {
    channel: channel ?? null,
    generatedAt: now.toISOString(),
    note: NO_AUTOMATIC_RESTORE,
    snapshots: [],
    configurations: [],
  };
  for (const e of entries) {
    if (e.kind !== 'action.snapshot') continue;
    const request = e.requestId ? requests.get(e.requestId) : undefined;
    // The snapshot action records its manifest with the list of snapshots; deletions record a configuration.
    if (Array.isArray(e.data.snapshots) && (!request || request.action === 'instance.snapshot')) {
      const calls = entries.filter((c) => c.kind === 'aws.call' && c.requestId === e.requestId);
      manifest.snapshots.push(...snapshotsOf(e, request, calls));
    } else {
      manifest.configurations.push(configurationOf(e, request));
    }
  }
  return manifest;
}
