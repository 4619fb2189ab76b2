/**
 * Who is calling the sandbox: maps the SigV4 access key to a scenario user, root, an assumed-role
 * session or the sandbox administrator, and rejects keys AWS would reject.
 *
 * A key the sandbox knows comes with its secret, and the server verifies the request's signature with
 * it. A key it does not know acts as the administrator unverified: there is no secret to check against,
 * and that is what lets any SDK default credential (or a test's made-up key) talk to the sandbox.
 */
import type { AccessKey, Caller, IamRole, SandboxState, SessionCredential } from './model';

/** The identity used by any access key the scenario does not know: an administrator of the account. */
export const ADMIN_USER_NAME = 'sandbox-admin';
/** The administrator key `aws-ir sandbox` prints; unlike an unknown key, its signature is verified. */
export const ADMIN_CREDENTIALS = {
  accessKeyId: 'AKIASANDBOXADMIN0001',
  secretAccessKey: 'sandbox-admin-secret-key-not-a-real-secret',
};

export class CallerRejected extends Error {
  readonly code = 'caller_rejected';
  constructor(
    readonly failure: 'invalid-key' | 'expired' | 'denied',
    message: string,
  ) {
    super(message);
    this.name = 'CallerRejected';
  }
}

const INVALID_TOKEN = 'The security token included in the request is invalid.';

export interface ResolvedCaller {
  caller: Caller;
  /** A long-term key of a user or root, whose last use AWS records. */
  key?: AccessKey;
  /** The key's secret when the sandbox knows it: the request's signature must then verify with it. */
  secretAccessKey?: string;
}

/**
 * Resolves the SigV4 access key to a caller the way AWS does: a scenario user's key acts as that user
 * (rejected when Inactive), an AssumeRole session acts as the role (rejected when expired or revoked by
 * an `aws:TokenIssueTime` deny), a root key as root, and anything else as the sandbox administrator.
 */
export function resolveCaller(state: SandboxState, accessKeyId: string, sessionToken: string | undefined, now: Date): ResolvedCaller {
  const acct = state.accountId;
  for (const user of state.users) {
    const key = user.accessKeys.find((k) => k.accessKeyId === accessKeyId);
    if (!key) continue;
    if (key.status !== 'Active') throw new CallerRejected('invalid-key', INVALID_TOKEN);
    return {
      caller: { type: 'user', arn: user.arn, accountId: acct, principalId: user.userId, accessKeyId, userName: user.userName },
      key,
      secretAccessKey: key.secretAccessKey,
    };
  }
  const rootKey = state.root.accessKeys.find((k) => k.accessKeyId === accessKeyId);
  if (rootKey) {
    if (rootKey.status !== 'Active') throw new CallerRejected('invalid-key', INVALID_TOKEN);
    return {
      caller: { type: 'root', arn: state.root.arn, accountId: acct, principalId: acct, accessKeyId },
      key: rootKey,
      secretAccessKey: rootKey.secretAccessKey,
    };
  }
  const session = state.sessions.find((s) => s.accessKeyId === accessKeyId);
  if (session) return { caller: sessionCaller(state, session, sessionToken, now), secretAccessKey: session.secretAccessKey };
  if (accessKeyId.startsWith('ASIA')) {
    // A temporary key the sandbox never issued (or one from before a reset): AWS does not know it either.
    throw new CallerRejected('invalid-key', INVALID_TOKEN);
  }
  return {
    caller: {
      type: 'admin',
      arn: `arn:aws:iam::${acct}:user/${ADMIN_USER_NAME}`,
      accountId: acct,
      principalId: 'AIDASANDBOXADMIN00001',
      accessKeyId,
      userName: ADMIN_USER_NAME,
    },
    secretAccessKey: accessKeyId === ADMIN_CREDENTIALS.accessKeyId ? ADMIN_CREDENTIALS.secretAccessKey : undefined,
  };
}

function sessionCaller(state: SandboxState, session: SessionCredential, sessionToken: string | undefined, now: Date): Caller {
  if (sessionToken !== session.sessionToken) throw new CallerRejected('invalid-key', INVALID_TOKEN);
  if (now.getTime() >= session.expiresAt.getTime()) {
    throw new CallerRejected('expired', 'The security token included in the request is expired');
  }
  const roleName = session.roleArn.split('/').pop() ?? session.roleArn;
  const role = state.roles.find((r) => r.arn === session.roleArn);
  if (!role) throw new CallerRejected('invalid-key', INVALID_TOKEN);
  const revokedBefore = sessionsRevokedBefore(role);
  const arn = `arn:aws:sts::${state.accountId}:assumed-role/${roleName}/${session.roleSessionName}`;
  if (revokedBefore && session.issuedAt.getTime() < revokedBefore.getTime()) {
    throw new CallerRejected('denied', `User: ${arn} is not authorized to perform this operation with an explicit deny in an identity-based policy`);
  }
  return {
    type: 'assumed-role',
    arn,
    accountId: state.accountId,
    principalId: `${role.roleId}:${session.roleSessionName}`,
    accessKeyId: session.accessKeyId,
    roleName,
    sessionIssuedAt: session.issuedAt,
  };
}

/**
 * The latest "deny everything to sessions issued before T" in the role's inline policies (the policy
 * IAM's console writes as AWSRevokeOlderSessions: Deny *, Condition DateLessThan aws:TokenIssueTime).
 */
export function sessionsRevokedBefore(role: IamRole): Date | undefined {
  let latest: Date | undefined;
  for (const policy of role.inlinePolicies) {
    let doc: unknown;
    try {
      doc = JSON.parse(policy.document);
    } catch {
      continue;
    }
    const statements = (doc as { Statement?: unknown }).Statement;
    for (const st of Array.isArray(statements) ? statements : [statements]) {
      if (!st || typeof st !== 'object') continue;
      const s = st as { Effect?: unknown; Condition?: Record<string, Record<string, unknown>> };
      if (s.Effect !== 'Deny') continue;
      const raw = s.Condition?.DateLessThan?.['aws:TokenIssueTime'];
      const value = Array.isArray(raw) ? raw[0] : raw;
      if (typeof value !== 'string') continue;
      const t = new Date(value);
      if (!Number.isNaN(t.getTime()) && (!latest || t > latest)) latest = t;
    }
  }
  return latest;
}

/** AWS records the date, region and service of a key's most recent use. */
export function recordKeyUse(key: AccessKey, now: Date, region: string, service: string): void {
  key.lastUsedDate = now;
  key.lastUsedRegion = region;
  key.lastUsedService = service;
}
