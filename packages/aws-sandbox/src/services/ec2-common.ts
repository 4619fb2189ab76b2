/**
 * Pieces every EC2 handler shares: the region check, EC2's `Filter.N` matching, tags in and out,
 * and the XML-facing shapes (EC2's camelCase element names; arrays become <item> lists).
 */
import { SandboxError, type OperationContext, type RegionState } from '../model';
import { list, record, str, strings } from './service-input';
import { enabledRegion } from './region-guard';

export type Tag = { Key: string; Value: string };

export function ec2Region(ctx: OperationContext): RegionState {
  return enabledRegion(ctx, { unknown: ['AuthFailure', 401], notOptedIn: ['OptInRequired', 401] });
}

export interface Ec2Filter {
  name: string;
  values: string[];
}

export function filtersOf(params: Record<string, unknown>): Ec2Filter[] {
  return list(params.Filter).map((f) => {
    const r = record(f);
    const name = str(r.Name);
    if (!name) throw new SandboxError('InvalidParameterValue', 'The filter name must not be empty.');
    return { name, values: strings(r.Value) };
  });
}

/** EC2 filter values allow `*` and `?` wildcards. */
function matches(pattern: string, value: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === value;
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(value);
}

export type FilterFields<T> = Record<string, (item: T) => (string | undefined)[]>;

/**
 * Keeps the items every filter accepts (filters AND, a filter's values OR). `tag:Key`, `tag-key` and
 * `tag-value` work on any item with tags; an unknown filter name fails as in EC2.
 */
export function applyFilters<T extends { tags: Tag[] }>(items: T[], filters: Ec2Filter[], fields: FilterFields<T>): T[] {
  const tests = filters.map((f) => {
    let read: (item: T) => (string | undefined)[];
    if (f.name.startsWith('tag:')) {
      const key = f.name.slice(4);
      read = (item) => item.tags.filter((t) => t.Key === key).map((t) => t.Value);
    } else if (f.name === 'tag-key') read = (item) => item.tags.map((t) => t.Key);
    else if (f.name === 'tag-value') read = (item) => item.tags.map((t) => t.Value);
    else {
      const field = fields[f.name];
      if (!field) throw new SandboxError('InvalidParameterValue', `The filter '${f.name}' is invalid`);
      read = field;
    }
    return (item: T) => {
      const have = read(item).filter((v): v is string => v !== undefined);
      return f.values.some((p) => have.some((v) => matches(p, v)));
    };
  });
  return items.filter((item) => tests.every((t) => t(item)));
}

export function tagsOf(params: Record<string, unknown>, key = 'Tag'): Tag[] {
  return list(params[key]).map((t) => {
    const r = record(t);
    const k = str(r.Key);
    if (!k) throw new SandboxError('InvalidParameterValue', 'Tag keys must not be empty.');
    return { Key: k, Value: str(r.Value) ?? '' };
  });
}

/** Tags requested through `TagSpecification.N` for one resource type (e.g. 'snapshot'). */
export function tagSpecificationTags(params: Record<string, unknown>, resourceType: string): Tag[] {
  const out: Tag[] = [];
  for (const spec of list(params.TagSpecification)) {
    const r = record(spec);
    const type = str(r.ResourceType);
    if (type !== undefined && type !== resourceType) continue;
    out.push(...tagsOf(r, 'Tag'));
  }
  return out;
}

/** Sets tags in place: a key already present is overwritten, as CreateTags does. */
export function mergeTags(target: Tag[], tags: Tag[]): void {
  for (const tag of tags) {
    const existing = target.find((t) => t.Key === tag.Key);
    if (existing) existing.Value = tag.Value;
    else target.push({ ...tag });
  }
}

export function tagSet(tags: Tag[]): { key: string; value: string }[] {
  return tags.map((t) => ({ key: t.Key, value: t.Value }));
}

/** EC2's MaxResults/NextToken contract for Describe* calls that page. */
export function maxResults(params: Record<string, unknown>, min: number, max: number): number | undefined {
  const raw = str(params.MaxResults);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new SandboxError('InvalidParameterValue', `Value ( ${raw} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`);
  }
  return n;
}
