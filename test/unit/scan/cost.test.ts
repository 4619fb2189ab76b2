import { CostExplorerClient, GetAnomaliesCommand, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import { clearCostCache, costCheck, MAX_CE_REQUESTS } from '../../../src/scan/checks/cost';
import { awsError, testContext } from './helpers';

const ce = mockClient(CostExplorerClient);
beforeEach(() => {
  ce.reset();
  clearCostCache();
});

const group = (keys: string[], amount: number) => ({ Keys: keys, Metrics: { UnblendedCost: { Amount: String(amount), Unit: 'USD' } } });
// NOW is 2026-11-28; a 7-day window is 11-22..11-28, the previous period 11-15..11-21.
const previousDay = { TimePeriod: { Start: '2026-11-16', End: '2026-11-17' }, Groups: [group(['Amazon Elastic Compute Cloud - Compute', 'us-east-1'], 10)] };
const currentDay = {
  TimePeriod: { Start: '2026-11-27', End: '2026-11-28' },
  Groups: [group(['Amazon Elastic Compute Cloud - Compute', 'us-east-1'], 12), group(['Amazon Elastic Compute Cloud - Compute', 'ap-southeast-2'], 900)],
};

describe('cost check', () => {
  it('compares the window with the period before, by service and region, in at most 4 requests', async () => {
    ce.on(GetCostAndUsageCommand).callsFake(async (input: { GroupBy?: { Key?: string }[]; NextPageToken?: string }) => {
      if (input.GroupBy?.[0]?.Key === 'LINKED_ACCOUNT') return { ResultsByTime: [] };
      return input.NextPageToken ? { ResultsByTime: [currentDay] } : { ResultsByTime: [previousDay], NextPageToken: 'p2' };
    });
    ce.on(GetAnomaliesCommand).resolves({
      Anomalies: [
        {
          AnomalyId: 'a-1',
          AnomalyScore: { MaxScore: 1, CurrentScore: 1 },
          Impact: { MaxImpact: 500, TotalImpact: 880 },
          MonitorArn: 'm',
          RootCauses: [{ Service: 'Amazon EC2', Region: 'ap-southeast-2' }],
        },
      ],
    });
    const { findings, gaps } = await costCheck(testContext());
    const calls = ce.calls().length;
    expect(calls).toBeLessThanOrEqual(MAX_CE_REQUESTS);
    expect(gaps).toEqual([]);
    const first = ce.commandCalls(GetCostAndUsageCommand)[0]?.args[0].input;
    expect(first?.TimePeriod).toEqual({ Start: '2026-11-15', End: '2026-11-29' });
    expect(first?.GroupBy).toEqual([
      { Type: 'DIMENSION', Key: 'SERVICE' },
      { Type: 'DIMENSION', Key: 'REGION' },
    ]);
    expect(findings.find((f) => f.title.startsWith('New spend in region ap-southeast-2'))?.severity).toBe('high');
    expect(findings.find((f) => f.title.startsWith('Spend in service Amazon Elastic Compute Cloud'))).toBeDefined();
    expect(findings.find((f) => f.title.startsWith('Cost anomaly'))).toMatchObject({ severity: 'high', step: 'D4' });
    expect(findings.find((f) => f.severity === 'info')?.evidence).toMatchObject({ current: 912, previous: 10 });
  });

  it('stops paging at the request budget and says the comparison is partial', async () => {
    ce.on(GetCostAndUsageCommand).resolves({ ResultsByTime: [currentDay], NextPageToken: 'more' });
    ce.on(GetAnomaliesCommand).resolves({ Anomalies: [] });
    const { gaps } = await costCheck(testContext());
    expect(ce.calls().length).toBeLessThanOrEqual(MAX_CE_REQUESTS);
    expect(gaps.map((g) => g.reason)).toContainEqual(expect.stringMatching(/budget of 4 requests/));
  });

  it('reuses results for an hour instead of paying again', async () => {
    ce.on(GetCostAndUsageCommand).resolves({ ResultsByTime: [currentDay] });
    ce.on(GetAnomaliesCommand).resolves({ Anomalies: [] });
    const a = await costCheck(testContext());
    const used = ce.calls().length;
    const b = await costCheck(testContext());
    expect(ce.calls().length).toBe(used);
    expect(b.findings).toEqual(a.findings);
  });

  it('asks again on the next scan when a request failed, instead of reusing the hole for an hour', async () => {
    ce.on(GetCostAndUsageCommand).rejects(awsError('ThrottlingException'));
    ce.on(GetAnomaliesCommand).resolves({ Anomalies: [] });
    const first = await costCheck(testContext());
    expect(first.gaps).not.toHaveLength(0);
    ce.reset();
    ce.on(GetCostAndUsageCommand).resolves({ ResultsByTime: [previousDay, currentDay] });
    ce.on(GetAnomaliesCommand).resolves({ Anomalies: [] });
    const second = await costCheck(testContext());
    expect(ce.commandCalls(GetCostAndUsageCommand).length).toBeGreaterThan(0);
    expect(second.gaps).toEqual([]);
    expect(second.findings.length).toBeGreaterThan(0);
  });

  it('reports access denied as a gap per API', async () => {
    ce.on(GetCostAndUsageCommand).rejects(awsError('AccessDeniedException'));
    ce.on(GetAnomaliesCommand).rejects(awsError('AccessDeniedException'));
    const { findings, gaps } = await costCheck(testContext());
    expect(gaps.map((g) => g.reason)).toEqual([
      "aws-ir's scan role is not allowed to call ce:GetCostAndUsage.",
      "aws-ir's scan role is not allowed to call ce:GetAnomalies.",
    ]);
    // Nothing was read, so no "Spend: 0.00 USD" made of missing data.
    expect(findings).toEqual([]);
  });

  it('keeps no figures from a cost query that failed after its first page', async () => {
    ce.on(GetCostAndUsageCommand, { NextPageToken: undefined }).resolves({ ResultsByTime: [currentDay], NextPageToken: 'p2' });
    ce.on(GetCostAndUsageCommand, { NextPageToken: 'p2' }).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    ce.on(GetAnomaliesCommand).resolves({ Anomalies: [] });
    const { findings, gaps } = await costCheck(testContext());
    expect(gaps).toHaveLength(1);
    expect(findings).toEqual([]);
  });

  it('reports the spend it read when only the anomaly lookup fails', async () => {
    ce.on(GetCostAndUsageCommand).resolves({ ResultsByTime: [previousDay, currentDay] });
    ce.on(GetAnomaliesCommand).rejects(awsError('AccessDeniedException'));
    const { findings, gaps } = await costCheck(testContext());
    expect(gaps.map((g) => g.reason)).toEqual(["aws-ir's scan role is not allowed to call ce:GetAnomalies."]);
    expect(findings.find((f) => f.severity === 'info')).toMatchObject({
      title: expect.stringMatching(/^Spend: 912\.00 USD in the last 7 days against 10\.00 USD/),
    });
  });

  it('reads no data as unknown spend (a gap), never as "Spend: 0.00 USD"', async () => {
    ce.on(GetCostAndUsageCommand).resolves({ ResultsByTime: [{ TimePeriod: { Start: '2026-11-27', End: '2026-11-28' }, Groups: [] }] });
    ce.on(GetAnomaliesCommand).resolves({ Anomalies: [] });
    const { findings, gaps } = await costCheck(testContext());
    expect(findings).toEqual([]);
    expect(gaps.map((g) => g.reason)).toEqual([expect.stringMatching(/^Cost Explorer returned no cost data for the window .*: spend is unknown, not zero/)]);
  });

  it('says when there is nothing before the window to compare with, instead of calling all spend new', async () => {
    ce.on(GetCostAndUsageCommand).resolves({ ResultsByTime: [currentDay] });
    ce.on(GetAnomaliesCommand).resolves({ Anomalies: [] });
    const { findings, gaps } = await costCheck(testContext());
    expect(findings.map((f) => f.title)).toEqual([expect.stringMatching(/^Spend: 912\.00 USD in the last 7 days against no data in the 7 before$/)]);
    expect(gaps.map((g) => g.reason)).toEqual([expect.stringMatching(/no cost data for the 7 days before the window/)]);
  });

  it('compares like with like when data starts part-way into the previous period', async () => {
    const day = (d: string, amount: number) => ({ TimePeriod: { Start: d, End: d }, Groups: [group(['Amazon Simple Storage Service', 'eu-west-1'], amount)] });
    // Steady 3 USD a day; Cost Explorer has data only from 11-20 on (2 days of the previous period).
    const days = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28'];
    ce.on(GetCostAndUsageCommand).resolves({ ResultsByTime: days.map((d) => day(d, 3)) });
    ce.on(GetAnomaliesCommand).resolves({ Anomalies: [] });
    const { findings } = await costCheck(testContext());
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});
