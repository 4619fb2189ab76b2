/**
 * The persistence contract. Every method is asynchronous, so a server database (PostgreSQL, shared by
 * several replicas) implements it as well as the embedded SQLite default. Nothing that must hold
 * across processes rests on memory: the writes that decide something ("one scan per channel", "this
 * approval runs", "this item is closed once") are conditional single statements whose boolean result
 * says whether this caller won.
 */
import type {
  ActionRequest,
  Approval,
  AuditEntry,
  OpenItem,
  OpenItemStatus,
  ProcessOwner,
  RequestStatus,
  ScanRecord,
  ScanStatus,
  SweepAccountRecord,
} from './model';

/** The records are defined in model.ts; re-exported for the modules that import them with the contract. */
export type { ActionRequest, Approval, AuditEntry, OpenItem, OpenItemStatus, RequestStatus, ScanRecord, ScanStatus, SweepAccountRecord } from './model';

/** A scan as it is claimed: running, with its owner and lease. */
export type NewScan = ScanRecord & { status: 'running'; owner: NonNullable<ScanRecord['owner']>; leaseUntil: string };

/** The end of a scan, written by its owner. */
export interface ScanEnd {
  status: 'done' | 'failed';
  finishedAt: string;
  result?: ScanRecord['result'];
  reason?: string;
}

/**
 * When claimed work may be taken from its owner: its lease ran out before `now`, or the caller has
 * established that the owner's process is gone (`ownerGone`).
 */
export interface Takeover {
  ownerId: string;
  ownerGone: boolean;
  now: string;
}

/** A named lease: work that one process at a time may do (the sweep), held until `leaseUntil` unless renewed. */
export interface Lease {
  name: string;
  owner: ProcessOwner;
  leaseUntil: string;
}

export interface Store {
  /**
   * Starts a scan if no other scan is running in its channel: true when this caller got the channel.
   * Decided by the database (one running scan per channel), so it holds across processes.
   */
  claimScan(scan: NewScan): Promise<boolean>;
  /** Records the thread the scan's messages go to. */
  setScanThread(id: string, threadTs: string): Promise<void>;
  /** Extends the owner's claim; false when the scan is no longer this owner's running scan. */
  renewScanLease(id: string, ownerId: string, leaseUntil: string): Promise<boolean>;
  /** The owner records the end of its scan (also after a takeover: the result is real); false when it is not the owner. */
  finishScan(id: string, ownerId: string, end: ScanEnd): Promise<boolean>;
  /** running -> interrupted when `takeover` allows it; true for the one caller that made the change. */
  interruptScan(id: string, takeover: Takeover, reason: string): Promise<boolean>;
  getScan(id: string): Promise<ScanRecord | undefined>;
  /** The channel's most recently started scan, whatever its status. */
  latestScan(channel: string): Promise<ScanRecord | undefined>;
  listScans(filter: { status?: ScanStatus; channel?: string }): Promise<ScanRecord[]>;

  /** Saves (or replaces) one account of an organization sweep as soon as it is done. */
  saveSweepAccount(scanId: string, record: SweepAccountRecord, savedAt: string): Promise<void>;
  /** The accounts a sweep saved so far, in the order they were first saved. */
  listSweepAccounts(scanId: string): Promise<SweepAccountRecord[]>;

  /**
   * Stores a new request; false when a request with the same idempotency key exists (a replayed
   * submission), or when it undoes a request that already has a live undo (pending, executing or
   * succeeded). Nothing is written then.
   */
  createRequest(req: ActionRequest): Promise<boolean>;
  getRequest(id: string): Promise<ActionRequest | undefined>;
  findRequestByKey(idempotencyKey: string): Promise<ActionRequest | undefined>;
  /** Replaces display fields (message ts, outcome); never the status, which only transitions change. */
  updateRequest(id: string, patch: Partial<Omit<ActionRequest, 'status'>>): Promise<void>;
  /**
   * Atomically moves a request from one status to another; false if it was not in `from`. This
   * compare-and-set is what makes "approve" execute at most once under concurrent clicks.
   */
  transitionRequest(id: string, from: RequestStatus, to: RequestStatus, patch?: Partial<ActionRequest>): Promise<boolean>;
  /** Ends an execution: executing -> `to` only while `ownerId` still holds it. */
  finishExecution(id: string, ownerId: string, to: 'succeeded' | 'failed', patch: Partial<ActionRequest>): Promise<boolean>;
  renewExecutionLease(id: string, ownerId: string, leaseUntil: string): Promise<boolean>;
  /** executing -> interrupted when `takeover` allows it; true for the one caller that made the change. */
  interruptExecution(id: string, takeover: Takeover): Promise<boolean>;
  /** Marks an interrupted request announced; true for the one caller that should announce it. */
  claimAnnouncement(id: string, at: string): Promise<boolean>;
  listRequests(filter: { status?: RequestStatus; channel?: string }): Promise<ActionRequest[]>;

  /**
   * Records `approval` of a request while it is pending (false otherwise): each user once (a repeat refreshes a stale approval, it
   * never adds one). True when it counts anew: the user had no approval at or after `freshSince`.
   * The request's `approvals` field mirrors the approvals for display.
   */
  recordApproval(requestId: string, approval: Approval, freshSince: string): Promise<boolean>;
  /**
   * pending -> executing only when at least `rule.needed` distinct users other than the requester
   * approved at or after `rule.freshSince` (the execution TTL): counted by the database in the same
   * statement, so concurrent approvals by two people count once each and exactly one caller wins.
   */
  startApprovedExecution(id: string, rule: { needed: number; freshSince: string }, patch: Partial<ActionRequest>): Promise<boolean>;
  /** Break-glass runs of a channel that no second responder has reviewed yet. */
  listUnreviewed(channel: string): Promise<ActionRequest[]>;
  /** Marks a break-glass run reviewed by `by`, who must not be the one who ran it; true for the one caller that did. */
  markReviewed(id: string, by: string, at: string): Promise<boolean>;

  /** Appends to the audit trail (which the database refuses to change afterwards); returns the entry's seq. */
  appendAudit(entry: AuditEntry): Promise<number>;
  listAudit(filter: { channel?: string; requestId?: string; scanId?: string }): Promise<AuditEntry[]>;

  /** Adds the item unless the channel already has one with its key; true when it was added. */
  addOpenItem(item: OpenItem): Promise<boolean>;
  getOpenItem(id: string): Promise<OpenItem | undefined>;
  listOpenItems(filter: { channel?: string; status?: OpenItemStatus }): Promise<OpenItem[]>;
  /** Compare-and-set like transitionRequest: of concurrent "Mark done" clicks exactly one wins. */
  transitionOpenItem(id: string, from: OpenItemStatus, to: OpenItemStatus, patch?: Partial<OpenItem>): Promise<boolean>;

  /**
   * Takes or renews the named lease for `owner` until `until`: true when the lease was free, ran out
   * before `now`, is already `owner`'s, or is held by `goneOwnerId` (a holder the caller established is
   * gone). Of several processes asking at once, at most one holds it.
   */
  claimLease(name: string, owner: ProcessOwner, until: string, now: string, goneOwnerId?: string): Promise<boolean>;
  /** Gives the lease up if `ownerId` holds it. */
  releaseLease(name: string, ownerId: string): Promise<void>;
  getLease(name: string): Promise<Lease | undefined>;
  /**
   * Reserves the channel's next posting slot, `intervalMs` after the previous reservation (by any
   * process) and not before `nowMs`; returns the slot's time in ms. One statement, so N processes
   * sharing the database post at most once per interval per channel between them.
   */
  reservePostSlot(channel: string, nowMs: number, intervalMs: number): Promise<number>;

  /** Resolves when the database answers a trivial query (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
