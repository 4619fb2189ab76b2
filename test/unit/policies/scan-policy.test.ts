/**
 * Keeps policies/scan-policy.json in step with the code: every AWS operation the scan code can send
 * (found statically, so a new call cannot slip in untested) must be allowed, and the policy stays read-only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/** SDK package -> IAM action prefix. */
const PREFIX: Record<string, string> = {
  '@aws-sdk/client-iam': 'iam',
  '@aws-sdk/client-sts': 'sts',
  '@aws-sdk/client-cloudtrail': 'cloudtrail',
  '@aws-sdk/client-cost-explorer': 'ce',
  '@aws-sdk/client-organizations': 'organizations',
  '@aws-sdk/client-account': 'account',
  '@aws-sdk/client-ec2': 'ec2',
  '@aws-sdk/client-lambda': 'lambda',
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** "service:Action" for every `new XCommand(` and `paginateX(` whose X comes from an SDK client import. */
export function operationsIn(source: string): string[] {
  const imported = new Map<string, string>();
  for (const m of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(@aws-sdk\/client-[a-z0-9-]+)'/g)) {
    const prefix = PREFIX[m[2] as string];
    if (!prefix) throw new Error(`unknown SDK package ${m[2]}: add it to the map in this test`);
    for (const name of (m[1] as string).split(',')) {
      const id = name.trim().split(/\s+as\s+/)[0]?.replace(/^type\s+/, '').trim();
      if (id) imported.set(id, prefix);
    }
  }
  const ops = new Set<string>();
  for (const m of source.matchAll(/new\s+([A-Z]\w*)Command\s*\(/g)) {
    const prefix = imported.get(`${m[1]}Command`);
    if (prefix) ops.add(`${prefix}:${m[1]}`);
  }
  for (const m of source.matchAll(/\bpaginate([A-Z]\w*)\s*\(/g)) {
    const prefix = imported.get(`paginate${m[1]}`);
    if (prefix) ops.add(`${prefix}:${m[1]}`);
  }
  return [...ops];
}

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
  const files = [...tsFiles(join(ROOT, 'src', 'scan')), ...tsFiles(join(ROOT, 'src', 'aws'))];
  const used = new Map<string, string[]>();
  for (const f of files) {
    for (const op of operationsIn(readFileSync(f, 'utf8'))) used.set(op, [...(used.get(op) ?? []), f.slice(ROOT.length + 1)]);
  }

  it('finds the operations the scan sends (the static search works)', () => {
    expect([...used.keys()]).toEqual(
      expect.arrayContaining(['iam:GenerateCredentialReport', 'cloudtrail:LookupEvents', 'ec2:DescribeInstances', 'ce:GetCostAndUsage', 'lambda:ListFunctions']),
    );
  });

  it('allows every operation the scan code sends', () => {
    const allowed = allowedActions();
    const missing = [...used.entries()].filter(([op]) => !allowed.has(op)).map(([op, where]) => `${op} (${where.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('is read-only: no action that changes the account', () => {
    // Generate* only start report jobs, which IAM classifies as needed for reading.
    const writes = [...allowedActions()].filter((a) => /:(Create|Delete|Put|Update|Attach|Detach|Tag|Untag|Set|Start|Stop|Terminate|Modify|Run|Enable|Disable|Remove|Add)/.test(a));
    expect(writes).toEqual([]);
    expect([...allowedActions()].some((a) => a.includes('*'))).toBe(false);
  });

  it('maps commands and paginators to IAM actions', () => {
    const src = `import {\n  GetFooCommand,\n  paginateListBars,\n} from '@aws-sdk/client-iam';\nimport { DescribeXCommand } from '@aws-sdk/client-ec2';\nnew GetFooCommand({}); paginateListBars({ client }, {}); await c.send(new DescribeXCommand({}));`;
    expect(operationsIn(src).sort()).toEqual(['ec2:DescribeX', 'iam:GetFoo', 'iam:ListBars']);
  });
});
