/**
 * How the incident core tells the people what happens, without knowing how: Slack renders a scan as
 * a thread and posts announcements in it; the command line prints. Each surface implements these.
 */
import type { SyncResult } from '../checklist/checklist';
import type { OrgSweepResult } from '../org/model';
import type { ProgressEvent, ScanResult } from '../scan/model';
import type { ActionRequest, ScanRecord, SweepAccountRecord } from '../store/model';
import type { InterruptedWrite } from './recover-interrupted';
import type { ScanComparison } from './scan-progress';

export interface ScanStart {
  scanId: string;
  channel: string;
  requestedBy: string;
  /** The account key of the scan identity (its id once the scan has learnt it). */
  account: string;
  days: number;
  regions?: string[];
}

/** One scan's story, told where it was asked for. */
export interface ScanPublisher {
  /**
   * The scan has the channel: say it started. Returns the thread later messages belong to (Slack's
   * ts; undefined where there are no threads). Throws when the scan cannot be announced at all.
   */
  opened(start: ScanStart): Promise<string | undefined>;
  /** A check started or finished; called often, must not throw. */
  progress(event: ProgressEvent): void;
  /** The scan is stored; show its results. */
  finished(done: { scan: ScanRecord; result: ScanResult; checklist?: SyncResult; progress?: ScanComparison }): Promise<void>;
  /** The scan failed (it is stored as failed); say why. */
  failed(reason: string): Promise<void>;
}

export interface SweepStart extends ScanStart {
  /** Accounts the sweep covers after --accounts/--ou. */
  accounts: number;
  /** Of them, accounts an earlier run of the same sweep finished (reused, not scanned again). */
  reused: number;
  ou?: string;
}

/** An organization sweep's story, told where it was asked for. */
export interface SweepPublisher {
  /** As ScanPublisher.opened: say it started; returns the thread later messages belong to. */
  opened(start: SweepStart): Promise<string | undefined>;
  /** One account is done (scanned, reused or a gap); called once per account, must not throw. */
  accountDone(record: SweepAccountRecord, done: number, total: number): void;
  /** The sweep is stored; show the organization's results. */
  finished(done: { scan: ScanRecord; result: OrgSweepResult; checklist?: SyncResult }): Promise<void>;
  failed(reason: string): Promise<void>;
}

/** What recovery and the sweeps must make known where the work was asked for. */
export interface Announcer {
  /** A scan whose process is gone was marked interrupted; a new scan can start. */
  scanInterrupted(scan: ScanRecord): Promise<void>;
  /** An approved action was cut off; it will not run again. `writes` are the AWS calls in flight, read back. */
  requestInterrupted(request: ActionRequest, writes: InterruptedWrite[]): Promise<void>;
  /** A pending request expired unapproved. */
  requestExpired(request: ActionRequest): Promise<void>;
  /** One responder ran a containment action alone (break-glass): tell the whole channel. */
  breakGlassUsed?(request: ActionRequest): Promise<void>;
}

/** For surfaces with nobody to tell (the command line's scans): announcements are only in the audit. */
export const silentAnnouncer: Announcer = {
  scanInterrupted: async () => undefined,
  requestInterrupted: async () => undefined,
  requestExpired: async () => undefined,
};
