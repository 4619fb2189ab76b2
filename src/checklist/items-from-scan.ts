/**
 * Which scan findings become checklist items: every finding that carries guidance (a step only a
 * person can do, such as deleting root access keys), the R8 contacts confirmation, and, for users AWS
 * quarantined, the R2 password change of a user the team keeps. Findings with a button are not
 * items: the button's request is their record.
 */
import { findingId } from '../scan/ids';
import type { Finding, ScanResult } from '../scan/model';
import type { OpenItemSpec } from './item-spec';

/**
 * Findings that describe a standing state the next scan re-reads (root keys, root MFA, the security
 * contact), so a later scan without them proves the step was done. "The root user was used" is an
 * event, not a state: it falling out of the scan window proves nothing, so a person must confirm it.
 */
function reReadByScan(account: string, f: Finding): boolean {
  const keys =
    f.check === 'credential-report'
      ? f.resources.flatMap((arn) => [`${arn}#root-keys`, `${arn}#root-no-mfa`])
      : f.check === 'account-info'
        ? ['security-contact-missing']
        : [];
  return keys.some((k) => findingId(account, f.check, k) === f.id);
}

function isContactsConfirmation(account: string, f: Finding): boolean {
  return f.check === 'account-info' && f.id === findingId(account, 'account-info', 'contacts');
}

function quarantinedUser(f: Finding): string | undefined {
  return f.check === 'quarantine' && f.target?.kind === 'user' ? f.target.userName : undefined;
}

export const CONTACTS_GUIDANCE =
  'Check the primary contact and the security, billing and operations contacts shown in the R8 finding, and correct any that are wrong ' +
  'under Account settings (root user or an administrator). aws-ir only reads them.';

export function passwordGuidance(userName: string): string {
  return (
    `If the team keeps IAM user ${userName}, change its console password (IAM console > Users > ${userName} > Security credentials > ` +
    'Manage console access) and have its owner replace its access keys. If nobody on the team created this user, delete it instead of keeping it. ' +
    'aws-ir never sets passwords or creates keys.'
  );
}

export function itemsFromScan(scanId: string, result: ScanResult): OpenItemSpec[] {
  const out: OpenItemSpec[] = [];
  for (const f of result.findings) {
    const source = { scanId, findingId: f.id, check: f.check };
    const base = { key: `finding:${f.id}`, account: result.account, source };
    if (f.guidance) {
      out.push({ ...base, step: f.step, title: f.title, guidance: f.guidance, verifiedBy: reReadByScan(result.account, f) ? 'scan' : 'person' });
    } else if (isContactsConfirmation(result.account, f)) {
      out.push({ ...base, step: 'R8', title: 'Confirm the account contacts are correct', guidance: CONTACTS_GUIDANCE, verifiedBy: 'person' });
    } else {
      const user = quarantinedUser(f);
      if (user) {
        out.push({
          ...base,
          step: 'R2',
          title: `Change the password of IAM user ${user} if the team keeps it`,
          guidance: passwordGuidance(user),
          verifiedBy: 'person',
        });
      }
    }
  }
  return out;
}
