/**
 * After a crash, a write whose intent is in the audit but whose outcome is not may or may not have
 * reached AWS. This re-reads the resource it was about and says which: "done" (the change is there),
 * "not done" (it is not), or "unknown" with what a person should check. Read-only.
 */
import { DescribeInstancesCommand, paginateDescribeSnapshots } from '@aws-sdk/client-ec2';
import {
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListServiceSpecificCredentialsCommand,
  paginateListAccessKeys,
  paginateListAttachedGroupPolicies,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  paginateListInstanceProfilesForRole,
  paginateListMFADevices,
  paginateListSigningCertificates,
  paginateListSSHPublicKeys,
  paginateListVirtualMFADevices,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws/clients';
import { collect } from '../aws/collect-pages';
import type { ActionTarget } from './action-ids';
import { plainError } from './aws-errors';
import { readIfExists } from './actions/iam-reads';
import { TAG_REQUEST } from './actions/instance';

export type ReadBackState = 'done' | 'not done' | 'unknown';

export interface ReadBack {
  state: ReadBackState;
  /** What a person should look at to confirm (always given; essential when the state is unknown). */
  check: string;
}

type Input = Record<string, unknown>;
/** true: the change is visible; false: it is not; undefined: the resource does not tell. */
type Reader = (clients: AwsClients, input: Input, ctx: { target: ActionTarget; requestId: string }) => Promise<boolean | undefined>;

const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const gone = async (read: () => Promise<unknown>): Promise<boolean> => (await readIfExists(read)) === undefined;
const regionOf = (target: ActionTarget): string => (target.kind === 'instance' ? target.region : 'us-east-1');

/** A user's list that should no longer hold `id` (the user itself being gone counts as done). */
async function notListed<T>(list: () => Promise<T[]>, id: (item: T) => unknown, wanted: string): Promise<boolean> {
  const items = await readIfExists(list);
  return !items?.some((item) => id(item) === wanted);
}

const READERS: Readonly<Record<string, Reader>> = {
  'IAM:UpdateAccessKey': async (c, i) => {
    const keys = await readIfExists(() => collect(paginateListAccessKeys({ client: c.iam() }, { UserName: s(i.UserName) }), (p) => p.AccessKeyMetadata));
    const key = keys?.find((k) => k.AccessKeyId === i.AccessKeyId);
    return key ? key.Status === i.Status : undefined;
  },
  'IAM:DeleteAccessKey': (c, i) =>
    notListed(
      () => collect(paginateListAccessKeys({ client: c.iam() }, { UserName: s(i.UserName) }), (p) => p.AccessKeyMetadata),
      (k) => k.AccessKeyId,
      s(i.AccessKeyId),
    ),
  'IAM:DeleteLoginProfile': (c, i) => gone(() => c.iam().send(new GetLoginProfileCommand({ UserName: s(i.UserName) }))),
  'IAM:DeleteSigningCertificate': (c, i) =>
    notListed(
      () => collect(paginateListSigningCertificates({ client: c.iam() }, { UserName: s(i.UserName) }), (p) => p.Certificates),
      (x) => x.CertificateId,
      s(i.CertificateId),
    ),
  'IAM:DeleteSSHPublicKey': (c, i) =>
    notListed(
      () => collect(paginateListSSHPublicKeys({ client: c.iam() }, { UserName: s(i.UserName) }), (p) => p.SSHPublicKeys),
      (x) => x.SSHPublicKeyId,
      s(i.SSHPublicKeyId),
    ),
  'IAM:DeleteServiceSpecificCredential': (c, i) =>
    notListed(
      async () => (await c.iam().send(new ListServiceSpecificCredentialsCommand({ UserName: s(i.UserName) }))).ServiceSpecificCredentials ?? [],
      (x) => x.ServiceSpecificCredentialId,
      s(i.ServiceSpecificCredentialId),
    ),
  'IAM:DeactivateMFADevice': (c, i) =>
    notListed(
      () => collect(paginateListMFADevices({ client: c.iam() }, { UserName: s(i.UserName) }), (p) => p.MFADevices),
      (x) => x.SerialNumber,
      s(i.SerialNumber),
    ),
  'IAM:DeleteVirtualMFADevice': (c, i) =>
    notListed(
      () => collect(paginateListVirtualMFADevices({ client: c.iam() }, {}), (p) => p.VirtualMFADevices),
      (x) => x.SerialNumber,
      s(i.SerialNumber),
    ),
  'IAM:DeleteUserPolicy': (c, i) => gone(() => c.iam().send(new GetUserPolicyCommand({ UserName: s(i.UserName), PolicyName: s(i.PolicyName) }))),
  'IAM:PutUserPolicy': async (c, i) => !(await gone(() => c.iam().send(new GetUserPolicyCommand({ UserName: s(i.UserName), PolicyName: s(i.PolicyName) })))),
  'IAM:DetachUserPolicy': (c, i) =>
    notListed(
      () => collect(paginateListAttachedUserPolicies({ client: c.iam() }, { UserName: s(i.UserName) }), (p) => p.AttachedPolicies),
      (x) => x.PolicyArn,
      s(i.PolicyArn),
    ),
  'IAM:RemoveUserFromGroup': (c, i) =>
    notListed(
      () => collect(paginateListGroupsForUser({ client: c.iam() }, { UserName: s(i.UserName) }), (p) => p.Groups),
      (x) => x.GroupName,
      s(i.GroupName),
    ),
  'IAM:DeleteUser': (c, i) => gone(() => c.iam().send(new GetUserCommand({ UserName: s(i.UserName) }))),
  'IAM:PutRolePolicy': async (c, i) => {
    const doc = (await readIfExists(() => c.iam().send(new GetRolePolicyCommand({ RoleName: s(i.RoleName), PolicyName: s(i.PolicyName) }))))?.PolicyDocument;
    if (doc === undefined) return false;
    try {
      return JSON.stringify(JSON.parse(decodeURIComponent(doc))) === JSON.stringify(JSON.parse(s(i.PolicyDocument)));
    } catch {
      return undefined;
    }
  },
  'IAM:RemoveRoleFromInstanceProfile': (c, i) =>
    notListed(
      () => collect(paginateListInstanceProfilesForRole({ client: c.iam() }, { RoleName: s(i.RoleName) }), (p) => p.InstanceProfiles),
      (x) => x.InstanceProfileName,
      s(i.InstanceProfileName),
    ),
  'IAM:DeleteRolePolicy': (c, i) => gone(() => c.iam().send(new GetRolePolicyCommand({ RoleName: s(i.RoleName), PolicyName: s(i.PolicyName) }))),
  'IAM:DetachRolePolicy': (c, i) =>
    notListed(
      () => collect(paginateListAttachedRolePolicies({ client: c.iam() }, { RoleName: s(i.RoleName) }), (p) => p.AttachedPolicies),
      (x) => x.PolicyArn,
      s(i.PolicyArn),
    ),
  'IAM:DeleteRole': (c, i) => gone(() => c.iam().send(new GetRoleCommand({ RoleName: s(i.RoleName) }))),
  'IAM:DetachGroupPolicy': (c, i) =>
    notListed(
      () => collect(paginateListAttachedGroupPolicies({ client: c.iam() }, { GroupName: s(i.GroupName) }), (p) => p.AttachedPolicies),
      (x) => x.PolicyArn,
      s(i.PolicyArn),
    ),
  'IAM:DeletePolicyVersion': (c, i) => gone(() => c.iam().send(new GetPolicyVersionCommand({ PolicyArn: s(i.PolicyArn), VersionId: s(i.VersionId) }))),
  'IAM:DeletePolicy': (c, i) => gone(() => c.iam().send(new GetPolicyCommand({ PolicyArn: s(i.PolicyArn) }))),
  'EC2:TerminateInstances': async (c, i, { target }) => {
    const ids = Array.isArray(i.InstanceIds) ? i.InstanceIds.filter((x): x is string => typeof x === 'string') : [];
    const out = await c.ec2(regionOf(target)).send(new DescribeInstancesCommand({ InstanceIds: ids }));
    const states = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((x) => x.State?.Name);
    return states.length > 0 && states.every((state) => state === 'shutting-down' || state === 'terminated');
  },
  'EC2:ModifyInstanceAttribute': async (c, i, { target }) => {
    const out = await c.ec2(regionOf(target)).send(new DescribeInstancesCommand({ InstanceIds: [s(i.InstanceId)] }));
    const instance = (out.Reservations ?? []).flatMap((r) => r.Instances ?? [])[0];
    const wanted = Array.isArray(i.Groups) ? [...i.Groups].map(String).sort() : undefined;
    if (!instance || !wanted) return undefined;
    const primary = instance.NetworkInterfaces?.find((n) => (n.Attachment?.DeviceIndex ?? 0) === 0)?.Groups ?? instance.SecurityGroups ?? [];
    return JSON.stringify(primary.map((g) => g.GroupId).sort()) === JSON.stringify(wanted);
  },
  'EC2:CreateSnapshot': async (c, i, { target, requestId }) => {
    const input = { OwnerIds: ['self'], Filters: [{ Name: 'volume-id', Values: [s(i.VolumeId)] }] };
    const snapshots = await collect(paginateDescribeSnapshots({ client: c.ec2(regionOf(target)) }, input), (p) => p.Snapshots);
    return snapshots.some((snap) => snap.Tags?.some((t) => t.Key === TAG_REQUEST && t.Value === requestId));
  },
};

/** Where to look by hand: the write in CloudTrail, and the resource itself. */
function checkFor(operation: string, input: Input, at: string): string {
  const params = Object.entries(input)
    .filter(([, v]) => typeof v === 'string' && v.length <= 200)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  const [service, name] = operation.split(':');
  return `Look for ${name ?? operation} (${service}) with ${params || 'these parameters'} in CloudTrail event history around ${at}, and read the resource in the console.`;
}

/** Reads the resource an interrupted write was about. Never throws: a failed read is "unknown". */
export async function readBackWrite(
  clients: AwsClients,
  write: { operation: string; input: Input; at: string },
  ctx: { target: ActionTarget; requestId: string },
): Promise<ReadBack> {
  const check = checkFor(write.operation, write.input, write.at);
  const reader = READERS[write.operation];
  if (!reader) return { state: 'unknown', check };
  try {
    const done = await reader(clients, write.input, ctx);
    return { state: done === undefined ? 'unknown' : done ? 'done' : 'not done', check };
  } catch (err) {
    return { state: 'unknown', check: `${check} (aws-ir could not read it back: ${plainError(err)})` };
  }
}
