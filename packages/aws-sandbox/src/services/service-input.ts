/**
 * Reading decoded wire input in the service handlers. Query protocols deliver every scalar as a
 * string and lists as arrays; JSON protocols deliver typed values. These helpers accept both, so a
 * handler reads `int(params.MaxResults)` the same way whatever protocol framed it.
 */
import { SandboxError } from '../model';

export function str(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function int(value: unknown, name: string, errorCode = 'InvalidParameterValue'): number | undefined {
  const s = str(value);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n)) throw new SandboxError(errorCode, `Invalid value '${s}' for ${name}: must be an integer.`);
  return n;
}

export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const s = str(value);
  if (s === undefined) return undefined;
  return s.toLowerCase() === 'true';
}

/** A list parameter: an array, a `{member|item: [...]}` wrapper, an index-keyed object, or one value. */
export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.filter((v) => v !== undefined && v !== null);
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (Array.isArray(obj.member)) return list(obj.member);
    if (Array.isArray(obj.item)) return list(obj.item);
    const keys = Object.keys(obj);
    if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
      return keys.sort((a, b) => Number(a) - Number(b)).map((k) => obj[k]);
    }
  }
  return [value];
}

export function strings(value: unknown): string[] {
  return list(value)
    .map(str)
    .filter((s): s is string => s !== undefined);
}

export function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A timestamp from JSON (epoch seconds, as the SDK sends them) or from text (ISO 8601). */
export function timestamp(value: unknown, name: string, errorCode = 'ValidationException'): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let date: Date;
  if (typeof value === 'number') date = new Date(value * 1000);
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) date = new Date(Number(value) * 1000);
  else if (typeof value === 'string') date = new Date(value);
  else throw new SandboxError(errorCode, `Invalid timestamp for ${name}.`);
  if (Number.isNaN(date.getTime())) throw new SandboxError(errorCode, `Invalid timestamp for ${name}.`);
  return date;
}

/** Epoch seconds, the JSON protocols' timestamp format. */
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}
