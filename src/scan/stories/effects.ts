/**
 * What one call of a followed credential did, read from its request and response: the credentials it
 * handed on (a role session's key, a new access key, a password), what it created or switched off,
 * and a few words for the timeline.
 */
import type { TrailEvent } from '../cloudtrail-events';
import { passwordOf, type Credential } from './credentials';
import type { StoryFootprint } from './model';

export interface Handoff {
  credential: Credential;
  /** The user or role the new credential belongs to. */
  owner?: string;
}

export interface Effect {
  what: string;
  handoffs: Handoff[];
  /** Roles whose later sessions belong to the story (created, or their trust changed). */
  roles: string[];
  footprint: Partial<StoryFootprint>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const items = (v: unknown): Record<string, unknown>[] => {
  const list = obj(v)?.items;
  return Array.isArray(list) ? list.map(obj).filter((x): x is Record<string, unknown> => !!x) : [];
};
const lastSegment = (arn: string): string => arn.split('/').pop() ?? arn;

const DISABLING = new Set([
  'StopLogging',
  'DeleteTrail',
  'UpdateTrail',
  'PutEventSelectors',
  'DeleteDetector',
  'UpdateDetector',
  'DisassociateFromMasterAccount',
  'StopConfigurationRecorder',
  'DeleteConfigurationRecorder',
  'DeleteDeliveryChannel',
  'DeleteFlowLogs',
  'DeleteModelInvocationLoggingConfiguration',
  'PutBucketLifecycle',
  'PutBucketLifecycleConfiguration',
  'CreateIPSet',
  'UpdateIPSet',
  'CreateFilter',
]);

const SHARING = new Set([
  'ModifySnapshotAttribute',
  'ModifyDBSnapshotAttribute',
  'ModifyDBClusterSnapshotAttribute',
  'PutBucketPolicy',
  'PutBucketAcl',
  'AddPermission',
  'AddPermission20150331v2',
  'CreateFunctionUrlConfig',
  'DeletePublicAccessBlock',
  'DeleteBucketPublicAccessBlock',
]);

/** The name a call acts on, for the timeline: its user, role, bucket, trail, snapshot or function. */
function subject(e: TrailEvent): string | undefined {
  const r = e.request ?? {};
  for (const k of [
    'userName',
    'roleName',
    'bucketName',
    'name',
    'trailName',
    'snapshotId',
    'dBSnapshotIdentifier',
    'functionName',
    'detectorId',
    'accountName',
    'groupName',
    'keyName',
    'policyName',
    'flowLogIds',
  ])
    if (str(r[k])) return str(r[k]);
  const roleArn = str(r.roleArn);
  if (roleArn) return lastSegment(roleArn);
  return e.resources[0];
}

export function effectOf(e: TrailEvent): Effect {
  const req = e.request ?? {};
  const res = e.response ?? {};
  const target = subject(e);
  const out: Effect = { what: target ? `${e.eventName} ${target}` : e.eventName, handoffs: [], roles: [], footprint: {} };
  if (e.errorCode) return out;
  switch (e.eventName) {
    case 'AssumeRole':
    case 'AssumeRoleWithWebIdentity':
    case 'AssumeRoleWithSAML': {
      const role = str(req.roleArn) ? lastSegment(req.roleArn as string) : undefined;
      const key = str(obj(res.credentials)?.accessKeyId);
      if (key) out.handoffs.push({ credential: key, ...(role ? { owner: role } : {}) });
      if (role) {
        out.footprint.rolesAssumed = [role];
        out.roles.push(role);
        out.what = `assumed role ${role}`;
      }
      break;
    }
    case 'GetSessionToken':
    case 'GetFederationToken': {
      const key = str(obj(res.credentials)?.accessKeyId);
      if (key) out.handoffs.push({ credential: key });
      break;
    }
    case 'CreateAccessKey': {
      const created = obj(res.accessKey);
      const key = str(created?.accessKeyId);
      const owner = str(created?.userName) ?? str(req.userName) ?? e.userName;
      if (key) {
        out.handoffs.push({ credential: key, ...(owner ? { owner } : {}) });
        out.footprint.keys = [key];
      }
      out.what = `created access key${key ? ` ${key}` : ''}${owner ? ` for ${owner}` : ''}`;
      break;
    }
    case 'CreateUser': {
      const user = str(req.userName);
      if (user) {
        out.footprint.users = [user];
        out.handoffs.push({ credential: passwordOf(user), owner: user });
        out.what = `created user ${user}`;
      }
      break;
    }
    case 'CreateLoginProfile':
    case 'UpdateLoginProfile': {
      const user = str(req.userName) ?? e.userName;
      if (user) {
        out.footprint.loginProfiles = [user];
        out.handoffs.push({ credential: passwordOf(user), owner: user });
        out.what = `${e.eventName === 'CreateLoginProfile' ? 'gave a console password to' : 'changed the console password of'} ${user}`;
      }
      break;
    }
    case 'CreateRole':
    case 'UpdateAssumeRolePolicy': {
      const role = str(req.roleName);
      if (role) {
        out.footprint.roles = [role];
        out.roles.push(role);
        out.what = `${e.eventName === 'CreateRole' ? 'created role' : 'changed the trust of role'} ${role}`;
      }
      break;
    }
    case 'AttachUserPolicy':
    case 'AttachRolePolicy':
    case 'AttachGroupPolicy':
    case 'PutUserPolicy':
    case 'PutRolePolicy':
    case 'PutGroupPolicy':
    case 'AddUserToGroup':
    case 'CreatePolicyVersion': {
      const policy = str(req.policyArn) ? lastSegment(req.policyArn as string) : (str(req.policyName) ?? str(req.groupName));
      const who = str(req.userName) ?? str(req.roleName) ?? str(req.groupName);
      if (policy) out.footprint.policies = [policy];
      out.what = `gave ${policy ?? 'a policy'}${who && who !== policy ? ` to ${who}` : ''}`;
      break;
    }
    case 'RunInstances': {
      const launched = items(res.instancesSet)
        .map((i) => str(i.instanceId))
        .filter((id): id is string => !!id);
      out.footprint.instances = launched.map((id) => ({ id, region: e.region }));
      out.footprint.regions = [e.region];
      const type = str(req.instanceType);
      out.what = `started ${launched.length || 'an'} instance${launched.length === 1 ? '' : 's'}${type ? ` (${type})` : ''} in ${e.region}`;
      break;
    }
    case 'CreateAccount': {
      const name = str(req.accountName);
      if (name) out.footprint.accounts = [name];
      out.what = `created member account ${name ?? ''}`.trim();
      break;
    }
    case 'InviteAccountToOrganization': {
      const id = str(obj(req.target)?.id);
      if (id) out.footprint.accounts = [id];
      out.what = `invited account ${id ?? ''} to the organization`.trim();
      break;
    }
    case 'EnableRegion': {
      const region = str(req.RegionName) ?? str(req.regionName);
      if (region) out.footprint.regions = [region];
      out.what = `enabled region ${region ?? ''}`.trim();
      break;
    }
    default:
      if (DISABLING.has(e.eventName)) {
        out.footprint.disabled = [target ? `${target} (${e.eventName})` : e.eventName];
      } else if (SHARING.has(e.eventName)) {
        out.footprint.sharedOut = [target ? `${target} (${e.eventName})` : e.eventName];
      }
  }
  return out;
}
