/**
 * Reading values out of an event's requestParameters, responseElements and additionalEventData by a
 * dotted path ("request.launchPermission.add.items.userId"). Arrays along the path are walked, so one
 * path reads every element; policy documents CloudTrail stores as JSON strings are parsed where asked.
 */
import type { TrailEvent } from '../cloudtrail-events';

type Root = 'request' | 'response' | 'additional';

function walk(value: unknown, keys: string[], out: unknown[]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const v of value) walk(v, keys, out);
    return;
  }
  if (!keys.length) {
    out.push(value);
    return;
  }
  if (typeof value !== 'object') return;
  const [key, ...rest] = keys as [string, ...string[]];
  walk((value as Record<string, unknown>)[key], rest, out);
}

/** Every value at `path` ("request.x.y"); empty when absent. */
export function values(e: TrailEvent, path: string): unknown[] {
  const [root, ...keys] = path.split('.') as [Root, ...string[]];
  const out: unknown[] = [];
  walk(e[root], keys, out);
  return out;
}

/** Every string (or number, as text) at `path`. */
export function strings(e: TrailEvent, path: string): string[] {
  return values(e, path)
    .map((v) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined))
    .filter((v): v is string => v !== undefined && v !== '');
}

export function first(e: TrailEvent, ...paths: string[]): string | undefined {
  for (const p of paths) {
    const v = strings(e, p)[0];
    if (v) return v;
  }
  return undefined;
}

/** A policy document at `path`, whether CloudTrail stored it as a (possibly URL-encoded) string or an object. */
export function documentAt(e: TrailEvent, path: string): unknown {
  const v = values(e, path)[0];
  if (typeof v !== 'string') return v;
  let text = v.trim();
  if (/^%7B/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return undefined;
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export interface PolicyStatement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export function statements(doc: unknown): PolicyStatement[] {
  if (!doc || typeof doc !== 'object') return [];
  return asList((doc as { Statement?: PolicyStatement | PolicyStatement[] }).Statement);
}

/** AWS principals an Allow statement admits: "*" or account ids/ARNs. */
export function allowedAwsPrincipals(s: PolicyStatement): string[] {
  if (s.Effect !== 'Allow' || s.Principal === undefined) return [];
  if (s.Principal === '*') return ['*'];
  if (typeof s.Principal !== 'object' || s.Principal === null) return [];
  return asList((s.Principal as { AWS?: string | string[] }).AWS);
}

/** The 12-digit account of an account id or IAM/STS ARN, or "*" for anyone. */
export function accountOf(principal: string): string | undefined {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

/** Condition keys that pin a cross-account trust to one caller (the vendor's ExternalId, an org id, a source). */
export function hasExternalIdCondition(s: PolicyStatement): boolean {
  for (const block of Object.values(s.Condition ?? {})) {
    for (const key of Object.keys(block ?? {})) if (/^sts:ExternalId$/i.test(key)) return true;
  }
  return false;
}

/** Conditions that narrow who "*" really is (org, source account/ARN/VPC/IP): a public grant with one is not public. */
export function hasNarrowingCondition(s: PolicyStatement): boolean {
  for (const block of Object.values(s.Condition ?? {})) {
    for (const key of Object.keys(block ?? {})) {
      if (/^aws:(PrincipalOrgID|PrincipalAccount|SourceAccount|SourceArn|SourceVpc|SourceVpce|SourceIp|PrincipalArn|SourceOwner)$/i.test(key)) return true;
      if (/^sts:ExternalId$/i.test(key)) return true;
    }
  }
  return false;
}

/** The first of each resource, in order. */
export function uniqueBy<T>(list: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const t of list) {
    const k = key(t);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(t);
  }
  return out;
}
