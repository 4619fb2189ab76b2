/**
 * Who did a planted event: the `actor` of a scenario event, turned into CloudTrail's userIdentity.
 *
 *   "alice"                                   IAM user of this account
 *   "root"                                    the account's root user
 *   "role:NAME/SESSION"                       a session of a role of this account
 *   "saml:ROLE/user@corp.example"             a SAML-federated session of a role of this account
 *   "saml-user:PROVIDER/user@corp.example"    the SAML user itself (AssumeRoleWithSAML events)
 *   "sso:PERMISSION_SET/user@corp.example"    an IAM Identity Center session (role AWSReservedSSO_PERMISSION_SET_…)
 *   "service:autoscaling.amazonaws.com"       an AWS service acting for itself (type AWSService)
 *   "account:999988887777"                    another account, as CloudTrail names a cross-account caller
 *   "external:999988887777:user/NAME"         an IAM user of another account
 *   "external:999988887777:role/NAME/SESSION" a role session of another account
 */
import { stableId } from '../ids';
import type { IamRole, SandboxState } from '../model';
import type { ScenarioReader } from './reader';

export interface Actor {
  identity: Record<string, unknown>;
  userName?: string;
  accessKeyId?: string;
  /** AWS services record their own name as source address and user agent. */
  serviceHost?: string;
}

const ACCOUNT = /^\d{12}$/;

function sessionIssuer(role: { roleId?: string; arn?: string; accountId: string; roleName: string }): Record<string, unknown> {
  return { type: 'Role', principalId: role.roleId, arn: role.arn, accountId: role.accountId, userName: role.roleName };
}

function roleSession(acct: string, role: IamRole | undefined, roleName: string, session: string, actor: string): Actor {
  const accessKeyId = stableId('ASIA', `${acct}|${actor}`, 16);
  return {
    identity: {
      type: 'AssumedRole',
      principalId: `${role?.roleId ?? 'AROA'}:${session}`,
      arn: `arn:aws:sts::${acct}:assumed-role/${roleName}/${session}`,
      accountId: acct,
      accessKeyId,
      sessionContext: { sessionIssuer: sessionIssuer({ roleId: role?.roleId, arn: role?.arn, accountId: acct, roleName }), webIdFederationData: {} },
    },
    userName: roleName,
    accessKeyId,
  };
}

function external(r: ScenarioReader, spec: string, path: string): Actor {
  const [account, kind, name, session = 'session'] = spec.split(/[:/]/) as [string, string?, string?, string?];
  if (!ACCOUNT.test(account) || (kind !== 'user' && kind !== 'role') || !name) {
    r.problem(path, `"external:${spec}" must be "external:ACCOUNT:user/NAME" or "external:ACCOUNT:role/NAME/SESSION"`);
    return { identity: {} };
  }
  const accessKeyId = stableId(kind === 'user' ? 'AKIA' : 'ASIA', `external|${spec}`, 16);
  if (kind === 'user') {
    return {
      identity: {
        type: 'IAMUser',
        principalId: stableId('AIDA', `external|${spec}`, 17),
        arn: `arn:aws:iam::${account}:user/${name}`,
        accountId: account,
        userName: name,
      },
      userName: name,
      accessKeyId,
    };
  }
  const roleId = stableId('AROA', `external|${account}|${name}`, 17);
  return {
    identity: {
      type: 'AssumedRole',
      principalId: `${roleId}:${session}`,
      arn: `arn:aws:sts::${account}:assumed-role/${name}/${session}`,
      accountId: account,
      sessionContext: {
        sessionIssuer: sessionIssuer({ roleId, arn: `arn:aws:iam::${account}:role/${name}`, accountId: account, roleName: name }),
        webIdFederationData: {},
      },
    },
    userName: name,
    accessKeyId,
  };
}

/** The actor named by a scenario event (see the file comment); problems are reported at `path`. */
export function actorOf(r: ScenarioReader, state: SandboxState, actor: string, path: string): Actor {
  const acct = state.accountId;
  if (actor === 'root') {
    return {
      identity: { type: 'Root', principalId: acct, arn: state.root.arn, accountId: acct },
      userName: 'root',
      accessKeyId: state.root.accessKeys[0]?.accessKeyId,
    };
  }
  const colon = actor.indexOf(':');
  const kind = colon > 0 ? actor.slice(0, colon) : '';
  const rest = actor.slice(colon + 1);
  switch (kind) {
    case 'role':
    case 'saml': {
      const [roleName = '', session = 'session'] = rest.split('/');
      const role = state.roles.find((x) => x.roleName === roleName);
      if (!role) r.problem(path, `no role named ${roleName} in $.roles`);
      return roleSession(acct, role, roleName, session, actor);
    }
    case 'sso': {
      const [permissionSet = '', session = 'session'] = rest.split('/');
      const prefix = `AWSReservedSSO_${permissionSet}_`;
      const role = state.roles.find((x) => x.roleName.startsWith(prefix) && /^[0-9a-f]{16}$/.test(x.roleName.slice(prefix.length)));
      if (!role) r.problem(path, `no Identity Center role ${prefix}<16 hex digits> in $.roles (path /aws-reserved/sso.amazonaws.com/)`);
      return roleSession(acct, role, role?.roleName ?? `${prefix}0000000000000000`, session, actor);
    }
    case 'saml-user': {
      const [provider = '', user = ''] = rest.split('/');
      if (!provider || !user) r.problem(path, `"${actor}" must be "saml-user:PROVIDER/USER"`);
      const providerId = Buffer.from(`${acct}|${provider}`).toString('base64').replace(/=+$/, '').slice(0, 28);
      return {
        identity: {
          type: 'SAMLUser',
          principalId: `${providerId}=:${user}`,
          userName: user,
          identityProvider: `${providerId}=`,
        },
        userName: user,
      };
    }
    case 'service': {
      if (!/^[a-z0-9.-]+\.amazonaws\.com$/.test(rest)) r.problem(path, `"${actor}": an AWS service is named like autoscaling.amazonaws.com`);
      return { identity: { type: 'AWSService', invokedBy: rest }, serviceHost: rest };
    }
    case 'account': {
      if (!ACCOUNT.test(rest)) r.problem(path, `"${actor}": an account id is 12 digits`);
      return { identity: { type: 'AWSAccount', principalId: stableId('AIDA', `account|${rest}`, 17), accountId: rest }, userName: undefined };
    }
    case 'external':
      return external(r, rest, path);
    default:
      break;
  }
  const user = state.users.find((x) => x.userName === actor);
  if (!user) {
    r.problem(
      path,
      `no user named ${actor} in $.users (use a user name, "root", "role:NAME/SESSION", "sso:…", "saml:…", "service:…", "account:…" or "external:…")`,
    );
  }
  return {
    identity: { type: 'IAMUser', principalId: user?.userId, arn: user?.arn, accountId: acct, userName: actor },
    userName: actor,
    accessKeyId: user?.accessKeys[0]?.accessKeyId,
  };
}
