import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { isAccelerated, parseLambdaDate, resourcesCheck } from '../../../src/scan/checks/resources';
import { awsError, daysAgo, testContext } from './helpers';

const ec2 = mockClient(EC2Client);
const lambda = mockClient(LambdaClient);
beforeEach(() => {
  ec2.reset();
  lambda.reset();
});

const instance = (id: string, type: string, launched: Date, state = 'running') => ({
  InstanceId: id,
  InstanceType: type,
  LaunchTime: launched,
  State: { Name: state },
});

describe('resources check', () => {
  it('knows the accelerated families', () => {
    for (const t of ['p4d.24xlarge', 'g5.xlarge', 'inf2.xlarge', 'trn1.2xlarge', 'dl1.24xlarge', 'f1.2xlarge']) expect(isAccelerated(t)).toBe(true);
    for (const t of ['t3.micro', 'm5.large', 'c7g.large', 'gp3']) expect(isAccelerated(t)).toBe(false);
    expect(parseLambdaDate('2026-11-27T10:15:30.000+0000')?.toISOString()).toBe('2026-11-27T10:15:30.000Z');
  });

  it('flags GPU instances in unused regions, new instances elsewhere, and new functions, across pages', async () => {
    ec2.on(DescribeInstancesCommand).callsFake(async (input: { NextToken?: string }, getClient: () => EC2Client) => {
      const region = await getClient().config.region();
      if (region === 'us-east-1') {
        return input.NextToken
          ? { Reservations: [{ Instances: [instance('i-new', 't3.micro', daysAgo(1))] }] }
          : {
              NextToken: 'p2',
              Reservations: [{ Instances: [instance('i-old', 'm5.large', daysAgo(400)), instance('i-gone', 'p3.2xlarge', daysAgo(1), 'terminated')] }],
            };
      }
      return { Reservations: [{ Instances: [instance('i-gpu', 'p4d.24xlarge', daysAgo(2))] }] };
    });
    lambda.on(ListFunctionsCommand).callsFake(async (_i: unknown, getClient: () => LambdaClient) => {
      const region = await getClient().config.region();
      return region === 'us-east-1'
        ? {
            Functions: [
              { FunctionName: 'f', FunctionArn: 'arn:aws:lambda:us-east-1:1:function:f', LastModified: daysAgo(1).toISOString().replace('Z', '+0000') },
            ],
          }
        : { Functions: [] };
    });
    const { findings, gaps } = await resourcesCheck(testContext({ regions: ['us-east-1', 'ap-south-1'] }));
    expect(gaps).toEqual([]);
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(3);
    const gpu = findings.find((f) => f.resources[0] === 'i-gpu');
    expect(gpu).toMatchObject({
      severity: 'critical',
      step: 'R5',
      actions: ['instance.isolate', 'instance.snapshot', 'instance.terminate'],
      target: { kind: 'instance', region: 'ap-south-1', instanceId: 'i-gpu' },
    });
    expect(findings.find((f) => f.resources[0] === 'i-new')?.severity).toBe('medium');
    expect(findings.some((f) => f.resources[0] === 'i-old' || f.resources[0] === 'i-gone')).toBe(false);
    expect(findings.find((f) => f.title.startsWith('Lambda function f'))?.severity).toBe('medium');
  });

  it('records a disabled region or denied call as a gap for that region only', async () => {
    ec2.on(DescribeInstancesCommand).callsFake(async (_i: unknown, getClient: () => EC2Client) => {
      if ((await getClient().config.region()) === 'me-south-1') throw awsError('AuthFailure');
      return { Reservations: [] };
    });
    lambda.on(ListFunctionsCommand).rejects(awsError('AccessDeniedException'));
    const { gaps } = await resourcesCheck(testContext({ regions: ['us-east-1', 'me-south-1'] }));
    expect(gaps).toContainEqual({
      check: 'resources',
      region: 'me-south-1',
      reason: 'region me-south-1 is disabled or not opted in for this account (ec2:DescribeInstances answered AuthFailure).',
    });
    expect(gaps).toContainEqual({ check: 'resources', region: 'us-east-1', reason: "aws-ir's scan role is not allowed to call lambda:ListFunctions." });
  });
});
