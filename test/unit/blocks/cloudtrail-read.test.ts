import { expectWithinBlockKitLimits } from '../../support/block-kit';
import { summaryBlocks } from '../../../src/blocks/summary';
import type { RegionReport } from '../../../src/scan/sources/model';
import { scanResult } from '../../support/scan-fixtures';

const quiet = (region: string): RegionReport => ({
  region,
  strategy: 'full',
  source: 'lookup-events',
  coverage: [],
  notCovered: [],
  requests: 1,
  bytes: 100,
  eventsRead: 3,
});

describe('the summary says how CloudTrail was read', () => {
  it('names the strategy of each busy region and what it could not cover, escaped', () => {
    const busy: RegionReport = {
      ...quiet('us-east-1'),
      strategy: 'event-names',
      eventsRead: 21_151,
      requests: 601,
      notCovered: ['calls in us-east-1 outside the catalog’s event names <!channel> were not read.'],
    };
    const result = { ...scanResult([], []), cloudtrail: { regions: [busy, quiet('eu-west-1'), quiet('eu-west-2')] } };
    const blocks = summaryBlocks(result, { user: 'U1', days: 7 });
    expectWithinBlockKitLimits(blocks);
    const text = JSON.stringify(blocks);
    expect(text).toContain('CloudTrail read');
    expect(text).toContain('us-east-1: targeted LookupEvents: each catalog event name, implicated keys and users, 21,151 events, 601 requests');
    expect(text).toContain('not covered: calls in us-east-1');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('2 regions read in full through LookupEvents (6 events)');
  });

  it('reports the log files and Athena with their bytes and cost', () => {
    const s3: RegionReport = { ...quiet('us-east-1'), strategy: 'athena', source: 'athena', eventsRead: 4_973 };
    const result = { ...scanResult([], []), cloudtrail: { regions: [s3], athena: { queryIds: ['q1', 'q2'], scannedBytes: 155_067_299, costUsd: 0.00078 } } };
    const text = JSON.stringify(summaryBlocks(result, { user: 'U1', days: 7 }));
    expect(text).toContain('us-east-1: Athena over the trail, 4,973 events');
    expect(text).toContain('Athena: 155.1 MB scanned, about $0.0008');
  });

  it('says nothing more when every region was read in full', () => {
    const result = { ...scanResult([], []), cloudtrail: { regions: [quiet('us-east-1')] } };
    expect(JSON.stringify(summaryBlocks(result, { user: 'U1', days: 7 }))).not.toContain('CloudTrail read');
  });
});
