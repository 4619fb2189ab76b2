/** Messages between the benchmark (parent) and the sandbox it runs in a child process. */

export interface StartRequest {
  type: 'start';
  scenario: string;
  /** The scan's clock and window, so the floor is computed for exactly the data the scan reads. */
  now: string;
  days: number;
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

export type ChildReply = StartedReply | StoppedReply | FailedReply;
export type ParentRequest = StartRequest | StopRequest;

/** CloudTrail LookupEvents: at most 50 events a page; even an empty history costs one request. */
export const EVENTS_PER_PAGE = 50;
export const LOOKUP_EVENTS_PER_SECOND = 2;
