/**
 * Keeps policies/member-roles.template.json (the StackSet that creates aws-ir's roles in every member
 * account) in step with the code: the read-only member role allows every operation a scan sends and
 * only reads; the remediation member role allows exactly what the remediation code sends; both trust
 * only aws-ir's identities, with the ExternalId when one is set; the default role names are the
 * defaults of AWS_IR_MEMBER_ROLE_NAME and AWS_IR_MEMBER_REMEDIATION_ROLE_NAME; and the management side
 * (scan-policy.json, remediation-policy.json) may assume exactly those roles.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ORG_DEFAULTS } from '../../../src/config';
import { operationsUnder, ROOT } from './sdk-operations';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}
interface Role {
  Type: string;
  Properties: {
    RoleName: { Ref: string };
    AssumeRolePolicyDocument: { Statement: { Effect: string; Principal: { AWS: { Ref: string } }; Action: string; Condition: unknown }[] };
    Policies: { PolicyName: string; PolicyDocument: { Statement: Statement[] } }[];
  };
}
interface Template {
  Description: string;
  Parameters: Record<string, { Default?: string; Type: string }>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, Role>;
}

const read = <T>(file: string): T => JSON.parse(readFileSync(join(ROOT, 'policies', file), 'utf8')) as T;
const template = read<Template>('member-roles.template.json');
const actionsOf = (statements: Statement[]) => new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
const roleActions = (role: Role) => actionsOf(role.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement));
const scanRole = template.Resources.AwsIrScanRole!;
const remediationRole = template.Resources.AwsIrRemediationRole!;

describe('policies/member-roles.template.json', () => {
  it('is a StackSet template creating the two member roles under the names aws-ir assumes by default', () => {
    expect(template.Description).toMatch(/StackSet/);
    expect(Object.values(template.Resources).map((r) => r.Type)).toEqual(['AWS::IAM::Role', 'AWS::IAM::Role']);
    expect(template.Parameters[scanRole.Properties.RoleName.Ref]?.Default).toBe(ORG_DEFAULTS.memberRoleName);
    expect(template.Parameters[remediationRole.Properties.RoleName.Ref]?.Default).toBe(ORG_DEFAULTS.memberRemediationRoleName);
  });

  it('lets the read-only role do every operation a member scan sends, and nothing that writes', () => {
    const allowed = roleActions(scanRole);
    // Athena runs where the organization trail's table is (policies/athena-policy.json), never in a member.
    const missing = [...operationsUnder('scan', 'aws').keys()].filter((op) => !op.startsWith('athena:') && !allowed.has(op));
    expect(missing).toEqual([]);
    const writes = [...allowed].filter((a) =>
      /:(Create|Delete|Put|Update|Attach|Detach|Tag|Untag|Set|Start|Stop|Terminate|Modify|Run|Enable|Disable|Remove|Add|Assume)/.test(a),
    );
    expect(writes).toEqual([]);
  });

  it('lets the remediation role do exactly what the remediation code sends (and tag on create)', () => {
    const allowed = roleActions(remediationRole);
    const used = operationsUnder('remediation');
    expect([...used.keys()].filter((op) => !allowed.has(op))).toEqual([]);
    expect([...allowed].filter((a) => !used.has(a) && a !== 'ec2:CreateTags')).toEqual([]);
    const tagging = remediationRole.Properties.Policies[0]!.PolicyDocument.Statement.find((s) => actionsOf([s]).has('ec2:CreateTags'));
    expect(tagging?.Condition).toEqual({ StringEquals: { 'ec2:CreateAction': ['CreateSecurityGroup', 'CreateSnapshot'] } });
  });

  it("trusts only aws-ir's own identities, with the ExternalId when one is given", () => {
    for (const [role, principal] of [
      [scanRole, 'AwsIrScanPrincipalArn'],
      [remediationRole, 'AwsIrRemediationPrincipalArn'],
    ] as const) {
      const [trust, ...more] = role.Properties.AssumeRolePolicyDocument.Statement;
      expect(more).toEqual([]);
      expect(trust).toMatchObject({ Effect: 'Allow', Principal: { AWS: { Ref: principal } }, Action: 'sts:AssumeRole' });
      expect(trust!.Condition).toEqual({ 'Fn::If': ['HasExternalId', { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } }, { Ref: 'AWS::NoValue' }] });
    }
    expect(template.Conditions.HasExternalId).toBeDefined();
  });

  it('is what the management side may assume, and nothing else', () => {
    const assumable = (file: string) =>
      read<{ Statement: Statement[] }>(file)
        .Statement.filter((s) => actionsOf([s]).has('sts:AssumeRole'))
        .map((s) => s.Resource);
    expect(assumable('scan-policy.json')).toEqual([
      `arn:aws:iam::*:role/${ORG_DEFAULTS.memberRoleName}`,
      // An organization trail's log archive (AWS_IR_TRAIL_ROLE_ARN), read for CloudTrail at volume.
      'arn:aws:iam::LOG-ARCHIVE-ACCOUNT-ID:role/aws-ir-trail-logs',
    ]);
    expect(assumable('remediation-policy.json')).toEqual([`arn:aws:iam::*:role/${ORG_DEFAULTS.memberRemediationRoleName}`]);
    expect(operationsUnder('org').has('sts:AssumeRole')).toBe(true);
  });
});
