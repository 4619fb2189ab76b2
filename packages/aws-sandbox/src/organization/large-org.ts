/**
 * `large-org`, generated: a management account and 100 members in five units, each member a small
 * account of its own (a few users, a CI key, CloudTrail activity of 150–500 events in its busiest
 * region, so members' rate-limit floors differ as real accounts' do). Three members show the same
 * attacker address creating an administrator (a story across accounts); one member's aws-ir role is
 * missing (the broken account the benchmark expects as a gap). Members are built only when reached.
 */
const MEMBERS = 100;
const MANAGEMENT_ID = '900000000000';
export const LARGE_ORG_BROKEN_MEMBER = memberId(37);
export const LARGE_ORG_COMPROMISED_MEMBERS = [7, 23, 61].map(memberId);
export const LARGE_ORG_ATTACKER_IP = '203.0.113.77';
const UNITS = ['Production', 'Staging', 'Development', 'Data', 'Security'];

function memberId(i: number): string {
  return `9000000${String(10000 + i).padStart(5, '0')}`;
}

const unitId = (u: number) => `ou-lg00-unit000${u}`;

/** Events in the member's busiest region (150–500: 3 to 10 pages of LookupEvents). */
export function largeOrgMemberEvents(i: number): number {
  return 150 + ((i * 53) % 351);
}

function memberScenario(i: number): Record<string, unknown> {
  const id = memberId(i);
  const events = largeOrgMemberEvents(i);
  const doc: Record<string, unknown> = {
    name: `member-${i}`,
    accountId: id,
    root: { createDate: '-900d', passwordLastUsed: '-200d', mfaActive: true },
    policies: [
      {
        policyName: 'AdministratorAccess',
        scope: 'AWS',
        createDate: '-3000d',
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      },
    ],
    users: [
      {
        userName: 'admin',
        createDate: '-800d',
        attachedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        password: { lastUsed: '-2d', lastChanged: '-60d' },
        mfaDevices: [{ virtual: true, enableDate: '-790d' }],
      },
      {
        userName: 'ci-deploy',
        createDate: '-500d',
        accessKeys: [
          { accessKeyId: `AKIAORG${String(i).padStart(3, '0')}CIDEPLOY00`, createDate: '-90d', lastUsed: { date: '-1h', region: 'us-east-1', service: 'ec2' } },
        ],
      },
      { userName: 'reader', createDate: '-300d', password: { lastUsed: '-5d', lastChanged: '-40d' }, mfaDevices: [{ virtual: true, enableDate: '-290d' }] },
    ],
    activity: [
      {
        actor: 'ci-deploy',
        from: '-7d',
        to: '-10m',
        count: events,
        regions: ['us-east-1'],
        sourceIps: [`198.51.100.${(i % 200) + 10}`],
        events: ['ec2:DescribeInstances', 'ec2:DescribeVolumes', 'ec2:CreateTags'],
        seed: 5000 + i,
      },
      {
        actor: 'admin',
        from: '-7d',
        to: '-1h',
        count: Math.floor(events / 3),
        regions: ['eu-west-1'],
        sourceIps: ['192.0.2.10'],
        events: ['ec2:DescribeInstances', 'ec2:DescribeSecurityGroups'],
        seed: 9000 + i,
      },
    ],
    instances: [{ region: 'us-east-1', instanceType: 't3.medium', launchTime: '-120d', tags: { Name: `app-${i}` } }],
    costs: [{ service: 'Amazon Elastic Compute Cloud - Compute', region: 'us-east-1', from: '-75d', to: 'now', daily: 20 + (i % 7), variation: 0.05 }],
    contact: { fullName: `Member ${i}`, addressLine1: '1 Main St', city: 'Seattle', countryCode: 'US', postalCode: '98101', phoneNumber: '+12065550100' },
    alternateContacts: [{ type: 'SECURITY', name: 'Security team', title: 'SOC', emailAddress: 'security@example.com', phoneNumber: '+12065550101' }],
  };
  return doc;
}

/** What the attacker did in each compromised member, from one address: an administrator of their own. */
function attackerEvents(i: number): unknown[] {
  const key = `AKIAORG${String(i).padStart(3, '0')}CIDEPLOY00`;
  const common = { actor: 'ci-deploy', accessKeyId: key, sourceIp: LARGE_ORG_ATTACKER_IP, userAgent: 'aws-cli/2.13.0 Python/3.11.4 Linux/6.1' };
  return [
    { ...common, time: '-6h', eventName: 'CreateUser', requestParameters: { userName: 'svc-backup' } },
    {
      ...common,
      time: '-5h59m',
      eventName: 'AttachUserPolicy',
      requestParameters: { userName: 'svc-backup', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    },
    { ...common, time: '-5h58m', eventName: 'CreateAccessKey', requestParameters: { userName: 'svc-backup' } },
  ];
}

export function generateLargeOrgScenario(): Record<string, unknown> {
  const members = Array.from({ length: MEMBERS }, (_, k) => {
    const i = k + 1;
    const id = memberId(i);
    const member: Record<string, unknown> = { accountId: id, name: `member-${i}`, unit: unitId(i % UNITS.length), scenario: memberScenario(i) };
    if (id === LARGE_ORG_BROKEN_MEMBER) member.memberRoles = false;
    if (LARGE_ORG_COMPROMISED_MEMBERS.includes(id)) member.events = attackerEvents(i);
    return member;
  });
  return {
    kind: 'organization',
    name: 'large-org',
    description: 'Generated: a management account and 100 member accounts in 5 units; 3 members compromised from one address, 1 member without aws-ir role.',
    organization: { id: 'o-largeorg0001', units: UNITS.map((name, u) => ({ id: unitId(u), name })) },
    management: { accountId: MANAGEMENT_ID, name: 'large-org-management', email: 'aws-management@example.com', scenario: 'clean' },
    members,
  };
}
