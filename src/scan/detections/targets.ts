/**
 * How a catalog entry names the resource a finding is about: read from the event's request or response,
 * turned into an ARN where AWS's format allows it (so the resource is unambiguous across accounts and
 * regions) and a short name for titles.
 */
import type { TrailEvent } from '../cloudtrail-events';
import { outsideAccounts } from './conditions';
import type { MatchEnv, NamedTarget, TargetKind, TargetSpec } from './model';
import { strings, uniqueBy } from './read';

type Format = (name: string, e: TrailEvent, env: MatchEnv) => string;

const unique = (list: NamedTarget[]): NamedTarget[] => uniqueBy(list, (t) => t.resource);

/** A target named by the first path that holds a value (every value at that path). */
export function named(kind: TargetKind, paths: string[], format: Format = (n) => n): TargetSpec {
  return {
    kind,
    from: paths.join(' or '),
    read(e, env) {
      for (const p of paths) {
        const names = strings(e, p);
        if (names.length)
          return unique(
            names.map((name) => ({
              kind,
              name: shortName(name),
              resource: format(name, e, env),
              region: e.region,
              ...(name.startsWith('arn:') ? { exact: true } : {}),
            })),
          );
      }
      return [];
    },
  };
}

const shortName = (name: string): string => (name.startsWith('arn:') ? (name.split(/[:/]/).pop() ?? name) : name);

const iam =
  (type: string): Format =>
  (name, _e, env) =>
    name.startsWith('arn:') ? name : `arn:aws:iam::${env.account}:${type}/${name}`;
const regional =
  (service: string, type: string, sep = '/'): Format =>
  (name, e, env) =>
    name.startsWith('arn:') ? name : `arn:aws:${service}:${e.region}:${env.account}:${type}${sep}${name}`;

export const user = (paths = ['request.userName']): TargetSpec => named('user', paths, iam('user'));
export const role = (paths = ['request.roleName']): TargetSpec => named('role', paths, iam('role'));
export const group = (paths = ['request.groupName']): TargetSpec => named('group', paths, iam('group'));
export const policy = (paths = ['request.policyArn']): TargetSpec => named('policy', paths, iam('policy'));
export const instanceProfile = (): TargetSpec => named('instance-profile', ['request.instanceProfileName'], iam('instance-profile'));
export const bucket = (paths = ['request.bucketName']): TargetSpec => named('bucket', paths, (n) => (n.startsWith('arn:') ? n : `arn:aws:s3:::${n}`));
export const trail = (): TargetSpec => named('trail', ['request.name', 'request.trailName'], regional('cloudtrail', 'trail'));
export const ec2 = (kind: TargetKind, paths: string[], type: string): TargetSpec => named(kind, paths, regional('ec2', type));
export const fn = (paths = ['request.functionName']): TargetSpec => named('function', paths, regional('lambda', 'function', ':'));
export const plain = (kind: TargetKind, paths: string[]): TargetSpec => named(kind, paths);

/** The access key a call created, with its owner, from the response (AWS never logs the secret). */
export const createdAccessKey = (): TargetSpec => ({
  kind: 'access-key',
  from: 'responseElements.accessKey.accessKeyId (owner: responseElements.accessKey.userName)',
  read(e) {
    const id = strings(e, 'response.accessKey.accessKeyId')[0];
    if (!id) return [];
    const owner = strings(e, 'response.accessKey.userName')[0] ?? strings(e, 'request.userName')[0] ?? e.userName;
    return [{ kind: 'access-key', name: id, resource: id, ...(owner ? { userName: owner } : {}) }];
  },
});

/** The outside accounts a resource was shared with (and "all" for public). */
export const sharedWith = (paths: string[]): TargetSpec => ({
  kind: 'account',
  from: paths.join(' or '),
  read(e, env) {
    return outsideAccounts(e, env, paths).map((id) => ({
      kind: 'account' as const,
      name: id === 'all' ? 'everyone (public)' : id,
      resource: id === 'all' ? 'public' : id,
    }));
  },
});

/** The principal that made the call, for detections about the caller itself (probing, tools, sign-ins). */
export const actor = (): TargetSpec => ({
  kind: 'principal',
  from: 'userIdentity (the caller, and its access key)',
  read(e) {
    return [{ kind: 'principal', name: e.userName ?? e.roleName ?? e.principal, resource: e.principal }];
  },
});

/** The account itself (contacts, regions, root), as its ARN-like id. */
export const account = (): TargetSpec => ({
  kind: 'account',
  from: 'recipientAccountId',
  read(e, env) {
    const id = e.recipientAccount ?? env.account;
    return [{ kind: 'account', name: id, resource: `arn:aws:iam::${id}:root` }];
  },
});

/** Instances a call started, from the response (RunInstances lists them under instancesSet). */
export const launchedInstances = (): TargetSpec => ({
  kind: 'instance',
  from: 'responseElements.instancesSet.items.instanceId (or requestParameters.instancesSet.items.instanceId)',
  read(e, env) {
    const ids = [
      ...strings(e, 'response.instancesSet.items.instanceId'),
      ...strings(e, 'request.instancesSet.items.instanceId'),
      ...strings(e, 'request.instanceId'),
    ];
    return unique(
      ids.map((id) => ({ kind: 'instance' as const, name: id, resource: `arn:aws:ec2:${e.region}:${env.account}:instance/${id}`, region: e.region })),
    );
  },
});

/** The region the call was made in (SES sending, quotas and encryption defaults are per region). */
export const eventRegion = (): TargetSpec => ({
  kind: 'region',
  from: 'awsRegion',
  read(e, env) {
    return [{ kind: 'region', name: e.region, resource: `arn:aws:account::${env.account}:region/${e.region}`, region: e.region }];
  },
});
