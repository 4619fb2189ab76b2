/**
 * Runbook D2: which services an identity used, from IAM's service-last-accessed data (an asynchronous
 * job: generate, then poll with a bound). Run for the identities other checks flagged, and on demand
 * for the Slack "investigate" button.
 */
import { GenerateServiceLastAccessedDetailsCommand, GetRoleCommand, GetServiceLastAccessedDetailsCommand, GetUserCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../../aws/clients';
import type { Check, CheckContext } from '../context';
import { makeFinding, pollUntil } from '../context';
import { gapFrom, step, StepTimeoutError } from '../errors';
import type { Finding, Gap } from '../model';

const CHECK = 'last-accessed' as const;
const MAX_POLLS = 8;
/** Bounds the number of jobs one scan starts; the rest are available on demand. */
export const MAX_IDENTITIES = 10;

export interface ServiceUse {
  service: string;
  namespace: string;
  lastAuthenticated?: string;
  region?: string;
  entity?: string;
}

export interface LastAccessedSummary {
  arn: string;
  /** Services with any recorded use, most recent first. */
  used: ServiceUse[];
  /** Services the identity is allowed to use but never used in the tracking period. */
  neverUsed: number;
}

export async function lastAccessedFor(
  clients: AwsClients,
  arn: string,
  options: { pollIntervalMs?: number; maxPolls?: number } = {},
): Promise<LastAccessedSummary> {
  const iam = clients.iam();
  const job = await step('iam:GenerateServiceLastAccessedDetails', () =>
    iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn, Granularity: 'SERVICE_LEVEL' })),
  );
  const jobId = job.JobId;
  if (!jobId) throw new StepTimeoutError(`Service-last-accessed job for ${arn}`);
  const result = await pollUntil(clients, options.pollIntervalMs ?? 500, options.maxPolls ?? MAX_POLLS, async () => {
    const out = await step('iam:GetServiceLastAccessedDetails', () => iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: jobId })));
    if (out.JobStatus === 'FAILED') throw new StepTimeoutError(`Service-last-accessed job for ${arn} (AWS reported: ${out.Error?.Message ?? 'failed'})`);
    return out.JobStatus === 'COMPLETED' ? out : undefined;
  });
  if (!result) throw new StepTimeoutError(`Service-last-accessed job for ${arn}`);
  const services = result.ServicesLastAccessed ?? [];
  const used: ServiceUse[] = services
    .filter((s) => s.LastAuthenticated)
    .sort((a, b) => (b.LastAuthenticated?.getTime() ?? 0) - (a.LastAuthenticated?.getTime() ?? 0))
    .map((s) => {
      const u: ServiceUse = { service: s.ServiceName ?? s.ServiceNamespace ?? 'unknown', namespace: s.ServiceNamespace ?? 'unknown' };
      if (s.LastAuthenticated) u.lastAuthenticated = s.LastAuthenticated.toISOString();
      if (s.LastAuthenticatedRegion) u.region = s.LastAuthenticatedRegion;
      if (s.LastAuthenticatedEntity) u.entity = s.LastAuthenticatedEntity;
      return u;
    });
  return { arn, used, neverUsed: services.length - used.length };
}

const SERVICE_LINKED = /:role\/aws-service-role\//;

/**
 * An identity's ARN, path included: as given, or read from IAM for "user:NAME" / "role:NAME". Undefined
 * for service-linked roles, whose use is AWS's.
 */
async function identityArn(ctx: CheckContext, ref: string): Promise<string | undefined> {
  const m = /^(user|role):(.+)$/.exec(ref);
  if (!m) return SERVICE_LINKED.test(ref) ? undefined : ref;
  const [, kind, name] = m;
  const arn =
    kind === 'user'
      ? (await step('iam:GetUser', () => ctx.clients.iam().send(new GetUserCommand({ UserName: name })))).User?.Arn
      : (await step('iam:GetRole', () => ctx.clients.iam().send(new GetRoleCommand({ RoleName: name })))).Role?.Arn;
  return arn && !SERVICE_LINKED.test(arn) ? arn : undefined;
}

/** The check for a given set of flagged identities (users and roles, by ARN or as "user:NAME" / "role:NAME"). */
export function lastAccessedCheck(identities: string[]): Check {
  return async (ctx: CheckContext) => {
    const findings: Finding[] = [];
    const gaps: Gap[] = [];
    const resolved = await Promise.all(
      [...new Set(identities)].map(async (ref) => {
        try {
          return await identityArn(ctx, ref);
        } catch (err) {
          const g = gapFrom(CHECK, err);
          gaps.push({ ...g, reason: `${ref.replace(':', ' ')}: ${g.reason}` });
          return undefined;
        }
      }),
    );
    const arns = [...new Set(resolved.filter((a): a is string => !!a))];
    const chosen = arns.slice(0, MAX_IDENTITIES);
    if (arns.length > chosen.length) {
      gaps.push({
        check: CHECK,
        reason: `service-last-accessed data was gathered for the first ${MAX_IDENTITIES} of ${arns.length} flagged identities; use Investigate for the others.`,
      });
    }
    await Promise.all(
      chosen.map(async (arn) => {
        try {
          const s = await lastAccessedFor(ctx.clients, arn, { pollIntervalMs: ctx.pollIntervalMs });
          const inWindow = s.used.filter((u) => u.lastAuthenticated && new Date(u.lastAuthenticated) >= ctx.window.start);
          findings.push(
            makeFinding(ctx, CHECK, arn, {
              // Context for the finding that flagged the identity, which carries the severity. The data
              // holds only each service's latest use, so "a service it never used before" cannot be told
              // from it; using services in the window is what identities do.
              severity: 'info',
              step: 'D2',
              title: inWindow.length
                ? `${nameOf(arn)} used ${inWindow.length} service${inWindow.length > 1 ? 's' : ''} in the incident window: ${inWindow
                    .slice(0, 6)
                    .map((u) => u.namespace)
                    .join(', ')}${inWindow.length > 6 ? ', …' : ''}`
                : `${nameOf(arn)} used no service in the incident window`,
              resources: [arn],
              evidence: { usedInWindow: inWindow, usedEver: s.used.length, allowedButNeverUsed: s.neverUsed },
            }),
          );
        } catch (err) {
          const g = gapFrom(CHECK, err);
          g.reason = `${nameOf(arn)}: ${g.reason}`;
          gaps.push(g);
        }
      }),
    );
    return { findings, gaps };
  };
}

function nameOf(arn: string): string {
  const m = /:(user|role)\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? `${m[1] === 'user' ? 'IAM user' : 'Role'} ${m[2]}` : arn;
}
