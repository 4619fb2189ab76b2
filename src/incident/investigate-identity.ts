/**
 * Runbook D2 on demand ("Investigate" on a finding): IAM's service-last-accessed data for the
 * identity behind a stored finding. The identity comes from the stored finding, never from the
 * button, so a forged value cannot point the lookup elsewhere.
 */
import { clientsFor } from '../aws/clients';
import { REFUSALS } from '../errors';
import type { LastAccessedSummary } from '../scan/checks/last-accessed';
import type { Finding } from '../scan/model';
import type { ScanRecord } from '../store/model';
import type { CoreDeps } from './core-deps';
import type { Lookups } from './lookups';

/** The IAM ARN whose last-accessed data explains a finding, or undefined when it has no identity. */
export function identityArn(f: Finding, account: string): { arn: string; label: string } | undefined {
  const t = f.target;
  if (!t) return undefined;
  // IAM paths (user/automation/ci-deploy) are part of the ARN: prefer the ARN the scan saw.
  const seen = (type: 'user' | 'role', name: string) =>
    f.resources.find((r) => new RegExp(`^arn:aws[a-z-]*:iam::\\d{12}:${type}/(.+/)?${name.replace(/[.+]/g, '\\$&')}$`).test(r));
  switch (t.kind) {
    case 'access-key':
      return { arn: seen('user', t.userName) ?? `arn:aws:iam::${account}:user/${t.userName}`, label: `IAM user ${t.userName} (owner of ${t.accessKeyId})` };
    case 'user':
      return { arn: t.arn ?? seen('user', t.userName) ?? `arn:aws:iam::${account}:user/${t.userName}`, label: `IAM user ${t.userName}` };
    case 'role':
      return { arn: t.arn ?? seen('role', t.roleName) ?? `arn:aws:iam::${account}:role/${t.roleName}`, label: `IAM role ${t.roleName}` };
    default:
      return undefined;
  }
}

export type InvestigateTarget = { ok: true; scan: ScanRecord; identity: { arn: string; label: string } } | { ok: false; reason: string };

/** Which identity a finding's Investigate button is about (store only, no AWS). */
export async function investigateTarget(deps: Pick<CoreDeps, 'services'>, ref: { scanId: string; findingId: string }): Promise<InvestigateTarget> {
  const scan = await deps.services.store.getScan(ref.scanId);
  const finding = scan?.result?.findings.find((f) => f.id === ref.findingId);
  if (!scan?.result || !finding) return { ok: false, reason: REFUSALS.investigateGone };
  const identity = identityArn(finding, scan.result.account);
  return identity ? { ok: true, scan, identity } : { ok: false, reason: REFUSALS.noIdentity };
}

export function lastAccessed(deps: Pick<CoreDeps, 'services'> & { lookups: Lookups }, arn: string): Promise<LastAccessedSummary> {
  return deps.lookups.lastAccessedFor(clientsFor(deps.services.scanTarget), arn);
}
