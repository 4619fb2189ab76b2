/**
 * The engine's on-demand lookups the core uses outside a scan: a principal's CloudTrail activity
 * (trail) and an identity's service-last-accessed data (investigate). Tests hand in their own.
 */
import type { AwsClients } from '../aws/clients';
import { lastAccessedFor, type LastAccessedSummary } from '../scan/checks/last-accessed';
import { principalActivity, type PrincipalActivity, type PrincipalActivityInput } from '../scan/trail';

export interface Lookups {
  principalActivity(clients: AwsClients, input: PrincipalActivityInput): Promise<PrincipalActivity>;
  lastAccessedFor(clients: AwsClients, arn: string): Promise<LastAccessedSummary>;
}

export const engineLookups: Lookups = {
  principalActivity,
  lastAccessedFor: (clients, arn) => lastAccessedFor(clients, arn),
};
