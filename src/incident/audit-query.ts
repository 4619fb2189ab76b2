/** `/aws-ir audit` and `aws-ir audit`: the incident record of a channel (or of everything) in order. */
import { incidentRecord, type IncidentRecord } from '../remediation/audit-record';
import type { CoreServices } from '../services';

export function channelRecord(deps: { services: Pick<CoreServices, 'store' | 'clock'> }, channel: string | undefined): Promise<IncidentRecord> {
  return incidentRecord(deps.services.store, channel, deps.services.clock.now());
}

export function isEmptyRecord(record: IncidentRecord): boolean {
  return !record.entries.length && !record.requests.length;
}
