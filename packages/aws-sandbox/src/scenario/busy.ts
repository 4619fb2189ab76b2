/**
 * The `busy` scenario: a production account recording about 2 million management events a week in
 * us-east-1 (288,000 a day, 3.3 a second), with a leaked CI key's attack spread over the whole week, from
 * its first day to its last hours. The account (users, roles, buckets, the trail delivering to S3, the
 * planted attack and its benign look-alikes) is a scenario document like any other; the background is a
 * generated history (trail-store/generated-history.ts) that exists only as stream definitions, so
 * LookupEvents, the trail's log files and Athena read it without it ever being held in memory.
 */
import type { SandboxState } from '../model';
import { GeneratedHistory, type StreamSpec } from '../trail-store/generated-history';
import { actorOf } from './actors';
import { ScenarioReader } from './reader';

export const BUSY_ACCOUNT_ID = '444455556666';
export const BUSY_TRAIL_BUCKET = 'acme-busy-cloudtrail';
export const BUSY_ATHENA = { workgroup: 'aws-ir', database: 'security', table: 'cloudtrail_logs', outputLocation: 's3://acme-busy-athena-results/aws-ir/' };
const DAY_MS = 86_400_000;
const DAYS = 7;
const LEAKED_KEY = 'AKIA444455556666BLD1';
const BACKDOOR_KEY = 'AKIA444455556666BKP1';
const ATTACKER_IPS = ['203.0.113.77', '203.0.113.78'];
const OUTSIDE = '999988887777';

const policy = (statements: unknown[]): unknown => ({ Version: '2012-10-17', Statement: statements });

/** The planted attack (day 1 to the last hours) and what a team does every day that looks like it. */
function plantedEvents(): unknown[] {
  const bot = { actor: 'build-bot', accessKeyId: LEAKED_KEY };
  const backdoor = { actor: 'svc-backup', accessKeyId: BACKDOOR_KEY, sourceIp: ATTACKER_IPS[1], userAgent: 'aws-cli/2.13.5 Python/3.11.4 Linux/5.15' };
  return [
    // Day 1: the leaked key is verified by a secret scanner, then used to make a backdoor administrator.
    { ...bot, time: '-6d22h', eventName: 'GetCallerIdentity', sourceIp: ATTACKER_IPS[0], userAgent: 'TruffleHog' },
    { ...bot, time: '-6d21h50m', eventName: 'ListUsers', sourceIp: ATTACKER_IPS[0], userAgent: 'aws-cli/2.13.5 Python/3.11.4 Linux/5.15' },
    {
      ...bot,
      time: '-6d21h40m',
      eventName: 'CreateUser',
      sourceIp: ATTACKER_IPS[0],
      requestParameters: { userName: 'svc-backup' },
      responseElements: { user: { userName: 'svc-backup', arn: `arn:aws:iam::${BUSY_ACCOUNT_ID}:user/svc-backup` } },
    },
    {
      ...bot,
      time: '-6d21h38m',
      eventName: 'AttachUserPolicy',
      sourceIp: ATTACKER_IPS[0],
      requestParameters: { userName: 'svc-backup', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    },
    {
      ...bot,
      time: '-6d21h36m',
      eventName: 'CreateAccessKey',
      sourceIp: ATTACKER_IPS[0],
      requestParameters: { userName: 'svc-backup' },
      responseElements: { accessKey: { accessKeyId: BACKDOOR_KEY, userName: 'svc-backup', status: 'Active' } },
    },
    // Day 3: a role for the attacker's own account and a data bucket opened to everyone.
    {
      ...backdoor,
      time: '-4d6h',
      eventName: 'CreateRole',
      requestParameters: {
        roleName: 'ops-support',
        assumeRolePolicyDocument: JSON.stringify(policy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OUTSIDE}:root` }, Action: 'sts:AssumeRole' }])),
      },
      responseElements: { role: { roleName: 'ops-support', arn: `arn:aws:iam::${BUSY_ACCOUNT_ID}:role/ops-support` } },
    },
    {
      ...backdoor,
      time: '-4d5h',
      eventName: 'PutBucketPolicy',
      eventSource: 's3.amazonaws.com',
      requestParameters: {
        bucketName: 'acme-busy-data',
        Host: 'acme-busy-data.s3.amazonaws.com',
        policy: '',
        bucketPolicy: policy([{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-busy-data/*' }]),
      },
    },
    // Day 5: detection switched off, a snapshot shared out.
    { ...backdoor, time: '-2d3h', eventName: 'DeleteDetector', requestParameters: { detectorId: 'b4c3e1f00d1e5busy0000000000000001' } },
    {
      ...backdoor,
      time: '-2d2h',
      eventName: 'ModifySnapshotAttribute',
      requestParameters: {
        snapshotId: 'snap-0b0a5e1e5ca1ab1e0',
        attributeType: 'CREATE_VOLUME_PERMISSION',
        createVolumePermission: { add: { items: [{ userId: OUTSIDE }] } },
      },
    },
    // Day 7: GPU instances, a burst of denied secret listings, another user's password changed.
    {
      ...backdoor,
      time: '-5h',
      eventName: 'RunInstances',
      requestParameters: { instanceType: 'p3.16xlarge', minCount: 4, maxCount: 4, imageId: 'ami-0abcdef1234567890' },
      responseElements: { instancesSet: { items: [{ instanceId: 'i-0b0a5e0000000a001', instanceType: 'p3.16xlarge' }] } },
    },
    {
      ...backdoor,
      time: '-3h',
      eventName: 'ListSecrets',
      eventSource: 'secretsmanager.amazonaws.com',
      errorCode: 'AccessDenied',
      errorMessage: 'User is not authorized to perform: secretsmanager:ListSecrets',
      repeat: { every: '1m', count: 8 },
    },
    { ...backdoor, time: '-1h', eventName: 'UpdateLoginProfile', requestParameters: { userName: 'alice', passwordResetRequired: false } },

    // Look-alikes: an administrator at her desk (MFA session, office address) onboarding an intern.
    {
      actor: 'bob',
      time: '-3d2h',
      eventName: 'AttachUserPolicy',
      sourceIp: '198.51.100.20',
      mfa: true,
      requestParameters: { userName: 'intern-2026', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    },
    { actor: 'alice', time: '-1d1h', eventName: 'ConsoleLogin', sourceIp: '198.51.100.20', repeat: { every: '1d', count: 7 } },
  ];
}

function scenarioDocument(): unknown {
  return {
    name: 'busy',
    description:
      'Generated: a production account recording about 2 million management events over 7 days in us-east-1, its trail delivering to S3 and queryable in Athena, and a leaked CI key used from the first day to the last hours.',
    accountId: BUSY_ACCOUNT_ID,
    accountAlias: 'acme-busy',
    root: { createDate: '-2500d', passwordLastUsed: '-400d', mfaActive: true },
    policies: [
      { policyName: 'AdministratorAccess', scope: 'AWS', document: policy([{ Effect: 'Allow', Action: '*', Resource: '*' }]) },
      {
        policyName: 'ReadOnlyAccess',
        scope: 'AWS',
        document: policy([{ Effect: 'Allow', Action: ['ec2:Describe*', 'iam:Get*', 'iam:List*'], Resource: '*' }]),
      },
    ],
    groups: [{ groupName: 'admins', createDate: '-2000d', attachedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] }],
    users: [
      {
        userName: 'alice',
        createDate: '-1800d',
        groups: ['admins'],
        password: { lastUsed: '-1d', lastChanged: '-1h' },
        mfaDevices: [{ virtual: true, enableDate: '-1700d' }],
      },
      {
        userName: 'bob',
        createDate: '-1500d',
        groups: ['admins'],
        password: { lastUsed: '-2h', lastChanged: '-90d' },
        mfaDevices: [{ virtual: true, enableDate: '-1400d' }],
      },
      {
        userName: 'build-bot',
        createDate: '-700d',
        groups: ['admins'],
        accessKeys: [{ accessKeyId: LEAKED_KEY, createDate: '-400d', lastUsed: { date: '-10m', region: 'us-east-1', service: 'lambda' } }],
      },
      {
        userName: 'reporting',
        createDate: '-600d',
        attachedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
        accessKeys: [{ accessKeyId: 'AKIA444455556666RPT1', createDate: '-300d', lastUsed: { date: '-1h', region: 'us-east-1', service: 'ce' } }],
      },
      {
        userName: 'svc-backup',
        createDate: '-6d21h40m',
        attachedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        accessKeys: [{ accessKeyId: BACKDOOR_KEY, createDate: '-6d21h36m', lastUsed: { date: '-1h', region: 'us-east-1', service: 'iam' } }],
      },
    ],
    roles: [
      {
        roleName: 'orders-api',
        createDate: '-900d',
        trustPolicy: policy([{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
      },
      {
        roleName: 'batch-jobs',
        createDate: '-800d',
        trustPolicy: policy([{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
      },
      {
        roleName: 'datadog-integration',
        createDate: '-700d',
        trustPolicy: policy([
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::464622532012:root' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': 'acme-dd-7731' } },
          },
        ]),
      },
      {
        roleName: 'ops-support',
        createDate: '-4d6h',
        trustPolicy: policy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OUTSIDE}:root` }, Action: 'sts:AssumeRole' }]),
      },
    ],
    trails: [{ name: 'management-events', homeRegion: 'us-east-1', isMultiRegion: true, s3BucketName: BUSY_TRAIL_BUCKET, startedLogging: '-400d' }],
    buckets: [
      { name: BUSY_TRAIL_BUCKET, region: 'us-east-1', created: '-400d' },
      { name: 'acme-busy-athena-results', region: 'us-east-1', created: '-300d' },
      {
        name: 'acme-busy-data',
        region: 'us-east-1',
        created: '-900d',
        publicAccessBlock: false,
        policy: policy([{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-busy-data/*' }]),
      },
    ],
    events: plantedEvents(),
    costs: [
      { service: 'Amazon Elastic Compute Cloud - Compute', region: 'us-east-1', from: '-75d', to: 'now', daily: 410, variation: 0.05 },
      { service: 'AWS Key Management Service', region: 'us-east-1', from: '-75d', to: 'now', daily: 95, variation: 0.05 },
      { service: 'AWS CloudTrail', region: 'us-east-1', from: '-75d', to: 'now', daily: 12, variation: 0.05 },
    ],
    contact: { fullName: 'Acme Busy', countryCode: 'US', phoneNumber: '+14155550123' },
    alternateContacts: [{ type: 'SECURITY', name: 'Security', title: 'Security', emailAddress: 'security@busy.example', phoneNumber: '+14155550124' }],
  };
}

/** One caller and its calls per day: a stream per call, all spread over the week. */
interface Caller {
  actor: string;
  sourceIp: string;
  userAgent: string;
  mfa?: boolean;
  calls: [eventName: string, eventSource: string, perDay: number, readOnly?: boolean][];
  request?: Record<string, (j: number) => Record<string, unknown> | null>;
}

const SDK = 'aws-sdk-java/2.25.60 Linux/5.10 OpenJDK_64-Bit_Server_VM/17';
const CONSOLE = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';

/**
 * 288,000 events a day: reads dominate (KMS for an application's data, a monitoring vendor and AWS Config
 * describing everything), about 4% are writes (logs, network interfaces, tags, deployments), and some
 * high-signal calls are everyday here (services assuming roles, Auto Scaling launching, an application
 * reading its secret, the CI deploying, administrators signing in).
 */
const CALLERS: Caller[] = [
  {
    actor: 'role:orders-api/ecs-task-7f3a',
    sourceIp: '10.20.0.15',
    userAgent: SDK,
    calls: [
      ['Decrypt', 'kms.amazonaws.com', 60_000, true],
      ['GenerateDataKey', 'kms.amazonaws.com', 20_000, true],
      ['DescribeTable', 'dynamodb.amazonaws.com', 10_000, true],
      ['GetSecretValue', 'secretsmanager.amazonaws.com', 144, true],
      ['CreateLogStream', 'logs.amazonaws.com', 4_000, false],
    ],
    request: { GetSecretValue: () => ({ secretId: 'orders/db' }) },
  },
  {
    actor: 'role:batch-jobs/run',
    sourceIp: '10.20.1.30',
    userAgent: SDK,
    calls: [
      ['DescribeInstances', 'ec2.amazonaws.com', 12_000, true],
      ['CreateNetworkInterface', 'ec2.amazonaws.com', 2_000, false],
      ['DeleteNetworkInterface', 'ec2.amazonaws.com', 2_000, false],
      ['PutItem', 'dynamodb.amazonaws.com', 0, false],
      ['DescribeLogStreams', 'logs.amazonaws.com', 6_000, true],
    ],
  },
  {
    actor: 'role:datadog-integration/DatadogAWSIntegration',
    sourceIp: '3.233.144.10',
    userAgent: 'Datadog',
    calls: [
      ['DescribeInstances', 'ec2.amazonaws.com', 30_000, true],
      ['DescribeVolumes', 'ec2.amazonaws.com', 20_000, true],
      ['GetMetricData', 'monitoring.amazonaws.com', 40_000, true],
      ['ListMetrics', 'monitoring.amazonaws.com', 15_000, true],
      ['DescribeDBInstances', 'rds.amazonaws.com', 5_000, true],
      ['DescribeAlarms', 'monitoring.amazonaws.com', 8_000, true],
      ['ListTagsForResource', 'rds.amazonaws.com', 4_000, true],
    ],
  },
  {
    actor: 'service:config.amazonaws.com',
    sourceIp: 'config.amazonaws.com',
    userAgent: 'config.amazonaws.com',
    calls: [
      ['DescribeSecurityGroups', 'ec2.amazonaws.com', 15_000, true],
      ['DescribeSubnets', 'ec2.amazonaws.com', 10_000, true],
      ['GetBucketAcl', 's3.amazonaws.com', 3_000, true],
      ['DescribeNetworkInterfaces', 'ec2.amazonaws.com', 6_000, true],
    ],
  },
  {
    actor: 'service:ecs-tasks.amazonaws.com',
    sourceIp: 'ecs-tasks.amazonaws.com',
    userAgent: 'ecs-tasks.amazonaws.com',
    calls: [['AssumeRole', 'sts.amazonaws.com', 500, true]],
    request: { AssumeRole: (j) => ({ roleArn: `arn:aws:iam::${BUSY_ACCOUNT_ID}:role/${j % 2 ? 'orders-api' : 'batch-jobs'}`, roleSessionName: `ecs-${j}` }) },
  },
  {
    actor: 'service:autoscaling.amazonaws.com',
    sourceIp: 'autoscaling.amazonaws.com',
    userAgent: 'autoscaling.amazonaws.com',
    calls: [
      ['RunInstances', 'ec2.amazonaws.com', 40, false],
      ['TerminateInstances', 'ec2.amazonaws.com', 40, false],
      ['CreateTags', 'ec2.amazonaws.com', 1_000, false],
    ],
    request: { RunInstances: (j) => ({ instanceType: 'm5.large', minCount: 1, maxCount: 1, launchTemplate: { launchTemplateName: `web-${j % 3}` } }) },
  },
  {
    actor: 'build-bot',
    sourceIp: '198.51.100.40',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1',
    calls: [
      ['UpdateFunctionCode', 'lambda.amazonaws.com', 24, false],
      ['GetFunction', 'lambda.amazonaws.com', 1_000, true],
      ['RegisterTaskDefinition', 'ecs.amazonaws.com', 24, false],
      ['UpdateService', 'ecs.amazonaws.com', 24, false],
      ['DescribeServices', 'ecs.amazonaws.com', 2_000, true],
    ],
    request: { UpdateFunctionCode: () => ({ functionName: 'orders-webhook' }) },
  },
  {
    actor: 'reporting',
    sourceIp: '198.51.100.41',
    userAgent: 'Boto3/1.34.0 Python/3.11',
    calls: [
      ['GetCostAndUsage', 'ce.amazonaws.com', 200, true],
      ['ListBuckets', 's3.amazonaws.com', 200, true],
    ],
  },
  {
    actor: 'alice',
    sourceIp: '198.51.100.20',
    userAgent: CONSOLE,
    mfa: true,
    calls: [
      ['DescribeInstances', 'ec2.amazonaws.com', 1_500, true],
      ['ListFunctions20150331', 'lambda.amazonaws.com', 300, true],
      ['GetAccountSummary', 'iam.amazonaws.com', 50, true],
      ['PutParameter', 'ssm.amazonaws.com', 5, false],
    ],
  },
  {
    actor: 'bob',
    sourceIp: '198.51.100.20',
    userAgent: CONSOLE,
    mfa: true,
    calls: [
      ['DescribeInstances', 'ec2.amazonaws.com', 1_000, true],
      ['GetUser', 'iam.amazonaws.com', 100, true],
      ['ListRoles', 'iam.amazonaws.com', 100, true],
    ],
  },
];

/** The remainder up to 288,000 a day goes to the monitoring vendor's most frequent read. */
const PER_DAY = 288_000;

/**
 * Streams of the generated week, built against the scenario's state (identities of its users and roles).
 * `scale` shrinks every stream (tests run `busy-small`, a hundredth), keeping each at least daily.
 */
function streams(state: SandboxState, now: Date, scale: number): StreamSpec[] {
  const r = new ScenarioReader('busy (generated)', now);
  const to = now.getTime() - 30_000;
  const from = to - DAYS * DAY_MS;
  const total = CALLERS.flatMap((c) => c.calls).reduce((n, [, , perDay]) => n + perDay, 0);
  const out: StreamSpec[] = [];
  for (const c of CALLERS) {
    const actor = actorOf(r, state, c.actor, `busy.${c.actor}`);
    const identity: Record<string, unknown> = { ...actor.identity };
    if (actor.accessKeyId) identity.accessKeyId = actor.accessKeyId;
    if (c.mfa !== undefined) {
      const context = (identity.sessionContext as Record<string, unknown> | undefined) ?? {};
      identity.sessionContext = {
        ...context,
        attributes: { creationDate: new Date(from).toISOString().replace(/\.\d{3}Z$/, 'Z'), mfaAuthenticated: String(c.mfa) },
      };
    }
    for (const [eventName, eventSource, perDay, readOnly = false] of c.calls) {
      const extra = c === CALLERS[2] && eventName === 'GetMetricData' ? PER_DAY - total : 0;
      const count = Math.max(perDay > 0 ? DAYS : 0, Math.round((perDay + extra) * DAYS * scale));
      if (count <= 0) continue;
      const spec: StreamSpec = {
        region: 'us-east-1',
        eventName,
        eventSource,
        readOnly,
        count,
        from,
        to,
        record: { userIdentity: identity, sourceIPAddress: c.sourceIp, userAgent: c.userAgent, requestParameters: null, responseElements: null },
      };
      if (actor.userName) spec.userName = actor.userName;
      if (actor.accessKeyId) spec.accessKeyId = actor.accessKeyId;
      const request = c.request?.[eventName];
      if (request) spec.request = request;
      out.push(spec);
    }
  }
  r.throwIfInvalid();
  return out;
}

export function generateBusyScenario(): unknown {
  return scenarioDocument();
}

/** Attaches the generated week and Athena's table to a state built from the busy document. */
export function addBusyHistory(state: SandboxState, now: Date, scale = 1): void {
  state.generated = new GeneratedHistory(streams(state, now, scale), state.accountId);
  state.athena = {
    workgroups: [{ name: 'primary' }, { name: BUSY_ATHENA.workgroup, outputLocation: BUSY_ATHENA.outputLocation }],
    tables: [{ database: BUSY_ATHENA.database, table: BUSY_ATHENA.table, location: `s3://${BUSY_TRAIL_BUCKET}/AWSLogs/${state.accountId}/CloudTrail/` }],
  };
}
