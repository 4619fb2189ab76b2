/**
 * Finds, by reading the source, every AWS operation a part of src/ can send: the policy tests compare
 * it with the IAM policies we ship, so a new call cannot slip in without its permission.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');

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
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-athena': 'athena',
};

/** Operations whose IAM action is named differently (S3's object and bucket actions). */
const ACTION_OF: Record<string, string> = {
  's3:ListObjectsV2': 's3:ListBucket',
  's3:ListObjects': 's3:ListBucket',
  's3:HeadObject': 's3:GetObject',
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
    if (!prefix) throw new Error(`unknown SDK package ${m[2]}: add it to the map in test/unit/policies/sdk-operations.ts`);
    for (const name of (m[1] as string).split(',')) {
      const id = name
        .trim()
        .split(/\s+as\s+/)[0]
        ?.replace(/^type\s+/, '')
        .trim();
      if (id) imported.set(id, prefix);
    }
  }
  const ops = new Set<string>();
  for (const m of source.matchAll(/new\s+([A-Z]\w*)Command\s*\(/g)) {
    const prefix = imported.get(`${m[1]}Command`);
    if (prefix) ops.add(ACTION_OF[`${prefix}:${m[1]}`] ?? `${prefix}:${m[1]}`);
  }
  for (const m of source.matchAll(/\bpaginate([A-Z]\w*)\s*\(/g)) {
    const prefix = imported.get(`paginate${m[1]}`);
    if (prefix) ops.add(ACTION_OF[`${prefix}:${m[1]}`] ?? `${prefix}:${m[1]}`);
  }
  return [...ops];
}

/** Every operation sent by the .ts files under these folders of src/, with the files that send it. */
export function operationsUnder(...srcFolders: string[]): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const f of srcFolders.flatMap((folder) => tsFiles(join(ROOT, 'src', folder)))) {
    for (const op of operationsIn(readFileSync(f, 'utf8'))) used.set(op, [...(used.get(op) ?? []), f.slice(ROOT.length + 1)]);
  }
  return used;
}
