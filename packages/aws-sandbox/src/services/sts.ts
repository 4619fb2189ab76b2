/**
 * The sandbox's STS: caller identity and AssumeRole sessions whose credentials then work against it.
 */
import { randomBytes } from 'node:crypto';
import { nextId } from '../ids';
import { SandboxError, type IamRole, type OperationContext, type SandboxState, type ServiceHandlers } from '../model';
import { trustAllows } from '../organization/trust';

function getCallerIdentity(ctx: OperationContext) {
  return { UserId: ctx.caller.principalId, Account: ctx.caller.accountId, Arn: ctx.caller.arn };
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/;

/** Issues session credentials for a role of this account and records them, so they can be used. */
function assumeRole(ctx: OperationContext) {
  const roleArn = String(ctx.params.RoleArn ?? '');
  const sessionName = String(ctx.params.RoleSessionName ?? '');
  if (!roleArn)
    throw new SandboxError('ValidationError', "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw new SandboxError(
      'ValidationError',
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  const found = roleToAssume(ctx, roleArn);
  if (!found) {
    throw new SandboxError('AccessDenied', `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  }
  const { role, account } = found;
  const duration = Number(ctx.params.DurationSeconds ?? 3600);
  if (!Number.isInteger(duration) || duration < 900 || duration > role.maxSessionDuration) {
    throw new SandboxError('ValidationError', `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`);
  }
  const session = {
    accessKeyId: nextId(account, 'ASIA', 16),
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(48).toString('base64')}`,
    roleArn: role.arn,
    roleSessionName: sessionName,
    issuedAt: ctx.now,
    expiresAt: new Date(ctx.now.getTime() + duration * 1000),
  };
  account.sessions.push(session);
  if (account !== ctx.state) ctx.accounts?.registerKey(session.accessKeyId, account.accountId);
  role.lastUsedDate = ctx.now;
  role.lastUsedRegion = ctx.region;
  return {
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: session.expiresAt,
    },
    AssumedRoleUser: {
      AssumedRoleId: `${role.roleId}:${sessionName}`,
      Arn: `arn:aws:sts::${account.accountId}:assumed-role/${role.roleName}/${sessionName}`,
    },
  };
}

/**
 * The role and the account it is in: this account's, or (organization scenarios) another reachable
 * account's whose trust policy lets the caller in, as AWS would decide.
 */
function roleToAssume(ctx: OperationContext, roleArn: string): { role: IamRole; account: SandboxState } | undefined {
  const m = ROLE_ARN.exec(roleArn);
  if (!m) return undefined;
  if (m[1] === ctx.state.accountId) {
    const role = ctx.state.roles.find((r) => r.roleName === m[2]);
    return role ? { role, account: ctx.state } : undefined;
  }
  const accountId = m[1]!;
  if (!ctx.accounts?.reachable(accountId)) return undefined;
  const account = ctx.accounts.account(accountId);
  const role = account?.roles.find((r) => r.roleName === m[2]);
  const externalId = typeof ctx.params.ExternalId === 'string' ? ctx.params.ExternalId : undefined;
  if (!account || !role || !trustAllows(role.assumeRolePolicyDocument, ctx.caller, externalId)) return undefined;
  return { role, account };
}

export const handlers: ServiceHandlers = {
  GetCallerIdentity: getCallerIdentity,
  AssumeRole: assumeRole,
};
