/**
 * Deterministic mutations of valid Slack request bodies, for the payload fuzz test. A seeded PRNG
 * picks 1–3 of: drop a field, change a value's type, nest it, replace a string with a huge one,
 * with odd unicode or with Slack markup, copy one value over another, and truncate the serialised
 * body; interactions may also have their outer form broken (`payload=null`, `payload=[]`, two
 * payload fields, none). The same seed always yields the same bodies, so a failure reproduces.
 */
import { BODY_LIMIT_BYTES } from '../../../src/slack/verified-receiver';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** mulberry32: small, fast, and good enough to spread mutations; not for anything secret. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** How a base payload travels: form fields (slash commands), a form's `payload` field (interactions), or JSON (events). */
export type Encoding = 'form-fields' | 'form-payload' | 'json';

export interface BasePayload {
  name: string;
  encoding: Encoding;
  value: { [key: string]: Json };
}

export interface Mutant {
  /** What was done, for a failure message. */
  steps: string[];
  body: string;
  contentType: string;
}

const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  '\u202eevil\u202c',
  '\u200b\u200d\ufeff',
  '\ud800',
  '\udfff\ud800',
  '😀🏳️‍🌈👩‍👩‍👧‍👦',
  'ｓｃａｎ',
  'Ω≈ç√∫˜µ≤≥÷',
  'ثم نفس سقطت وبالتحديد',
  '<!channel> <!here> <@U0ALICE> <#C0INCIDENT> <https://evil.example|click>',
  '&amp;&lt;&gt;',
  '%00%ff%',
  '\r\n\r\n',
  '{"requestId":"req-1"}',
  '[object Object]',
  'undefined',
  'null',
  'NaN',
  '__proto__',
  'constructor',
  '-1',
  '1e309',
  'U0ALICE',
  'C0INCIDENT',
  'aws_ir.approve:0',
  '/aws-ir',
];

function deepNest(depth: number, leaf: Json): Json {
  let v: Json = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? { n: v } : [v];
  return v;
}

function oddValue(rng: Rng): Json {
  switch (rng.int(12)) {
    case 0:
      return null;
    case 1:
      return rng.pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1]);
    case 2:
      return rng.chance(0.5);
    case 3:
      return [];
    case 4:
      return {};
    case 5:
      return [null, 1, 'x', {}];
    case 6:
      // Own keys named like Object's internals, as JSON.parse creates them.
      return JSON.parse('{"":null,"__proto__":{"polluted":true},"constructor":{"prototype":1},"toString":"x"}') as Json;
    case 7:
      return hugeString(rng);
    case 8:
      return deepNest(1 + rng.int(1000), rng.pick(ODD_STRINGS));
    default:
      return rng.pick(ODD_STRINGS);
  }
}

/** Mostly large but under the body limit; sometimes over it (the receiver must refuse with 413). */
function hugeString(rng: Rng): string {
  if (rng.chance(0.03)) return 'A'.repeat(BODY_LIMIT_BYTES + 1 + rng.int(1000));
  return rng.pick(['A', 'é', '😀', '<', '%']).repeat(500 + rng.int(15_000));
}

type Path = (string | number)[];

/** Every path of the tree (the root excluded) down to a depth of 12: deep nests are mutated whole. */
function paths(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (prefix.length >= 12) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([...prefix, i]);
      paths(v, [...prefix, i], out);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push([...prefix, k]);
      paths(v, [...prefix, k], out);
    }
  }
  return out;
}

function parentOf(root: Json, path: Path): { parent: Json[] | { [key: string]: Json }; key: string | number } | undefined {
  let node: Json = root;
  for (const step of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? (node[step as number] as Json) : (node[step as string] as Json);
  }
  if (node === null || typeof node !== 'object') return undefined;
  return { parent: node, key: path[path.length - 1] as string | number };
}

function get(root: Json, path: Path): Json | undefined {
  const at = parentOf(root, path);
  if (!at) return undefined;
  return Array.isArray(at.parent) ? at.parent[at.key as number] : at.parent[at.key as string];
}

function set(root: Json, path: Path, value: Json): void {
  const at = parentOf(root, path);
  if (!at) return;
  if (Array.isArray(at.parent)) at.parent[at.key as number] = value;
  else at.parent[at.key as string] = value;
}

function drop(root: Json, path: Path): void {
  const at = parentOf(root, path);
  if (!at) return;
  if (Array.isArray(at.parent)) at.parent.splice(at.key as number, 1);
  else delete at.parent[at.key as string];
}

const label = (p: Path) => p.join('.');

/** One structural mutation of the tree, in place; returns its description. */
function mutateTree(rng: Rng, root: { [key: string]: Json }): string {
  const all = paths(root);
  if (!all.length) {
    root.x = oddValue(rng);
    return 'add x';
  }
  const path = rng.pick(all);
  switch (rng.int(7)) {
    case 0:
      drop(root, path);
      return `drop ${label(path)}`;
    case 1:
      set(root, path, oddValue(rng));
      return `retype ${label(path)}`;
    case 2: {
      const v = get(root, path) ?? null;
      set(root, path, rng.chance(0.5) ? [v] : deepNest(2 + rng.int(50), v));
      return `nest ${label(path)}`;
    }
    case 3:
      set(root, path, hugeString(rng));
      return `huge ${label(path)}`;
    case 4:
      set(root, path, rng.pick(ODD_STRINGS));
      return `odd string ${label(path)}`;
    case 5: {
      const from = rng.pick(all);
      set(root, path, JSON.parse(JSON.stringify(get(root, from) ?? null)) as Json);
      return `copy ${label(from)} -> ${label(path)}`;
    }
    default: {
      const v = get(root, path);
      set(root, path, typeof v === 'string' ? Number(v.length) : String(JSON.stringify(v ?? null)));
      return `string/number swap ${label(path)}`;
    }
  }
}

const FORM = 'application/x-www-form-urlencoded';

function formOf(fields: { [key: string]: Json }): string {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    // Arrays become repeated fields, as a tampered form would carry them.
    if (Array.isArray(v)) for (const item of v) form.append(k, typeof item === 'string' ? item : JSON.stringify(item));
    else form.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  return form.toString();
}

const OUTER_PAYLOADS: readonly string[] = [
  'null',
  '[]',
  '"x"',
  '1',
  'true',
  '{}',
  '{',
  '[{"type":"block_actions"}]',
  '{"type":"block_actions"}',
  '{"type":null}',
];

/** A mutated body of `base`: 1–3 tree mutations, sometimes an outer-form break, sometimes a truncation. */
export function mutate(rng: Rng, base: BasePayload): Mutant {
  const value = JSON.parse(JSON.stringify(base.value)) as { [key: string]: Json };
  const steps: string[] = [];
  const count = 1 + rng.int(3);
  for (let i = 0; i < count; i++) steps.push(mutateTree(rng, value));
  let body: string;
  let contentType = base.encoding === 'json' ? 'application/json' : FORM;
  switch (base.encoding) {
    case 'form-fields':
      body = formOf(value);
      break;
    case 'form-payload': {
      if (rng.chance(0.15)) {
        const outer = rng.pick(OUTER_PAYLOADS);
        const extra = rng.pick(['', `&payload=${encodeURIComponent(JSON.stringify(value))}`, '&ssl_check=0', '&command=%2Faws-ir']);
        body = `payload=${encodeURIComponent(outer)}${extra}`;
        steps.push(`outer payload=${outer}${extra ? ` + ${extra.slice(0, 20)}` : ''}`);
      } else body = new URLSearchParams({ payload: JSON.stringify(value) }).toString();
      break;
    }
    default:
      body = JSON.stringify(value);
  }
  if (rng.chance(0.1)) {
    body = body.slice(0, rng.int(body.length));
    steps.push(`truncate to ${body.length} bytes`);
  }
  if (rng.chance(0.05)) {
    contentType = rng.pick(['application/json', FORM, 'text/plain', `${FORM}; charset=utf-8`, '']);
    steps.push(`content-type "${contentType}"`);
  }
  return { steps, body, contentType };
}
