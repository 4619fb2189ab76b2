/**
 * A story in one to three lines a responder reads first: the way in (with where and when), what it
 * left behind, and the damage it did (instances, spend, what it switched off or shared).
 */
import type { Finding } from '../model';
import type { Story } from './model';

const LINE_MAX = 400;

/** "2026-12-01 06:21 UTC" */
export function shortTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function list(items: string[], max = 4): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

const cap = (s: string): string => (s.length > LINE_MAX ? `${s.slice(0, LINE_MAX - 1)}…` : s);
const upper = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export function usd(n: number): string {
  return `${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USD`;
}

export function storySummary(story: Omit<Story, 'summary' | 'plan'>, findings: readonly Finding[]): string {
  const fp = story.footprint;
  const entry = `${upper(story.entry.label)}, used from ${list(story.sourceAddresses, 3) || 'an unknown address'}, ${shortTime(story.firstSeen)} → ${shortTime(story.lastSeen)}.`;
  const trusts = new Map<string, string[]>();
  for (const f of findings) {
    const outside = f.evidence.outsidePrincipals;
    if (f.target?.kind === 'role' && Array.isArray(outside))
      trusts.set(
        f.target.roleName,
        outside.map((p) => String(p).replace(/^arn:aws[a-z-]*:iam::(\d{12}):root$/, '$1')),
      );
  }
  const accountNames = new Map<string, string>();
  for (const f of findings)
    if (f.check === 'organizations' && typeof f.evidence.name === 'string' && typeof f.evidence.accountId === 'string')
      accountNames.set(f.evidence.name, f.evidence.accountId);
  const left: string[] = [];
  // Admin rights as the detections saw them given, to that user (not any admin policy the story attached anywhere).
  const admins = new Set(
    findings.filter((f) => f.detection === 'iam-admin-policy-attached' && f.target?.kind === 'user').map((f) => (f.target as { userName: string }).userName),
  );
  for (const u of fp.users) left.push(`user ${u}${admins.has(u) ? ' (admin rights)' : ''}`);
  for (const k of fp.keys) if (k !== story.entry.id) left.push(`access key ${k}`);
  for (const u of fp.loginProfiles) left.push(fp.users.includes(u) ? `a console password for ${u}` : `a new console password for ${u}`);
  for (const r of fp.roles) left.push(`role ${r}${trusts.get(r)?.length ? ` trusting outside account ${list(trusts.get(r) as string[], 2)}` : ''}`);
  for (const a of fp.accounts) left.push(`member account ${a}${accountNames.has(a) ? ` (${accountNames.get(a)})` : ''}`);
  const damage: string[] = [];
  if (fp.instances.length) {
    const gpu = new Set(
      findings
        .filter((f) => f.check === 'resources' && f.evidence.accelerated === true && f.target?.kind === 'instance')
        .map((f) => (f.target as { instanceId: string }).instanceId),
    );
    const ids = fp.instances.map((i) => i.id);
    const regions = [...new Set(fp.instances.map((i) => i.region))];
    const kind = ids.every((id) => gpu.has(id)) ? 'GPU instances' : ids.some((id) => gpu.has(id)) ? 'instances (GPU among them)' : 'instances';
    damage.push(`${ids.length} ${ids.length === 1 ? kind.replace('instances', 'instance') : kind} ${list(ids)} in ${list(regions)}`);
  }
  if (story.cost) damage.push(`${usd(story.cost.usd)} new spend`);
  if (fp.disabled.length) damage.push(`switched off ${list(fp.disabled, 3)}`);
  if (fp.sharedOut.length) damage.push(`shared out ${list(fp.sharedOut, 3)}`);
  if (fp.rolesAssumed.length) damage.push(`assumed role ${list(fp.rolesAssumed, 3)}`);
  const lines = [cap(entry)];
  if (left.length) lines.push(cap(`Left behind: ${list(left, 6)}.`));
  if (damage.length) lines.push(cap(`Damage: ${damage.join('; ')}.`));
  else if (!left.length) {
    const what = [
      ...new Set(findings.filter((f) => f.check === 'cloudtrail' && f.detection).map((f) => f.title.replace(/ \(by .*\)$/, '').replace(/:.*$/, ''))),
    ];
    if (what.length) lines.push(cap(`Did: ${list(what, 4)}.`));
  }
  return lines.join('\n');
}
