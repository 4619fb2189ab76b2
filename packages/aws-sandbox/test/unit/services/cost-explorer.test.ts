import { COST_ROWS_PER_PAGE, handlers } from '../../../src/services/cost-explorer';
import type { DailyCost, SandboxState } from '../../../src/model';
import { baseState, ctx, errorOf } from './fixtures';

interface Metric {
  Amount: string;
  Unit: string;
}
interface CostResult {
  TimePeriod: { Start: string; End: string };
  /** Empty when the results are grouped. */
  Total: { UnblendedCost?: Metric };
  Groups: { Keys: string[]; Metrics: Record<string, Metric> }[];
  Estimated: boolean;
}
/** The parts of Cost Explorer's wire output these tests read; the handlers return `unknown`. */
interface Outputs {
  GetCostAndUsage: { ResultsByTime: CostResult[]; GroupDefinitions?: unknown; NextPageToken?: string };
  GetAnomalies: { Anomalies: { AnomalyId: string; AnomalyScore: unknown }[] };
}

const call = <Op extends keyof Outputs>(state: SandboxState, op: Op, params: Record<string, unknown>): Outputs[Op] =>
  handlers[op]!(ctx(state, op, params, { service: 'ce' })) as Outputs[Op];

const EC2 = 'Amazon Elastic Compute Cloud - Compute';
const S3 = 'Amazon Simple Storage Service';
const cost = (date: string, service: string, region: string, amount: number, linkedAccount = '111122223333'): DailyCost => ({
  date,
  service,
  region,
  linkedAccount,
  amount,
});

function costState(): SandboxState {
  const state = baseState();
  state.costs.push(
    cost('2026-03-10', EC2, 'us-east-1', 10),
    cost('2026-03-10', S3, 'us-east-1', 1.25),
    cost('2026-03-11', EC2, 'us-east-1', 12),
    cost('2026-03-11', EC2, 'ap-south-1', 900.5),
    cost('2026-03-11', EC2, 'ap-south-1', 100, '444455556666'),
    cost('2026-03-12', EC2, 'us-east-1', 11),
    cost('2026-02-20', S3, 'us-east-1', 3),
  );
  return state;
}

const daily = (start: string, end: string, extra: Record<string, unknown> = {}) => ({
  TimePeriod: { Start: start, End: end },
  Granularity: 'DAILY',
  Metrics: ['UnblendedCost'],
  ...extra,
});

describe('Cost Explorer GetCostAndUsage', () => {
  it('totals each day, End exclusive, amounts as strings in USD', () => {
    const out = call(costState(), 'GetCostAndUsage', daily('2026-03-10', '2026-03-12'));
    expect(out.ResultsByTime).toEqual([
      { TimePeriod: { Start: '2026-03-10', End: '2026-03-11' }, Total: { UnblendedCost: { Amount: '11.25', Unit: 'USD' } }, Groups: [], Estimated: true },
      { TimePeriod: { Start: '2026-03-11', End: '2026-03-12' }, Total: { UnblendedCost: { Amount: '1012.5', Unit: 'USD' } }, Groups: [], Estimated: true },
    ]);
    expect(out.NextPageToken).toBeUndefined();
  });

  it('groups by two dimensions with an empty Total, as AWS shapes it', () => {
    const out = call(
      costState(),
      'GetCostAndUsage',
      daily('2026-03-11', '2026-03-12', {
        GroupBy: [
          { Type: 'DIMENSION', Key: 'SERVICE' },
          { Type: 'DIMENSION', Key: 'REGION' },
        ],
      }),
    );
    expect(out.GroupDefinitions).toEqual([
      { Type: 'DIMENSION', Key: 'SERVICE' },
      { Type: 'DIMENSION', Key: 'REGION' },
    ]);
    expect(out.ResultsByTime).toHaveLength(1);
    expect(out.ResultsByTime[0].Total).toEqual({});
    expect(out.ResultsByTime[0].Groups).toEqual([
      { Keys: [EC2, 'ap-south-1'], Metrics: { UnblendedCost: { Amount: '1000.5', Unit: 'USD' } } },
      { Keys: [EC2, 'us-east-1'], Metrics: { UnblendedCost: { Amount: '12', Unit: 'USD' } } },
    ]);
  });

  it('groups by LINKED_ACCOUNT and filters by dimension', () => {
    const state = costState();
    const byAccount = call(state, 'GetCostAndUsage', {
      TimePeriod: { Start: '2026-03-01', End: '2026-04-01' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost', 'BlendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }],
      Filter: { Dimensions: { Key: 'REGION', Values: ['ap-south-1'] } },
    });
    expect(byAccount.ResultsByTime[0].Groups).toEqual([
      { Keys: ['111122223333'], Metrics: { UnblendedCost: { Amount: '900.5', Unit: 'USD' }, BlendedCost: { Amount: '900.5', Unit: 'USD' } } },
      { Keys: ['444455556666'], Metrics: { UnblendedCost: { Amount: '100', Unit: 'USD' }, BlendedCost: { Amount: '100', Unit: 'USD' } } },
    ]);
    const notEc2 = call(state, 'GetCostAndUsage', daily('2026-03-10', '2026-03-11', { Filter: { Not: { Dimensions: { Key: 'SERVICE', Values: [EC2] } } } }));
    expect(notEc2.ResultsByTime[0].Total.UnblendedCost?.Amount).toBe('1.25');
  });

  it('splits MONTHLY periods at month boundaries', () => {
    const out = call(costState(), 'GetCostAndUsage', {
      TimePeriod: { Start: '2026-02-15', End: '2026-03-12' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
    });
    expect(out.ResultsByTime.map((r) => [r.TimePeriod.Start, r.TimePeriod.End, r.Total.UnblendedCost?.Amount, r.Estimated])).toEqual([
      ['2026-02-15', '2026-03-01', '3', false],
      ['2026-03-01', '2026-03-12', '1023.75', true],
    ]);
  });

  it('validates like AWS: dates, granularity, metrics, group-by and 14 months of history', () => {
    const state = costState();
    expect(errorOf(() => call(state, 'GetCostAndUsage', daily('2026-03-12', '2026-03-12'))).code).toBe('ValidationException');
    expect(errorOf(() => call(state, 'GetCostAndUsage', daily('2026/03/01', '2026-03-12'))).code).toBe('ValidationException');
    expect(errorOf(() => call(state, 'GetCostAndUsage', { ...daily('2026-03-01', '2026-03-12'), Granularity: 'HOURLY' })).code).toBe('ValidationException');
    expect(errorOf(() => call(state, 'GetCostAndUsage', { ...daily('2026-03-01', '2026-03-12'), Metrics: ['Dollars'] })).code).toBe('ValidationException');
    expect(
      errorOf(() =>
        call(state, 'GetCostAndUsage', daily('2026-03-01', '2026-03-12', { GroupBy: [1, 2, 3].map(() => ({ Type: 'DIMENSION', Key: 'SERVICE' })) })),
      ).code,
    ).toBe('ValidationException');
    expect(errorOf(() => call(state, 'GetCostAndUsage', daily('2024-12-01', '2025-01-01'))).code).toBe('DataUnavailableException');
  });

  it('pages rows with NextPageToken and rejects a token for another query', () => {
    const state = baseState();
    // 45 services x 120 days = 5,400 rows: more than one page, with a day split between pages.
    for (let d = 0; d < 120; d++) {
      const date = new Date(Date.UTC(2025, 10, 1) + d * 86_400_000).toISOString().slice(0, 10);
      for (let s = 0; s < 45; s++) state.costs.push(cost(date, `Service ${String(s).padStart(2, '0')}`, 'us-east-1', 1));
    }
    const params = daily('2025-11-01', '2026-03-11', { GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }] });
    const first = call(state, 'GetCostAndUsage', params);
    expect(first.NextPageToken).toBeDefined();
    const groupsIn = (o: Outputs['GetCostAndUsage']) => o.ResultsByTime.reduce((n, r) => n + r.Groups.length, 0);
    expect(groupsIn(first)).toBe(COST_ROWS_PER_PAGE);
    const second = call(state, 'GetCostAndUsage', { ...params, NextPageToken: first.NextPageToken });
    expect(groupsIn(second)).toBe(5400 - COST_ROWS_PER_PAGE);
    expect(second.NextPageToken).toBeUndefined();
    // The day split across pages shows up in both, with its groups divided between them.
    expect(first.ResultsByTime.at(-1)?.TimePeriod).toEqual(second.ResultsByTime[0].TimePeriod);
    expect(errorOf(() => call(state, 'GetCostAndUsage', { ...daily('2025-11-01', '2026-03-11'), NextPageToken: first.NextPageToken })).code).toBe(
      'InvalidNextTokenException',
    );
  });
});

describe('Cost Explorer GetAnomalies', () => {
  function anomalyState(): SandboxState {
    const state = baseState();
    state.anomalies.push(
      {
        anomalyId: 'a-gpu',
        startDate: '2026-03-11',
        dimensionValue: EC2,
        totalImpact: 2400,
        maxImpact: 900,
        monitorArn: 'arn:aws:ce::111122223333:anomalymonitor/m1',
        rootCauses: [{ service: EC2, region: 'ap-south-1', linkedAccount: '111122223333', usageType: 'BoxUsage:p3.16xlarge' }],
      },
      {
        anomalyId: 'a-old',
        startDate: '2026-01-02',
        endDate: '2026-01-03',
        dimensionValue: S3,
        totalImpact: 20,
        maxImpact: 15,
        monitorArn: 'arn:aws:ce::111122223333:anomalymonitor/m2',
        rootCauses: [],
      },
    );
    return state;
  }

  it('returns anomalies whose end (or today, if ongoing) falls in the interval, in the SDK shape', () => {
    const out = call(anomalyState(), 'GetAnomalies', { DateInterval: { StartDate: '2026-03-08', EndDate: '2026-03-15' } });
    expect(out.Anomalies).toHaveLength(1);
    expect(out.Anomalies[0]).toMatchObject({
      AnomalyId: 'a-gpu',
      AnomalyStartDate: '2026-03-11',
      DimensionValue: EC2,
      Impact: { MaxImpact: 900, TotalImpact: 2400 },
      MonitorArn: 'arn:aws:ce::111122223333:anomalymonitor/m1',
      RootCauses: [{ Service: EC2, Region: 'ap-south-1', LinkedAccount: '111122223333', UsageType: 'BoxUsage:p3.16xlarge' }],
    });
    expect(out.Anomalies[0].AnomalyScore).toEqual({ MaxScore: expect.any(Number), CurrentScore: expect.any(Number) });
  });

  it('filters by monitor and total impact; requires a start date', () => {
    const state = anomalyState();
    const all = { DateInterval: { StartDate: '2026-01-01', EndDate: '2026-03-15' } };
    expect(call(state, 'GetAnomalies', all).Anomalies).toHaveLength(2);
    expect(call(state, 'GetAnomalies', { ...all, MonitorArn: 'arn:aws:ce::111122223333:anomalymonitor/m2' }).Anomalies.map((a) => a.AnomalyId)).toEqual([
      'a-old',
    ]);
    expect(
      call(state, 'GetAnomalies', { ...all, TotalImpact: { NumericOperator: 'GREATER_THAN', StartValue: 100 } }).Anomalies.map((a) => a.AnomalyId),
    ).toEqual(['a-gpu']);
    expect(errorOf(() => call(state, 'GetAnomalies', { DateInterval: {} })).code).toBe('ValidationException');
  });
});
