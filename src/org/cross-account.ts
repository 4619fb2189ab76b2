/**
 * Stories that cross accounts: the same access key id, or the same source address, behind findings
 * of medium severity or above in several accounts is one attacker, told once with every account it
 * touched. Routine activity (low and info) never links accounts: an admin's office address is in
 * every account. A small module on purpose, so the story engine can take it over.
 */
import { SEVERITY_RANK } from '../scan/signals';
import type { Finding, Severity } from '../scan/model';
import type { CrossAccountStory } from './model';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f:]+:[0-9a-f:]*$/i;

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function findingKeys(f: Finding): string[] {
  const keys = [...strings(f.evidence.accessKeyId), ...strings(f.evidence.accessKeyIds)];
  if (f.target?.kind === 'access-key') keys.push(f.target.accessKeyId);
  return [...new Set(keys.filter((k) => /^(AKIA|ASIA)[A-Z0-9]{12,}$/.test(k)))];
}

export function findingAddresses(f: Finding): string[] {
  return [...new Set([...strings(f.evidence.sourceIp), ...strings(f.evidence.sourceIps)].filter((a) => IPV4.test(a) || IPV6.test(a)))];
}

export function crossAccountStories(findings: readonly Finding[]): CrossAccountStory[] {
  const groups = new Map<string, { kind: CrossAccountStory['kind']; value: string; byAccount: Map<string, Finding[]> }>();
  for (const f of findings) {
    if (!f.account || SEVERITY_RANK[f.severity] > SEVERITY_RANK.medium) continue;
    const links: [CrossAccountStory['kind'], string][] = [
      ...findingKeys(f).map((k) => ['access-key', k] as [CrossAccountStory['kind'], string]),
      ...findingAddresses(f).map((a) => ['source-address', a] as [CrossAccountStory['kind'], string]),
    ];
    for (const [kind, value] of links) {
      const id = `${kind}|${value}`;
      const g = groups.get(id) ?? { kind, value, byAccount: new Map<string, Finding[]>() };
      groups.set(id, g);
      g.byAccount.set(f.account, [...(g.byAccount.get(f.account) ?? []), f]);
    }
  }
  const stories: CrossAccountStory[] = [];
  for (const g of groups.values()) {
    if (g.byAccount.size < 2) continue;
    const all = [...g.byAccount.values()].flat();
    const severity = all.reduce<Severity>((worst, f) => (SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst] ? f.severity : worst), 'info');
    stories.push({
      kind: g.kind,
      value: g.value,
      severity,
      accounts: [...g.byAccount.entries()]
        .map(([account, fs]) => ({ account, findingIds: fs.map((f) => f.id) }))
        .sort((a, b) => a.account.localeCompare(b.account)),
    });
  }
  return stories.sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.accounts.length - a.accounts.length || a.value.localeCompare(b.value),
  );
}
