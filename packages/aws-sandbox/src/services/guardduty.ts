/**
 * GuardDuty (REST-JSON, camelCase members): detectors, trusted IP sets and threat lists, and the
 * administrator/member relationship — the controls an attacker disables, trusts their own address in,
 * or detaches from the security account.
 */
import { stableHex } from '../ids';
import { SandboxError, type GuardDutyDetector, type GuardDutyList, type OperationContext, type RegionState, type ServiceHandlers } from '../model';
import type { RestRoute } from '../protocols/rest-json';
import { enabledRegion } from './region-guard';
import { bool, str } from './service-input';

const FORMATS: GuardDutyList['format'][] = ['TXT', 'STIX', 'OTX_CSV', 'ALIEN_VAULT', 'PROOF_POINT', 'FIRE_EYE'];

const gdRegion = (ctx: OperationContext): RegionState =>
  enabledRegion(ctx, { unknown: ['UnrecognizedClientException', 403], notOptedIn: ['UnrecognizedClientException', 403] });

function badRequest(message: string, status = 400): SandboxError {
  return new SandboxError('BadRequestException', message, status);
}

function detectorOf(ctx: OperationContext): GuardDutyDetector {
  const id = str(ctx.params.detectorId);
  const detector = gdRegion(ctx).guardDutyDetectors.find((d) => d.detectorId === id);
  if (!detector) throw badRequest(`The request is rejected because the input detectorId is not owned by the current account.`);
  return detector;
}

function listDetectors(ctx: OperationContext): unknown {
  return { detectorIds: gdRegion(ctx).guardDutyDetectors.map((d) => d.detectorId) };
}

function createDetector(ctx: OperationContext): unknown {
  const region = gdRegion(ctx);
  if (region.guardDutyDetectors.length > 0) throw badRequest('The request is rejected because a detector already exists for the current account.');
  const detector: GuardDutyDetector = {
    detectorId: stableHex('', `${ctx.state.accountId}|guardduty|${region.name}|${ctx.state.seq++}`, 32),
    status: bool(ctx.params.enable) === false ? 'DISABLED' : 'ENABLED',
    createdAt: ctx.now,
    updatedAt: ctx.now,
    findingPublishingFrequency: (str(ctx.params.findingPublishingFrequency) as GuardDutyDetector['findingPublishingFrequency']) ?? 'SIX_HOURS',
    ipSets: [],
    threatIntelSets: [],
    members: [],
    tags: {},
  };
  region.guardDutyDetectors.push(detector);
  return { detectorId: detector.detectorId };
}

function getDetector(ctx: OperationContext): unknown {
  const d = detectorOf(ctx);
  return {
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    findingPublishingFrequency: d.findingPublishingFrequency,
    serviceRole: `arn:aws:iam::${ctx.state.accountId}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
    status: d.status,
    tags: d.tags,
  };
}

function updateDetector(ctx: OperationContext): unknown {
  const d = detectorOf(ctx);
  const enable = bool(ctx.params.enable);
  if (enable !== undefined) d.status = enable ? 'ENABLED' : 'DISABLED';
  const frequency = str(ctx.params.findingPublishingFrequency);
  if (frequency) d.findingPublishingFrequency = frequency as GuardDutyDetector['findingPublishingFrequency'];
  d.updatedAt = ctx.now;
  return {};
}

function deleteDetector(ctx: OperationContext): unknown {
  const d = detectorOf(ctx);
  const region = gdRegion(ctx);
  region.guardDutyDetectors = region.guardDutyDetectors.filter((x) => x !== d);
  return {};
}

function lists(d: GuardDutyDetector, kind: 'ipSets' | 'threatIntelSets'): GuardDutyList[] {
  return d[kind];
}

function createList(kind: 'ipSets' | 'threatIntelSets', idField: 'ipSetId' | 'threatIntelSetId') {
  return (ctx: OperationContext): unknown => {
    const d = detectorOf(ctx);
    const name = str(ctx.params.name);
    const format = str(ctx.params.format) as GuardDutyList['format'];
    const location = str(ctx.params.location);
    if (!name || !location) throw badRequest('The request is rejected because an invalid or out-of-range value is specified as an input parameter.');
    if (!FORMATS.includes(format)) throw badRequest(`The request is rejected because the format ${format ?? 'null'} is not supported.`);
    if (kind === 'ipSets' && d.ipSets.filter((s) => s.status !== 'DELETED').length >= 1) {
      throw badRequest('The request is rejected because the current account cannot create more than 1 IPSet per detector.');
    }
    const item: GuardDutyList = {
      id: stableHex('', `${d.detectorId}|${kind}|${name}|${ctx.state.seq++}`, 32),
      name,
      format,
      location,
      status: bool(ctx.params.activate) ? 'ACTIVE' : 'INACTIVE',
    };
    lists(d, kind).push(item);
    return { [idField]: item.id };
  };
}

function listOf(ctx: OperationContext, kind: 'ipSets' | 'threatIntelSets', idParam: string): GuardDutyList {
  const d = detectorOf(ctx);
  const id = str(ctx.params[idParam]);
  const item = lists(d, kind).find((s) => s.id === id && s.status !== 'DELETED');
  if (!item) throw badRequest(`The request is rejected because the input ${idParam} is not owned by the current account.`);
  return item;
}

function listIPSets(ctx: OperationContext): unknown {
  return {
    ipSetIds: detectorOf(ctx)
      .ipSets.filter((s) => s.status !== 'DELETED')
      .map((s) => s.id),
  };
}

function getIPSet(ctx: OperationContext): unknown {
  const s = listOf(ctx, 'ipSets', 'ipSetId');
  return { name: s.name, format: s.format, location: s.location, status: s.status, tags: {} };
}

function updateIPSet(ctx: OperationContext): unknown {
  const s = listOf(ctx, 'ipSets', 'ipSetId');
  const location = str(ctx.params.location);
  const name = str(ctx.params.name);
  const activate = bool(ctx.params.activate);
  if (location) s.location = location;
  if (name) s.name = name;
  if (activate !== undefined) s.status = activate ? 'ACTIVE' : 'INACTIVE';
  return {};
}

function deleteIPSet(ctx: OperationContext): unknown {
  listOf(ctx, 'ipSets', 'ipSetId').status = 'DELETED';
  return {};
}

function listThreatIntelSets(ctx: OperationContext): unknown {
  return {
    threatIntelSetIds: detectorOf(ctx)
      .threatIntelSets.filter((s) => s.status !== 'DELETED')
      .map((s) => s.id),
  };
}

function deleteThreatIntelSet(ctx: OperationContext): unknown {
  listOf(ctx, 'threatIntelSets', 'threatIntelSetId').status = 'DELETED';
  return {};
}

function getAdministratorAccount(ctx: OperationContext): unknown {
  const a = detectorOf(ctx).administrator;
  if (!a) return {};
  const administrator = {
    accountId: a.accountId,
    invitationId: a.invitationId,
    relationshipStatus: a.relationshipStatus,
    invitedAt: a.invitedAt.toISOString(),
  };
  return ctx.operation === 'GetMasterAccount' ? { master: administrator } : { administrator };
}

function disassociateFromAdministrator(ctx: OperationContext): unknown {
  const d = detectorOf(ctx);
  if (!d.administrator) throw badRequest('The request is rejected because the current account is not associated with an administrator account.');
  d.administrator = undefined;
  return {};
}

function listMembers(ctx: OperationContext): unknown {
  return {
    members: detectorOf(ctx).members.map((m) => ({
      accountId: m.accountId,
      email: m.email,
      relationshipStatus: m.relationshipStatus,
      masterId: ctx.state.accountId,
      administratorId: ctx.state.accountId,
      detectorId: str(ctx.params.detectorId),
      updatedAt: m.updatedAt.toISOString(),
    })),
  };
}

function disassociateMembers(ctx: OperationContext): unknown {
  const d = detectorOf(ctx);
  const ids = (ctx.params.accountIds as unknown[] | undefined)?.map(String) ?? [];
  const unprocessed = ids
    .filter((id) => !d.members.some((m) => m.accountId === id))
    .map((accountId) => ({ accountId, result: 'The request is rejected because the given account ID is not a member.' }));
  for (const m of d.members)
    if (ids.includes(m.accountId)) {
      m.relationshipStatus = 'Removed';
      m.updatedAt = ctx.now;
    }
  return { unprocessedAccounts: unprocessed };
}

export const handlers: ServiceHandlers = {
  ListDetectors: listDetectors,
  CreateDetector: createDetector,
  GetDetector: getDetector,
  UpdateDetector: updateDetector,
  DeleteDetector: deleteDetector,
  ListIPSets: listIPSets,
  CreateIPSet: createList('ipSets', 'ipSetId'),
  GetIPSet: getIPSet,
  UpdateIPSet: updateIPSet,
  DeleteIPSet: deleteIPSet,
  ListThreatIntelSets: listThreatIntelSets,
  CreateThreatIntelSet: createList('threatIntelSets', 'threatIntelSetId'),
  DeleteThreatIntelSet: deleteThreatIntelSet,
  GetAdministratorAccount: getAdministratorAccount,
  GetMasterAccount: getAdministratorAccount,
  DisassociateFromAdministratorAccount: disassociateFromAdministrator,
  DisassociateFromMasterAccount: disassociateFromAdministrator,
  ListMembers: listMembers,
  DisassociateMembers: disassociateMembers,
};

const D = '/detector/(?<detectorId>[^/]+)';
export const routes: RestRoute[] = [
  { method: 'GET', path: /^\/detector\/?$/, operation: 'ListDetectors' },
  { method: 'POST', path: /^\/detector\/?$/, operation: 'CreateDetector' },
  { method: 'GET', path: new RegExp(`^${D}$`), operation: 'GetDetector' },
  { method: 'POST', path: new RegExp(`^${D}$`), operation: 'UpdateDetector' },
  { method: 'DELETE', path: new RegExp(`^${D}$`), operation: 'DeleteDetector' },
  { method: 'GET', path: new RegExp(`^${D}/ipset$`), operation: 'ListIPSets' },
  { method: 'POST', path: new RegExp(`^${D}/ipset$`), operation: 'CreateIPSet' },
  { method: 'GET', path: new RegExp(`^${D}/ipset/(?<ipSetId>[^/]+)$`), operation: 'GetIPSet' },
  { method: 'POST', path: new RegExp(`^${D}/ipset/(?<ipSetId>[^/]+)$`), operation: 'UpdateIPSet' },
  { method: 'DELETE', path: new RegExp(`^${D}/ipset/(?<ipSetId>[^/]+)$`), operation: 'DeleteIPSet' },
  { method: 'GET', path: new RegExp(`^${D}/threatintelset$`), operation: 'ListThreatIntelSets' },
  { method: 'POST', path: new RegExp(`^${D}/threatintelset$`), operation: 'CreateThreatIntelSet' },
  { method: 'DELETE', path: new RegExp(`^${D}/threatintelset/(?<threatIntelSetId>[^/]+)$`), operation: 'DeleteThreatIntelSet' },
  { method: 'GET', path: new RegExp(`^${D}/administrator$`), operation: 'GetAdministratorAccount' },
  { method: 'GET', path: new RegExp(`^${D}/master$`), operation: 'GetMasterAccount' },
  { method: 'POST', path: new RegExp(`^${D}/administrator/disassociate$`), operation: 'DisassociateFromAdministratorAccount' },
  { method: 'POST', path: new RegExp(`^${D}/master/disassociate$`), operation: 'DisassociateFromMasterAccount' },
  { method: 'GET', path: new RegExp(`^${D}/member$`), operation: 'ListMembers' },
  { method: 'POST', path: new RegExp(`^${D}/member/disassociate$`), operation: 'DisassociateMembers' },
];
