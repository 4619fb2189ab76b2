import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidPrincipalError, parsePrincipal, principalActivity } from '../../../src/scan/trail';
import { ACCOUNT, awsError, daysAgo, NOW, testClients } from './helpers';

const ct = mockClient(CloudTrailClient);
const ec2 = mockClient(EC2Client);
beforeEach(() => {
  ct.reset();
  ec2.reset();
});

describe('parsePrincipal', () => {
  it('recognises keys, users, roles and ARNs', () => {
    expect(parsePrincipal('AKIAIOSFODNN7EXAMPLE')).toEqual({ kind: 'access-key', name: 'AKIAIOSFODNN7EXAMPLE' });
    expect(parsePrincipal('ci-deploy')).toEqual({ kind: 'user', name: 'ci-deploy' });
    expect(parsePrincipal('role/ops-support')).toEqual({ kind: 'role', name: 'ops-support' });
    expect(parsePrincipal(`arn:aws:iam::${ACCOUNT}:role/team/ops`)).toEqual({ kind: 'role', name: 'ops' });
    expect(() => parsePrincipal('not a name!')).toThrow(InvalidPrincipalError);
  });
});

describe('principalActivity', () => {
  it('looks up the access key in every enabled region and summarises per region', async () => {
    ec2.on(DescribeRegionsCommand).resolves({
      Regions: [
        { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
        { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required' },
      ],
    });
    ct.on(LookupEventsCommand).callsFake(async (_input: unknown, getClient: () => CloudTrailClient) => {
      const region = await getClient().config.region();
      if (region === 'eu-west-1') throw awsError('AccessDeniedException');
      return {
        Events: [
          {
            EventName: 'CreateUser',
            EventTime: daysAgo(1),
            CloudTrailEvent: JSON.stringify({
              userIdentity: { type: 'IAMUser', arn: 'arn:x', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
              sourceIPAddress: '203.0.113.7',
            }),
          },
          { EventName: 'CreateUser', EventTime: daysAgo(2), CloudTrailEvent: '{}' },
        ],
      };
    });
    const a = await principalActivity(testClients(), { principal: 'AKIAIOSFODNN7EXAMPLE', window: { start: daysAgo(7), end: NOW } });
    expect(ct.commandCalls(LookupEventsCommand)[0]?.args[0].input.LookupAttributes).toEqual([
      { AttributeKey: 'AccessKeyId', AttributeValue: 'AKIAIOSFODNN7EXAMPLE' },
    ]);
    expect(a.totalEvents).toBe(2);
    expect(a.regions.map((r) => r.region)).toEqual(['us-east-1']);
    expect(a.regions[0]?.counts).toEqual({ CreateUser: 2 });
    expect(a.sourceIps).toEqual(['203.0.113.7']);
    expect(a.gaps).toEqual([{ region: 'eu-west-1', reason: "aws-ir's scan role is not allowed to call cloudtrail:LookupEvents." }]);
  });

  it('uses the Username attribute for users and ResourceName for roles', async () => {
    ct.on(LookupEventsCommand).resolves({ Events: [] });
    await principalActivity(testClients(), { principal: 'svc-backup', regions: ['us-east-1'] });
    await principalActivity(testClients(), { principal: 'role/ops-support', regions: ['us-east-1'] });
    const attrs = ct.commandCalls(LookupEventsCommand).map((c) => c.args[0].input.LookupAttributes?.[0]?.AttributeKey);
    // A role's AssumeRole calls are also read by event name: who assumed it is part of its trail.
    expect(attrs).toEqual(['Username', 'ResourceName', 'EventName']);
  });
});
