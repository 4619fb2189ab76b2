/**
 * Stories: what one compromised credential did, followed through the credentials it made or took on
 * (roles it assumed, keys and passwords it created). Plain JSON, like the rest of the scan result, so
 * a story is stored with its scan, printed by the CLI and compared between scans.
 */
import type { ActionId, ActionTarget } from '../../remediation/action-ids';

/** How the attacker got in: a long-term key, a user's console password, the root user, or a role session from outside. */
export type EntryKind = 'access-key' | 'password' | 'root' | 'role-session';

export interface StoryEntry {
  kind: EntryKind;
  /** The access key id, the user name, "root" or the session's key id. */
  id: string;
  userName?: string;
  roleName?: string;
  /** "access key AKIA… of ci-deploy", as a person reads it. */
  label: string;
}

export interface StoryEvent {
  at: string;
  /** The credential that made the call, as a person reads it. */
  actor: string;
  event: string;
  region: string;
  sourceIp?: string;
  /** What the call did, in a few words ("created user svc-backup"). */
  what: string;
  failed?: boolean;
}

/** The runbook's order of containment: cut the way in, then what it left behind, then the damage, then clean up. */
export const PLAN_PHASES = ['cut', 'persistence', 'damage', 'cleanup'] as const;
export type PlanPhase = (typeof PLAN_PHASES)[number];

export interface PlanStep {
  phase: PlanPhase;
  /** What to do, in plain words. */
  label: string;
  /** The button's request, when aws-ir can do it (two-person approval as everywhere). */
  action?: ActionId;
  target?: ActionTarget;
  /** The finding offering the action (a request is always made from a finding). */
  findingId?: string;
  /** Done by a person outside aws-ir. */
  guidance?: string;
  /** Offered only once another step is done (delete a key once it is inactive, terminate once snapshotted). */
  after?: { action: ActionId; targetKey: string };
}

/** What the story's credentials created, changed or started. */
export interface StoryFootprint {
  users: string[];
  keys: string[];
  loginProfiles: string[];
  roles: string[];
  rolesAssumed: string[];
  policies: string[];
  accounts: string[];
  instances: { id: string; region: string }[];
  regions: string[];
  disabled: string[];
  sharedOut: string[];
}

export interface Story {
  id: string;
  entry: StoryEntry;
  firstSeen: string;
  lastSeen: string;
  sourceAddresses: string[];
  /** One to three lines: what happened, with the entry credential and time. */
  summary: string;
  findingIds: string[];
  timeline: StoryEvent[];
  /** Every credential followed (key ids, "root", "password:NAME"). */
  credentials: string[];
  footprint: StoryFootprint;
  /** Spend the story caused, from the cost check (USD, by region or service). */
  cost?: { usd: number; by: Record<string, number> };
  plan: PlanStep[];
}
