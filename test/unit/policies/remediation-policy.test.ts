/**
 * Keeps policies/remediation-policy.json in step with the remediation code: every AWS operation the
 * code under src/remediation can send must be allowed, and nothing beyond what it sends (plus the
 * tag-on-create permission AWS requires for TagSpecifications) is granted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operationsUnder, ROOT } from './sdk-operations';

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string[]>>;
}

const policy = JSON.parse(readFileSync(join(ROOT, 'policies', 'remediation-policy.json'), 'utf8')) as { Version: string; Statement: Statement[] };
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const allowed = new Set(policy.Statement.flatMap(actionsOf));

const used = operationsUnder('remediation');

describe('policies/remediation-policy.json', () => {
  it('finds the operations the remediation code sends (the static search works)', () => {
    expect([...used.keys()]).toEqual(
      expect.arrayContaining([
        'iam:UpdateAccessKey',
        'iam:DeleteUser',
        'iam:PutRolePolicy',
        'ec2:ModifyInstanceAttribute',
        'ec2:CreateSnapshot',
        'sts:GetCallerIdentity',
      ]),
    );
  });

  it('allows every operation the remediation code sends', () => {
    const missing = [...used.entries()].filter(([op]) => !allowed.has(op)).map(([op, where]) => `${op} (${where.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('grants nothing the code does not send, and no wildcard action', () => {
    // sts:AssumeRole is for member accounts' remediation role (src/org, checked in member-roles.test.ts).
    const extra = [...allowed].filter((a) => !used.has(a) && a !== 'ec2:CreateTags' && a !== 'sts:AssumeRole');
    expect(extra).toEqual([]);
    expect([...allowed].some((a) => a.includes('*'))).toBe(false);
    expect(policy.Statement.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  it('only allows tagging as part of the creations that carry TagSpecifications', () => {
    const tagging = policy.Statement.filter((s) => actionsOf(s).includes('ec2:CreateTags'));
    expect(tagging).toHaveLength(1);
    expect(actionsOf(tagging[0]!)).toEqual(['ec2:CreateTags']);
    expect(tagging[0]!.Condition).toEqual({ StringEquals: { 'ec2:CreateAction': ['CreateSecurityGroup', 'CreateSnapshot'] } });
  });
});
