/**
 * Parameter checks, lookups, pagination and response shapes shared by the sandbox's IAM handlers.
 */
import { SandboxError, type IamGroup, type IamRole, type IamUser, type ManagedPolicy, type OperationContext } from '../model';

/** IAM returns policy documents URL-encoded (RFC 3986), as the API reference says. */
export const encodeDocument = (doc: string): string => encodeURIComponent(doc);

/** Accepts a document as the SDK sends it (JSON text) and checks it is a policy. */
export function policyDocumentParam(ctx: OperationContext, name: string): string {
  const raw = ctx.params[name];
  if (typeof raw !== 'string' || raw === '') {
    throw new SandboxError(
      'ValidationError',
      `1 validation error detected: Value at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new SandboxError('MalformedPolicyDocument', 'Syntax errors in policy.');
  }
  if (!parsed || typeof parsed !== 'object' || !('Statement' in parsed)) {
    throw new SandboxError('MalformedPolicyDocument', 'Policy document must contain a Statement.');
  }
  return raw;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function requiredString(ctx: OperationContext, name: string): string {
  const v = ctx.params[name];
  if (typeof v !== 'string' || v === '') {
    throw new SandboxError(
      'ValidationError',
      `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return v;
}

export function optionalString(ctx: OperationContext, name: string): string | undefined {
  const v = ctx.params[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The user named in the request, or the calling user when UserName is omitted (as IAM does). */
export function findUser(ctx: OperationContext, name = optionalString(ctx, 'UserName') ?? ctx.caller.userName): IamUser {
  const user = ctx.state.users.find((u) => u.userName === name);
  if (!user) throw new SandboxError('NoSuchEntity', `The user with name ${name ?? ''} cannot be found.`, 404);
  return user;
}

export function findRole(ctx: OperationContext, name = requiredString(ctx, 'RoleName')): IamRole {
  const role = ctx.state.roles.find((r) => r.roleName === name);
  if (!role) throw new SandboxError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
  return role;
}

export function findGroup(ctx: OperationContext, name = requiredString(ctx, 'GroupName')): IamGroup {
  const group = ctx.state.groups.find((g) => g.groupName === name);
  if (!group) throw new SandboxError('NoSuchEntity', `The group with name ${name} cannot be found.`, 404);
  return group;
}

export function findPolicy(ctx: OperationContext, arn = requiredString(ctx, 'PolicyArn')): ManagedPolicy {
  const policy = ctx.state.policies.find((p) => p.arn === arn);
  if (!policy) throw new SandboxError('NoSuchEntity', `Policy ${arn} was not found.`, 404);
  return policy;
}

export function findAttachablePolicy(ctx: OperationContext): ManagedPolicy {
  const arn = requiredString(ctx, 'PolicyArn');
  const policy = ctx.state.policies.find((p) => p.arn === arn);
  if (!policy) throw new SandboxError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);
  return policy;
}

/**
 * IAM's Marker/MaxItems pagination (MaxItems 1..1000, default 100). The marker is opaque to callers;
 * here it is the offset, base64-encoded.
 */
export function paginate<T>(ctx: OperationContext, items: T[]): { page: T[]; IsTruncated: boolean; Marker?: string } {
  const rawMax = ctx.params.MaxItems;
  const max = rawMax === undefined ? 100 : Number(rawMax);
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw new SandboxError(
      'ValidationError',
      `1 validation error detected: Value '${String(rawMax)}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  }
  let start = 0;
  const marker = optionalString(ctx, 'Marker');
  if (marker) {
    const decoded = Number(
      Buffer.from(marker, 'base64')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(decoded) || decoded < 0) throw new SandboxError('ValidationError', 'Invalid Marker.');
    start = decoded;
  }
  const page = items.slice(start, start + max);
  const next = start + max;
  if (next < items.length) return { page, IsTruncated: true, Marker: Buffer.from(`offset:${next}`).toString('base64') };
  return { page, IsTruncated: false };
}

export function pathPrefixFilter<T extends { path: string }>(ctx: OperationContext, items: T[]): T[] {
  const prefix = optionalString(ctx, 'PathPrefix');
  return prefix ? items.filter((i) => i.path.startsWith(prefix)) : items;
}

export function userShape(u: IamUser, withTags = false): Record<string, unknown> {
  return {
    Path: u.path,
    UserName: u.userName,
    UserId: u.userId,
    Arn: u.arn,
    CreateDate: u.createDate,
    PasswordLastUsed: u.passwordLastUsed,
    Tags: withTags && u.tags.length > 0 ? u.tags : undefined,
  };
}

export function groupShape(g: IamGroup): Record<string, unknown> {
  return { Path: g.path, GroupName: g.groupName, GroupId: g.groupId, Arn: g.arn, CreateDate: g.createDate };
}

export function roleShape(r: IamRole, detailed = false): Record<string, unknown> {
  return {
    Path: r.path,
    RoleName: r.roleName,
    RoleId: r.roleId,
    Arn: r.arn,
    CreateDate: r.createDate,
    AssumeRolePolicyDocument: encodeDocument(r.assumeRolePolicyDocument),
    Description: r.description,
    MaxSessionDuration: r.maxSessionDuration,
    RoleLastUsed: detailed ? { LastUsedDate: r.lastUsedDate, Region: r.lastUsedRegion } : undefined,
  };
}

export function attachmentCount(ctx: OperationContext, arn: string): number {
  const s = ctx.state;
  return (
    s.users.filter((u) => u.attachedPolicyArns.includes(arn)).length +
    s.groups.filter((g) => g.attachedPolicyArns.includes(arn)).length +
    s.roles.filter((r) => r.attachedPolicyArns.includes(arn)).length
  );
}

export function policyShape(ctx: OperationContext, p: ManagedPolicy, withDescription = false): Record<string, unknown> {
  return {
    PolicyName: p.policyName,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.versions.find((v) => v.isDefaultVersion)?.versionId,
    AttachmentCount: attachmentCount(ctx, p.arn),
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: withDescription ? p.description : undefined,
    CreateDate: p.createDate,
    UpdateDate: p.updateDate,
  };
}

export const NAME_PATTERN = /^[\w+=,.@-]{1,128}$/;

export function validName(value: string, field: string): string {
  if (!NAME_PATTERN.test(value)) {
    throw new SandboxError(
      'ValidationError',
      `1 validation error detected: Value '${value}' at '${lowerFirst(field)}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
    );
  }
  return value;
}
