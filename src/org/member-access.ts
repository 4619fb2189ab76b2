/**
 * Reaching a member account: aws-ir's identity assumes `arn:aws:iam::<id>:role/<AWS_IR_MEMBER_ROLE_NAME>`
 * (with AWS_IR_MEMBER_EXTERNAL_ID when set). The first AssumeRole is made before the account is
 * scanned, so a role that cannot be assumed is that account's gap with AWS's reason instead of every
 * check failing; later refreshes happen inside the SDK's credential provider. A member's target is
 * kept per (account, role), so its SDK clients and its rate limiters are the same in every sweep.
 */
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { AwsAccountTarget } from '../aws/account';
import type { AwsClients } from '../aws/clients';
import { ERROR_CODES } from '../errors';
import { awsErrorCode, plainError } from '../remediation/aws-errors';

const SESSION_SECONDS = 3600;
/** Refresh this long before the session expires, so no request is signed with a dying session. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export class MemberAccessError extends Error {
  readonly code = ERROR_CODES.memberAccess;
  constructor(
    readonly account: string,
    message: string,
  ) {
    super(message);
    this.name = 'MemberAccessError';
  }
}

export interface MemberRole {
  roleName: string;
  externalId?: string;
  /** How the session is named in the member's CloudTrail. */
  sessionName: string;
}

export function memberRoleArn(account: string, roleName: string): string {
  return `arn:aws:iam::${account}:role/${roleName}`;
}

const targets = new Map<string, AwsAccountTarget>();

/** The member account as a target aws-ir can scan or act on; throws MemberAccessError when the role cannot be assumed. */
export async function memberTarget(home: AwsClients, account: string, role: MemberRole): Promise<AwsAccountTarget> {
  const key = [home.target.key, home.target.endpoint ?? '', account, role.roleName, role.externalId ?? ''].join('|');
  const known = targets.get(key);
  if (known) return known;
  const roleArn = memberRoleArn(account, role.roleName);
  const assume = async (): Promise<AwsCredentialIdentity & { expiration: Date }> => {
    const out = await home.sts().send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: role.sessionName,
        DurationSeconds: SESSION_SECONDS,
        ...(role.externalId ? { ExternalId: role.externalId } : {}),
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      expiration: c.Expiration ?? new Date(Date.now() + SESSION_SECONDS * 1000),
    };
  };
  let current: Promise<AwsCredentialIdentity & { expiration: Date }>;
  try {
    current = Promise.resolve(await assume());
  } catch (err) {
    throw new MemberAccessError(account, cannotAssume(roleArn, role, err));
  }
  const provider = async (): Promise<AwsCredentialIdentity> => {
    const creds = await current;
    if (creds.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS) return creds;
    current = assume();
    // A failed refresh is retried by the next request rather than remembered.
    current.catch(() => {
      current = Promise.resolve(creds);
    });
    return current;
  };
  const target: AwsAccountTarget = { key: account, region: home.target.region, credentials: provider };
  if (home.target.endpoint) target.endpoint = home.target.endpoint;
  if (home.target.maxAttempts !== undefined) target.maxAttempts = home.target.maxAttempts;
  if (home.target.clock) target.clock = home.target.clock;
  if (home.target.retryDelayMs) target.retryDelayMs = home.target.retryDelayMs;
  targets.set(key, target);
  return target;
}

function cannotAssume(roleArn: string, role: MemberRole, err: unknown): string {
  const code = awsErrorCode(err);
  const denied = code === 'AccessDenied' || code === 'AccessDeniedException';
  if (denied) {
    return `aws-ir could not assume ${roleArn} (AccessDenied): the role is missing in this account, or its trust policy does not let aws-ir's identity in${
      role.externalId ? ' with the configured ExternalId' : ''
    }. Deploy policies/member-roles.template.json to this account (StackSet), then scan again.`;
  }
  return `aws-ir could not assume ${roleArn}: ${plainError(err)}`;
}
