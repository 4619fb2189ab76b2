/** Runbook D3: a principal's CloudTrail activity in every enabled region (or the given ones), over the incident window. */
import { clientsFor } from '../aws/clients';
import { DAY_MS } from '../limits';
import type { PrincipalActivity } from '../scan/trail';
import type { CoreServices } from '../services';
import type { Lookups } from './lookups';

export interface TrailQuery {
  /** What the engine's parsePrincipal reads: access key id, user name, `role/NAME`, or a user/role ARN. */
  principal: string;
  days: number;
  regions?: string[];
}

export async function principalTrail(
  deps: { services: Pick<CoreServices, 'scanTarget' | 'clock'>; lookups: Lookups },
  query: TrailQuery,
): Promise<PrincipalActivity> {
  const end = deps.services.clock.now();
  const start = new Date(end.getTime() - query.days * DAY_MS);
  return deps.lookups.principalActivity(clientsFor(deps.services.scanTarget), {
    principal: query.principal,
    window: { start, end },
    ...(query.regions ? { regions: query.regions } : {}),
  });
}
