/**
 * What every workflow of the incident core works with: the services, the Slack directory behind the
 * responder policy, the protected principals, the remediation identity's clients and the announcer.
 * Built once per surface by createIncidentCore.
 */
import { randomUUID } from 'node:crypto';
import type { AwsClients } from '../aws/clients';
import type { ProtectedPrincipals } from '../remediation/protected';
import type { ResponderPolicy } from '../remediation/responders';
import type { CoreServices } from '../services';
import type { ActionRequest, AuditEntry } from '../store/model';
import { describeTarget } from '../remediation/action-ids';
import type { Announcer } from './ports';

export interface CoreDeps {
  services: CoreServices;
  responders: ResponderPolicy;
  protection: ProtectedPrincipals;
  remediationClients: AwsClients;
  announcer: Announcer;
  newId(prefix: 'req' | 'scan' | 'item'): string;
}

export const randomIds = (prefix: string): string => `${prefix}_${randomUUID()}`;

export function nowIso(deps: Pick<CoreDeps, 'services'>): string {
  return deps.services.clock.now().toISOString();
}

/** An audit entry about a request: its channel, scan and target are always recorded with it. */
export async function auditRequest(
  deps: Pick<CoreDeps, 'services'>,
  kind: AuditEntry['kind'],
  request: ActionRequest,
  user: string | undefined,
  data: Record<string, unknown>,
): Promise<void> {
  await deps.services.store.appendAudit({
    at: nowIso(deps),
    channel: request.channel,
    ...(user ? { user } : {}),
    kind,
    requestId: request.id,
    ...(request.scanId ? { scanId: request.scanId } : {}),
    data: { target: describeTarget(request.target), ...data },
  });
}
