/**
 * Runbook D4: spend in the window against the same length of time before it, by service, region and
 * linked account, plus Cost Anomaly Detection anomalies. Cost Explorer charges $0.01 a request (every
 * page counts), so a scan sends at most MAX_CE_REQUESTS and reuses results for an hour.
 */
import { GetAnomaliesCommand, GetCostAndUsageCommand, type Anomaly, type GetCostAndUsageCommandInput, type ResultByTime } from '@aws-sdk/client-cost-explorer';
import type { Check, CheckContext } from '../context';
import { makeFinding } from '../context';
import { gapFrom, step } from '../errors';
import type { Finding, Gap, Severity } from '../model';

const CHECK = 'cost' as const;
export const MAX_CE_REQUESTS = 4;
const CACHE_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

type Totals = Record<string, { current: number; previous: number }>;

interface CostData {
  period: { previousStart: string; start: string; end: string };
  byService: Totals;
  byRegion: Totals;
  byAccount?: Totals;
  /** True when the request budget ran out before the last page. */
  partial: boolean;
  /** False when Cost Explorer could not be read: the totals are empty for want of data, not zero spend. */
  read: boolean;
  /** Days of each period for which Cost Explorer had any cost line: none means unknown, not zero. */
  daysWithData?: { current: number; previous: number };
  anomalies?: Anomaly[];
  currency: string;
}

const cache = new Map<string, { at: number; data: CostData; gaps: Gap[] }>();

export function clearCostCache(): void {
  cache.clear();
}

const ymd = (d: Date): string => d.toISOString().slice(0, 10);

export const costCheck: Check = async (ctx) => {
  const today = new Date(Date.UTC(ctx.now.getUTCFullYear(), ctx.now.getUTCMonth(), ctx.now.getUTCDate()));
  // Whole UTC days: Cost Explorer's unit. End is exclusive, so tomorrow includes today's partial spend.
  const end = new Date(today.getTime() + DAY_MS);
  const start = new Date(end.getTime() - ctx.days * DAY_MS);
  const previousStart = new Date(start.getTime() - ctx.days * DAY_MS);
  const period = { previousStart: ymd(previousStart), start: ymd(start), end: ymd(end) };
  const key = `${ctx.clients.target.key}|${ctx.account}|${period.previousStart}|${period.end}`;
  const hit = cache.get(key);
  let data: CostData;
  let gaps: Gap[];
  if (hit && ctx.now.getTime() - hit.at < CACHE_MS && hit.at <= ctx.now.getTime()) {
    ({ data, gaps } = hit);
    ctx.detail('cost: reusing Cost Explorer results from the last hour');
  } else {
    let failed: boolean;
    ({ data, gaps, failed } = await fetchCostData(ctx, period));
    // A failed request may be a passing outage: the next scan asks again instead of reusing the hole.
    if (!failed) cache.set(key, { at: ctx.now.getTime(), data, gaps });
  }
  return { findings: findingsFor(ctx, data), gaps };
};

async function fetchCostData(ctx: CheckContext, period: CostData['period']): Promise<{ data: CostData; gaps: Gap[]; failed: boolean }> {
  const ce = ctx.clients.costExplorer();
  const gaps: Gap[] = [];
  let failed = false;
  // One request is kept for anomalies; the rest pay for pages of cost and usage.
  let budget = MAX_CE_REQUESTS - 1;
  const data: CostData = { period, byService: {}, byRegion: {}, partial: false, read: false, currency: 'USD' };
  const seen = { current: new Set<string>(), previous: new Set<string>() };

  const query = async (groupBy: GetCostAndUsageCommandInput['GroupBy'], maxPages: number, add: (keys: string[], amount: number, current: boolean) => void) => {
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await step('ce:GetCostAndUsage', () =>
        ce.send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: period.previousStart, End: period.end },
            Granularity: 'DAILY',
            Metrics: ['UnblendedCost'],
            GroupBy: groupBy,
            NextPageToken: token,
          }),
        ),
      );
      pages++;
      budget--;
      for (const r of out.ResultsByTime ?? []) {
        addResult(r, period.start, add, (c) => (data.currency = c));
        if (r.Groups?.length && r.TimePeriod?.Start) (r.TimePeriod.Start >= period.start ? seen.current : seen.previous).add(r.TimePeriod.Start);
      }
      token = out.NextPageToken;
    } while (token && pages < maxPages && budget > 0);
    return !!token;
  };

  try {
    // Totals are kept only from queries that finished: pages read before a failure would be figures
    // made of missing data (a "rise" or "new spend" measured against pages that never came).
    const byService: Totals = {};
    const byRegion: Totals = {};
    const truncated = await query(
      [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'DIMENSION', Key: 'REGION' },
      ],
      2,
      ([service = 'unknown', region = 'unknown'], amount, current) => {
        bump(byService, service, amount, current);
        bump(byRegion, region, amount, current);
      },
    );
    Object.assign(data, { byService, byRegion, partial: truncated, read: true, daysWithData: { current: seen.current.size, previous: seen.previous.size } });
    if (!seen.current.size) {
      gaps.push({
        check: CHECK,
        reason: `Cost Explorer returned no cost data for the window (${period.start} to ${period.end}): spend is unknown, not zero (Cost Explorer may be new to the account or not enabled).`,
      });
    } else if (!seen.previous.size) {
      gaps.push({
        check: CHECK,
        reason: `Cost Explorer has no cost data for the ${ctx.days === 1 ? 'day' : `${ctx.days} days`} before the window (${period.previousStart} to ${period.start}), so the window's spend could not be compared with anything.`,
      });
    }
    if (!truncated && budget > 0) {
      const byAccount: Totals = {};
      data.partial = await query([{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }], 1, ([acct = 'unknown'], amount, current) =>
        bump(byAccount, acct, amount, current),
      );
      data.byAccount = byAccount;
    }
    if (data.partial) {
      gaps.push({
        check: CHECK,
        reason: `Cost Explorer returned more pages than aws-ir's budget of ${MAX_CE_REQUESTS} requests a scan; the comparison covers only part of the spend.`,
      });
    }
  } catch (err) {
    failed = true;
    gaps.push(gapFrom(CHECK, err));
  }
  try {
    const out = await step('ce:GetAnomalies', () =>
      ce.send(new GetAnomaliesCommand({ DateInterval: { StartDate: period.start, EndDate: ymd(ctx.now) }, MaxResults: 100 })),
    );
    data.anomalies = out.Anomalies ?? [];
  } catch (err) {
    failed = true;
    gaps.push(gapFrom(CHECK, err));
  }
  return { data, gaps, failed };
}

function addResult(
  r: ResultByTime,
  currentStart: string,
  add: (keys: string[], amount: number, current: boolean) => void,
  currency: (c: string) => void,
): void {
  const current = (r.TimePeriod?.Start ?? '') >= currentStart;
  for (const g of r.Groups ?? []) {
    const metric = g.Metrics?.UnblendedCost;
    const amount = Number(metric?.Amount ?? 0);
    if (metric?.Unit) currency(metric.Unit);
    if (Number.isFinite(amount) && amount !== 0) add(g.Keys ?? [], amount, current);
  }
}

function bump(t: Totals, key: string, amount: number, current: boolean): void {
  t[key] ??= { current: 0, previous: 0 };
  const v = t[key];
  if (current) v.current += amount;
  else v.previous += amount;
}

const money = (n: number, cur: string): string => `${n.toFixed(2)} ${cur}`;
const NOT_A_REGION = new Set(['global', 'NoRegion', 'unknown', '']);

function findingsFor(ctx: CheckContext, data: CostData): Finding[] {
  const findings: Finding[] = [];
  const cur = data.currency;
  const days = data.daysWithData;
  // With no data before the window (or none in it), "new" and "rose" would be measured against nothing.
  const comparable = !days || (days.current > 0 && days.previous > 0);
  // When data starts part-way into the previous period, compare like with like: its days scaled to the window's length.
  const scale = days && days.previous > 0 && days.previous < ctx.days ? Math.min(ctx.days, Math.max(days.current, 1)) / days.previous : 1;
  const change = (kind: 'service' | 'region' | 'linked account', name: string, raw: { current: number; previous: number }): void => {
    if (!comparable) return;
    const v = { current: raw.current, previous: raw.previous * scale };
    const isNew = v.previous < 0.01 && v.current >= 1;
    const rise = v.current - v.previous;
    const large = v.previous >= 0.01 && v.current >= 2 * v.previous && rise >= 50;
    if (!isNew && !large) return;
    let severity: Severity = 'medium';
    if ((kind === 'region' || kind === 'linked account') && isNew) severity = 'high';
    if (rise >= 500 && v.current >= 5 * v.previous) severity = 'high';
    findings.push(
      makeFinding(ctx, CHECK, `${kind}:${name}`, {
        severity,
        step: 'D4',
        title: isNew
          ? `New spend in ${kind} ${name}: ${money(v.current, cur)} in the window, none before`
          : `Spend in ${kind} ${name} rose from ${money(v.previous, cur)} to ${money(v.current, cur)}`,
        resources: [name],
        evidence: {
          [kind === 'linked account' ? 'linkedAccount' : kind]: name,
          current: round(v.current),
          previous: round(v.previous),
          currency: cur,
          period: data.period,
        },
      }),
    );
  };
  for (const [name, v] of Object.entries(data.byService)) change('service', name, v);
  for (const [name, v] of Object.entries(data.byRegion)) if (!NOT_A_REGION.has(name)) change('region', name, v);
  for (const [name, v] of Object.entries(data.byAccount ?? {})) if (name !== ctx.account) change('linked account', name, v);

  if (data.read && (!days || days.current > 0)) findings.push(summaryOf(ctx, data));
  for (const a of data.anomalies ?? []) {
    if (!a.AnomalyId) continue;
    const impact = a.Impact?.TotalImpact ?? a.Impact?.MaxImpact ?? 0;
    const causes = (a.RootCauses ?? []).map((c) => ({ service: c.Service, region: c.Region, linkedAccount: c.LinkedAccount, usageType: c.UsageType }));
    const first = causes[0];
    findings.push(
      makeFinding(ctx, CHECK, `anomaly:${a.AnomalyId}`, {
        severity: impact >= 100 ? 'high' : 'medium',
        step: 'D4',
        title: `Cost anomaly: ${money(impact, cur)} unexpected spend${first?.service ? ` in ${first.service}` : ''}${first?.region ? ` (${first.region})` : ''}`,
        resources: [a.AnomalyId],
        evidence: {
          anomalyId: a.AnomalyId,
          start: a.AnomalyStartDate,
          end: a.AnomalyEndDate,
          impact: round(impact),
          rootCauses: causes,
          monitor: a.MonitorArn,
        },
      }),
    );
  }
  return findings;
}

/** Totals of what was read; only called when Cost Explorer answered. */
function summaryOf(ctx: CheckContext, data: CostData): Finding {
  const cur = data.currency;
  const total = Object.values(data.byService).reduce((a, v) => ({ current: a.current + v.current, previous: a.previous + v.previous }), {
    current: 0,
    previous: 0,
  });
  const top = Object.entries(data.byService)
    .sort((a, b) => b[1].current - a[1].current)
    .slice(0, 5)
    .map(([name, v]) => ({ service: name, current: round(v.current), previous: round(v.previous) }));
  return makeFinding(ctx, CHECK, 'summary', {
    severity: 'info',
    step: 'D4',
    title: `Spend: ${money(total.current, cur)} in the last ${ctx.days === 1 ? 'day' : `${ctx.days} days`} against ${data.daysWithData?.previous === 0 ? 'no data' : money(total.previous, cur)} in the ${ctx.days} before`,
    resources: [],
    evidence: { current: round(total.current), previous: round(total.previous), currency: cur, topServices: top, period: data.period, partial: data.partial },
  });
}

const round = (n: number): number => Math.round(n * 100) / 100;
