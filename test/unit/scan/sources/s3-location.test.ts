/**
 * Which period a trail's log files can stand in for LookupEvents: only while the trail logged every
 * management event, up to its latest delivery (an attacker's StopLogging leaves the rest to LookupEvents).
 */
import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { DELIVERY_MARGIN_MS, logLocation } from '../../../../src/scan/sources/s3-location';
import { ACCOUNT, daysAgo, NOW, testContext } from '../helpers';

const ct = mockClient(CloudTrailClient);
const s3 = mockClient(S3Client);
const TRAIL = {
  Name: 'main',
  TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`,
  HomeRegion: 'us-east-1',
  IsMultiRegionTrail: true,
  S3BucketName: 'trail-bucket',
};

beforeEach(() => {
  ct.reset();
  s3.reset();
});
afterAll(() => {
  ct.restore();
  s3.restore();
});

const from = daysAgo(7);

it('covers the window up to the latest delivery (less a margin for late files) when the trail logs every management event', async () => {
  ct.on(DescribeTrailsCommand).resolves({ trailList: [TRAIL] });
  ct.on(GetTrailStatusCommand).resolves({ IsLogging: true, StartLoggingTime: daysAgo(400), LatestDeliveryTime: new Date(NOW.getTime() - 120_000) });
  const r = await logLocation(testContext(), {}, 'eu-west-1', from, NOW);
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  expect(r.period.from).toEqual(from);
  expect(r.period.to).toEqual(new Date(NOW.getTime() - 120_000 - DELIVERY_MARGIN_MS));
  expect(r.period.location).toMatchObject({ bucket: 'trail-bucket', root: `AWSLogs/${ACCOUNT}/CloudTrail/`, region: 'us-east-1' });
});

it('stops at the time the trail stopped logging, and says so', async () => {
  ct.on(DescribeTrailsCommand).resolves({ trailList: [TRAIL] });
  ct.on(GetTrailStatusCommand).resolves({ IsLogging: false, StartLoggingTime: daysAgo(400), StopLoggingTime: daysAgo(2) });
  const r = await logLocation(testContext(), {}, 'us-east-1', from, NOW);
  expect(r.ok && r.period.to).toEqual(daysAgo(2));
  expect(r.ok && r.period.notes.join(' ')).toContain('stopped logging');
});

it('refuses a trail whose selectors drop management events', async () => {
  ct.on(DescribeTrailsCommand).resolves({ trailList: [{ ...TRAIL, HasCustomEventSelectors: true }] });
  ct.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  ct.on(GetEventSelectorsCommand).resolves({ EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] });
  const r = await logLocation(testContext(), {}, 'us-east-1', from, NOW);
  expect(r).toEqual({ ok: false, reason: 'trail main does not record every management event' });
});

it('finds an organization trail’s account folder under o-ORGID', async () => {
  ct.on(DescribeTrailsCommand).resolves({ trailList: [{ ...TRAIL, IsOrganizationTrail: true, S3KeyPrefix: 'org/' }] });
  ct.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  s3.on(ListObjectsV2Command).resolves({ CommonPrefixes: [{ Prefix: 'org/AWSLogs/o-abc123def4/' }] });
  const r = await logLocation(testContext(), {}, 'us-east-1', from, NOW);
  expect(r.ok && r.period.location.root).toBe(`org/AWSLogs/o-abc123def4/${ACCOUNT}/CloudTrail/`);
  expect(s3.commandCalls(ListObjectsV2Command)[0]?.args[0].input).toMatchObject({ Bucket: 'trail-bucket', Prefix: 'org/AWSLogs/', Delimiter: '/' });
});

it('says there is none when no trail delivers the region', async () => {
  ct.on(DescribeTrailsCommand).resolves({ trailList: [{ ...TRAIL, IsMultiRegionTrail: false, HomeRegion: 'eu-west-1' }] });
  expect(await logLocation(testContext(), {}, 'us-east-1', from, NOW)).toEqual({
    ok: false,
    reason: 'no trail delivers us-east-1’s events to S3'.replace('’', "'"),
  });
});
