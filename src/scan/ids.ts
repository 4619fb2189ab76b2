/**
 * Stable finding ids: a re-scan gives a finding the same id, so buttons and requests keep referring to it.
 */
import { createHash } from 'node:crypto';
import type { CheckId } from './model';

/**
 * A finding's stable id: the same account, check and resource always give the same id, so a re-scan
 * can be compared with the previous one and Slack buttons keep pointing at the same finding.
 */
export function findingId(account: string, check: CheckId, resource: string): string {
  return createHash('sha256').update(`${account}\u0000${check}\u0000${resource}`).digest('hex').slice(0, 16);
}
