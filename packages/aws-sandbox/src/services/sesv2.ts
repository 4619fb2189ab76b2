/**
 * SES v2 (REST-JSON under /v2/email/): the account (sandbox or production, sending enabled, quota),
 * the production-access request (PutAccountDetails) and email identities. Shares the `ses` signing
 * name with SES v1; the registry routes /v2/ paths here.
 */
import { SandboxError, type OperationContext, type ServiceHandlers, type SesIdentity } from '../model';
import type { RestRoute } from '../protocols/rest-json';
import { newIdentity, sesRegion } from './ses';
import { bool, str, strings } from './service-input';

const V2_STATUS: Record<SesIdentity['verificationStatus'], string> = {
  Pending: 'PENDING',
  Success: 'SUCCESS',
  Failed: 'FAILED',
  TemporaryFailure: 'TEMPORARY_FAILURE',
  NotStarted: 'NOT_STARTED',
};

function getAccount(ctx: OperationContext): unknown {
  const ses = sesRegion(ctx).ses;
  return {
    DedicatedIpAutoWarmupEnabled: true,
    EnforcementStatus: ses.enforcementStatus,
    ProductionAccessEnabled: ses.productionAccessEnabled,
    SendingEnabled: ses.sendingEnabled,
    SendQuota: { Max24HourSend: ses.max24HourSend, MaxSendRate: ses.maxSendRate, SentLast24Hours: ses.sentLast24Hours },
    SuppressionAttributes: { SuppressedReasons: [] },
    Details: ses.details
      ? {
          MailType: ses.details.mailType,
          WebsiteURL: ses.details.websiteUrl,
          ContactLanguage: ses.details.contactLanguage,
          UseCaseDescription: ses.details.useCaseDescription,
          AdditionalContactEmailAddresses: ses.details.additionalContactEmailAddresses,
          ReviewDetails: { Status: ses.productionAccessEnabled ? 'GRANTED' : 'PENDING', CaseId: `sandbox-${ctx.state.accountId}` },
        }
      : undefined,
  };
}

/** The request for production access; AWS reviews it, so the account stays sandboxed here. */
function putAccountDetails(ctx: OperationContext): unknown {
  const p = ctx.params;
  const mailType = str(p.MailType);
  const websiteUrl = str(p.WebsiteURL);
  if (mailType !== 'MARKETING' && mailType !== 'TRANSACTIONAL') throw new SandboxError('BadRequestException', 'MailType must be MARKETING or TRANSACTIONAL.');
  if (!websiteUrl) throw new SandboxError('BadRequestException', 'WebsiteURL is required.');
  sesRegion(ctx).ses.details = {
    mailType,
    websiteUrl,
    contactLanguage: str(p.ContactLanguage),
    useCaseDescription: str(p.UseCaseDescription),
    additionalContactEmailAddresses: strings(p.AdditionalContactEmailAddresses),
  };
  return {};
}

function putAccountSendingAttributes(ctx: OperationContext): unknown {
  sesRegion(ctx).ses.sendingEnabled = bool(ctx.params.SendingEnabled) ?? false;
  return {};
}

function identityJson(i: SesIdentity) {
  return {
    IdentityType: i.type === 'Domain' ? 'DOMAIN' : 'EMAIL_ADDRESS',
    IdentityName: i.identity,
    SendingEnabled: true,
    VerificationStatus: V2_STATUS[i.verificationStatus],
  };
}

function listEmailIdentities(ctx: OperationContext): unknown {
  return { EmailIdentities: sesRegion(ctx).ses.identities.map(identityJson) };
}

function dkim(i: SesIdentity) {
  return {
    SigningEnabled: i.type === 'Domain',
    Status: i.verificationStatus === 'Success' ? 'SUCCESS' : 'PENDING',
    Tokens: i.type === 'Domain' ? [i.verificationToken.slice(0, 32).toLowerCase()] : [],
  };
}

function createEmailIdentity(ctx: OperationContext): unknown {
  const name = str(ctx.params.EmailIdentity);
  if (!name) throw new SandboxError('BadRequestException', 'EmailIdentity is required.');
  const region = sesRegion(ctx);
  if (region.ses.identities.some((i) => i.identity.toLowerCase() === name.toLowerCase())) {
    throw new SandboxError('AlreadyExistsException', `Email identity ${name} already exist.`);
  }
  const identity = newIdentity(ctx, name);
  region.ses.identities.push(identity);
  const out = { IdentityType: identityJson(identity).IdentityType, VerifiedForSendingStatus: false, DkimAttributes: dkim(identity) };
  ctx.trail = { requestParameters: { emailIdentity: name }, responseElements: { identityType: out.IdentityType, verifiedForSendingStatus: false } };
  return out;
}

function identityOf(ctx: OperationContext): SesIdentity {
  const name = str(ctx.params.EmailIdentity);
  const identity = sesRegion(ctx).ses.identities.find((i) => i.identity === name);
  if (!identity) throw new SandboxError('NotFoundException', `Email identity ${name ?? ''} does not exist.`, 404);
  return identity;
}

function getEmailIdentity(ctx: OperationContext): unknown {
  const i = identityOf(ctx);
  return {
    IdentityType: identityJson(i).IdentityType,
    FeedbackForwardingStatus: true,
    VerifiedForSendingStatus: i.verificationStatus === 'Success',
    VerificationStatus: V2_STATUS[i.verificationStatus],
    DkimAttributes: dkim(i),
    Tags: [],
  };
}

function deleteEmailIdentity(ctx: OperationContext): unknown {
  const identity = identityOf(ctx);
  const region = sesRegion(ctx);
  region.ses.identities = region.ses.identities.filter((i) => i !== identity);
  return {};
}

export const handlers: ServiceHandlers = {
  GetAccount: getAccount,
  PutAccountDetails: putAccountDetails,
  PutAccountSendingAttributes: putAccountSendingAttributes,
  ListEmailIdentities: listEmailIdentities,
  CreateEmailIdentity: createEmailIdentity,
  GetEmailIdentity: getEmailIdentity,
  DeleteEmailIdentity: deleteEmailIdentity,
};

const ID = '(?<EmailIdentity>[^/]+)';
export const routes: RestRoute[] = [
  { method: 'GET', path: '/v2/email/account', operation: 'GetAccount' },
  { method: 'POST', path: '/v2/email/account/details', operation: 'PutAccountDetails' },
  { method: 'PUT', path: '/v2/email/account/sending', operation: 'PutAccountSendingAttributes' },
  { method: 'GET', path: /^\/v2\/email\/identities\/?$/, operation: 'ListEmailIdentities' },
  // Newer SDKs list identities with a POST.
  { method: 'POST', path: '/v2/email/list-identities', operation: 'ListEmailIdentities' },
  { method: 'POST', path: /^\/v2\/email\/identities\/?$/, operation: 'CreateEmailIdentity' },
  { method: 'GET', path: new RegExp(`^/v2/email/identities/${ID}$`), operation: 'GetEmailIdentity' },
  { method: 'DELETE', path: new RegExp(`^/v2/email/identities/${ID}$`), operation: 'DeleteEmailIdentity' },
];
