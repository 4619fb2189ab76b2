/**
 * The scan's data model. Everything the engine produces is plain JSON-serialisable data so it can be
 * stored, rendered to Block Kit, printed by the CLI and compared in tests without translation.
 */
import type { ActionId, ActionTarget } from '../remediation/action-ids';
import type { CloudTrailReport, CloudTrailSourceOptions } from './sources/model';
import type { Story } from './stories/model';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Runbook step ids from shared/runbook.md: D = detect, R = respond. */
export const RUNBOOK_STEPS = ['D1', 'D2', 'D3', 'D4', 'D5', 'R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8'] as const;
export type RunbookStep = (typeof RUNBOOK_STEPS)[number];

export const CHECK_IDS = [
  'credential-report',
  'last-accessed',
  'quarantine',
  'cloudtrail',
  'iam-changes',
  'organizations',
  'cost',
  'resources',
  'account-info',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export interface Finding {
  /** Stable: the same account, check and resource always give the same id (see findingId()). */
  id: string;
  check: CheckId;
  severity: Severity;
  step: RunbookStep;
  title: string;
  /** ARNs or resource ids. */
  resources: string[];
  /** Check-specific facts, JSON-serialisable; rendered as key/value pairs. */
  evidence: Record<string, unknown>;
  /** Response actions that apply to `target` (buttons in Slack). */
  actions: ActionId[];
  /** The single resource the actions act on, when there are actions. */
  target?: ActionTarget;
  /** A guided step a person must do outside aws-ir (e.g. root keys), shown instead of a button. */
  guidance?: string;
  /** The catalog detection that raised it (src/scan/detections/catalog), for CloudTrail findings. */
  detection?: string;
  /** Its MITRE ATT&CK technique id, e.g. "T1098.001". */
  technique?: string;
  /** The AWS account it is in: set on the findings of an organization sweep (src/org). */
  account?: string;
}

export interface Gap {
  check: CheckId;
  /** The AWS account it is about: set on the gaps of an organization sweep (src/org). */
  account?: string;
  region?: string;
  /** Plain sentence for a responder: what could not be checked and why. */
  reason: string;
}

export interface ScanWindow {
  start: string; // ISO-8601
  end: string; // ISO-8601
}

export interface ScanStats {
  durationMs: number;
  /** "service:Operation" -> number of HTTP requests sent (retries included). */
  apiCalls: Record<string, number>;
}

export interface ScanResult {
  account: string;
  window: ScanWindow;
  regions: string[];
  findings: Finding[];
  gaps: Gap[];
  stats: ScanStats;
  /** How CloudTrail was read in each region: strategy, source, coverage, requests and bytes. */
  cloudtrail?: CloudTrailReport;
  /** What each compromised credential did, correlated from the findings and CloudTrail (stories/). Absent in scans stored before stories. */
  stories?: Story[];
}

export interface ScanOptions {
  /** Length of the incident window in days (1..90, default 7). */
  days: number;
  /** Restrict the multi-region checks to these regions; default every enabled region. */
  regions?: string[];
  /** Where the incident window ends; default the account's now (AwsAccountTarget.clock). */
  now?: Date;
  /** Base delay between polls of asynchronous AWS jobs (credential report, last accessed); default 1000, tests 0. */
  pollIntervalMs?: number;
  /** In an organization sweep: every account of the organization (long-standing trust among them is not outside). */
  organizationAccounts?: string[];
  /** CloudTrail sources: the trail's log files, Athena, and which to prefer. */
  cloudTrail?: CloudTrailSourceOptions;
  /**
   * The scan's overall deadline: what has not finished by then becomes a gap naming what is missing,
   * and the scan returns. Default SCAN_DEADLINE_SECONDS.default. `schedule` replaces the timer (tests
   * fire it by hand); it returns a cancel function.
   */
  deadline?: { ms: number; schedule?: (ms: number, fire: () => void) => () => void };
}

/** What a check reports to the runner; the runner adds nothing but ordering and stats. */
export interface CheckOutcome {
  findings: Finding[];
  gaps: Gap[];
}

export type ProgressEvent =
  | { type: 'check-started'; check: CheckId }
  | {
      type: 'check-finished';
      check: CheckId;
      findings: number;
      gaps: number;
      durationMs: number;
      /** The check's findings, so a surface can show what is already known before the scan ends. */
      found?: Finding[];
    }
  | { type: 'detail'; check: CheckId; message: string };
