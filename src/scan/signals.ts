/**
 * Severity ordering and the few event facts shared by the scan and the trail view. Which events are
 * high-signal, and how much they weigh, is the detection catalog's business (detections/catalog).
 */
import { DETECTIONS } from './detections/catalog';
import type { Family } from './detections/model';
import type { Severity } from './model';

const BY_EVENT = new Map<string, Family>();
for (const d of DETECTIONS) for (const name of d.match.events) if (name !== '*' && !BY_EVENT.has(name)) BY_EVENT.set(name, d.family);

/** The family of the first catalog detection that matches this event name, or undefined for everyday calls. */
export function signalCategory(eventName: string | undefined): Family | undefined {
  return eventName ? BY_EVENT.get(eventName) : undefined;
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

export function mostSevere(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b;
}

export function isAccessDeniedCode(code: string | undefined): boolean {
  return !!code && /AccessDenied|UnauthorizedOperation|Unauthorized|Forbidden/i.test(code);
}
