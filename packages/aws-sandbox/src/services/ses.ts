/**
 * SES v1 (AWS query, XML): the sending quota and state, identities and their verification — what an
 * attacker probes in every region before turning a stolen key into a spam relay.
 */
import { stableId } from '../ids';
import { SandboxError, type OperationContext, type RegionState, type ServiceHandlers, type SesIdentity } from '../model';
import { enabledRegion } from './region-guard';
import { bool, int, str, strings } from './service-input';

export const sesRegion = (ctx: OperationContext): RegionState =>
  enabledRegion(ctx, { unknown: ['InvalidClientTokenId', 403], notOptedIn: ['InvalidClientTokenId', 403] });

export function newIdentity(ctx: OperationContext, identity: string): SesIdentity {
  return {
    identity,
    type: identity.includes('@') ? 'EmailAddress' : 'Domain',
    verificationStatus: 'Pending',
    createdAt: ctx.now,
    verificationToken: stableId('', `${ctx.state.accountId}|ses|${identity}`, 44, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
  };
}

function getSendQuota(ctx: OperationContext): unknown {
  const ses = sesRegion(ctx).ses;
  return { Max24HourSend: ses.max24HourSend, MaxSendRate: ses.maxSendRate, SentLast24Hours: ses.sentLast24Hours };
}

function getAccountSendingEnabled(ctx: OperationContext): unknown {
  return { Enabled: sesRegion(ctx).ses.sendingEnabled };
}

function updateAccountSendingEnabled(ctx: OperationContext): unknown {
  const region = sesRegion(ctx);
  region.ses.sendingEnabled = bool(ctx.params.Enabled) ?? false;
  ctx.trail = { requestParameters: { enabled: region.ses.sendingEnabled }, responseElements: null };
  return {};
}

function listIdentities(ctx: OperationContext): unknown {
  const type = str(ctx.params.IdentityType);
  if (type !== undefined && type !== 'EmailAddress' && type !== 'Domain') {
    throw new SandboxError('InvalidParameterValue', `Invalid identity type: ${type}. Must be EmailAddress or Domain.`);
  }
  const max = int(ctx.params.MaxItems, 'MaxItems') ?? 1000;
  const ids = sesRegion(ctx).ses.identities.filter((i) => !type || i.type === type);
  return { Identities: ids.slice(0, max).map((i) => i.identity) };
}

function verify(ctx: OperationContext, identity: string | undefined, kind: 'EmailAddress' | 'Domain'): SesIdentity {
  if (!identity)
    throw new SandboxError(
      'ValidationError',
      `1 validation error detected: Value null at '${kind === 'Domain' ? 'domain' : 'emailAddress'}' failed to satisfy constraint: Member must not be null`,
    );
  if (kind === 'EmailAddress' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(identity))
    throw new SandboxError('InvalidParameterValue', `Invalid email address<${identity}>.`);
  if (kind === 'Domain' && !/^([a-z0-9-]+\.)+[a-z]{2,}$/i.test(identity)) throw new SandboxError('InvalidParameterValue', `Invalid domain name <${identity}>.`);
  const region = sesRegion(ctx);
  const existing = region.ses.identities.find((i) => i.identity.toLowerCase() === identity.toLowerCase());
  if (existing) return existing;
  const created = newIdentity(ctx, identity);
  region.ses.identities.push(created);
  return created;
}

function verifyEmailIdentity(ctx: OperationContext): unknown {
  verify(ctx, str(ctx.params.EmailAddress), 'EmailAddress');
  ctx.trail = { requestParameters: { emailAddress: str(ctx.params.EmailAddress) }, responseElements: null };
  return {};
}

function verifyDomainIdentity(ctx: OperationContext): unknown {
  const identity = verify(ctx, str(ctx.params.Domain), 'Domain');
  ctx.trail = { requestParameters: { domain: identity.identity }, responseElements: { verificationToken: identity.verificationToken } };
  return { VerificationToken: identity.verificationToken };
}

function getIdentityVerificationAttributes(ctx: OperationContext): unknown {
  const region = sesRegion(ctx);
  const requested = strings(ctx.params.Identities);
  const attributes = new Map<string, unknown>();
  for (const name of requested) {
    const identity = region.ses.identities.find((i) => i.identity === name);
    if (!identity) continue;
    attributes.set(name, {
      VerificationStatus: identity.verificationStatus,
      VerificationToken: identity.type === 'Domain' ? identity.verificationToken : undefined,
    });
  }
  return { VerificationAttributes: attributes };
}

function deleteIdentity(ctx: OperationContext): unknown {
  const region = sesRegion(ctx);
  const name = str(ctx.params.Identity);
  if (!name)
    throw new SandboxError('ValidationError', "1 validation error detected: Value null at 'identity' failed to satisfy constraint: Member must not be null");
  region.ses.identities = region.ses.identities.filter((i) => i.identity !== name);
  ctx.trail = { requestParameters: { identity: name }, responseElements: null };
  return {};
}

export const handlers: ServiceHandlers = {
  GetSendQuota: getSendQuota,
  GetAccountSendingEnabled: getAccountSendingEnabled,
  UpdateAccountSendingEnabled: updateAccountSendingEnabled,
  ListIdentities: listIdentities,
  VerifyEmailIdentity: verifyEmailIdentity,
  VerifyDomainIdentity: verifyDomainIdentity,
  GetIdentityVerificationAttributes: getIdentityVerificationAttributes,
  DeleteIdentity: deleteIdentity,
};
