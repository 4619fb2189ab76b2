/**
 * Persistence behind one interface. SQLite implements it by default (store/sqlite-store.ts); a server
 * database can implement it later without touching handlers or the engine.
 */
import type { ActionId, ActionTarget } from '../remediation/action-ids';
import type { RunbookStep, ScanResult } from '../scan/model';

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

export type RequestStatus = 'pending' | 'rejected' | 'expired' | 'executing' | 'succeeded' | 'failed' | 'interrupted';

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
    | 'action.interrupted'
    | 'checklist.opened'
    | 'checklist.done'
    | 'checklist.verified'
    | 'checklist.reopened';
  requestId?: string;
  scanId?: string;
  data: Record<string, unknown>;
}

export type OpenItemStatus = 'open' | 'done' | 'verified';

/**
 * A runbook step only a person can do (root keys, a replacement key, passwords, contacts): the
 * incident checklist. aws-ir never pretends to do it; a person marks it done, or, where a later scan
 * re-reads the state, the scan closes it.
 */
export interface OpenItem {
  id: string;
  channel: string;
  /** What the item is about, unique per channel: the same finding or user never gives two items. */
  key: string;
  step: RunbookStep;
  title: string;
  /** What a person must do, in plain words. */
  guidance: string;
  account?: string;
  /** 'scan': a later scan re-reads the state and closes or reopens the item; 'person': only a person's word. */
  verifiedBy: 'scan' | 'person';
  source: { scanId?: string; findingId?: string; check?: string; requestId?: string };
  status: OpenItemStatus;
  createdAt: string;
  /** When it was last marked done or verified. */
  closedAt?: string;
  /** Slack user who marked it done (a human attestation). */
  closedBy?: string;
  /** How it was closed or why it was reopened, in plain words. */
  note?: string;
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

  /** Adds the item unless the channel already has one with its key; true when it was added. */
  addOpenItem(item: OpenItem): boolean;
  getOpenItem(id: string): OpenItem | undefined;
  listOpenItems(filter: { channel?: string; status?: OpenItemStatus }): OpenItem[];
  /** Compare-and-set like transitionRequest: of concurrent "Mark done" clicks exactly one wins. */
  transitionOpenItem(id: string, from: OpenItemStatus, to: OpenItemStatus, patch?: Partial<OpenItem>): boolean;

  close(): void;
}
