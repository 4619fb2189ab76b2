/**
 * Cost Explorer (`ce`, JSON 1.1): GetCostAndUsage computed from the scenario's daily costs, with AWS's
 * result shape (ResultsByTime with Total or Groups, amounts as strings, End exclusive), and
 * GetAnomalies over the scenario's anomalies.
 */
import { SandboxError, type DailyCost, type OperationContext, type ServiceHandlers } from '../model';
import { getAnomalies } from './cost-anomalies';
import { encodeToken, decodeToken, fingerprint } from './page-token';
import { list, record, str, strings } from './service-input';

/**
 * Rows (one group in one period) per GetCostAndUsage page. AWS does not document its page size; the
 * sandbox uses a large one so paging exists (and is tested) without making ordinary queries page.
 */
export const COST_ROWS_PER_PAGE = 5000;
/** Cost Explorer keeps about 14 months of history (13 plus the current month). */
const HISTORY_MONTHS = 14;

const METRICS = ['AmortizedCost', 'BlendedCost', 'NetAmortizedCost', 'NetUnblendedCost', 'NormalizedUsageAmount', 'UnblendedCost', 'UsageQuantity'];
const DIMENSIONS: Record<string, (c: DailyCost) => string> = {
  SERVICE: (c) => c.service,
  REGION: (c) => c.region,
  LINKED_ACCOUNT: (c) => c.linkedAccount,
  RECORD_TYPE: () => 'Usage',
};

const validation = (message: string) => new SandboxError('ValidationException', message);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDay(value: string | undefined, name: string): Date {
  if (!value || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw validation(`${name} must be a date in the format YYYY-MM-DD.`);
  }
  return new Date(`${value}T00:00:00Z`);
}

const ymd = (d: Date): string => d.toISOString().slice(0, 10);

/** Amounts are decimal strings, as Cost Explorer returns them. */
export function amountText(n: number): string {
  if (n === 0) return '0';
  return n.toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
}

function periods(start: Date, end: Date, granularity: string): { start: string; end: string }[] {
  const out: { start: string; end: string }[] = [];
  let cursor = start;
  while (cursor < end) {
    const next = granularity === 'DAILY' ? new Date(cursor.getTime() + 86_400_000) : new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 1));
    const stop = next < end ? next : end;
    out.push({ start: ymd(cursor), end: ymd(stop) });
    cursor = stop;
  }
  return out;
}

type Predicate = (c: DailyCost) => boolean;

/** Cost Explorer's filter Expression: exactly one of And, Or, Not, Dimensions, Tags, CostCategories. */
function compileFilter(raw: unknown): Predicate {
  const expr = record(raw);
  const present = ['And', 'Or', 'Not', 'Dimensions', 'Tags', 'CostCategories'].filter((k) => expr[k] !== undefined);
  if (present.length !== 1) throw validation('Expression must have exactly one of And, Or, Not, Dimensions, Tags, CostCategories.');
  const [kind] = present;
  if (kind === 'And' || kind === 'Or') {
    const parts = list(expr[kind]).map(compileFilter);
    if (parts.length < 2) throw validation(`${kind} expression must have at least 2 operands.`);
    return kind === 'And' ? (c) => parts.every((p) => p(c)) : (c) => parts.some((p) => p(c));
  }
  if (kind === 'Not') {
    const inner = compileFilter(expr.Not);
    return (c) => !inner(c);
  }
  if (kind === 'Tags') {
    // The sandbox's costs carry no cost allocation tags: everything is "untagged".
    const values = strings(record(expr.Tags).Values);
    const absent = strings(record(expr.Tags).MatchOptions).includes('ABSENT') || values.includes('');
    return () => absent;
  }
  if (kind === 'CostCategories') throw validation('Cost categories are not available in this account.');
  const dim = record(expr.Dimensions);
  const key = str(dim.Key) ?? '';
  const read = DIMENSIONS[key];
  if (!read) throw validation(`Dimension ${key || '(none)'} is not supported by the sandbox; use one of ${Object.keys(DIMENSIONS).join(', ')}.`);
  const values = strings(dim.Values);
  const options = strings(dim.MatchOptions);
  const caseless = options.includes('CASE_INSENSITIVE');
  const norm = (s: string) => (caseless ? s.toLowerCase() : s);
  const wanted = values.map(norm);
  if (options.includes('STARTS_WITH')) return (c) => wanted.some((w) => norm(read(c)).startsWith(w));
  if (options.includes('ENDS_WITH')) return (c) => wanted.some((w) => norm(read(c)).endsWith(w));
  if (options.includes('CONTAINS')) return (c) => wanted.some((w) => norm(read(c)).includes(w));
  return (c) => wanted.includes(norm(read(c)));
}

interface GroupDefinition {
  Type: string;
  Key: string;
}

function groupDefinitions(raw: unknown): GroupDefinition[] {
  const defs = list(raw).map((g) => {
    const r = record(g);
    return { Type: str(r.Type) ?? '', Key: str(r.Key) ?? '' };
  });
  if (defs.length > 2) throw validation('You can group by up to two different dimensions, tags or cost categories.');
  const seen = new Set<string>();
  for (const d of defs) {
    if (d.Type === 'DIMENSION') {
      if (!DIMENSIONS[d.Key])
        throw validation(`Group by dimension ${d.Key || '(none)'} is not supported by the sandbox; use SERVICE, REGION or LINKED_ACCOUNT.`);
    } else if (d.Type !== 'TAG') {
      throw validation(`Group by type ${d.Type || '(none)'} is not supported; use DIMENSION or TAG.`);
    }
    const id = `${d.Type}:${d.Key}`;
    if (seen.has(id)) throw validation(`Duplicate group by: ${d.Key}.`);
    seen.add(id);
  }
  return defs;
}

function groupKey(c: DailyCost, def: GroupDefinition): string {
  // Untagged spend shows as "<tag key>$" in Cost Explorer; the sandbox's spend is all untagged.
  return def.Type === 'TAG' ? `${def.Key}$` : DIMENSIONS[def.Key]!(c);
}

type Row = { period: number; keys?: string[]; amount: number };

export function getCostAndUsage(ctx: OperationContext): unknown {
  const p = ctx.params;
  const period = record(p.TimePeriod);
  const start = parseDay(str(period.Start), 'TimePeriod.Start');
  const end = parseDay(str(period.End), 'TimePeriod.End');
  if (start >= end) throw validation('Start date (and hour) should be before end date (and hour)');
  const granularity = str(p.Granularity);
  if (granularity !== 'DAILY' && granularity !== 'MONTHLY') {
    throw validation(granularity === 'HOURLY' ? 'Hourly granularity is not enabled for this account.' : 'Granularity must be DAILY or MONTHLY.');
  }
  const metrics = strings(p.Metrics);
  if (metrics.length === 0) throw validation('Metrics must not be empty.');
  for (const m of metrics) {
    if (!METRICS.some((known) => known.toLowerCase() === m.toLowerCase()))
      throw validation(`Metric ${m} is not valid; valid metrics are ${METRICS.join(', ')}.`);
  }
  const oldest = new Date(Date.UTC(ctx.now.getUTCFullYear(), ctx.now.getUTCMonth() - (HISTORY_MONTHS - 1), 1));
  if (start < oldest) {
    throw new SandboxError(
      'DataUnavailableException',
      `Data is not available for dates before ${ymd(oldest)}: Cost Explorer keeps ${HISTORY_MONTHS} months of history.`,
    );
  }
  const groupBy = groupDefinitions(p.GroupBy);
  const filter = p.Filter !== undefined ? compileFilter(p.Filter) : () => true;

  const spans = periods(start, end, granularity);
  const index = new Map(spans.map((s, i) => [s.start, i]));
  const periodOf = (date: string): number | undefined => {
    if (granularity === 'DAILY') return index.get(date);
    for (let i = spans.length - 1; i >= 0; i--) if (date >= spans[i]!.start) return date < spans[i]!.end ? i : undefined;
    return undefined;
  };

  // Sum per (period, group keys).
  const sums = new Map<string, Row>();
  const startText = ymd(start);
  const endText = ymd(end);
  for (const c of ctx.state.costs) {
    if (c.date < startText || c.date >= endText || !filter(c)) continue;
    const at = periodOf(c.date);
    if (at === undefined) continue;
    const keys = groupBy.map((g) => groupKey(c, g));
    const id = `${at}\u0000${keys.join('\u0000')}`;
    const row = sums.get(id);
    if (row) row.amount += c.amount;
    else sums.set(id, { period: at, keys: groupBy.length > 0 ? keys : undefined, amount: c.amount });
  }

  // Every period is present, grouped or not; grouped rows are in key order within a period.
  const rows: Row[] = [];
  const byPeriod: Row[][] = spans.map(() => []);
  for (const row of sums.values()) byPeriod[row.period]!.push(row);
  byPeriod.forEach((periodRows, i) => {
    if (groupBy.length === 0) rows.push(periodRows[0] ?? { period: i, amount: 0 });
    else if (periodRows.length === 0) rows.push({ period: i, amount: 0 });
    else rows.push(...periodRows.sort((a, b) => (a.keys!.join('\u0000') < b.keys!.join('\u0000') ? -1 : 1)));
  });

  const requestPrint = fingerprint(['GetCostAndUsage', p.TimePeriod, granularity, metrics, p.GroupBy ?? null, p.Filter ?? null]);
  const token = str(p.NextPageToken);
  const offset = token ? decodeToken<number>(token, requestPrint, 'InvalidNextTokenException', 'The NextPageToken is not valid for this request.') : 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > rows.length)
    throw new SandboxError('InvalidNextTokenException', 'The NextPageToken is not valid for this request.');
  const page = rows.slice(offset, offset + COST_ROWS_PER_PAGE);

  const metricValues = (amount: number) =>
    Object.fromEntries(metrics.map((m) => [m, { Amount: amountText(amount), Unit: /usage|quantity/i.test(m) ? 'N/A' : 'USD' }]));
  const firstOfMonth = ymd(new Date(Date.UTC(ctx.now.getUTCFullYear(), ctx.now.getUTCMonth(), 1)));
  const results: Record<string, unknown>[] = [];
  let current: { index: number; out: Record<string, unknown> & { Groups: unknown[] } } | undefined;
  for (const row of page) {
    if (!current || current.index !== row.period) {
      const span = spans[row.period]!;
      current = {
        index: row.period,
        out: {
          TimePeriod: { Start: span.start, End: span.end },
          Total: groupBy.length === 0 ? metricValues(row.amount) : {},
          Groups: [],
          Estimated: span.end > firstOfMonth,
        },
      };
      results.push(current.out);
    }
    if (groupBy.length > 0 && row.keys) current.out.Groups.push({ Keys: row.keys, Metrics: metricValues(row.amount) });
  }

  const accountNames = new Map((ctx.state.organization?.accounts ?? []).map((a) => [a.id, a.name]));
  const linked = groupBy.some((g) => g.Type === 'DIMENSION' && g.Key === 'LINKED_ACCOUNT');
  const linkedValues = linked ? [...new Set(ctx.state.costs.map((c) => c.linkedAccount))].sort() : [];
  const next = offset + page.length;
  return {
    GroupDefinitions: groupBy.length > 0 ? groupBy : undefined,
    ResultsByTime: results,
    DimensionValueAttributes: linkedValues.map((v) => ({ Value: v, Attributes: { description: accountNames.get(v) ?? v } })),
    NextPageToken: next < rows.length ? encodeToken(next, requestPrint) : undefined,
  };
}

export const handlers: ServiceHandlers = {
  GetCostAndUsage: getCostAndUsage,
  GetAnomalies: getAnomalies,
};
