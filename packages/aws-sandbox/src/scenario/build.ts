/**
 * Turns a scenario document (scenarios/*.json) into the sandbox's live account state, validating
 * every field so a broken scenario fails with every problem listed.
 */
import { randomUUID } from 'node:crypto';
import { secretFor, seededRandom, stableHex, stableId } from '../ids';
import type {
  AccessKey,
  DailyCost,
  Ec2Instance,
  Ec2Volume,
  IamGroup,
  IamRole,
  IamUser,
  InlinePolicy,
  LambdaFunction,
  ManagedPolicy,
  RegionState,
  SandboxState,
  SecurityGroup,
  Trail,
  TrailEvent,
} from '../model';
import { functionUrlFor, permissionStatement } from '../services/lambda-policy';
import { ALL_REGIONS, DEFAULT_REGIONS, OPT_IN_REGIONS } from '../regions';
import { isWriteOperation, resourcesOf } from '../trail-recorder';
import { actorOf, type Actor } from './actors';
import { ScenarioReader, type Json } from './reader';
import { defaultSes, readBuckets, readConfig, readContactHistory, readGuardDuty, readSes, readSnapshots } from './resources';
import { parseRelativeTime, utcDay } from './time';

const ACCOUNT_ID = /^\d{12}$/;
const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{12,}$/;
const NAME = /^[\w+=,.@-]{1,128}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;

/**
 * Builds the live SandboxState from a parsed scenario document. Every field is validated on the way
 * (see ScenarioReader); the result is thrown as one ScenarioError listing every problem.
 */
export function buildState(doc: Json, file: string, now: Date): { name: string; state: SandboxState } {
  const r = new ScenarioReader(file, now);
  const root = r.obj(doc, '$');
  r.onlyKeys(root, '$', [
    'name',
    'description',
    'source',
    'accountId',
    'accountAlias',
    'root',
    'users',
    'groups',
    'roles',
    'policies',
    'instanceProfiles',
    'regions',
    'instances',
    'securityGroups',
    'lambdaFunctions',
    'trails',
    'events',
    'activity',
    'costs',
    'anomalies',
    'organization',
    'contact',
    'alternateContacts',
    'alternateContactHistory',
    'buckets',
    'accountPublicAccessBlock',
    'snapshots',
    'dbSnapshots',
    'guardDuty',
    'configRecorders',
    'deliveryChannels',
    'ses',
  ]);
  readSource(r, root);
  const name = r.str(root, 'name', '$', NAME);
  const accountId = r.str(root, 'accountId', '$', ACCOUNT_ID, 'an account id is 12 digits');
  const state: SandboxState = {
    accountId,
    accountAlias: r.optStr(root, 'accountAlias', '$'),
    root: { arn: `arn:aws:iam::${accountId}:root`, createDate: now, passwordEnabled: true, mfaActive: false, accessKeys: [] },
    users: [],
    groups: [],
    roles: [],
    policies: [],
    instanceProfiles: [],
    credentialReport: { state: 'none' },
    lastAccessedJobs: new Map(),
    regions: [],
    events: [],
    costs: [],
    anomalies: [],
    contact: { fullName: '' },
    alternateContacts: [],
    alternateContactHistory: [],
    buckets: [],
    sessions: [],
    seq: 0,
  };

  readRoot(r, root, state);
  readPolicies(r, root, state);
  readGroups(r, root, state);
  readUsers(r, root, state);
  readRoles(r, root, state);
  readInstanceProfiles(r, root, state);
  readRegions(r, root, state);
  readInstances(r, root, state);
  readLambda(r, root, state);
  readTrails(r, root, state);
  readBuckets(r, root, state);
  readSnapshots(r, root, state);
  readGuardDuty(r, root, state);
  readConfig(r, root, state);
  readSes(r, root, state);
  readContactHistory(r, root, state);
  readEvents(r, root, state);
  readActivity(r, root, state);
  readCosts(r, root, state);
  readAnomalies(r, root, state);
  readOrganization(r, root, state);
  readContacts(r, root, state);
  checkReferences(r, state);
  r.throwIfInvalid();
  state.events.sort((a, b) => a.eventTime.getTime() - b.eventTime.getTime());
  return { name, state };
}

/** Library scenarios cite what they reproduce: `source` is a URL or a list of URLs. */
function readSource(r: ScenarioReader, root: Record<string, Json>): void {
  if (root.source === undefined) return;
  const urls = typeof root.source === 'string' ? [root.source] : r.strList(root, 'source', '$');
  urls.forEach((u, i) => {
    if (!/^https?:\/\/\S+$/.test(u)) r.problem(`$.source${typeof root.source === 'string' ? '' : `[${i}]`}`, `"${u}" is not a URL`);
  });
}

function readRoot(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  if (doc.root === undefined) return;
  const o = r.obj(doc.root, '$.root');
  r.onlyKeys(o, '$.root', ['createDate', 'passwordEnabled', 'passwordLastUsed', 'mfaActive', 'accessKeys']);
  state.root.createDate = o.createDate === undefined ? state.root.createDate : r.time(o, 'createDate', '$.root');
  state.root.passwordEnabled = r.bool(o, 'passwordEnabled', '$.root', true);
  state.root.passwordLastUsed = r.optTime(o, 'passwordLastUsed', '$.root');
  state.root.mfaActive = r.bool(o, 'mfaActive', '$.root', false);
  state.root.accessKeys = r.arr(o, 'accessKeys', '$.root').map((k, i) => readKey(r, k, `$.root.accessKeys[${i}]`));
}

function readKey(r: ScenarioReader, value: Json, path: string): AccessKey {
  const o = r.obj(value, path);
  r.onlyKeys(o, path, ['accessKeyId', 'secretAccessKey', 'status', 'createDate', 'lastUsed']);
  const accessKeyId = r.str(o, 'accessKeyId', path, ACCESS_KEY_ID, 'an access key id starts with AKIA and has 16+ upper-case letters/digits');
  const key: AccessKey = {
    accessKeyId,
    secretAccessKey: r.optStr(o, 'secretAccessKey', path) ?? secretFor(accessKeyId),
    status: r.oneOf(o, 'status', path, ['Active', 'Inactive'] as const, 'Active'),
    createDate: r.time(o, 'createDate', path),
  };
  if (o.lastUsed !== undefined) {
    const lu = r.obj(o.lastUsed, `${path}.lastUsed`);
    r.onlyKeys(lu, `${path}.lastUsed`, ['date', 'region', 'service']);
    key.lastUsedDate = r.time(lu, 'date', `${path}.lastUsed`);
    key.lastUsedRegion = r.str(lu, 'region', `${path}.lastUsed`, REGION);
    key.lastUsedService = r.str(lu, 'service', `${path}.lastUsed`);
  }
  return key;
}

function readInline(r: ScenarioReader, o: Record<string, Json>, path: string): InlinePolicy[] {
  return r.arr(o, 'inlinePolicies', path).map((p, i) => {
    const pp = `${path}.inlinePolicies[${i}]`;
    const po = r.obj(p, pp);
    r.onlyKeys(po, pp, ['name', 'document']);
    return { name: r.str(po, 'name', pp, NAME), document: r.document(po, 'document', pp) };
  });
}

function readPolicies(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  r.arr(doc, 'policies', '$').forEach((p, i) => {
    const path = `$.policies[${i}]`;
    const o = r.obj(p, path);
    r.onlyKeys(o, path, ['policyName', 'arn', 'path', 'scope', 'createDate', 'updateDate', 'description', 'document', 'versions']);
    const policyName = r.str(o, 'policyName', path, NAME);
    const policyPath = r.optStr(o, 'path', path, /^\/(.*\/)?$/, 'a path starts and ends with /') ?? '/';
    const scope = r.oneOf(o, 'scope', path, ['AWS', 'Local'] as const, 'Local');
    const arn =
      r.optStr(o, 'arn', path, /^arn:aws:iam::(aws|\d{12}):policy\//) ??
      (scope === 'AWS' ? `arn:aws:iam::aws:policy${policyPath}${policyName}` : `arn:aws:iam::${state.accountId}:policy${policyPath}${policyName}`);
    const createDate = o.createDate === undefined ? new Date(r.now.getTime() - 3 * 365 * 86_400_000) : r.time(o, 'createDate', path);
    const policy: ManagedPolicy = {
      policyName,
      policyId: stableId('ANPA', arn, 17),
      arn,
      path: policyPath,
      scope,
      createDate,
      updateDate: o.updateDate === undefined ? createDate : r.time(o, 'updateDate', path),
      description: r.optStr(o, 'description', path),
      versions: [],
    };
    if (o.versions !== undefined) {
      policy.versions = r.arr(o, 'versions', path).map((v, j) => {
        const vp = `${path}.versions[${j}]`;
        const vo = r.obj(v, vp);
        r.onlyKeys(vo, vp, ['document', 'createDate', 'default']);
        return {
          versionId: `v${j + 1}`,
          document: r.document(vo, 'document', vp),
          isDefaultVersion: r.bool(vo, 'default', vp, false),
          createDate: vo.createDate === undefined ? createDate : r.time(vo, 'createDate', vp),
        };
      });
      const defaults = policy.versions.filter((v) => v.isDefaultVersion).length;
      if (policy.versions.length === 0) r.problem(`${path}.versions`, 'needs at least one version');
      else if (defaults === 0) policy.versions[policy.versions.length - 1]!.isDefaultVersion = true;
      else if (defaults > 1) r.problem(`${path}.versions`, 'only one version can be the default');
      if (policy.versions.length > 5) r.problem(`${path}.versions`, 'IAM keeps at most 5 versions of a policy');
    } else {
      policy.versions = [{ versionId: 'v1', document: r.document(o, 'document', path), isDefaultVersion: true, createDate }];
    }
    if (state.policies.some((x) => x.arn === arn)) r.problem(`${path}.policyName`, `duplicate policy ${arn}`);
    state.policies.push(policy);
  });
}

function readGroups(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  r.arr(doc, 'groups', '$').forEach((g, i) => {
    const path = `$.groups[${i}]`;
    const o = r.obj(g, path);
    r.onlyKeys(o, path, ['groupName', 'path', 'createDate', 'attachedPolicies', 'inlinePolicies']);
    const groupName = r.str(o, 'groupName', path, NAME);
    const gp = r.optStr(o, 'path', path) ?? '/';
    const group: IamGroup = {
      groupName,
      groupId: stableId('AGPA', `${state.accountId}|group|${groupName}`, 17),
      arn: `arn:aws:iam::${state.accountId}:group${gp}${groupName}`,
      path: gp,
      createDate: r.time(o, 'createDate', path),
      inlinePolicies: readInline(r, o, path),
      attachedPolicyArns: r.strList(o, 'attachedPolicies', path),
    };
    if (state.groups.some((x) => x.groupName === groupName)) r.problem(`${path}.groupName`, `duplicate group ${groupName}`);
    state.groups.push(group);
  });
}

function readCredentialList<T>(
  r: ScenarioReader,
  o: Record<string, Json>,
  key: string,
  path: string,
  make: (io: Record<string, Json>, ip: string, i: number) => T,
): T[] {
  return r.arr(o, key, path).map((v, i) => make(r.obj(v, `${path}.${key}[${i}]`), `${path}.${key}[${i}]`, i));
}

function readUsers(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  r.arr(doc, 'users', '$').forEach((u, i) => {
    const path = `$.users[${i}]`;
    const o = r.obj(u, path);
    r.onlyKeys(o, path, [
      'userName',
      'path',
      'createDate',
      'password',
      'mfaDevices',
      'accessKeys',
      'signingCertificates',
      'sshPublicKeys',
      'serviceSpecificCredentials',
      'groups',
      'attachedPolicies',
      'inlinePolicies',
      'tags',
    ]);
    const userName = r.str(o, 'userName', path, NAME);
    const up = r.optStr(o, 'path', path) ?? '/';
    const seed = `${state.accountId}|user|${userName}`;
    const user: IamUser = {
      userName,
      userId: stableId('AIDA', seed, 17),
      arn: `arn:aws:iam::${state.accountId}:user${up}${userName}`,
      path: up,
      createDate: r.time(o, 'createDate', path),
      accessKeys: r.arr(o, 'accessKeys', path).map((k, j) => readKey(r, k, `${path}.accessKeys[${j}]`)),
      mfaDevices: readCredentialList(r, o, 'mfaDevices', path, (mo, mp, j) => {
        r.onlyKeys(mo, mp, ['virtual', 'enableDate', 'serialNumber']);
        const virtual = r.bool(mo, 'virtual', mp, true);
        return {
          virtual,
          enableDate: r.time(mo, 'enableDate', mp),
          serialNumber:
            r.optStr(mo, 'serialNumber', mp) ??
            (virtual ? `arn:aws:iam::${state.accountId}:mfa/${userName}${j ? `-${j}` : ''}` : stableId('GAHT', `${seed}|mfa|${j}`, 8, '0123456789')),
        };
      }),
      signingCertificates: readCredentialList(r, o, 'signingCertificates', path, (co, cp, j) => {
        r.onlyKeys(co, cp, ['certificateId', 'status', 'uploadDate']);
        return {
          certificateId: r.optStr(co, 'certificateId', cp) ?? stableId('', `${seed}|cert|${j}`, 32),
          status: r.oneOf(co, 'status', cp, ['Active', 'Inactive'] as const, 'Active'),
          uploadDate: r.time(co, 'uploadDate', cp),
        };
      }),
      sshPublicKeys: readCredentialList(r, o, 'sshPublicKeys', path, (so, sp, j) => {
        r.onlyKeys(so, sp, ['sshPublicKeyId', 'status', 'uploadDate']);
        return {
          sshPublicKeyId: r.optStr(so, 'sshPublicKeyId', sp) ?? stableId('APKA', `${seed}|ssh|${j}`, 16),
          status: r.oneOf(so, 'status', sp, ['Active', 'Inactive'] as const, 'Active'),
          uploadDate: r.time(so, 'uploadDate', sp),
        };
      }),
      serviceSpecificCredentials: readCredentialList(r, o, 'serviceSpecificCredentials', path, (so, sp, j) => {
        r.onlyKeys(so, sp, ['serviceSpecificCredentialId', 'serviceName', 'status', 'createDate']);
        return {
          serviceSpecificCredentialId: r.optStr(so, 'serviceSpecificCredentialId', sp) ?? stableId('ACCA', `${seed}|ssc|${j}`, 17),
          serviceName: r.str(so, 'serviceName', sp),
          status: r.oneOf(so, 'status', sp, ['Active', 'Inactive'] as const, 'Active'),
          createDate: r.time(so, 'createDate', sp),
        };
      }),
      inlinePolicies: readInline(r, o, path),
      attachedPolicyArns: r.strList(o, 'attachedPolicies', path),
      groups: r.strList(o, 'groups', path),
      tags: [],
    };
    if (o.tags !== undefined) {
      const t = r.obj(o.tags, `${path}.tags`);
      user.tags = Object.entries(t).map(([Key, Value]) => ({ Key, Value: String(Value) }));
    }
    if (o.password !== undefined) {
      const po = r.obj(o.password, `${path}.password`);
      r.onlyKeys(po, `${path}.password`, ['createDate', 'lastUsed', 'lastChanged', 'resetRequired']);
      user.loginProfile = {
        createDate: po.createDate === undefined ? user.createDate : r.time(po, 'createDate', `${path}.password`),
        passwordLastChanged: r.optTime(po, 'lastChanged', `${path}.password`),
        passwordResetRequired: r.bool(po, 'resetRequired', `${path}.password`, false),
      };
      user.passwordLastUsed = r.optTime(po, 'lastUsed', `${path}.password`);
    }
    if (user.accessKeys.length > 2) r.problem(`${path}.accessKeys`, 'an IAM user has at most 2 access keys');
    if (state.users.some((x) => x.userName === userName)) r.problem(`${path}.userName`, `duplicate user ${userName}`);
    state.users.push(user);
  });
}

function readRoles(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  r.arr(doc, 'roles', '$').forEach((g, i) => {
    const path = `$.roles[${i}]`;
    const o = r.obj(g, path);
    r.onlyKeys(o, path, [
      'roleName',
      'path',
      'createDate',
      'trustPolicy',
      'description',
      'maxSessionDuration',
      'attachedPolicies',
      'inlinePolicies',
      'lastUsed',
    ]);
    const roleName = r.str(o, 'roleName', path, NAME);
    const rp = r.optStr(o, 'path', path) ?? '/';
    const role: IamRole = {
      roleName,
      roleId: stableId('AROA', `${state.accountId}|role|${roleName}`, 17),
      arn: `arn:aws:iam::${state.accountId}:role${rp}${roleName}`,
      path: rp,
      createDate: r.time(o, 'createDate', path),
      assumeRolePolicyDocument: r.document(o, 'trustPolicy', path),
      description: r.optStr(o, 'description', path),
      maxSessionDuration: r.num(o, 'maxSessionDuration', path, 3600, 900),
      inlinePolicies: readInline(r, o, path),
      attachedPolicyArns: r.strList(o, 'attachedPolicies', path),
    };
    if (o.lastUsed !== undefined) {
      const lu = r.obj(o.lastUsed, `${path}.lastUsed`);
      role.lastUsedDate = r.time(lu, 'date', `${path}.lastUsed`);
      role.lastUsedRegion = r.str(lu, 'region', `${path}.lastUsed`, REGION);
    }
    if (state.roles.some((x) => x.roleName === roleName)) r.problem(`${path}.roleName`, `duplicate role ${roleName}`);
    state.roles.push(role);
  });
}

function readInstanceProfiles(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  r.arr(doc, 'instanceProfiles', '$').forEach((g, i) => {
    const path = `$.instanceProfiles[${i}]`;
    const o = r.obj(g, path);
    r.onlyKeys(o, path, ['name', 'path', 'createDate', 'roles']);
    const name = r.str(o, 'name', path, NAME);
    const pp = r.optStr(o, 'path', path) ?? '/';
    const roleNames = r.strList(o, 'roles', path);
    roleNames.forEach((rn, j) => {
      if (!state.roles.some((x) => x.roleName === rn)) r.problem(`${path}.roles[${j}]`, `no role named ${rn} in $.roles`);
    });
    state.instanceProfiles.push({
      instanceProfileName: name,
      instanceProfileId: stableId('AIPA', `${state.accountId}|ip|${name}`, 17),
      arn: `arn:aws:iam::${state.accountId}:instance-profile${pp}${name}`,
      path: pp,
      createDate: r.time(o, 'createDate', path),
      roleNames,
    });
  });
}

function emptyRegion(state: SandboxState, name: string, optInStatus: RegionState['optInStatus']): RegionState {
  const vpcId = stableHex('vpc-', `${state.accountId}|${name}|vpc`, 17);
  const sg: SecurityGroup = {
    groupId: stableHex('sg-', `${state.accountId}|${name}|default-sg`, 17),
    groupName: 'default',
    description: 'default VPC security group',
    vpcId,
    ingress: [],
    egress: [{ ipProtocol: '-1', cidrs: ['0.0.0.0/0'] }],
    tags: [],
  };
  return {
    name,
    optInStatus,
    instances: [],
    volumes: [],
    snapshots: [],
    securityGroups: [sg],
    vpcs: [{ vpcId, cidrBlock: '172.31.0.0/16', isDefault: true }],
    lambdaFunctions: [],
    trails: [],
    dbSnapshots: [],
    guardDutyDetectors: [],
    configRecorders: [],
    deliveryChannels: [],
    ses: defaultSes(),
  };
}

function readRegions(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  let optedIn: string[] = [];
  if (doc.regions !== undefined) {
    const o = r.obj(doc.regions, '$.regions');
    r.onlyKeys(o, '$.regions', ['optedIn']);
    optedIn = r.strList(o, 'optedIn', '$.regions');
    optedIn.forEach((name, i) => {
      if (!(OPT_IN_REGIONS as readonly string[]).includes(name))
        r.problem(`$.regions.optedIn[${i}]`, `${name} is not an opt-in region (${OPT_IN_REGIONS.join(', ')})`);
    });
  }
  for (const name of DEFAULT_REGIONS) state.regions.push(emptyRegion(state, name, 'opt-in-not-required'));
  for (const name of OPT_IN_REGIONS) state.regions.push(emptyRegion(state, name, optedIn.includes(name) ? 'opted-in' : 'not-opted-in'));
}

function regionOf(r: ScenarioReader, state: SandboxState, o: Record<string, Json>, path: string): RegionState | undefined {
  const name = r.str(o, 'region', path, REGION);
  const region = state.regions.find((x) => x.name === name);
  if (!region && name) r.problem(`${path}.region`, `unknown region ${name} (known: ${ALL_REGIONS.join(', ')})`);
  else if (region?.optInStatus === 'not-opted-in') r.problem(`${path}.region`, `${name} is not enabled in this account: add it to $.regions.optedIn`);
  return region;
}

function tagsOf(r: ScenarioReader, o: Record<string, Json>, path: string): { Key: string; Value: string }[] {
  if (o.tags === undefined) return [];
  return Object.entries(r.obj(o.tags, `${path}.tags`)).map(([Key, Value]) => ({ Key, Value: String(Value) }));
}

function readInstances(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  r.arr(doc, 'securityGroups', '$').forEach((g, i) => {
    const path = `$.securityGroups[${i}]`;
    const o = r.obj(g, path);
    r.onlyKeys(o, path, ['region', 'groupId', 'groupName', 'description', 'ingress', 'tags']);
    const region = regionOf(r, state, o, path);
    const groupName = r.str(o, 'groupName', path);
    const ingress = r.arr(o, 'ingress', path).map((rule, j) => {
      const rp = `${path}.ingress[${j}]`;
      const ro = r.obj(rule, rp);
      r.onlyKeys(ro, rp, ['protocol', 'fromPort', 'toPort', 'cidrs']);
      return {
        ipProtocol: r.optStr(ro, 'protocol', rp) ?? 'tcp',
        fromPort: ro.fromPort === undefined ? undefined : r.num(ro, 'fromPort', rp),
        toPort: ro.toPort === undefined ? undefined : r.num(ro, 'toPort', rp),
        cidrs: r.strList(ro, 'cidrs', rp),
      };
    });
    if (!region) return;
    region.securityGroups.push({
      groupId: r.optStr(o, 'groupId', path, /^sg-[0-9a-f]+$/) ?? stableHex('sg-', `${state.accountId}|${region.name}|sg|${groupName}`, 17),
      groupName,
      description: r.optStr(o, 'description', path) ?? groupName,
      vpcId: region.vpcs[0]!.vpcId,
      ingress,
      egress: [{ ipProtocol: '-1', cidrs: ['0.0.0.0/0'] }],
      tags: tagsOf(r, o, path),
    });
  });

  r.arr(doc, 'instances', '$').forEach((g, i) => {
    const path = `$.instances[${i}]`;
    const o = r.obj(g, path);
    r.onlyKeys(o, path, [
      'region',
      'instanceId',
      'instanceType',
      'imageId',
      'state',
      'launchTime',
      'keyName',
      'publicIp',
      'securityGroups',
      'volumes',
      'iamInstanceProfile',
      'tags',
    ]);
    const region = regionOf(r, state, o, path);
    const seed = `${state.accountId}|instance|${i}`;
    const instanceId = r.optStr(o, 'instanceId', path, /^i-[0-9a-f]{8,17}$/) ?? stableHex('i-', seed, 17);
    const launchTime = r.time(o, 'launchTime', path);
    const sgNames = r.strList(o, 'securityGroups', path);
    const sizes = o.volumes === undefined ? [8] : r.arr(o, 'volumes', path).map((v, j) => r.num({ v }, 'v', `${path}.volumes[${j}]`, undefined, 1));
    const publicIp = r.optStr(o, 'publicIp', path, IPV4);
    const instanceState = r.oneOf(o, 'state', path, ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated'] as const, 'running');
    const profile = r.optStr(o, 'iamInstanceProfile', path);
    if (profile && !state.instanceProfiles.some((p) => p.instanceProfileName === profile)) {
      r.problem(`${path}.iamInstanceProfile`, `no instance profile named ${profile} in $.instanceProfiles`);
    }
    const instanceType = r.str(o, 'instanceType', path, /^[a-z0-9-]+\.[a-z0-9]+$/, 'like p3.16xlarge');
    const imageId = r.optStr(o, 'imageId', path) ?? stableHex('ami-', `${seed}|ami`, 17);
    const keyName = r.optStr(o, 'keyName', path);
    const tags = tagsOf(r, o, path);
    if (!region) return;
    const az = `${region.name}a`;
    const sgIds = sgNames.map((n, j) => {
      const sg = region.securityGroups.find((s) => s.groupName === n);
      if (!sg) r.problem(`${path}.securityGroups[${j}]`, `no security group named ${n} in ${region.name}`);
      return sg?.groupId ?? '';
    });
    const volumes: Ec2Volume[] = sizes.map((sizeGiB, j) => ({
      volumeId: stableHex('vol-', `${seed}|vol|${j}`, 17),
      sizeGiB,
      availabilityZone: az,
      state: instanceState === 'terminated' ? 'available' : 'in-use',
      attachedTo: instanceState === 'terminated' ? undefined : { instanceId, device: j === 0 ? '/dev/xvda' : `/dev/sd${String.fromCharCode(102 + j)}` },
      createTime: launchTime,
      tags: [],
    }));
    const instance: Ec2Instance = {
      instanceId,
      instanceType,
      imageId,
      state: instanceState,
      launchTime,
      availabilityZone: az,
      vpcId: region.vpcs[0]!.vpcId,
      subnetId: stableHex('subnet-', `${state.accountId}|${region.name}|subnet`, 17),
      privateIpAddress: `172.31.${(i * 7) % 250}.${10 + ((i * 13) % 240)}`,
      publicIpAddress: publicIp,
      keyName,
      securityGroupIds: sgIds.length > 0 ? sgIds : [region.securityGroups[0]!.groupId],
      volumeIds: volumes.map((v) => v.volumeId),
      iamInstanceProfileArn: profile ? state.instanceProfiles.find((p) => p.instanceProfileName === profile)?.arn : undefined,
      tags,
    };
    region.instances.push(instance);
    region.volumes.push(...volumes);
  });
}

function readLambda(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  r.arr(doc, 'lambdaFunctions', '$').forEach((g, i) => {
    const path = `$.lambdaFunctions[${i}]`;
    const o = r.obj(g, path);
    r.onlyKeys(o, path, ['region', 'functionName', 'runtime', 'createdAt', 'lastModified', 'role', 'handler', 'permissions', 'url']);
    const region = regionOf(r, state, o, path);
    const functionName = r.str(o, 'functionName', path, /^[\w-]{1,64}$/);
    const createdAt = r.time(o, 'createdAt', path);
    const functionArn = `arn:aws:lambda:${region?.name ?? 'us-east-1'}:${state.accountId}:function:${functionName}`;
    const fn: LambdaFunction = {
      functionName,
      functionArn,
      runtime: r.optStr(o, 'runtime', path) ?? 'nodejs20.x',
      createdAt,
      lastModified: o.lastModified === undefined ? createdAt : r.time(o, 'lastModified', path),
      role: r.str(o, 'role', path, /^arn:aws:iam::\d{12}:role\//),
      handler: r.optStr(o, 'handler', path) ?? 'index.handler',
      permissions: r.arr(o, 'permissions', path).map((p, j) => {
        const pp = `${path}.permissions[${j}]`;
        const po = r.obj(p, pp);
        r.onlyKeys(po, pp, ['sid', 'principal', 'action', 'sourceArn', 'sourceAccount', 'functionUrlAuthType']);
        return permissionStatement({
          sid: r.str(po, 'sid', pp),
          principal: r.str(po, 'principal', pp),
          action: r.optStr(po, 'action', pp) ?? 'lambda:InvokeFunction',
          functionArn,
          sourceArn: r.optStr(po, 'sourceArn', pp),
          sourceAccount: r.optStr(po, 'sourceAccount', pp, /^\d{12}$/),
          functionUrlAuthType: r.optStr(po, 'functionUrlAuthType', pp),
        });
      }),
      revision: 1,
    };
    if (o.url !== undefined) {
      const uo = r.obj(o.url, `${path}.url`);
      r.onlyKeys(uo, `${path}.url`, ['authType', 'created']);
      const created = r.time(uo, 'created', `${path}.url`);
      fn.url = {
        authType: r.oneOf(uo, 'authType', `${path}.url`, ['NONE', 'AWS_IAM'] as const),
        functionUrl: functionUrlFor(state.accountId, functionName, region?.name ?? 'us-east-1'),
        createdAt: created,
        lastModified: created,
      };
    }
    region?.lambdaFunctions.push(fn);
  });
}

function readTrails(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  r.arr(doc, 'trails', '$').forEach((g, i) => {
    const path = `$.trails[${i}]`;
    const o = r.obj(g, path);
    r.onlyKeys(o, path, [
      'name',
      'homeRegion',
      'isMultiRegion',
      'isLogging',
      's3BucketName',
      's3KeyPrefix',
      'logFileValidation',
      'isOrganizationTrail',
      'eventSelectors',
      'startedLogging',
      'stoppedLogging',
    ]);
    const name = r.str(o, 'name', path, NAME);
    const homeRegion = r.str(o, 'homeRegion', path, REGION);
    const isLogging = r.bool(o, 'isLogging', path, true);
    const trail: Trail = {
      name,
      arn: `arn:aws:cloudtrail:${homeRegion}:${state.accountId}:trail/${name}`,
      homeRegion,
      isMultiRegion: r.bool(o, 'isMultiRegion', path, true),
      isLogging,
      s3BucketName: r.optStr(o, 's3BucketName', path) ?? `aws-cloudtrail-logs-${state.accountId}`,
      s3KeyPrefix: r.optStr(o, 's3KeyPrefix', path),
      includeGlobalServiceEvents: true,
      logFileValidationEnabled: r.bool(o, 'logFileValidation', path, true),
      isOrganizationTrail: r.bool(o, 'isOrganizationTrail', path, false),
      eventSelectors:
        o.eventSelectors === undefined
          ? [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }]
          : (r.arr(o, 'eventSelectors', path).map((e, j) => r.obj(e, `${path}.eventSelectors[${j}]`)) as Record<string, unknown>[]),
      startLoggingTime: r.optTime(o, 'startedLogging', path),
      stopLoggingTime: r.optTime(o, 'stoppedLogging', path),
    };
    if (!isLogging && !trail.stopLoggingTime) r.problem(`${path}.stoppedLogging`, 'a trail that is not logging needs the time it stopped');
    // A multi-region trail shows up in every region's DescribeTrails (as a shadow trail), as in AWS.
    for (const region of state.regions) {
      if (region.name === homeRegion || (trail.isMultiRegion && region.optInStatus !== 'not-opted-in')) region.trails.push(trail);
    }
    if (!state.regions.some((x) => x.name === homeRegion)) r.problem(`${path}.homeRegion`, `unknown region ${homeRegion}`);
  });
}

const SERVICE_OF_EVENT: [RegExp, string][] = [
  [/^(ConsoleLogin|PasswordRecoveryRequested|PasswordRecoveryCompleted|CheckMfa|SwitchRole|ExitRole|GetSigninToken)$/, 'signin'],
  [/^(AssumeRole|GetSessionToken|GetFederationToken|GetCallerIdentity|GetAccessKeyInfo|DecodeAuthorizationMessage)/, 'sts'],
  [
    /^(RunInstances|TerminateInstances|StopInstances|StartInstances|Describe(Instances|Regions|Volumes|SecurityGroups|Snapshots|SnapshotAttribute|Images|KeyPairs|AccountAttributes|InstanceTypes|SpotPriceHistory)|CreateKeyPair|ImportKeyPair|DeleteKeyPair|AuthorizeSecurityGroupIngress|CreateSecurityGroup|RequestSpotInstances|RequestSpotFleet|CreateFleet|CreateSnapshot|CopySnapshot|CreateTags|GetPasswordData|ModifySnapshotAttribute|ModifyImageAttribute|ModifyInstanceAttribute|CreateLaunchTemplate|DisableEbsEncryptionByDefault|DeleteFlowLogs|CreateVpcPeeringConnection|CreateImage|CopyImage|SharedSnapshotCopyInitiated|SharedSnapshotVolumeCreated)$/,
    'ec2',
  ],
  [
    /^(CreateAccount|InviteAccountToOrganization|LeaveOrganization|ListAccounts|DescribeOrganization|RemoveAccountFromOrganization|AcceptHandshake)$/,
    'organizations',
  ],
  [
    /^(StopLogging|StartLogging|DeleteTrail|CreateTrail|UpdateTrail|PutEventSelectors|GetEventSelectors|LookupEvents|DescribeTrails|GetTrailStatus|PutInsightSelectors)$/,
    'cloudtrail',
  ],
  [
    /^(ListBuckets|CreateBucket|DeleteBucket|GetBucket\w+|PutBucket\w+|DeleteBucket\w+|HeadBucket|GetAccountPublicAccessBlock|PutAccountPublicAccessBlock|DeleteAccountPublicAccessBlock)$/,
    's3',
  ],
  [
    /^(CreateFunction|ListFunctions|UpdateFunctionCode|UpdateFunctionConfiguration|AddPermission|RemovePermission|GetPolicy20|CreateFunctionUrlConfig|PublishLayerVersion|GetFunction|InvokeFunction)/,
    'lambda',
  ],
  [
    /^(DescribeDBSnapshots|DescribeDBSnapshotAttributes|ModifyDBSnapshotAttribute|ModifyDBClusterSnapshotAttribute|CreateDBSnapshot|CopyDBSnapshot|DescribeDBInstances|StartExportTask|ModifyDBInstance|RestoreDBInstanceFromDBSnapshot)$/,
    'rds',
  ],
  [
    /^(GetSendQuota|GetAccountSendingEnabled|UpdateAccountSendingEnabled|ListIdentities|VerifyEmailIdentity|VerifyDomainIdentity|VerifyDomainDkim|GetIdentityVerificationAttributes|DeleteIdentity|GetAccount|PutAccountDetails|PutAccountSendingAttributes|ListEmailIdentities|CreateEmailIdentity|DeleteEmailIdentity|GetSendStatistics|SendEmail|SendRawEmail)$/,
    'ses',
  ],
  [
    /^(ListDetectors|GetDetector|CreateDetector|DeleteDetector|UpdateDetector|CreateIPSet|UpdateIPSet|DeleteIPSet|CreateThreatIntelSet|DeleteThreatIntelSet|DisassociateFromMasterAccount|DisassociateFromAdministratorAccount|DeleteMembers|DisassociateMembers|CreateFilter|ArchiveFindings)$/,
    'guardduty',
  ],
  [
    /^(StopConfigurationRecorder|StartConfigurationRecorder|DeleteConfigurationRecorder|PutConfigurationRecorder|DeleteDeliveryChannel|PutDeliveryChannel|DescribeConfigurationRecorders|DescribeConfigurationRecorderStatus|DescribeDeliveryChannels|DeleteConfigRule)$/,
    'config',
  ],
  [/^(RequestServiceQuotaIncrease|GetServiceQuota|ListServiceQuotas|ListRequestedServiceQuotaChangeHistory)$/, 'servicequotas'],
  [
    /^(EnableRegion|DisableRegion|ListRegions|GetRegionOptStatus|PutAlternateContact|DeleteAlternateContact|GetAlternateContact|PutContactInformation|GetContactInformation)$/,
    'account',
  ],
  [
    /^(InvokeModel|InvokeModelWithResponseStream|Converse|ConverseStream|ListFoundationModels|GetFoundationModelAvailability|ListFoundationModelAgreementOffers|CreateFoundationModelAgreement|PutFoundationModelEntitlement|PutUseCaseForModelAccess|GetUseCaseForModelAccess|GetModelInvocationLoggingConfiguration|DeleteModelInvocationLoggingConfiguration|PutModelInvocationLoggingConfiguration)$/,
    'bedrock',
  ],
  [/^(CreateNotebookInstance|CreatePresignedNotebookInstanceUrl|CreateTrainingJob|CreateEndpoint|CreateProcessingJob|ListNotebookInstances)$/, 'sagemaker'],
  [/^(CreateInstances|GetInstances|GetRegions|CreateKeyPair|DownloadDefaultKeyPair)$/, 'lightsail'],
  [/^(SendCommand|StartSession|GetParameter|GetParameters|GetParametersByPath|DescribeInstanceInformation)$/, 'ssm'],
  [/^(GetSecretValue|ListSecrets|BatchGetSecretValue)$/, 'secretsmanager'],
  [/^(CreateUser|CreateGroup|CreateAccountAssignment|CreatePermissionSet|AttachManagedPolicyToPermissionSet)$/, 'iam'],
];

/** Event name -> source, remembered: generated scenarios ask for the same few names thousands of times. */
const sourceOfEvent = new Map<string, string>();

function eventSourceFor(eventName: string, explicit: string | undefined): string {
  if (explicit) return explicit.includes('.') ? explicit : `${explicit}.amazonaws.com`;
  let source = sourceOfEvent.get(eventName);
  if (source === undefined) {
    source = `${SERVICE_OF_EVENT.find(([re]) => re.test(eventName))?.[1] ?? 'iam'}.amazonaws.com`;
    sourceOfEvent.set(eventName, source);
  }
  return source;
}

// S3 is not one of them: bucket events are recorded in the bucket's region.
const GLOBAL_SOURCES = new Set(['iam.amazonaws.com', 'sts.amazonaws.com', 'organizations.amazonaws.com', 'signin.amazonaws.com']);

export interface EventInput {
  time: Date;
  eventName: string;
  eventSource: string;
  region: string;
  actor: Actor;
  sourceIp: string;
  userAgent: string;
  requestParameters?: unknown;
  responseElements?: unknown;
  resources: TrailEvent['resources'];
  errorCode?: string;
  errorMessage?: string;
  additionalEventData?: unknown;
  readOnly?: boolean;
  /** Whether the session was MFA-authenticated (sessionContext.attributes.mfaAuthenticated, ConsoleLogin's MFAUsed). */
  mfa?: boolean;
  /** When the session was issued (sessionContext.attributes.creationDate); default the event time. */
  sessionCreated?: Date;
  /** The AWS service that made the call for the identity (userIdentity.invokedBy). */
  invokedBy?: string;
}

/**
 * What AWS records with a console sign-in: the outcome in responseElements, whether MFA was used
 * (from the identity's MFA devices unless the scenario says otherwise), and no access key.
 */
function signInDetails(state: SandboxState, e: EventInput): Pick<EventInput, 'actor' | 'responseElements' | 'additionalEventData'> {
  const { accessKeyId: _noKey, ...actor } = e.actor;
  const type = e.actor.identity.type;
  const mfa =
    e.mfa ??
    (type === 'Root'
      ? state.root.mfaActive
      : type === 'IAMUser'
        ? (state.users.find((u) => u.userName === e.actor.userName)?.mfaDevices.length ?? 0) > 0
        : false);
  return {
    actor,
    responseElements: e.responseElements ?? { ConsoleLogin: e.errorMessage || e.errorCode ? 'Failure' : 'Success' },
    additionalEventData: e.additionalEventData ?? { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: mfa ? 'Yes' : 'No' },
  };
}

const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Sign-in events (password recovery, MFA checks) are console actions: no access key, as for ConsoleLogin. */
function withoutKey(e: EventInput): EventInput {
  const { accessKeyId: _noKey, ...actor } = e.actor;
  return { ...e, actor };
}

export function makeEvent(state: SandboxState, input: EventInput, seed: string): TrailEvent {
  const e =
    input.eventName === 'ConsoleLogin'
      ? { ...input, ...signInDetails(state, input) }
      : input.eventSource === 'signin.amazonaws.com'
        ? withoutKey(input)
        : input;
  const eventId = stableId('', `${state.accountId}|event|${seed}`, 32, '0123456789abcdef').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
  const readOnly = e.readOnly ?? !isWriteOperation(e.eventName);
  const identity = { ...e.actor.identity };
  if (e.actor.accessKeyId) identity.accessKeyId = e.actor.accessKeyId;
  if (e.invokedBy) identity.invokedBy = e.invokedBy;
  const sessionContext = identity.sessionContext as Record<string, unknown> | undefined;
  // Role sessions always carry session attributes; a user's or root's only when the scenario sets them (console sessions).
  const withAttributes = sessionContext !== undefined || ((e.mfa !== undefined || e.sessionCreated !== undefined) && e.eventName !== 'ConsoleLogin');
  if (withAttributes) {
    const attributes = { creationDate: isoSeconds(e.sessionCreated ?? e.time), mfaAuthenticated: String(e.mfa ?? false) };
    identity.sessionContext = { ...sessionContext, attributes };
  }
  const record: Record<string, unknown> = {
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: isoSeconds(e.time),
    eventSource: e.eventSource,
    eventName: e.eventName,
    awsRegion: e.region,
    sourceIPAddress: e.sourceIp,
    userAgent: e.userAgent,
    requestParameters: e.requestParameters ?? null,
    responseElements: e.responseElements ?? null,
    requestID: randomUUID(),
    eventID: eventId,
    readOnly,
    eventType: e.eventSource === 'signin.amazonaws.com' ? 'AwsConsoleSignIn' : e.eventName === 'ConsoleLogin' ? 'AwsConsoleSignIn' : 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: state.accountId,
    eventCategory: 'Management',
  };
  if (e.errorCode) record.errorCode = e.errorCode;
  if (e.errorMessage) record.errorMessage = e.errorMessage;
  if (e.additionalEventData !== undefined) record.additionalEventData = e.additionalEventData;
  return {
    eventId,
    eventName: e.eventName,
    eventSource: e.eventSource,
    eventTime: e.time,
    region: e.region,
    userName: e.actor.userName,
    accessKeyId: e.actor.accessKeyId,
    readOnly,
    resources: e.resources,
    record,
  };
}

function readEvents(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  r.arr(doc, 'events', '$').forEach((g, i) => {
    const path = `$.events[${i}]`;
    const o = r.obj(g, path);
    r.onlyKeys(o, path, [
      'time',
      'region',
      'eventName',
      'eventSource',
      'actor',
      'accessKeyId',
      'sourceIp',
      'userAgent',
      'requestParameters',
      'responseElements',
      'resources',
      'errorCode',
      'errorMessage',
      'additionalEventData',
      'readOnly',
      'mfa',
      'sessionCreated',
      'invokedBy',
      'repeat',
    ]);
    const eventName = r.str(o, 'eventName', path, /^[A-Za-z0-9]+$/);
    const eventSource = eventSourceFor(eventName, r.optStr(o, 'eventSource', path));
    const actor = actorOf(r, state, r.str(o, 'actor', path), `${path}.actor`);
    const accessKeyId = r.optStr(o, 'accessKeyId', path, ACCESS_KEY_ID);
    if (accessKeyId) actor.accessKeyId = accessKeyId;
    const region = r.optStr(o, 'region', path, REGION) ?? 'us-east-1';
    if (GLOBAL_SOURCES.has(eventSource) && region !== 'us-east-1') {
      r.problem(`${path}.region`, `${eventSource} events are recorded in us-east-1, not ${region}`);
    }
    const explicit = r.arr(o, 'resources', path).map((x, j) => {
      const ro = r.obj(x, `${path}.resources[${j}]`);
      return { resourceType: r.optStr(ro, 'type', `${path}.resources[${j}]`), resourceName: r.optStr(ro, 'name', `${path}.resources[${j}]`) };
    });
    const params = o.requestParameters && typeof o.requestParameters === 'object' ? (o.requestParameters as Record<string, unknown>) : {};
    const resources = o.resources === undefined ? resourcesOf(params, eventSource) : explicit;
    const invokedBy = r.optStr(o, 'invokedBy', path, /^[a-z0-9.-]+\.amazonaws\.com$/, 'an AWS service like autoscaling.amazonaws.com');
    // AWS services record their own name as the caller's address and user agent.
    const serviceHost = invokedBy ?? actor.serviceHost;
    const sourceIp = serviceHost && o.sourceIp === undefined ? serviceHost : r.str(o, 'sourceIp', path);
    const time = r.time(o, 'time', path);
    const input: EventInput = {
      time,
      eventName,
      eventSource,
      region,
      actor,
      sourceIp,
      userAgent: r.optStr(o, 'userAgent', path) ?? serviceHost ?? 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1',
      requestParameters: o.requestParameters,
      responseElements: o.responseElements,
      resources,
      errorCode: r.optStr(o, 'errorCode', path),
      errorMessage: r.optStr(o, 'errorMessage', path),
      additionalEventData: o.additionalEventData,
      readOnly: o.readOnly === undefined ? undefined : r.bool(o, 'readOnly', path, false),
      mfa: o.mfa === undefined ? undefined : r.bool(o, 'mfa', path, false),
      sessionCreated: r.optTime(o, 'sessionCreated', path),
      invokedBy,
    };
    const { count, everyMs } = readRepeat(r, o, path);
    for (let k = 0; k < count; k++) {
      const shift = k * everyMs;
      const at = new Date(time.getTime() - shift);
      const created = input.sessionCreated ? new Date(input.sessionCreated.getTime() - shift) : undefined;
      state.events.push(makeEvent(state, { ...input, time: at, sessionCreated: created }, k === 0 ? `explicit|${i}` : `explicit|${i}|${k}`));
    }
  });
}

/**
 * `"repeat": {"every": "1d", "count": 30}`: the event as written and count-1 copies, each `every`
 * earlier than the one before (a CI's daily deploy, a vendor's daily AssumeRole).
 */
function readRepeat(r: ScenarioReader, o: Record<string, Json>, path: string): { count: number; everyMs: number } {
  if (o.repeat === undefined) return { count: 1, everyMs: 0 };
  const rp = `${path}.repeat`;
  const ro = r.obj(o.repeat, rp);
  r.onlyKeys(ro, rp, ['every', 'count']);
  const every = r.str(ro, 'every', rp, /^(\d+[dhms])+$/, 'a duration like "1d" or "12h"');
  const count = r.num(ro, 'count', rp, undefined, 1);
  const epoch = new Date(0);
  const everyMs = parseRelativeTime(`+${every}`, epoch)?.getTime() ?? 0;
  if (count > 1000) r.problem(`${rp}.count`, 'at most 1000 repetitions');
  return { count: Math.min(count, 1000), everyMs };
}

/**
 * Background activity: `count` events by one actor spread deterministically over [from, to], cycling
 * through its regions, source IPs and event names ("ec2:DescribeInstances" or a bare name).
 */
function readActivity(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  r.arr(doc, 'activity', '$').forEach((g, i) => {
    const path = `$.activity[${i}]`;
    const o = r.obj(g, path);
    r.onlyKeys(o, path, ['actor', 'from', 'to', 'count', 'regions', 'sourceIps', 'events', 'userAgent', 'seed']);
    const actor = actorOf(r, state, r.str(o, 'actor', path), `${path}.actor`);
    const from = r.time(o, 'from', path);
    const to = r.time(o, 'to', path);
    if (to < from) r.problem(`${path}.to`, 'must not be before from');
    const count = r.num(o, 'count', path, undefined, 1);
    const regions = r.strList(o, 'regions', path);
    const ips = r.strList(o, 'sourceIps', path);
    const names = r.strList(o, 'events', path);
    if (regions.length === 0) r.problem(`${path}.regions`, 'needs at least one region');
    if (ips.length === 0) r.problem(`${path}.sourceIps`, 'needs at least one source IP');
    if (names.length === 0) r.problem(`${path}.events`, 'needs at least one event name');
    if (regions.length === 0 || ips.length === 0 || names.length === 0) return;
    const rand = seededRandom(r.num(o, 'seed', path, i + 1));
    const userAgent = r.optStr(o, 'userAgent', path) ?? 'aws-sdk-js/3.600.0';
    const span = to.getTime() - from.getTime();
    for (let n = 0; n < count; n++) {
      const spec = names[Math.floor(rand() * names.length)]!;
      const [svc, eventName] = spec.includes(':') ? (spec.split(':') as [string, string]) : [undefined, spec];
      const eventSource = eventSourceFor(eventName, svc);
      const region = GLOBAL_SOURCES.has(eventSource) ? 'us-east-1' : regions[Math.floor(rand() * regions.length)]!;
      state.events.push(
        makeEvent(
          state,
          {
            time: new Date(from.getTime() + Math.floor(span * ((n + rand()) / count))),
            eventName,
            eventSource,
            region,
            actor,
            sourceIp: ips[Math.floor(rand() * ips.length)]!,
            userAgent,
            resources: [],
          },
          `activity|${i}|${n}`,
        ),
      );
    }
  });
}

function readCosts(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  const days = new Map<string, DailyCost>();
  r.arr(doc, 'costs', '$').forEach((g, i) => {
    const path = `$.costs[${i}]`;
    const o = r.obj(g, path);
    r.onlyKeys(o, path, ['service', 'region', 'account', 'from', 'to', 'daily', 'variation']);
    const service = r.str(o, 'service', path);
    const region = r.str(o, 'region', path, /^([a-z]{2}(-[a-z]+)+-\d|global|NoRegion)$/);
    const account = r.optStr(o, 'account', path, ACCOUNT_ID) ?? state.accountId;
    const from = r.time(o, 'from', path);
    const to = r.time(o, 'to', path);
    const daily = r.num(o, 'daily', path, undefined, 0);
    const variation = r.num(o, 'variation', path, 0, 0);
    const rand = seededRandom(i + 101);
    for (let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); t <= to.getTime(); t += 86_400_000) {
      const date = utcDay(new Date(t));
      const key = `${date}|${service}|${region}|${account}`;
      const amount = Math.round(daily * (1 + variation * (rand() * 2 - 1)) * 100) / 100;
      const existing = days.get(key);
      if (existing) existing.amount = Math.round((existing.amount + amount) * 100) / 100;
      else days.set(key, { date, service, region, linkedAccount: account, amount });
    }
  });
  state.costs = [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

function readAnomalies(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  r.arr(doc, 'anomalies', '$').forEach((g, i) => {
    const path = `$.anomalies[${i}]`;
    const o = r.obj(g, path);
    r.onlyKeys(o, path, ['start', 'end', 'service', 'region', 'usageType', 'totalImpact', 'maxImpact']);
    const service = r.str(o, 'service', path);
    const region = r.optStr(o, 'region', path);
    state.anomalies.push({
      anomalyId: stableHex('', `${state.accountId}|anomaly|${i}`, 36).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5'),
      startDate: utcDay(r.time(o, 'start', path)),
      endDate: o.end === undefined ? undefined : utcDay(r.time(o, 'end', path)),
      dimensionValue: service,
      totalImpact: r.num(o, 'totalImpact', path, undefined, 0),
      maxImpact: r.num(o, 'maxImpact', path, undefined, 0),
      monitorArn: `arn:aws:ce::${state.accountId}:anomalymonitor/${stableHex('', `${state.accountId}|monitor`, 36)}`,
      rootCauses: [{ service, region, linkedAccount: state.accountId, usageType: r.optStr(o, 'usageType', path) }],
    });
  });
}

function readOrganization(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  if (doc.organization === undefined) return;
  const path = '$.organization';
  const o = r.obj(doc.organization, path);
  r.onlyKeys(o, path, ['id', 'masterAccountEmail', 'featureSet', 'accounts', 'handshakes']);
  const id = r.str(o, 'id', path, /^o-[a-z0-9]{10,32}$/, 'like o-a1b2c3d4e5');
  const masterAccountEmail = r.str(o, 'masterAccountEmail', path);
  const orgArn = `arn:aws:organizations::${state.accountId}:organization/${id}`;
  const accounts = r.arr(o, 'accounts', path).map((a, i) => {
    const ap = `${path}.accounts[${i}]`;
    const ao = r.obj(a, ap);
    r.onlyKeys(ao, ap, ['id', 'name', 'email', 'status', 'joinedMethod', 'joined']);
    const accId = r.str(ao, 'id', ap, ACCOUNT_ID);
    return {
      id: accId,
      arn: `arn:aws:organizations::${state.accountId}:account/${id}/${accId}`,
      name: r.str(ao, 'name', ap),
      email: r.str(ao, 'email', ap),
      status: r.oneOf(ao, 'status', ap, ['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE'] as const, 'ACTIVE'),
      joinedMethod: r.oneOf(ao, 'joinedMethod', ap, ['INVITED', 'CREATED'] as const, 'CREATED'),
      joinedTimestamp: r.time(ao, 'joined', ap),
    };
  });
  if (!accounts.some((a) => a.id === state.accountId)) {
    r.problem(`${path}.accounts`, `must include the management account ${state.accountId}`);
  }
  const handshakes = r.arr(o, 'handshakes', path).map((h, i) => {
    const hp = `${path}.handshakes[${i}]`;
    const ho = r.obj(h, hp);
    r.onlyKeys(ho, hp, ['id', 'state', 'action', 'requested', 'expires', 'parties']);
    const hid = r.optStr(ho, 'id', hp, /^h-[a-z0-9]{8,32}$/) ?? stableId('h-', `${id}|handshake|${i}`, 10, 'abcdefghijklmnopqrstuvwxyz0123456789');
    const requested = r.time(ho, 'requested', hp);
    return {
      id: hid,
      arn: `arn:aws:organizations::${state.accountId}:handshake/${id}/invite/${hid}`,
      state: r.oneOf(ho, 'state', hp, ['REQUESTED', 'OPEN', 'CANCELED', 'ACCEPTED', 'DECLINED', 'EXPIRED'] as const),
      action: r.oneOf(ho, 'action', hp, ['INVITE', 'ENABLE_ALL_FEATURES', 'APPROVE_ALL_FEATURES', 'ADD_ORGANIZATIONS_SERVICE_LINKED_ROLE'] as const, 'INVITE'),
      requestedTimestamp: requested,
      expirationTimestamp: ho.expires === undefined ? new Date(requested.getTime() + 15 * 86_400_000) : r.time(ho, 'expires', hp),
      parties: r.arr(ho, 'parties', hp).map((p, j) => {
        const pp = `${hp}.parties[${j}]`;
        const po = r.obj(p, pp);
        return { id: r.str(po, 'id', pp), type: r.oneOf(po, 'type', pp, ['ACCOUNT', 'ORGANIZATION', 'EMAIL'] as const) };
      }),
    };
  });
  state.organization = {
    id,
    arn: orgArn,
    masterAccountId: state.accountId,
    masterAccountEmail,
    featureSet: r.oneOf(o, 'featureSet', path, ['ALL', 'CONSOLIDATED_BILLING'] as const, 'ALL'),
    accounts,
    handshakes,
  };
}

function readContacts(r: ScenarioReader, doc: Record<string, Json>, state: SandboxState): void {
  const path = '$.contact';
  const o = r.obj(doc.contact, path);
  r.onlyKeys(o, path, ['fullName', 'addressLine1', 'city', 'countryCode', 'postalCode', 'phoneNumber', 'companyName', 'websiteUrl']);
  state.contact = {
    fullName: r.str(o, 'fullName', path),
    addressLine1: r.optStr(o, 'addressLine1', path),
    city: r.optStr(o, 'city', path),
    countryCode: r.optStr(o, 'countryCode', path),
    postalCode: r.optStr(o, 'postalCode', path),
    phoneNumber: r.optStr(o, 'phoneNumber', path),
    companyName: r.optStr(o, 'companyName', path),
    websiteUrl: r.optStr(o, 'websiteUrl', path),
  };
  state.alternateContacts = r.arr(doc, 'alternateContacts', '$').map((c, i) => {
    const cp = `$.alternateContacts[${i}]`;
    const co = r.obj(c, cp);
    r.onlyKeys(co, cp, ['type', 'name', 'title', 'emailAddress', 'phoneNumber']);
    return {
      type: r.oneOf(co, 'type', cp, ['SECURITY', 'BILLING', 'OPERATIONS'] as const),
      name: r.str(co, 'name', cp),
      title: r.str(co, 'title', cp),
      emailAddress: r.str(co, 'emailAddress', cp, /^[^@\s]+@[^@\s]+$/, 'an email address'),
      phoneNumber: r.str(co, 'phoneNumber', cp),
    };
  });
}

/** Cross-references: every group and policy a user, group or role names must exist. */
function checkReferences(r: ScenarioReader, state: SandboxState): void {
  const policyArns = new Set(state.policies.map((p) => p.arn));
  const checkPolicies = (arns: string[], path: string) =>
    arns.forEach((arn, j) => {
      if (!policyArns.has(arn)) r.problem(`${path}.attachedPolicies[${j}]`, `policy ${arn} is not declared in $.policies`);
    });
  state.users.forEach((u, i) => {
    checkPolicies(u.attachedPolicyArns, `$.users[${i}]`);
    u.groups.forEach((g, j) => {
      if (!state.groups.some((x) => x.groupName === g)) r.problem(`$.users[${i}].groups[${j}]`, `no group named ${g} in $.groups`);
    });
  });
  state.groups.forEach((g, i) => {
    checkPolicies(g.attachedPolicyArns, `$.groups[${i}]`);
  });
  state.roles.forEach((g, i) => {
    checkPolicies(g.attachedPolicyArns, `$.roles[${i}]`);
  });
  const keyIds = new Set<string>();
  for (const k of [...state.root.accessKeys, ...state.users.flatMap((u) => u.accessKeys)]) {
    if (keyIds.has(k.accessKeyId)) r.problem('$', `access key ${k.accessKeyId} is used twice`);
    keyIds.add(k.accessKeyId);
  }
}
