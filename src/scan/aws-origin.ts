/**
 * Calls AWS makes itself show up in CloudTrail under the account's identities: the quarantine policy
 * AWS attaches to a user whose key leaked is recorded as that very user and key, and internal calls
 * come as Root or a service-linked role. Counting them as the principal's own high-signal activity
 * sends a responder after AWS; this module recognises them from what AWS, not the caller, controls.
 */

export interface OriginRecord {
  eventName?: string;
  userIdentity?: { type?: string; invokedBy?: string; sessionContext?: { sessionIssuer?: { arn?: string } } };
  sourceIPAddress?: string;
  userAgent?: string;
  requestParameters?: unknown;
}

/** AWS writes "AWS Internal" (sometimes "AWS Internal/<n>") as the source of calls it originates. */
const AWS_INTERNAL_SOURCE = /^AWS Internal(\/\d+)?$/;
/** Service-linked roles live under this path; only the AWS service that owns one can assume it. */
const SERVICE_LINKED_ROLE = /:role\/aws-service-role\/(?:[^/]+\/)?([^/]+)$/;
/** Services calling on a principal's behalf record their own endpoint name as the source address. */
const AWS_SERVICE_ADDRESS = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/;
/**
 * Services that carry out, step by step, what a principal wrote (a template, a product): their calls are
 * that principal's own doing, not AWS acting for itself.
 */
const CARRIES_OUT_PRINCIPAL = /^(cloudformation|servicecatalog)\.amazonaws\.com$/;

/** Every version of AWS's quarantine policy for exposed keys, and the legacy inline one. */
const QUARANTINE_POLICY = /(^|[/:])(AWSCompromisedKeyQuarantine\w*|AWSExposedCredentialPolicy_DO_NOT_REMOVE)$/;

function quarantinePolicy(params: unknown): string | undefined {
  if (!params || typeof params !== 'object') return undefined;
  const p = params as { policyArn?: unknown; policyName?: unknown };
  for (const v of [p.policyArn, p.policyName]) {
    if (typeof v === 'string' && QUARANTINE_POLICY.test(v)) return v.split('/').pop();
  }
  return undefined;
}

/**
 * Which part of AWS made the call ("service ec2.amazonaws.com", "AWS Internal", "exposed-key quarantine,
 * AWSCompromisedKeyQuarantineV2"), or undefined for the account's own principals. The source address and the
 * identity type are set by AWS; the user agent alone is not trusted, only together with AWS's
 * quarantine policy (attaching that policy only ever takes permissions away).
 */
export function awsOrigin(rec: OriginRecord): string | undefined {
  const id = rec.userIdentity ?? {};
  if (id.type === 'AWSService') return `service ${id.invokedBy ?? '(unnamed)'}`;
  if (id.invokedBy === 'AWS Internal' || (rec.sourceIPAddress && AWS_INTERNAL_SOURCE.test(rec.sourceIPAddress))) return 'AWS Internal';
  const linked = SERVICE_LINKED_ROLE.exec(id.sessionContext?.sessionIssuer?.arn ?? '')?.[1];
  if (linked) return `service-linked role ${linked}${id.invokedBy ? ` (${id.invokedBy})` : ''}`;
  const service = [id.invokedBy, rec.sourceIPAddress].find((v): v is string => !!v && AWS_SERVICE_ADDRESS.test(v));
  if (service && !CARRIES_OUT_PRINCIPAL.test(service)) return `service ${service}`;
  if ((rec.eventName === 'AttachUserPolicy' || rec.eventName === 'PutUserPolicy') && /^aws-internal\//.test(rec.userAgent ?? '')) {
    const policy = quarantinePolicy(rec.requestParameters);
    if (policy) return `exposed-key quarantine, ${policy}`;
  }
  return undefined;
}
