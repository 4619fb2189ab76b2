/**
 * AWS-shaped ids for the sandbox: deterministic ones for scenario objects (reproducible tests) and
 * fresh ones for objects created at run time.
 */
import { createHash } from 'node:crypto';
import type { SandboxState } from './model';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A deterministic AWS-looking id: same seed, same id, so scenarios and tests are reproducible. */
export function stableId(prefix: string, seed: string, length: number, alphabet = ALNUM): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; out.length < length; i++) out += alphabet[digest[i % digest.length]! % alphabet.length];
  return prefix + out;
}

export const stableHex = (prefix: string, seed: string, length: number): string => stableId(prefix, seed, length, '0123456789abcdef');

/** A fresh id for something created at run time (keys, instances…), unique within the sandbox. */
export function nextId(state: SandboxState, prefix: string, length: number, hex = false): string {
  state.seq += 1;
  const seed = `${state.accountId}|${prefix}|${state.seq}`;
  return hex ? stableHex(prefix, seed, length) : stableId(prefix, seed, length);
}

/** A secret access key shape (40 chars), derived so it is never the same as any other. */
export function secretFor(seed: string): string {
  return stableId('', `secret|${seed}`, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
}

/** A small seeded PRNG (mulberry32) for generated scenario data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
