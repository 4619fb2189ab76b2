/**
 * Field-by-field reading of a scenario document that collects every problem with its JSON path.
 */
import { parseRelativeTime } from './time';

export class ScenarioError extends Error {
  readonly code = 'scenario_invalid';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Scenario ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

export type Json = unknown;

/**
 * Reads a scenario document field by field, collecting every problem with its JSON path ("users[2].
 * accessKeys[0].status: must be one of Active, Inactive") instead of stopping at the first one.
 */
export class ScenarioReader {
  readonly problems: string[] = [];

  constructor(
    readonly file: string,
    readonly now: Date,
  ) {}

  problem(path: string, what: string): void {
    this.problems.push(`${path}: ${what}`);
  }

  throwIfInvalid(): void {
    if (this.problems.length > 0) throw new ScenarioError(this.file, this.problems);
  }

  obj(value: Json, path: string): Record<string, Json> {
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, Json>;
    this.problem(path, `must be an object, got ${describe(value)}`);
    return {};
  }

  /** Flags keys the schema does not know: a typo must not silently drop data. */
  onlyKeys(o: Record<string, Json>, path: string, allowed: string[]): void {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) this.problem(`${path}.${k}`, `unknown field (allowed: ${allowed.join(', ')})`);
  }

  arr(o: Record<string, Json>, key: string, path: string): Json[] {
    const v = o[key];
    if (v === undefined) return [];
    if (Array.isArray(v)) return v;
    this.problem(`${path}.${key}`, `must be an array, got ${describe(v)}`);
    return [];
  }

  str(o: Record<string, Json>, key: string, path: string, pattern?: RegExp, hint?: string): string {
    const v = o[key];
    if (typeof v === 'string' && v !== '' && (!pattern || pattern.test(v))) return v;
    if (v === undefined) this.problem(`${path}.${key}`, 'is required');
    else this.problem(`${path}.${key}`, typeof v === 'string' ? `"${v}" is not valid${hint ? `: ${hint}` : ''}` : `must be a string, got ${describe(v)}`);
    return '';
  }

  optStr(o: Record<string, Json>, key: string, path: string, pattern?: RegExp, hint?: string): string | undefined {
    return o[key] === undefined ? undefined : this.str(o, key, path, pattern, hint);
  }

  oneOf<T extends string>(o: Record<string, Json>, key: string, path: string, values: readonly T[], fallback?: T): T {
    const v = o[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    this.problem(`${path}.${key}`, v === undefined ? `is required (one of ${values.join(', ')})` : `must be one of ${values.join(', ')}, got ${describe(v)}`);
    return values[0]!;
  }

  num(o: Record<string, Json>, key: string, path: string, fallback?: number, min = Number.NEGATIVE_INFINITY): number {
    const v = o[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v === 'number' && Number.isFinite(v) && v >= min) return v;
    this.problem(
      `${path}.${key}`,
      v === undefined ? 'is required' : `must be a number${min > Number.NEGATIVE_INFINITY ? ` >= ${min}` : ''}, got ${describe(v)}`,
    );
    return fallback ?? 0;
  }

  bool(o: Record<string, Json>, key: string, path: string, fallback: boolean): boolean {
    const v = o[key];
    if (v === undefined) return fallback;
    if (typeof v === 'boolean') return v;
    this.problem(`${path}.${key}`, `must be true or false, got ${describe(v)}`);
    return fallback;
  }

  time(o: Record<string, Json>, key: string, path: string): Date {
    const v = o[key];
    if (typeof v === 'string') {
      const d = parseRelativeTime(v, this.now);
      if (d) return d;
      this.problem(`${path}.${key}`, `"${v}" is not a time: use "now", a relative time like "-3d", "-2h30m", "+15m", or ISO 8601`);
    } else {
      this.problem(`${path}.${key}`, v === undefined ? 'is required (a time such as "-3d" or "now")' : `must be a time string, got ${describe(v)}`);
    }
    return new Date(this.now.getTime());
  }

  optTime(o: Record<string, Json>, key: string, path: string): Date | undefined {
    return o[key] === undefined || o[key] === null ? undefined : this.time(o, key, path);
  }

  strList(o: Record<string, Json>, key: string, path: string): string[] {
    return this.arr(o, key, path).filter((v, i) => {
      if (typeof v === 'string') return true;
      this.problem(`${path}.${key}[${i}]`, `must be a string, got ${describe(v)}`);
      return false;
    }) as string[];
  }

  /** A policy document: a JSON object in the file, kept as JSON text as IAM stores it. */
  document(o: Record<string, Json>, key: string, path: string): string {
    const v = o[key];
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if (!('Statement' in v)) this.problem(`${path}.${key}`, 'a policy document needs a Statement');
      return JSON.stringify(v);
    }
    if (typeof v === 'string') {
      try {
        JSON.parse(v);
        return v;
      } catch {
        this.problem(`${path}.${key}`, 'is not valid JSON');
        return '{}';
      }
    }
    this.problem(`${path}.${key}`, v === undefined ? 'is required (a policy document object)' : `must be a policy document object, got ${describe(v)}`);
    return '{}';
  }
}

function describe(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}
