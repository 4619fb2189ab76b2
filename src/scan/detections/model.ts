/**
 * The detection catalog's vocabulary. A detection is data: what CloudTrail event it matches, how severe
 * a match is and what makes it more or less so, the runbook step and ATT&CK technique, why a responder
 * should care, which resource it names, and the response. The engine (evaluate.ts) runs the catalog;
 * `aws-ir detections` and docs/detections.md print it (render.ts).
 */
import type { ActionId } from '../../remediation/action-ids';
import type { TrailEvent } from '../cloudtrail-events';
import type { RunbookStep, Severity } from '../model';

export const FAMILIES = [
  'credential-access',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  'discovery',
  'resource-abuse',
  'exfiltration',
  'account-takeover',
  'lateral-movement',
] as const;
export type Family = (typeof FAMILIES)[number];

/** What a condition or severity rule may know beyond the event itself. */
export interface MatchEnv {
  /** The scanned account's id: principals and accounts outside it are "outside". */
  account: string;
  /** Was this event's principal using this address, doing this call, as a habit (see routine-activity.ts)? */
  habitual(e: TrailEvent): boolean;
  /** Is the event's address one its principal works from (over 2+ days of the history)? */
  usualAddress(e: TrailEvent): boolean;
  /** Regions where the account's own principals worked before the event (used regions are not new ground). */
  usedRegionBefore(region: string, before: Date): boolean;
}

/** A test on one event, with the sentence the docs print for it. */
export interface Condition {
  text: string;
  test(e: TrailEvent, env: MatchEnv): boolean;
}

/** Replaces the detection's base severity when `when` holds; the first rule that holds wins. */
export interface SeverityRule {
  severity: Severity;
  text: string;
  when(e: TrailEvent, env: MatchEnv): boolean;
}

export const TARGET_KINDS = [
  'user',
  'access-key',
  'role',
  'group',
  'policy',
  'mfa-device',
  'instance',
  'instance-profile',
  'bucket',
  'trail',
  'detector',
  'recorder',
  'flow-log',
  'log-config',
  'snapshot',
  'image',
  'db-snapshot',
  'account',
  'function',
  'layer',
  'email-identity',
  'domain',
  'region',
  'quota',
  'model',
  'secret',
  'parameter',
  'key-pair',
  'security-group',
  'vpc-peering',
  'trust-anchor',
  'permission-set',
  'notebook',
  'hub',
  'principal',
] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** A resource a finding is about, read from the event. */
export interface NamedTarget {
  kind: TargetKind;
  /** Short name for titles: a user name, bucket name, snapshot id, account id… */
  name: string;
  /** What goes into the finding's resources: an ARN where one can be built, else the id. */
  resource: string;
  /** For access keys: whose key it is. For instances: nothing. */
  userName?: string;
  region?: string;
  /** The resource is an ARN AWS wrote in the event (with its path), not one rebuilt from a name. */
  exact?: boolean;
}

export interface TargetSpec {
  kind: TargetKind;
  /** Where the docs say the name comes from, e.g. "requestParameters.userName". */
  from: string;
  read(e: TrailEvent, env: MatchEnv): NamedTarget[];
}

/** Remediation kinds the existing actions act on (src/remediation/action-ids.ts). */
export type ActionableKind = 'user' | 'access-key' | 'role' | 'policy' | 'instance';

export interface Response {
  /**
   * Actions by the kind of target they act on. The finding offers those of its first named target that
   * has any; "actor" acts on the principal that made the call (its access key, user or role sessions).
   */
  actions?: Partial<Record<ActionableKind | 'actor', ActionId[]>>;
  /** What a person does, shown with the finding (and the only response where no action exists). */
  guidance: string;
}

export interface Detection {
  id: string;
  title: string;
  family: Family;
  match: {
    /** CloudTrail eventSource, e.g. "iam.amazonaws.com". */
    source: string;
    events: string[];
    /** Default "success": events that carry no errorCode. */
    outcome?: 'success' | 'failure' | 'any';
    /** With outcome "failure": only these error codes (substring match, so "UnauthorizedOperation" matches "Client.UnauthorizedOperation"). */
    errorCodes?: string[];
    /** userIdentity.type values; default any. */
    identities?: string[];
    conditions?: Condition[];
  };
  severity: Severity;
  rules?: SeverityRule[];
  /**
   * "habit": low when the principal does this call from its usual address as a habit (a CI's deploys).
   * "everyday": sign-ins and reads people make daily; judged by routine-activity.ts (new address, burst,
   * denied, no MFA) and low otherwise.
   */
  routine?: 'habit' | 'everyday';
  /** Aggregate detections: raised per principal only once this many matching events (in this many regions) are seen. */
  threshold?: { events: number; regions?: number; withinMs?: number; raise?: { events: number; severity: Severity }; text: string };
  step: RunbookStep;
  technique: { id: string; name: string };
  why: string;
  /** The first target read is the finding's subject; the rest are named too (e.g. the account a snapshot was shared with). */
  targets: TargetSpec[];
  response: Response;
  /** Where the technique is documented publicly. */
  sources: string[];
}
