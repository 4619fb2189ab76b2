/**
 * Persistence behind one interface. SQLite implements it by default (store/sqlite-store.ts); a server
 * database can implement it later without touching handlers or the engine.
 */
import type { ActionId, ActionTarget } from '../remediation/action-ids';
import type { ScanResult } from '../scan/model';

export interface ScanRecord {
  id: string;
  channel: string;
  /** ts of the scan's first message: the thread every later message goes to. */
  threadTs: string;
  requestedBy: string;
  startedAt: string;
  status: 'running' | 'done' | 'failed';
  result?: ScanResult;
}

export type RequestStatus =
  | 'pending'
  | 'rejected'
  | 'expired'
  | 'executing'
  | 'succeeded'
  | 'failed'
  | 'interrupted';

export interface ActionRequest {
  id: string;
  scanId?: string;
  findingId?: string;
  action: ActionId;
  target: ActionTarget;
  account: string;
  channel: string;
  threadTs: string;
  /** ts of the request message in the thread, once posted. */
  messageTs?: string;
  requestedBy: string;
  reason?: string;
  createdAt: string;
  expiresAt: string;
  status: RequestStatus;
  decidedBy?: string;
  decidedAt?: string;
  /** For undo requests: the request being undone. */
  undoOf?: string;
  /** Execution outcome (before/after state, request ids, error) once run. */
  outcome?: Record<string, unknown>;
  dryRun: boolean;
}

export interface AuditEntry {
  seq?: number;
  at: string;
  channel?: string;
  /** Slack user the entry is attributable to, when any. */
  user?: string;
  kind:
    | 'scan.started'
    | 'scan.finished'
    | 'request.created'
    | 'request.approved'
    | 'request.rejected'
    | 'request.refused'
    | 'request.expired'
    | 'action.started'
    | 'action.snapshot'
    | 'aws.call'
    | 'action.succeeded'
    | 'action.failed'
    | 'action.interrupted';
  requestId?: string;
  scanId?: string;
  data: Record<string, unknown>;
}

export interface Store {
  saveScan(scan: ScanRecord): void;
  getScan(id: string): ScanRecord | undefined;
  latestScan(channel: string): ScanRecord | undefined;

  createRequest(req: ActionRequest): void;
  getRequest(id: string): ActionRequest | undefined;
  updateRequest(id: string, patch: Partial<ActionRequest>): void;
  /**
   * Atomically moves a request from one status to another; returns false if it was not in `from`.
   * This compare-and-set is what makes "approve" execute at most once under concurrent clicks.
   */
  transitionRequest(id: string, from: RequestStatus, to: RequestStatus, patch?: Partial<ActionRequest>): boolean;
  listRequests(filter: { status?: RequestStatus; channel?: string }): ActionRequest[];

  appendAudit(entry: AuditEntry): number;
  listAudit(filter: { channel?: string; requestId?: string; scanId?: string }): AuditEntry[];

  close(): void;
}
