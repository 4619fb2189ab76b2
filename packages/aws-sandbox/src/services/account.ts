/**
 * AWS Account Management (REST-JSON): the primary contact and the alternate contacts the runbook asks
 * a team to verify (R8), Put/DeleteAlternateContact (each change kept in the contact history), and the
 * opt-in regions (EnableRegion, which attackers use to reach regions nobody watches).
 */
import { SandboxError, type AlternateContact, type OperationContext, type RegionState, type ServiceHandlers } from '../model';
import type { RestRoute } from '../protocols/rest-json';
import { str } from './service-input';

const TYPES: AlternateContact['type'][] = ['BILLING', 'OPERATIONS', 'SECURITY'];

/** Another account's contacts are readable only by its organization's management account. */
function checkAccount(ctx: OperationContext): void {
  const accountId = str(ctx.params.AccountId);
  if (accountId === undefined || accountId === ctx.state.accountId) return;
  const org = ctx.state.organization;
  const manages = org && org.masterAccountId === ctx.state.accountId && org.accounts.some((a) => a.id === accountId);
  if (!manages) {
    throw new SandboxError('AccessDeniedException', `You are not authorized to access account ${accountId}.`, 403);
  }
  throw new SandboxError('ResourceNotFoundException', `The sandbox holds no contact information for member account ${accountId}.`, 404);
}

function contactType(ctx: OperationContext): AlternateContact['type'] {
  const type = str(ctx.params.AlternateContactType);
  if (!type || !TYPES.includes(type as AlternateContact['type'])) {
    throw new SandboxError('ValidationException', `AlternateContactType must be one of ${TYPES.join(', ')}.`);
  }
  return type as AlternateContact['type'];
}

export function getContactInformation(ctx: OperationContext): unknown {
  checkAccount(ctx);
  const c = ctx.state.contact;
  return {
    ContactInformation: {
      FullName: c.fullName,
      AddressLine1: c.addressLine1,
      City: c.city,
      CountryCode: c.countryCode,
      PostalCode: c.postalCode,
      PhoneNumber: c.phoneNumber,
      CompanyName: c.companyName,
      WebsiteUrl: c.websiteUrl,
    },
  };
}

export function getAlternateContact(ctx: OperationContext): unknown {
  checkAccount(ctx);
  const type = contactType(ctx);
  const contact = ctx.state.alternateContacts.find((c) => c.type === type);
  if (!contact) throw new SandboxError('ResourceNotFoundException', 'No contact of the inputted alternate contact type found.', 404);
  return {
    AlternateContact: {
      AlternateContactType: contact.type,
      Name: contact.name,
      Title: contact.title,
      EmailAddress: contact.emailAddress,
      PhoneNumber: contact.phoneNumber,
    },
  };
}

export function putAlternateContact(ctx: OperationContext): unknown {
  checkAccount(ctx);
  const type = contactType(ctx);
  const fields = {
    name: str(ctx.params.Name),
    title: str(ctx.params.Title),
    emailAddress: str(ctx.params.EmailAddress),
    phoneNumber: str(ctx.params.PhoneNumber),
  };
  const missing = Object.entries({ Name: fields.name, Title: fields.title, EmailAddress: fields.emailAddress, PhoneNumber: fields.phoneNumber })
    .filter(([, v]) => v === undefined)
    .map(([k]) => k);
  if (missing.length > 0) throw new SandboxError('ValidationException', `Missing required field(s): ${missing.join(', ')}.`);
  const contact: AlternateContact = { type, name: fields.name!, title: fields.title!, emailAddress: fields.emailAddress!, phoneNumber: fields.phoneNumber! };
  ctx.state.alternateContacts = [...ctx.state.alternateContacts.filter((c) => c.type !== type), contact];
  ctx.state.alternateContactHistory.push({ time: ctx.now, type, action: 'put', contact: { ...contact }, by: ctx.caller.arn });
  return {};
}

export function deleteAlternateContact(ctx: OperationContext): unknown {
  checkAccount(ctx);
  const type = contactType(ctx);
  if (!ctx.state.alternateContacts.some((c) => c.type === type)) {
    throw new SandboxError('ResourceNotFoundException', 'No contact of the inputted alternate contact type found.', 404);
  }
  ctx.state.alternateContacts = ctx.state.alternateContacts.filter((c) => c.type !== type);
  ctx.state.alternateContactHistory.push({ time: ctx.now, type, action: 'delete', by: ctx.caller.arn });
  return {};
}

/** Regions as the Account API names their state: ENABLED_BY_DEFAULT, ENABLED, ENABLING, DISABLED. */
function optStatus(region: RegionState): string {
  return region.optInStatus === 'opt-in-not-required' ? 'ENABLED_BY_DEFAULT' : region.optInStatus === 'opted-in' ? 'ENABLED' : 'DISABLED';
}

function regionNamed(ctx: OperationContext): RegionState {
  checkAccount(ctx);
  const name = str(ctx.params.RegionName);
  const region = ctx.state.regions.find((r) => r.name === name);
  if (!region) throw new SandboxError('ValidationException', `Invalid region name: ${name ?? 'null'}.`);
  return region;
}

export function getRegionOptStatus(ctx: OperationContext): unknown {
  const region = regionNamed(ctx);
  return { RegionName: region.name, RegionOptStatus: optStatus(region) };
}

export function listRegions(ctx: OperationContext): unknown {
  checkAccount(ctx);
  return { Regions: ctx.state.regions.map((r) => ({ RegionName: r.name, RegionOptStatus: optStatus(r) })) };
}

/** Enabling takes minutes in AWS; the sandbox enables at once so a drill can use the region. */
export function enableRegion(ctx: OperationContext): unknown {
  const region = regionNamed(ctx);
  if (region.optInStatus === 'opt-in-not-required')
    throw new SandboxError('ValidationException', `${region.name} is enabled by default and cannot be enabled or disabled.`);
  region.optInStatus = 'opted-in';
  return {};
}

export function disableRegion(ctx: OperationContext): unknown {
  const region = regionNamed(ctx);
  if (region.optInStatus === 'opt-in-not-required')
    throw new SandboxError('ValidationException', `${region.name} is enabled by default and cannot be enabled or disabled.`);
  region.optInStatus = 'not-opted-in';
  return {};
}

export const handlers: ServiceHandlers = {
  GetContactInformation: getContactInformation,
  GetAlternateContact: getAlternateContact,
  PutAlternateContact: putAlternateContact,
  DeleteAlternateContact: deleteAlternateContact,
  GetRegionOptStatus: getRegionOptStatus,
  ListRegions: listRegions,
  EnableRegion: enableRegion,
  DisableRegion: disableRegion,
};

export const routes: RestRoute[] = [
  { method: 'POST', path: '/getContactInformation', operation: 'GetContactInformation' },
  { method: 'POST', path: '/getAlternateContact', operation: 'GetAlternateContact' },
  { method: 'POST', path: '/putAlternateContact', operation: 'PutAlternateContact' },
  { method: 'POST', path: '/deleteAlternateContact', operation: 'DeleteAlternateContact' },
  { method: 'POST', path: '/getRegionOptStatus', operation: 'GetRegionOptStatus' },
  { method: 'POST', path: '/listRegions', operation: 'ListRegions' },
  { method: 'POST', path: '/enableRegion', operation: 'EnableRegion' },
  { method: 'POST', path: '/disableRegion', operation: 'DisableRegion' },
];
