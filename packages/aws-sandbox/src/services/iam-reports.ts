/** Account-level IAM reads: the credential report, service last accessed jobs, account summary. */
import { randomUUID } from 'node:crypto';
import { SandboxError, type AccessKey, type IamUser, type OperationContext, type SandboxState, type ServiceHandlers } from '../model';
import { encodeDocument, groupShape, policyShape, requiredString, roleShape, userShape } from './iam-common';

/** AWS's 22 columns, in AWS's order. */
export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

/** The report's timestamp format: 2024-05-01T12:34:56+00:00. */
const ts = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
const tf = (b: boolean): string => (b ? 'true' : 'false');

function keyColumns(key: AccessKey | undefined): string[] {
  if (!key) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  return [
    tf(key.status === 'Active'),
    ts(key.createDate),
    key.lastUsedDate ? ts(key.lastUsedDate) : 'N/A',
    key.lastUsedDate ? (key.lastUsedRegion ?? 'N/A') : 'N/A',
    key.lastUsedDate ? (key.lastUsedService ?? 'N/A') : 'N/A',
  ];
}

function certColumns(cert: IamUser['signingCertificates'][number] | undefined): string[] {
  return cert ? [tf(cert.status === 'Active'), ts(cert.uploadDate)] : ['false', 'N/A'];
}

function userRow(user: IamUser): string[] {
  const lp = user.loginProfile;
  return [
    user.userName,
    user.arn,
    ts(user.createDate),
    tf(!!lp),
    // N/A: no password; no_information: a password that was never used.
    !lp ? 'N/A' : user.passwordLastUsed ? ts(user.passwordLastUsed) : 'no_information',
    !lp ? 'N/A' : ts(lp.passwordLastChanged ?? lp.createDate),
    'N/A',
    tf(user.mfaDevices.length > 0),
    ...keyColumns(user.accessKeys[0]),
    ...keyColumns(user.accessKeys[1]),
    ...certColumns(user.signingCertificates[0]),
    ...certColumns(user.signingCertificates[1]),
  ];
}

function rootRow(state: SandboxState): string[] {
  const root = state.root;
  return [
    '<root_account>',
    root.arn,
    ts(root.createDate),
    'not_supported',
    root.passwordLastUsed ? ts(root.passwordLastUsed) : 'no_information',
    'not_supported',
    'not_supported',
    tf(root.mfaActive),
    ...keyColumns(root.accessKeys[0]),
    ...keyColumns(root.accessKeys[1]),
    'false',
    'N/A',
    'false',
    'N/A',
  ];
}

export function credentialReportCsv(state: SandboxState): string {
  const rows = [CREDENTIAL_REPORT_COLUMNS.join(','), rootRow(state).join(',')];
  for (const user of state.users) rows.push(userRow(user).join(','));
  return rows.join('\n');
}

/** A report AWS considers fresh: GenerateCredentialReport only regenerates after 4 hours. */
const REPORT_TTL_MS = 4 * 3_600_000;
/** How long generation takes; a second Generate call also completes it, as AWS usually has by then. */
const REPORT_BUILD_MS = 1000;

function generateCredentialReport(ctx: OperationContext) {
  const report = ctx.state.credentialReport;
  const now = ctx.now.getTime();
  if (report.state === 'COMPLETE' && report.generatedAt && now - report.generatedAt.getTime() < REPORT_TTL_MS) {
    return { State: 'COMPLETE', Description: 'No report generation is needed; the report is current.' };
  }
  if (report.state === 'STARTED') {
    report.state = 'COMPLETE';
    return { State: 'COMPLETE', Description: 'Report generation complete.' };
  }
  ctx.state.credentialReport = { state: 'STARTED', generatedAt: ctx.now, readyAt: new Date(now + REPORT_BUILD_MS) };
  return { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' };
}

function getCredentialReport(ctx: OperationContext) {
  const report = ctx.state.credentialReport;
  if (report.state === 'none') {
    throw new SandboxError('ReportNotPresent', 'Credential report not present. Please use GenerateCredentialReport to create one.', 410);
  }
  if (report.state === 'STARTED') {
    if (!report.readyAt || ctx.now < report.readyAt) {
      throw new SandboxError('ReportInProgress', 'Credential report generation is in progress.', 404);
    }
    report.state = 'COMPLETE';
  }
  if (report.generatedAt && ctx.now.getTime() - report.generatedAt.getTime() > REPORT_TTL_MS) {
    throw new SandboxError('ReportExpired', 'Credential report has expired. Please use GenerateCredentialReport to create a new one.', 410);
  }
  // Built from the live state, so a remediation shows in the next scan without waiting 4 hours.
  return {
    Content: Buffer.from(credentialReportCsv(ctx.state), 'utf8').toString('base64'),
    ReportFormat: 'text/csv',
    GeneratedTime: report.generatedAt,
  };
}

const JOB_BUILD_MS = 200;

function generateServiceLastAccessedDetails(ctx: OperationContext) {
  const arn = requiredString(ctx, 'Arn');
  if (!principalOf(ctx.state, arn) && !ctx.state.policies.some((p) => p.arn === arn)) {
    throw new SandboxError('NoSuchEntity', `The entity ${arn} cannot be found.`, 404);
  }
  const jobId = randomUUID();
  ctx.state.lastAccessedJobs.set(jobId, { arn, createdAt: ctx.now, readyAt: new Date(ctx.now.getTime() + JOB_BUILD_MS) });
  return { JobId: jobId };
}

function principalOf(state: SandboxState, arn: string): { kind: 'user' | 'role' | 'group'; name: string } | undefined {
  const user = state.users.find((u) => u.arn === arn);
  if (user) return { kind: 'user', name: user.userName };
  const role = state.roles.find((r) => r.arn === arn);
  if (role) return { kind: 'role', name: role.roleName };
  const group = state.groups.find((g) => g.arn === arn);
  if (group) return { kind: 'group', name: group.groupName };
  return undefined;
}

const SERVICE_NAMES: Record<string, string> = {
  iam: 'AWS Identity and Access Management',
  sts: 'AWS Security Token Service',
  ec2: 'Amazon EC2',
  s3: 'Amazon S3',
  cloudtrail: 'AWS CloudTrail',
  organizations: 'AWS Organizations',
  lambda: 'AWS Lambda',
  ce: 'AWS Cost Explorer Service',
  account: 'AWS Account Management',
  signin: 'AWS Sign-In',
};

/** Last authenticated per service namespace, from the principal's CloudTrail events and key usage. */
function getServiceLastAccessedDetails(ctx: OperationContext) {
  const jobId = requiredString(ctx, 'JobId');
  const job = ctx.state.lastAccessedJobs.get(jobId);
  if (!job) throw new SandboxError('NoSuchEntity', `The job with id ${jobId} cannot be found.`, 404);
  const base = { JobType: 'SERVICE_LEVEL', JobCreationDate: job.createdAt };
  if (ctx.now < job.readyAt) return { ...base, JobStatus: 'IN_PROGRESS', ServicesLastAccessed: [] };
  const principal = principalOf(ctx.state, job.arn);
  const last = new Map<string, { at: Date; region: string; entity: string }>();
  const note = (ns: string, at: Date, region: string, entity: string) => {
    const prev = last.get(ns);
    if (!prev || prev.at < at) last.set(ns, { at, region, entity });
  };
  if (principal) {
    const members = principal.kind === 'group' ? ctx.state.users.filter((u) => u.groups.includes(principal.name)).map((u) => u.userName) : [principal.name];
    for (const e of ctx.state.events) {
      if (!e.userName || !members.includes(e.userName) || e.record.errorCode) continue;
      const ns = e.eventSource.replace(/\.amazonaws\.com$/, '');
      note(ns, e.eventTime, e.region, principal.kind === 'group' ? `arn:aws:iam::${ctx.state.accountId}:user/${e.userName}` : job.arn);
    }
    if (principal.kind === 'user') {
      const user = ctx.state.users.find((u) => u.userName === principal.name)!;
      for (const k of user.accessKeys)
        if (k.lastUsedDate && k.lastUsedService) note(k.lastUsedService, k.lastUsedDate, k.lastUsedRegion ?? 'us-east-1', job.arn);
    }
  }
  const namespaces = [...new Set([...Object.keys(SERVICE_NAMES), ...last.keys()])].sort();
  return {
    ...base,
    JobStatus: 'COMPLETED',
    JobCompletionDate: job.readyAt,
    ServicesLastAccessed: namespaces.map((ns) => {
      const hit = last.get(ns);
      return {
        ServiceName: SERVICE_NAMES[ns] ?? ns,
        ServiceNamespace: ns,
        LastAuthenticated: hit?.at,
        LastAuthenticatedEntity: hit?.entity,
        LastAuthenticatedRegion: hit?.region,
        TotalAuthenticatedEntities: hit ? 1 : 0,
      };
    }),
    IsTruncated: false,
  };
}

function getAccountSummary(ctx: OperationContext) {
  const s = ctx.state;
  const mfa = s.users.reduce((n, u) => n + u.mfaDevices.length, 0);
  const summary = new Map<string, number>([
    ['Users', s.users.length],
    ['UsersQuota', 5000],
    ['Groups', s.groups.length],
    ['GroupsQuota', 300],
    ['Roles', s.roles.length],
    ['RolesQuota', 1000],
    ['Policies', s.policies.filter((p) => p.scope === 'Local').length],
    ['PoliciesQuota', 1500],
    ['InstanceProfiles', s.instanceProfiles.length],
    ['MFADevices', mfa + (s.unassignedVirtualMfaDevices?.length ?? 0)],
    ['MFADevicesInUse', mfa],
    ['AccountMFAEnabled', s.root.mfaActive ? 1 : 0],
    ['AccountAccessKeysPresent', s.root.accessKeys.length > 0 ? 1 : 0],
    ['AccountSigningCertificatesPresent', 0],
    ['AccessKeysPerUserQuota', 2],
    ['AttachedPoliciesPerUserQuota', 10],
    ['AttachedPoliciesPerRoleQuota', 10],
    ['AttachedPoliciesPerGroupQuota', 10],
    ['PolicyVersionsInUse', s.policies.reduce((n, p) => n + p.versions.length, 0)],
    ['PolicyVersionsInUseQuota', 10000],
    ['ServerCertificates', 0],
    ['Providers', 0],
  ]);
  return { SummaryMap: summary };
}

function listAccountAliases(ctx: OperationContext) {
  return { AccountAliases: ctx.state.accountAlias ? [ctx.state.accountAlias] : [], IsTruncated: false };
}

/** The whole IAM configuration in one call (no pagination needed at sandbox sizes beyond MaxItems). */
function getAccountAuthorizationDetails(ctx: OperationContext) {
  const s = ctx.state;
  const filter = Array.isArray(ctx.params.Filter) ? (ctx.params.Filter as string[]) : [];
  const want = (t: string) => filter.length === 0 || filter.includes(t);
  return {
    UserDetailList: want('User')
      ? s.users.map((u) => ({
          ...userShape(u),
          UserPolicyList: u.inlinePolicies.map((p) => ({ PolicyName: p.name, PolicyDocument: encodeDocument(p.document) })),
          GroupList: u.groups,
          AttachedManagedPolicies: u.attachedPolicyArns.map((arn) => ({ PolicyName: arn.split('/').pop(), PolicyArn: arn })),
          Tags: u.tags.length > 0 ? u.tags : undefined,
        }))
      : [],
    GroupDetailList: want('Group')
      ? s.groups.map((g) => ({
          ...groupShape(g),
          GroupPolicyList: g.inlinePolicies.map((p) => ({ PolicyName: p.name, PolicyDocument: encodeDocument(p.document) })),
          AttachedManagedPolicies: g.attachedPolicyArns.map((arn) => ({ PolicyName: arn.split('/').pop(), PolicyArn: arn })),
        }))
      : [],
    RoleDetailList: want('Role')
      ? s.roles.map((r) => ({
          ...roleShape(r, true),
          RolePolicyList: r.inlinePolicies.map((p) => ({ PolicyName: p.name, PolicyDocument: encodeDocument(p.document) })),
          AttachedManagedPolicies: r.attachedPolicyArns.map((arn) => ({ PolicyName: arn.split('/').pop(), PolicyArn: arn })),
          InstanceProfileList: s.instanceProfiles
            .filter((p) => p.roleNames.includes(r.roleName))
            .map((p) => ({
              Path: p.path,
              InstanceProfileName: p.instanceProfileName,
              InstanceProfileId: p.instanceProfileId,
              Arn: p.arn,
              CreateDate: p.createDate,
              Roles: [],
            })),
        }))
      : [],
    Policies:
      want('LocalManagedPolicy') || want('AWSManagedPolicy')
        ? s.policies
            .filter((p) => (p.scope === 'Local' ? want('LocalManagedPolicy') : want('AWSManagedPolicy')))
            .map((p) => ({
              ...policyShape(ctx, p),
              PolicyVersionList: p.versions.map((v) => ({
                Document: encodeDocument(v.document),
                VersionId: v.versionId,
                IsDefaultVersion: v.isDefaultVersion,
                CreateDate: v.createDate,
              })),
            }))
        : [],
    IsTruncated: false,
  };
}

export const reportHandlers: ServiceHandlers = {
  GenerateCredentialReport: generateCredentialReport,
  GetCredentialReport: getCredentialReport,
  GenerateServiceLastAccessedDetails: generateServiceLastAccessedDetails,
  GetServiceLastAccessedDetails: getServiceLastAccessedDetails,
  GetAccountSummary: getAccountSummary,
  ListAccountAliases: listAccountAliases,
  GetAccountAuthorizationDetails: getAccountAuthorizationDetails,
};
