/**
 * Scenario sections for the stateful resources attackers change: S3 buckets, EBS and RDS snapshots
 * with their sharing, GuardDuty detectors, Config recorders and delivery channels, SES accounts, and
 * the history of the alternate contacts. Each is validated field by field like the rest of a scenario.
 */
import { stableHex, stableId } from '../ids';
import {
  type GuardDutyDetector,
  type GuardDutyList,
  type PublicAccessBlock,
  publicAccessBlockOf,
  type RegionState,
  type S3Grant,
  type SandboxState,
  type SesAccount,
} from '../model';
import { canonicalOwnerId, cannedAclGrants } from '../services/s3';
import type { Json, ScenarioReader } from './reader';

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** A fresh region's SES account: sandboxed (200 a day, 1 a second), sending enabled, no identities. */
export function defaultSes(): SesAccount {
  return {
    sendingEnabled: true,
    productionAccessEnabled: false,
    max24HourSend: 200,
    maxSendRate: 1,
    sentLast24Hours: 0,
    enforcementStatus: 'HEALTHY',
    identities: [],
  };
}

function regionFor(r: ScenarioReader, state: SandboxState, o: Record<string, Json>, path: string): RegionState | undefined {
  const name = r.str(o, 'region', path, REGION);
  const region = state.regions.find((x) => x.name === name);
  if (!region && name) r.problem(`${path}.region`, `unknown region ${name}`);
  else if (region?.optInStatus === 'not-opted-in') r.problem(`${path}.region`, `${name} is not enabled in this account: add it to $.regions.optedIn`);
  return region;
}

function tags(r: ScenarioReader, o: Record<string, Json>, path: string): { Key: string; Value: string }[] {
  if (o.tags === undefined) return [];
  return Object.entries(r.obj(o.tags, `${path}.tags`)).map(([Key, Value]) => ({ Key, Value: String(Value) }));
}

/** Account ids (or "all" for public) a snapshot is shared with. */
function sharedWith(r: ScenarioReader, o: Record<string, Json>, path: string): string[] {
  const list = r.strList(o, 'sharedWith', path);
  list.forEach((v, i) => {
    if (v !== 'all' && !ACCOUNT_ID.test(v)) r.problem(`${path}.sharedWith[${i}]`, `"${v}" is neither an account id (12 digits) nor "all"`);
  });
  return list;
}

function publicAccessBlock(r: ScenarioReader, value: Json, path: string): PublicAccessBlock {
  const o = r.obj(value, path);
  const fields = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;
  r.onlyKeys(o, path, [...fields]);
  return publicAccessBlockOf((f) => r.bool(o, f, path, true));
}

const GROUPS: Record<string, string> = {
  AllUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
};

function acl(r: ScenarioReader, o: Record<string, Json>, path: string, ownerId: string): S3Grant[] {
  if (o.acl === undefined) return cannedAclGrants('private', ownerId);
  if (typeof o.acl === 'string') {
    try {
      return cannedAclGrants(o.acl, ownerId);
    } catch {
      r.problem(`${path}.acl`, `"${o.acl}" is not a canned ACL (private, public-read, public-read-write, authenticated-read, log-delivery-write)`);
      return [];
    }
  }
  return r.arr(o, 'acl', path).map((g, i) => {
    const gp = `${path}.acl[${i}]`;
    const go = r.obj(g, gp);
    r.onlyKeys(go, gp, ['grantee', 'permission']);
    const grantee = r.str(go, 'grantee', gp);
    const permission = r.oneOf(go, 'permission', gp, ['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'] as const);
    if (GROUPS[grantee]) return { grantee: { type: 'Group' as const, uri: GROUPS[grantee]! }, permission };
    if (grantee.startsWith('email:')) return { grantee: { type: 'AmazonCustomerByEmail' as const, email: grantee.slice(6) }, permission };
    if (grantee === 'owner') return { grantee: { type: 'CanonicalUser' as const, id: ownerId }, permission };
    if (/^id:[0-9a-f]{64}$/.test(grantee)) return { grantee: { type: 'CanonicalUser' as const, id: grantee.slice(3) }, permission };
    r.problem(`${gp}.grantee`, `"${grantee}" must be owner, AllUsers, AuthenticatedUsers, LogDelivery, id:<64 hex canonical id> or email:ADDRESS`);
    return { grantee: { type: 'CanonicalUser' as const, id: ownerId }, permission };
  });
}

export function readBuckets(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  const ownerId = canonicalOwnerId(state.accountId);
  if (doc.accountPublicAccessBlock !== undefined)
    state.accountPublicAccessBlock = publicAccessBlock(r, doc.accountPublicAccessBlock, '$.accountPublicAccessBlock');
  r.arr(doc, 'buckets', '$').forEach((b, i) => {
    const path = `$.buckets[${i}]`;
    const o = r.obj(b, path);
    r.onlyKeys(o, path, ['name', 'region', 'created', 'policy', 'acl', 'publicAccessBlock', 'versioning', 'lifecycle', 'tags']);
    const name = r.str(o, 'name', path, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'bucket names are 3-63 lower-case letters, digits, dots and hyphens');
    const region = regionFor(r, state, o, path);
    if (state.buckets.some((x) => x.name === name)) r.problem(`${path}.name`, `duplicate bucket ${name}`);
    const lifecycle = r.arr(o, 'lifecycle', path).map((rule, j) => {
      const ro = r.obj(rule, `${path}.lifecycle[${j}]`);
      if (ro.Status !== 'Enabled' && ro.Status !== 'Disabled') r.problem(`${path}.lifecycle[${j}].Status`, 'must be Enabled or Disabled');
      return ro as Record<string, unknown>;
    });
    state.buckets.push({
      name,
      region: region?.name ?? 'us-east-1',
      creationDate: r.time(o, 'created', path),
      policy: o.policy === undefined ? undefined : r.document(o, 'policy', path),
      acl: acl(r, o, path, ownerId),
      publicAccessBlock:
        o.publicAccessBlock === undefined || o.publicAccessBlock === false ? undefined : publicAccessBlock(r, o.publicAccessBlock, `${path}.publicAccessBlock`),
      versioning: o.versioning === undefined ? undefined : r.oneOf(o, 'versioning', path, ['Enabled', 'Suspended'] as const),
      lifecycleRules: lifecycle.length > 0 ? lifecycle : undefined,
      tags: tags(r, o, path),
    });
  });
}

export function readSnapshots(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  r.arr(doc, 'snapshots', '$').forEach((s, i) => {
    const path = `$.snapshots[${i}]`;
    const o = r.obj(s, path);
    r.onlyKeys(o, path, ['region', 'snapshotId', 'volumeId', 'volumeSize', 'started', 'description', 'encrypted', 'sharedWith', 'tags']);
    const region = regionFor(r, state, o, path);
    const snapshotId = r.optStr(o, 'snapshotId', path, /^snap-[0-9a-f]{8,17}$/) ?? stableHex('snap-', `${state.accountId}|snapshot|${i}`, 17);
    const started = r.time(o, 'started', path);
    region?.snapshots.push({
      snapshotId,
      volumeId: r.optStr(o, 'volumeId', path, /^vol-[0-9a-f]{8,17}$/) ?? stableHex('vol-', `${state.accountId}|snapshot-volume|${i}`, 17),
      state: 'completed',
      startTime: started,
      completesAt: started,
      description: r.optStr(o, 'description', path),
      volumeSize: r.num(o, 'volumeSize', path, 8, 1),
      encrypted: r.bool(o, 'encrypted', path, false),
      sharedWith: sharedWith(r, o, path),
      tags: tags(r, o, path),
    });
  });
  r.arr(doc, 'dbSnapshots', '$').forEach((s, i) => {
    const path = `$.dbSnapshots[${i}]`;
    const o = r.obj(s, path);
    r.onlyKeys(o, path, ['region', 'id', 'dbInstance', 'engine', 'allocatedStorage', 'created', 'encrypted', 'type', 'sharedWith']);
    const region = regionFor(r, state, o, path);
    const id = r.str(o, 'id', path, /^[a-zA-Z][a-zA-Z0-9-:]{0,254}$/, 'letters, digits, hyphens; starts with a letter');
    if (region?.dbSnapshots.some((x) => x.dbSnapshotIdentifier === id)) r.problem(`${path}.id`, `duplicate DB snapshot ${id}`);
    const type = r.oneOf(o, 'type', path, ['manual', 'automated'] as const, 'manual');
    const shares = sharedWith(r, o, path);
    if (type === 'automated' && shares.length > 0)
      r.problem(`${path}.sharedWith`, 'automated DB snapshots cannot be shared: copy them to a manual snapshot first');
    region?.dbSnapshots.push({
      dbSnapshotIdentifier: id,
      dbInstanceIdentifier: r.str(o, 'dbInstance', path),
      engine: r.optStr(o, 'engine', path) ?? 'postgres',
      allocatedStorage: r.num(o, 'allocatedStorage', path, 20, 1),
      snapshotCreateTime: r.time(o, 'created', path),
      status: 'available',
      encrypted: r.bool(o, 'encrypted', path, false),
      snapshotType: type,
      sharedWith: shares,
    });
  });
}

function guardDutyLists(r: ScenarioReader, o: Record<string, Json>, key: string, path: string, seed: string): GuardDutyList[] {
  return r.arr(o, key, path).map((l, j) => {
    const lp = `${path}.${key}[${j}]`;
    const lo = r.obj(l, lp);
    r.onlyKeys(lo, lp, ['id', 'name', 'format', 'location', 'status']);
    return {
      id: r.optStr(lo, 'id', lp, /^[0-9a-f]{32}$/) ?? stableHex('', `${seed}|${key}|${j}`, 32),
      name: r.str(lo, 'name', lp),
      format: r.oneOf(lo, 'format', lp, ['TXT', 'STIX', 'OTX_CSV', 'ALIEN_VAULT', 'PROOF_POINT', 'FIRE_EYE'] as const, 'TXT'),
      location: r.str(lo, 'location', lp, /^https:\/\//, 'an https:// URL of the list in S3'),
      status: r.oneOf(lo, 'status', lp, ['ACTIVE', 'INACTIVE', 'DELETED'] as const, 'ACTIVE'),
    };
  });
}

export function readGuardDuty(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  r.arr(doc, 'guardDuty', '$').forEach((d, i) => {
    const path = `$.guardDuty[${i}]`;
    const o = r.obj(d, path);
    r.onlyKeys(o, path, ['region', 'detectorId', 'status', 'created', 'ipSets', 'threatIntelSets', 'administratorAccount', 'members']);
    const region = regionFor(r, state, o, path);
    const seed = `${state.accountId}|guardduty|${region?.name}`;
    const detectorId = r.optStr(o, 'detectorId', path, /^[0-9a-f]{32}$/) ?? stableHex('', seed, 32);
    const created = r.time(o, 'created', path);
    const admin = r.optStr(o, 'administratorAccount', path, ACCOUNT_ID);
    const detector: GuardDutyDetector = {
      detectorId,
      status: r.oneOf(o, 'status', path, ['ENABLED', 'DISABLED'] as const, 'ENABLED'),
      createdAt: created,
      updatedAt: created,
      findingPublishingFrequency: 'SIX_HOURS',
      ipSets: guardDutyLists(r, o, 'ipSets', path, seed),
      threatIntelSets: guardDutyLists(r, o, 'threatIntelSets', path, seed),
      administrator: admin
        ? { accountId: admin, invitationId: stableHex('', `${seed}|invitation`, 32), relationshipStatus: 'Enabled', invitedAt: created }
        : undefined,
      members: r.arr(o, 'members', path).map((m, j) => {
        const mp = `${path}.members[${j}]`;
        const mo = r.obj(m, mp);
        r.onlyKeys(mo, mp, ['accountId', 'email', 'status']);
        return {
          accountId: r.str(mo, 'accountId', mp, ACCOUNT_ID),
          email: r.str(mo, 'email', mp),
          relationshipStatus: r.optStr(mo, 'status', mp) ?? 'Enabled',
          updatedAt: created,
        };
      }),
      tags: {},
    };
    if (region && region.guardDutyDetectors.length > 0) r.problem(path, `${region.name} already has a detector: GuardDuty allows one per region`);
    region?.guardDutyDetectors.push(detector);
  });
}

export function readConfig(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  r.arr(doc, 'configRecorders', '$').forEach((c, i) => {
    const path = `$.configRecorders[${i}]`;
    const o = r.obj(c, path);
    r.onlyKeys(o, path, ['region', 'name', 'roleArn', 'recording', 'allSupported', 'includeGlobalResourceTypes', 'lastStarted', 'lastStopped']);
    const region = regionFor(r, state, o, path);
    if (region && region.configRecorders.length > 0) r.problem(path, `${region.name} already has a recorder: Config allows one per region`);
    region?.configRecorders.push({
      name: r.optStr(o, 'name', path) ?? 'default',
      roleARN:
        r.optStr(o, 'roleArn', path, /^arn:aws:iam::\d{12}:role\//) ??
        `arn:aws:iam::${state.accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
      allSupported: r.bool(o, 'allSupported', path, true),
      includeGlobalResourceTypes: r.bool(o, 'includeGlobalResourceTypes', path, region?.name === 'us-east-1'),
      resourceTypes: [],
      recording: r.bool(o, 'recording', path, true),
      lastStartTime: r.optTime(o, 'lastStarted', path),
      lastStopTime: r.optTime(o, 'lastStopped', path),
    });
  });
  r.arr(doc, 'deliveryChannels', '$').forEach((c, i) => {
    const path = `$.deliveryChannels[${i}]`;
    const o = r.obj(c, path);
    r.onlyKeys(o, path, ['region', 'name', 's3BucketName', 's3KeyPrefix', 'snsTopicArn']);
    const region = regionFor(r, state, o, path);
    region?.deliveryChannels.push({
      name: r.optStr(o, 'name', path) ?? 'default',
      s3BucketName: r.str(o, 's3BucketName', path),
      s3KeyPrefix: r.optStr(o, 's3KeyPrefix', path),
      snsTopicARN: r.optStr(o, 'snsTopicArn', path),
    });
  });
}

export function readSes(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  r.arr(doc, 'ses', '$').forEach((s, i) => {
    const path = `$.ses[${i}]`;
    const o = r.obj(s, path);
    r.onlyKeys(o, path, ['region', 'sendingEnabled', 'productionAccess', 'max24HourSend', 'maxSendRate', 'sentLast24Hours', 'identities']);
    const region = regionFor(r, state, o, path);
    const production = r.bool(o, 'productionAccess', path, false);
    const ses: SesAccount = {
      ...defaultSes(),
      sendingEnabled: r.bool(o, 'sendingEnabled', path, true),
      productionAccessEnabled: production,
      max24HourSend: r.num(o, 'max24HourSend', path, production ? 50_000 : 200, 0),
      maxSendRate: r.num(o, 'maxSendRate', path, production ? 14 : 1, 0),
      sentLast24Hours: r.num(o, 'sentLast24Hours', path, 0, 0),
      identities: r.arr(o, 'identities', path).map((id, j) => {
        const ip = `${path}.identities[${j}]`;
        const io = r.obj(id, ip);
        r.onlyKeys(io, ip, ['identity', 'status', 'created']);
        const identity = r.str(io, 'identity', ip);
        return {
          identity,
          type: identity.includes('@') ? ('EmailAddress' as const) : ('Domain' as const),
          verificationStatus: r.oneOf(io, 'status', ip, ['Pending', 'Success', 'Failed', 'TemporaryFailure', 'NotStarted'] as const, 'Success'),
          createdAt: r.time(io, 'created', ip),
          verificationToken: stableId('', `${state.accountId}|ses|${identity}`, 44, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
        };
      }),
    };
    if (region) region.ses = ses;
  });
}

export function readContactHistory(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  state.alternateContactHistory = r.arr(doc, 'alternateContactHistory', '$').map((h, i) => {
    const path = `$.alternateContactHistory[${i}]`;
    const o = r.obj(h, path);
    r.onlyKeys(o, path, ['time', 'type', 'action', 'name', 'title', 'emailAddress', 'phoneNumber', 'by']);
    const type = r.oneOf(o, 'type', path, ['SECURITY', 'BILLING', 'OPERATIONS'] as const);
    const action = r.oneOf(o, 'action', path, ['put', 'delete'] as const, 'put');
    return {
      time: r.time(o, 'time', path),
      type,
      action,
      contact:
        action === 'put'
          ? {
              type,
              name: r.str(o, 'name', path),
              title: r.str(o, 'title', path),
              emailAddress: r.str(o, 'emailAddress', path, /^[^@\s]+@[^@\s]+$/, 'an email address'),
              phoneNumber: r.str(o, 'phoneNumber', path),
            }
          : undefined,
      by: r.str(o, 'by', path, /^arn:aws:(iam|sts)::\d{12}:/, 'the ARN of who changed it'),
    };
  });
  state.alternateContactHistory.sort((a, b) => a.time.getTime() - b.time.getTime());
}
