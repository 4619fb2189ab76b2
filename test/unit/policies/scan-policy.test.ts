/**
 * Keeps policies/scan-policy.json in step with the code: every AWS operation the scan code can send
 * (found statically, so a new call cannot slip in untested) must be allowed, and the policy stays read-only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operationsIn, operationsUnder, ROOT } from './sdk-operations';

function allowedActions(): Set<string> {
  const policy = JSON.parse(readFileSync(join(ROOT, 'policies', 'scan-policy.json'), 'utf8')) as {
    Statement: { Effect: string; Action: string | string[] }[];
  };
  const out = new Set<string>();
  for (const s of policy.Statement) {
    expect(s.Effect).toBe('Allow');
    for (const a of Array.isArray(s.Action) ? s.Action : [s.Action]) out.add(a);
  }
  return out;
}

describe('policies/scan-policy.json', () => {
  // An organization sweep (src/org) lists the organization and assumes the member roles with the scan identity.
  const used = operationsUnder('scan', 'aws', 'org');

  it('finds the operations the scan sends (the static search works)', () => {
    expect([...used.keys()]).toEqual(
      expect.arrayContaining([
        'iam:GenerateCredentialReport',
        'cloudtrail:LookupEvents',
        'ec2:DescribeInstances',
        'ce:GetCostAndUsage',
        'lambda:ListFunctions',
        'organizations:ListAccountsForParent',
        'sts:AssumeRole',
      ]),
    );
  });

  it('allows every operation the scan code sends', () => {
    const allowed = allowedActions();
    const missing = [...used.entries()].filter(([op]) => !allowed.has(op)).map(([op, where]) => `${op} (${where.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('is read-only: no action that changes the account', () => {
    // Generate* only start report jobs, which IAM classifies as needed for reading.
    const writes = [...allowedActions()].filter((a) =>
      /:(Create|Delete|Put|Update|Attach|Detach|Tag|Untag|Set|Start|Stop|Terminate|Modify|Run|Enable|Disable|Remove|Add)/.test(a),
    );
    expect(writes).toEqual([]);
    expect([...allowedActions()].some((a) => a.includes('*'))).toBe(false);
  });

  it('maps commands and paginators to IAM actions', () => {
    const src = `import {\n  GetFooCommand,\n  paginateListBars,\n} from '@aws-sdk/client-iam';\nimport { DescribeXCommand } from '@aws-sdk/client-ec2';\nnew GetFooCommand({}); paginateListBars({ client }, {}); await c.send(new DescribeXCommand({}));`;
    expect(operationsIn(src).sort()).toEqual(['ec2:DescribeX', 'iam:GetFoo', 'iam:ListBars']);
  });
});
