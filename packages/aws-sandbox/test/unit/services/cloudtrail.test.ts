import { handlers } from '../../../src/services/cloudtrail';
import type { SandboxState } from '../../../src/model';
import { baseState, ctx, errorOf, event, NOW, trail } from './fixtures';

/** The parts of CloudTrail's wire output these tests read; the handlers return `unknown`. */
interface Outputs {
  LookupEvents: { Events: { EventId: string; Resources: unknown; CloudTrailEvent: string }[]; NextToken?: string };
  DescribeTrails: { trailList: { Name: string }[] };
  GetTrailStatus: { IsLogging: boolean };
}

const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const call = <Op extends keyof Outputs>(
  state: SandboxState,
  op: Op,
  params: Record<string, unknown> = {},
  opts: { region?: string; now?: Date } = {},
): Outputs[Op] => handlers[op]!(ctx(state, op, params, { service: 'cloudtrail', ...opts })) as Outputs[Op];
const lookup = (state: SandboxState, params: Record<string, unknown> = {}, opts: { region?: string; now?: Date } = {}) =>
  call(state, 'LookupEvents', params, opts);
const attr = (AttributeKey: string, AttributeValue: string) => ({ LookupAttributes: [{ AttributeKey, AttributeValue }] });

function trailState(): SandboxState {
  const state = baseState();
  state.events.push(
    event({
      eventId: 'e-create-user',
      eventName: 'CreateUser',
      eventTime: minutesAgo(30),
      userName: 'ci-deploy',
      accessKeyId: 'AKIALEAKED',
      resources: [{ resourceType: 'AWS::IAM::User', resourceName: 'svc-backup' }],
      record: { sourceIPAddress: '203.0.113.9', userIdentity: { type: 'IAMUser', userName: 'ci-deploy' } },
    }),
    event({ eventId: 'e-list', eventName: 'ListUsers', eventTime: minutesAgo(40), userName: 'alice', accessKeyId: 'AKIAALICE', readOnly: true }),
    event({
      eventId: 'e-run',
      eventName: 'RunInstances',
      eventSource: 'ec2.amazonaws.com',
      region: 'eu-west-1',
      eventTime: minutesAgo(20),
      userName: 'ci-deploy',
      accessKeyId: 'AKIALEAKED',
      resources: [{ resourceType: 'AWS::EC2::Instance', resourceName: 'i-1' }],
    }),
    event({ eventId: 'e-old', eventName: 'CreateRole', eventTime: new Date(NOW.getTime() - 91 * 86_400_000), userName: 'ci-deploy' }),
  );
  return state;
}

describe('CloudTrail LookupEvents', () => {
  it('returns only the called region, newest first, within 90 days, in the wire shape', () => {
    const state = trailState();
    const out = lookup(state);
    expect(out.Events.map((e) => e.EventId)).toEqual(['e-create-user', 'e-list']);
    const first = out.Events[0];
    expect(first).toMatchObject({
      EventName: 'CreateUser',
      ReadOnly: 'false',
      AccessKeyId: 'AKIALEAKED',
      EventSource: 'iam.amazonaws.com',
      Username: 'ci-deploy',
      EventTime: minutesAgo(30).getTime() / 1000,
    });
    expect(first.Resources).toEqual([{ ResourceType: 'AWS::IAM::User', ResourceName: 'svc-backup' }]);
    const record = JSON.parse(first.CloudTrailEvent);
    expect(record).toMatchObject({
      eventID: 'e-create-user',
      eventName: 'CreateUser',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.9',
      recipientAccountId: '111122223333',
      userIdentity: { userName: 'ci-deploy' },
    });
    expect(record.eventTime).toBe(minutesAgo(30).toISOString().replace('.000Z', 'Z'));
    expect(out.NextToken).toBeUndefined();
    expect(lookup(state, {}, { region: 'eu-west-1' }).Events.map((e) => e.EventId)).toEqual(['e-run']);
  });

  it.each([
    ['EventId', 'e-list', ['e-list']],
    ['EventName', 'CreateUser', ['e-create-user']],
    ['ReadOnly', 'true', ['e-list']],
    ['Username', 'ci-deploy', ['e-create-user']],
    ['ResourceType', 'AWS::IAM::User', ['e-create-user']],
    ['ResourceName', 'svc-backup', ['e-create-user']],
    ['EventSource', 'iam.amazonaws.com', ['e-create-user', 'e-list']],
    ['AccessKeyId', 'AKIAALICE', ['e-list']],
  ])('looks up by %s', (key, value, expected) => {
    expect(lookup(trailState(), attr(key, value)).Events.map((e) => e.EventId)).toEqual(expected);
  });

  it('enforces one lookup attribute, valid keys, MaxResults 1..50, time order and event category', () => {
    const state = trailState();
    expect(
      errorOf(() =>
        lookup(state, {
          LookupAttributes: [
            { AttributeKey: 'Username', AttributeValue: 'a' },
            { AttributeKey: 'EventName', AttributeValue: 'b' },
          ],
        }),
      ).code,
    ).toBe('InvalidLookupAttributesException');
    expect(errorOf(() => lookup(state, attr('SourceIp', '1.2.3.4'))).code).toBe('InvalidLookupAttributesException');
    expect(errorOf(() => lookup(state, { MaxResults: 51 })).code).toBe('InvalidMaxResultsException');
    expect(errorOf(() => lookup(state, { MaxResults: 0 })).code).toBe('InvalidMaxResultsException');
    expect(errorOf(() => lookup(state, { StartTime: NOW.getTime() / 1000, EndTime: NOW.getTime() / 1000 - 60 })).code).toBe('InvalidTimeRangeException');
    expect(errorOf(() => lookup(state, { EventCategory: 'data' })).code).toBe('InvalidEventCategoryException');
    expect(lookup(state, { EventCategory: 'insight' }).Events).toEqual([]);
    expect(errorOf(() => lookup(state, {}, { region: 'ap-east-1' })).code).toBe('UnrecognizedClientException');
  });

  it('honours StartTime/EndTime (epoch seconds) and never reaches past 90 days', () => {
    const state = trailState();
    const window = lookup(state, { StartTime: minutesAgo(35).getTime() / 1000, EndTime: minutesAgo(25).getTime() / 1000 });
    expect(window.Events.map((e) => e.EventId)).toEqual(['e-create-user']);
    const all = lookup(state, { StartTime: new Date(NOW.getTime() - 200 * 86_400_000).getTime() / 1000 });
    expect(all.Events.map((e) => e.EventId)).not.toContain('e-old');
  });

  it('pages 50 at a time with a token that stays valid while new events are written', () => {
    const state = baseState();
    for (let i = 0; i < 120; i++)
      state.events.push(event({ eventId: `bulk-${String(i).padStart(3, '0')}`, eventName: 'GetUser', eventTime: minutesAgo(200 - i) }));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = lookup(state, token ? { NextToken: token } : {});
      seen.push(...out.Events.map((e) => e.EventId));
      token = out.NextToken;
      pages++;
      // A write lands between pages (as the framework records remediation calls): it is newer than
      // the cursor, so it neither shifts nor duplicates what the following pages return.
      state.events.push(event({ eventId: `new-${pages}`, eventName: 'DeleteAccessKey', eventTime: NOW }));
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect(seen[0]).toBe('bulk-119');
    expect(seen[119]).toBe('bulk-000');
  });

  it('rejects a token used with different parameters or tampered with', () => {
    const state = baseState();
    for (let i = 0; i < 60; i++) state.events.push(event({ eventName: 'GetUser', eventTime: minutesAgo(i + 1) }));
    const { NextToken } = lookup(state, attr('EventName', 'GetUser'));
    expect(NextToken).toBeDefined();
    expect(lookup(state, { ...attr('EventName', 'GetUser'), NextToken }).Events).toHaveLength(10);
    expect(errorOf(() => lookup(state, { ...attr('EventName', 'ListUsers'), NextToken })).code).toBe('InvalidNextTokenException');
    expect(errorOf(() => lookup(state, { NextToken: 'garbage' })).code).toBe('InvalidNextTokenException');
  });
});

describe('CloudTrail trails', () => {
  function withTrails(): SandboxState {
    const state = baseState();
    state.regions[0]!.trails.push(
      trail({
        name: 'org-trail',
        arn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail',
        homeRegion: 'us-east-1',
        isMultiRegion: true,
        isLogging: true,
        s3BucketName: 'logs',
      }),
    );
    state.regions[1]!.trails.push(
      trail({
        name: 'local',
        arn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/local',
        homeRegion: 'eu-west-1',
        isMultiRegion: false,
        isLogging: false,
        s3BucketName: 'logs-eu',
      }),
    );
    return state;
  }

  it('DescribeTrails shows home-region trails plus multi-region shadow trails', () => {
    const state = withTrails();
    expect(
      call(state, 'DescribeTrails', {}, { region: 'eu-west-1' })
        .trailList.map((t) => t.Name)
        .sort(),
    ).toEqual(['local', 'org-trail']);
    expect(call(state, 'DescribeTrails', { includeShadowTrails: false }, { region: 'eu-west-1' }).trailList.map((t) => t.Name)).toEqual(['local']);
    expect(call(state, 'DescribeTrails').trailList[0]).toMatchObject({
      Name: 'org-trail',
      IsMultiRegionTrail: true,
      HomeRegion: 'us-east-1',
      S3BucketName: 'logs',
    });
  });

  it('GetTrailStatus reports IsLogging by name or ARN and TrailNotFoundException otherwise', () => {
    const state = withTrails();
    expect(call(state, 'GetTrailStatus', { Name: 'org-trail' }).IsLogging).toBe(true);
    expect(call(state, 'GetTrailStatus', { Name: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/local' }).IsLogging).toBe(false);
    expect(errorOf(() => call(state, 'GetTrailStatus', { Name: 'local' })).code).toBe('TrailNotFoundException');
  });
});
