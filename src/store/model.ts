/**
 * The records aws-ir keeps: scans, action requests, the append-only audit trail and the incident
 * checklist. Every store backend stores exactly these shapes; nothing else in the product defines a
 * persisted record.
 */
import type { ActionId, ActionTarget } from '../remediation/action-ids';
import type { RunbookStep, ScanResult } from '../scan/model';

/**
 * The process doing a piece of claimed work (a scan, an approved action). With a lease it lets any
 * replica tell work in progress from work whose process is gone.
 */
export interface ProcessOwner {
  /** Unique per process start: a restarted process is a new owner even with the same pid. */
  id: string;
  host: string;
  pid: number;
}

export type ScanStatus = 'running' | 'done' | 'failed' | 'interrupted';

export interface ScanRecord {
  id: string;
  channel: string;
  /** ts of the scan's first message: the thread every later message goes to (none for a terminal scan). */
  threadTs?: string;
  requestedBy: string;
  startedAt: string;
  status: ScanStatus;
  result?: ScanResult;
  /** Who runs it, and until when the claim holds without renewal (running scans). */
  owner?: ProcessOwner;
  leaseUntil?: string;
  finishedAt?: string;
  /** Why it failed or was interrupted, in plain words. */
  reason?: string;
  /** Set when this scan is an organization sweep: what it covers, so a sweep started again can resume it. */
  sweep?: SweepInfo;
}

/** What an organization sweep covers; two sweeps with the same fingerprint scan the same thing. */
export interface SweepInfo {
  /** Hash of the account list (ids and status), window days, regions, narrowing and member role (org/resume.ts). */
  fingerprint: string;
  /** The window's end: a resumed sweep keeps it, so every account covers the same window. */
  windowEnd: string;
  days: number;
  regions?: string[];
  accounts?: string[];
  ou?: string;
  /** The sweep whose finished accounts this one reused. */
  resumedFrom?: string;
}

/** How one account of an organization sweep ended. */
export type SweepAccountStatus = 'scanned' | 'suspended' | 'no-access' | 'failed';

/** One account of an organization sweep, saved as soon as it is done. */
export interface SweepAccountRecord {
  account: string;
  name: string;
  /** Organizational unit path, e.g. "Root/Production/Web". */
  ou: string;
  status: SweepAccountStatus;
  /** Why it was not scanned (or why the scan is incomplete), in plain words. */
  reason?: string;
  /** 'home': scanned with aws-ir's own identity (its own account); 'member-role': through AWS_IR_MEMBER_ROLE_NAME. */
  access: 'home' | 'member-role';
  /** The account's scan result when it was scanned. */
  result?: ScanResult;
  /** The sweep this result was first produced by, when it was reused. */
  reusedFrom?: string;
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
  outcome?: ActionOutcomeRecord;
  dryRun: boolean;
  /** Identifies the submission that created it (e.g. the modal's view id): a replay creates nothing. */
  idempotencyKey?: string;
  /** The process executing it, and until when its claim holds without renewal. */
  executor?: ProcessOwner;
  leaseUntil?: string;
  /** When its interruption was announced (at most once). */
  announcedAt?: string;
  /**
   * Set when `account` is a member account reached through its remediation role
   * (AWS_IR_MEMBER_REMEDIATION_ROLE_NAME) rather than aws-ir's own account: the executor builds the
   * target from `account`.
   */
  memberAccount?: boolean;
  /** Distinct approvers (never the requester) it needs before it runs: 1, or more for destructive actions. */
  approvalsNeeded?: number;
  /** The approvals recorded so far, mirrored from the store's approvals for display; the store's own count decides. */
  approvals?: Approval[];
  /** Set when one responder ran it alone under break-glass (AWS_IR_BREAK_GLASS). */
  breakGlass?: { by: string; reason: string; at: string };
  /** The second responder who reviewed a break-glass run, and when. */
  reviewedBy?: string;
  reviewedAt?: string;
}

export interface Approval {
  user: string;
  at: string;
  breakGlass?: boolean;
}

/** One write that was made (or, in a dry run, would be made). */
export interface PlannedCall {
  operation: string;
  input: Record<string, unknown>;
}

/** What running an approved request did, as stored on the request and rendered in its message. */
export interface ActionOutcomeRecord {
  ok: boolean;
  dryRun: boolean;
  /** True when the state was re-read after the change and matched. */
  verified: boolean;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  details?: Record<string, unknown>;
  /** Writes sent to AWS (in a dry run: the writes that would be sent). */
  calls: PlannedCall[];
  /** AWS request ids of the writes, for AWS support and CloudTrail. */
  requestIds: string[];
  /** Plain sentence for responders when !ok. */
  error?: string;
  stage?: 'precheck' | 'execute' | 'verify';
  startedAt: string;
  finishedAt: string;
}

export const AUDIT_KINDS = [
  'scan.started',
  'scan.finished',
  'scan.interrupted',
  'request.created',
  'request.approved',
  'request.rejected',
  'request.refused',
  'request.expired',
  'request.break-glass',
  'request.reviewed',
  'action.started',
  'action.snapshot',
  'aws.call',
  'aws.intent',
  'aws.outcome',
  'aws.readback',
  'action.succeeded',
  'action.failed',
  'action.interrupted',
  'checklist.opened',
  'checklist.done',
  'checklist.verified',
  'checklist.reopened',
] as const;

export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditEntry {
  seq?: number;
  at: string;
  channel?: string;
  /** Slack user the entry is attributable to, when any. */
  user?: string;
  kind: AuditKind;
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
