/** Cost Explorer GetAnomalies: Cost Anomaly Detection's anomalies from the scenario. */
import { SandboxError, type CostAnomaly, type OperationContext } from '../model';
import { fingerprint, pageByOffset } from './page-token';
import { int, record, str } from './service-input';

const DATE = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2}Z)?$/;

function day(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const m = DATE.exec(value);
  if (!m) throw new SandboxError('ValidationException', `${name} must match (\\d{4}-\\d{2}-\\d{2})(T\\d{2}:\\d{2}:\\d{2}Z)?`);
  return m[1];
}

function impactFilter(raw: unknown): (a: CostAnomaly) => boolean {
  if (raw === undefined) return () => true;
  const f = record(raw);
  const op = str(f.NumericOperator);
  const lo = Number(f.StartValue);
  const hi = Number(f.EndValue);
  const tests: Record<string, (v: number) => boolean> = {
    EQUAL: (v) => v === lo,
    GREATER_THAN_OR_EQUAL: (v) => v >= lo,
    LESS_THAN_OR_EQUAL: (v) => v <= lo,
    GREATER_THAN: (v) => v > lo,
    LESS_THAN: (v) => v < lo,
    BETWEEN: (v) => v >= lo && v <= hi,
  };
  const test = op ? tests[op] : undefined;
  if (!test || Number.isNaN(lo) || (op === 'BETWEEN' && Number.isNaN(hi))) {
    throw new SandboxError('ValidationException', 'TotalImpact needs a NumericOperator and StartValue (and EndValue for BETWEEN).');
  }
  return (a) => test(a.totalImpact);
}

export function getAnomalies(ctx: OperationContext): unknown {
  const p = ctx.params;
  const interval = record(p.DateInterval);
  const from = day(str(interval.StartDate), 'DateInterval.StartDate');
  if (!from) throw new SandboxError('ValidationException', 'DateInterval.StartDate is required.');
  const to = day(str(interval.EndDate), 'DateInterval.EndDate') ?? ctx.now.toISOString().slice(0, 10);
  const monitor = str(p.MonitorArn);
  const byImpact = impactFilter(p.TotalImpact);
  const today = ctx.now.toISOString().slice(0, 10);
  const max = int(p.MaxResults, 'MaxResults', 'ValidationException') ?? 100;
  // No anomaly in the sandbox carries feedback, so filtering on feedback finds none.
  const withFeedback = str(p.Feedback) !== undefined;
  const kept = ctx.state.anomalies.filter((a) => {
    if (withFeedback) return false;
    if (monitor && a.monitorArn !== monitor) return false;
    // "The returned anomaly object will have an AnomalyEndDate in the specified time range"; an
    // anomaly still going on ends today.
    const end = (a.endDate ?? today).slice(0, 10);
    return end >= from && end <= to && byImpact(a);
  });
  const accountNames = new Map((ctx.state.organization?.accounts ?? []).map((a) => [a.id, a.name]));
  const { page, next } = pageByOffset(
    kept,
    str(p.NextPageToken),
    max,
    fingerprint(['GetAnomalies', p.DateInterval, monitor, p.TotalImpact ?? null]),
    'InvalidNextTokenException',
  );
  return {
    Anomalies: page.map((a) => ({
      AnomalyId: a.anomalyId,
      AnomalyStartDate: a.startDate,
      AnomalyEndDate: a.endDate,
      DimensionValue: a.dimensionValue,
      RootCauses: a.rootCauses.map((r) => ({
        Service: r.service,
        Region: r.region,
        LinkedAccount: r.linkedAccount,
        LinkedAccountName: r.linkedAccount ? accountNames.get(r.linkedAccount) : undefined,
        UsageType: r.usageType,
      })),
      AnomalyScore: { MaxScore: Math.min(100, a.maxImpact), CurrentScore: a.endDate ? 0 : Math.min(100, a.maxImpact) },
      Impact: { MaxImpact: a.maxImpact, TotalImpact: a.totalImpact },
      MonitorArn: a.monitorArn,
    })),
    NextPageToken: next,
  };
}
