/**
 * Keeps policies/scan-policy.json in step with the code: every AWS operation the scan code can send
 * (found statically, so a new call cannot slip in untested) must be allowed, and the policy stays read-only.
 * Athena's operations are in their own policy (policies/athena-policy.json, attached only where Athena is
 * configured): a query is started, and its results written, so that policy is not read-only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operationsIn, operationsUnder, ROOT } from './sdk-operations';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}

const load = (file: string): { Statement: Statement[] } => JSON.parse(readFileSync(join(ROOT, 'policies', file), 'utf8')) as { Statement: Statement[] };
const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

function allowedActions(file = 'scan-policy.json'): Set<string> {
  const policy = load(file);
  const out = new Set<string>();
  for (const s of policy.Statement) {
    expect(s.Effect).toBe('Allow');
    for (const a of Array.isArray(s.Action) ? s.Action : [s.Action]) out.add(a);
  }
  return out;
}

const all = operationsUnder('scan', 'aws', 'org');
const isAthena = (op: string): boolean => op.startsWith('athena:');

describe('policies/scan-policy.json', () => {
  // An organization sweep (src/org) lists the organization and assumes the member roles with the scan identity;
  // Athena has its own policy (policies/athena-policy.json).
  const used = new Map([...all].filter(([op]) => !isAthena(op)));

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
        's3:ListBucket',
        's3:GetObject',
        'cloudtrail:GetEventSelectors',
      ]),
    );
  });

  it('reads only the trail bucket’s log files from S3, never every bucket', () => {
    for (const s of load('scan-policy.json').Statement.filter((x) => list(x.Action).some((a) => a.startsWith('s3:')))) {
      expect(list(s.Resource).every((r) => r.startsWith('arn:aws:s3:::TRAIL-BUCKET-NAME'))).toBe(true);
    }
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

describe('policies/athena-policy.json', () => {
  const athena = new Map([...all].filter(([op]) => isAthena(op)));
  const allowed = allowedActions('athena-policy.json');

  it('allows every Athena operation the scan code sends', () => {
    expect([...athena.keys()].sort()).toEqual([
      'athena:GetQueryExecution',
      'athena:GetQueryResults',
      'athena:StartQueryExecution',
      'athena:StopQueryExecution',
    ]);
    expect([...athena.keys()].filter((op) => !allowed.has(op))).toEqual([]);
  });

  it('reads the Glue catalog Athena resolves the table with, and the trail', () => {
    expect([...allowed]).toEqual(expect.arrayContaining(['glue:GetTable', 'glue:GetDatabase', 'glue:GetPartitions', 's3:GetObject', 's3:ListBucket']));
  });

  it('writes only query runs and their results, the results only to the results bucket', () => {
    for (const s of load('athena-policy.json').Statement) {
      for (const a of list(s.Action)) {
        if (!/:(Start|Stop|Put|Abort|Create|Delete|Update)/.test(a)) continue;
        if (a.startsWith('athena:')) expect(['athena:StartQueryExecution', 'athena:StopQueryExecution']).toContain(a);
        else expect(list(s.Resource).every((r) => r.startsWith('arn:aws:s3:::ATHENA-RESULTS-BUCKET'))).toBe(true);
      }
    }
    expect([...allowed].some((a) => a.includes('*'))).toBe(false);
  });
});

describe('policies/trail-archive-policy.json', () => {
  it('lets the log archive role list and read the organization trail’s log files, nothing else', () => {
    const actions = [...allowedActions('trail-archive-policy.json')].sort();
    expect(actions).toEqual(['s3:GetObject', 's3:ListBucket']);
  });
});
