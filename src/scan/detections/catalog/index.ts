/**
 * The detection catalog: every detection the scan runs over the CloudTrail events, grouped by what the
 * attacker is after. Adding a detection = one entry in one of these lists + a scenario event + a test.
 */
import type { Detection } from '../model';
import { ACCOUNT_TAKEOVER } from './account-takeover';
import { DISCOVERY } from './discovery';
import { EVASION } from './evasion';
import { EXFILTRATION } from './exfiltration';
import { IDENTITY } from './identity';
import { RESOURCE_ABUSE } from './resource-abuse';

export const DETECTIONS: readonly Detection[] = [...IDENTITY, ...EVASION, ...DISCOVERY, ...RESOURCE_ABUSE, ...EXFILTRATION, ...ACCOUNT_TAKEOVER];
