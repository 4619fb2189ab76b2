/** Messages between the benchmark (parent) and the sandbox it runs in a child process. */
import type { CloudTrailReport } from '../src/scan/sources/model';
import type { CoverageVerdict } from './coverage';

export interface StartRequest {
  type: 'start';
  scenario: string;
  /** The scan's clock and window, so the floor is computed for exactly the data the scan reads. */
  now: string;
  days: number;
}

/** Deliver every log file the trail would have delivered by now (made before the timed scans). */
export interface DeliverRequest {
  type: 'deliver';
  samples: number;
}

export interface DeliveredReply {
  type: 'delivered';
  files: number;
  bytes: number;
  ms: number;
  /** Loading the files into the engine the sandbox's Athena queries (once; real Athena reads them per query). */
  athenaMs: number;
  samplePaths: string[];
}

/** Check a scan's CloudTrail report against the account's own history over [from, to]. */
export interface VerifyRequest {
  type: 'verify';
  report: CloudTrailReport;
  from: string;
  to: string;
}

export interface VerifiedReply {
  type: 'verified';
  verdict: CoverageVerdict;
}

export interface DataProfile {
  accountId: string;
  users: number;
  totalEvents: number;
  /** Enabled regions (what the scan covers) with the data each holds in the window. */
  regions: { name: string; eventsInWindow: number; lookupPages: number; instances: number; lambdaFunctions: number }[];
  trails: number;
}

export interface StartedReply {
  type: 'started';
  endpoint: string;
  accountId: string;
  adminCredentials: { accessKeyId: string; secretAccessKey: string };
  profile: DataProfile;
}

export interface StopRequest {
  type: 'stop';
}

export interface StoppedReply {
  type: 'stopped';
  peakRssBytes: number;
}

export interface FailedReply {
  type: 'failed';
  message: string;
}

export type ChildReply = StartedReply | StoppedReply | FailedReply | DeliveredReply | VerifiedReply;
export type ParentRequest = StartRequest | StopRequest | DeliverRequest | VerifyRequest;

/** CloudTrail LookupEvents: at most 50 events a page; even an empty history costs one request. */
export const EVENTS_PER_PAGE = 50;
export const LOOKUP_EVENTS_PER_SECOND = 2;
