/**
 * Keeps policies/remediation-policy.json in step with the remediation code: every AWS operation the
 * code under src/remediation can send must be allowed, and nothing beyond what it sends (plus the
 * tag-on-create permission AWS requires for TagSpecifications) is granted.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

const PREFIX: Record<string, string> = { '@aws-sdk/client-iam': 'iam', '@aws-sdk/client-sts': 'sts', '@aws-sdk/client-ec2': 'ec2' };

/** "service:Action" for every `new XCommand(` whose XCommand is imported from an SDK client. */
function operationsIn(source: string): string[] {
  const imported = new Map<string, string>();
  for (const m of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(@aws-sdk\/client-[a-z0-9-]+)'/g)) {
    const prefix = PREFIX[m[2] as string];
    if (!prefix) throw new Error(`remediation code imports ${m[2]}: add it to the map in this test and to the policy`);
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
  if (/\bpaginate[A-Z]/.test(source)) throw new Error('remediation code uses an SDK paginator: extend this test to see its operation');
  return [...ops];
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

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

const used = new Map<string, string[]>();
for (const f of tsFiles(join(ROOT, 'src', 'remediation'))) {
  for (const op of operationsIn(readFileSync(f, 'utf8'))) used.set(op, [...(used.get(op) ?? []), f.slice(ROOT.length + 1)]);
}

describe('policies/remediation-policy.json', () => {
  it('finds the operations the remediation code sends (the static search works)', () => {
    expect([...used.keys()]).toEqual(
      expect.arrayContaining(['iam:UpdateAccessKey', 'iam:DeleteUser', 'iam:PutRolePolicy', 'ec2:ModifyInstanceAttribute', 'ec2:CreateSnapshot', 'sts:GetCallerIdentity']),
    );
  });

  it('allows every operation the remediation code sends', () => {
    const missing = [...used.entries()].filter(([op]) => !allowed.has(op)).map(([op, where]) => `${op} (${where.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('grants nothing the code does not send, and no wildcard action', () => {
    const extra = [...allowed].filter((a) => !used.has(a) && a !== 'ec2:CreateTags');
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
