/**
 * The sandbox account's live state and the contract between the HTTP/protocol layer (server.ts,
 * protocols/*) and the per-service operation handlers (services/*). Handlers are plain functions over
 * this state: they never see HTTP, XML or JSON framing.
 *
 * Times are absolute Dates here; scenario files use times relative to "now" (see scenario.ts).
 */

export interface AccessKey {
  accessKeyId: string;
  /** Secret is kept only so SigV4 could be verified; it is never returned by any read operation. */
  secretAccessKey: string;
  status: 'Active' | 'Inactive';
  createDate: Date;
  lastUsedDate?: Date;
  lastUsedRegion?: string;
  lastUsedService?: string;
}

export interface MfaDevice {
  serialNumber: string;
  virtual: boolean;
  enableDate: Date;
}

export interface InlinePolicy {
  name: string;
  document: string; // JSON text
}

export interface IamUser {
  userName: string;
  userId: string;
  arn: string;
  path: string;
  createDate: Date;
  passwordLastUsed?: Date;
  loginProfile?: { createDate: Date; passwordLastChanged?: Date; passwordResetRequired: boolean };
  accessKeys: AccessKey[];
  mfaDevices: MfaDevice[];
  signingCertificates: { certificateId: string; status: 'Active' | 'Inactive'; uploadDate: Date }[];
  sshPublicKeys: { sshPublicKeyId: string; status: 'Active' | 'Inactive'; uploadDate: Date }[];
  serviceSpecificCredentials: { serviceSpecificCredentialId: string; serviceName: string; status: 'Active' | 'Inactive'; createDate: Date }[];
  inlinePolicies: InlinePolicy[];
  attachedPolicyArns: string[];
  groups: string[]; // group names
  tags: { Key: string; Value: string }[];
}

export interface IamGroup {
  groupName: string;
  groupId: string;
  arn: string;
  path: string;
  createDate: Date;
  inlinePolicies: InlinePolicy[];
  attachedPolicyArns: string[];
}

export interface IamRole {
  roleName: string;
  roleId: string;
  arn: string;
  path: string;
  createDate: Date;
  assumeRolePolicyDocument: string; // JSON text
  description?: string;
  maxSessionDuration: number;
  inlinePolicies: InlinePolicy[];
  attachedPolicyArns: string[];
  lastUsedDate?: Date;
  lastUsedRegion?: string;
}

export interface PolicyVersion {
  versionId: string; // v1, v2…
  document: string; // JSON text
  isDefaultVersion: boolean;
  createDate: Date;
}

export interface ManagedPolicy {
  policyName: string;
  policyId: string;
  arn: string; // arn:aws:iam::aws:policy/… for AWS managed
  path: string;
  scope: 'AWS' | 'Local';
  createDate: Date;
  updateDate: Date;
  versions: PolicyVersion[];
  description?: string;
}

export interface InstanceProfile {
  instanceProfileName: string;
  instanceProfileId: string;
  arn: string;
  path: string;
  createDate: Date;
  roleNames: string[];
}

export interface RootAccount {
  arn: string;
  createDate: Date;
  passwordEnabled: boolean;
  passwordLastUsed?: Date;
  mfaActive: boolean;
  accessKeys: AccessKey[]; // at most 2
}

export interface Ec2Volume {
  volumeId: string;
  sizeGiB: number;
  availabilityZone: string;
  state: 'available' | 'in-use';
  attachedTo?: { instanceId: string; device: string };
  createTime: Date;
  tags: { Key: string; Value: string }[];
}

export interface Ec2Snapshot {
  snapshotId: string;
  volumeId: string;
  state: 'pending' | 'completed' | 'error';
  startTime: Date;
  description?: string;
  tags: { Key: string; Value: string }[];
  /** When the sandbox flips it from pending to completed (simulated asynchronous snapshot). */
  completesAt: Date;
}

export interface SecurityGroupRule {
  ipProtocol: string; // '-1' = all
  fromPort?: number;
  toPort?: number;
  cidrs: string[];
}

export interface SecurityGroup {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  ingress: SecurityGroupRule[];
  egress: SecurityGroupRule[];
  tags: { Key: string; Value: string }[];
}

export interface Ec2Instance {
  instanceId: string;
  instanceType: string;
  imageId: string;
  state: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
  launchTime: Date;
  availabilityZone: string;
  vpcId: string;
  subnetId: string;
  privateIpAddress: string;
  publicIpAddress?: string;
  keyName?: string;
  securityGroupIds: string[];
  volumeIds: string[]; // attached volumes; first is the root device
  iamInstanceProfileArn?: string;
  tags: { Key: string; Value: string }[];
}

export interface RegionState {
  name: string;
  optInStatus: 'opt-in-not-required' | 'opted-in' | 'not-opted-in';
  instances: Ec2Instance[];
  volumes: Ec2Volume[];
  snapshots: Ec2Snapshot[];
  securityGroups: SecurityGroup[];
  vpcs: { vpcId: string; cidrBlock: string; isDefault: boolean }[];
  lambdaFunctions: { functionName: string; functionArn: string; runtime: string; lastModified: Date; createdAt: Date; role: string; handler: string }[];
  trails: { name: string; arn: string; homeRegion: string; isMultiRegion: boolean; isLogging: boolean; s3BucketName: string }[];
}

/** A CloudTrail management event as LookupEvents returns it (CloudTrailEvent is the JSON record). */
export interface TrailEvent {
  eventId: string;
  eventName: string;
  eventSource: string; // iam.amazonaws.com …
  eventTime: Date;
  region: string; // the region whose event history holds it
  userName?: string;
  accessKeyId?: string;
  readOnly: boolean;
  resources: { resourceType?: string; resourceName?: string }[];
  /** The full CloudTrail record (userIdentity, sourceIPAddress, errorCode…), serialised on output. */
  record: Record<string, unknown>;
}

export interface DailyCost {
  date: string; // YYYY-MM-DD
  service: string; // e.g. "Amazon Elastic Compute Cloud - Compute"
  region: string;
  linkedAccount: string;
  amount: number; // USD, UnblendedCost
}

export interface CostAnomaly {
  anomalyId: string;
  startDate: string;
  endDate?: string;
  dimensionValue: string; // e.g. service name
  totalImpact: number;
  maxImpact: number;
  monitorArn: string;
  rootCauses: { service?: string; region?: string; linkedAccount?: string; usageType?: string }[];
}

export interface OrgAccount {
  id: string;
  arn: string;
  name: string;
  email: string;
  status: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
  joinedMethod: 'INVITED' | 'CREATED';
  joinedTimestamp: Date;
}

export interface Handshake {
  id: string;
  arn: string;
  state: 'REQUESTED' | 'OPEN' | 'CANCELED' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED';
  action: 'INVITE' | 'ENABLE_ALL_FEATURES' | 'APPROVE_ALL_FEATURES' | 'ADD_ORGANIZATIONS_SERVICE_LINKED_ROLE';
  requestedTimestamp: Date;
  expirationTimestamp: Date;
  parties: { id: string; type: 'ACCOUNT' | 'ORGANIZATION' | 'EMAIL' }[];
}

export interface Contact {
  fullName: string;
  addressLine1?: string;
  city?: string;
  countryCode?: string;
  postalCode?: string;
  phoneNumber?: string;
  companyName?: string;
  websiteUrl?: string;
}

export interface AlternateContact {
  type: 'SECURITY' | 'BILLING' | 'OPERATIONS';
  name: string;
  title: string;
  emailAddress: string;
  phoneNumber: string;
}

/** Temporary credentials issued by the sandbox's STS AssumeRole. */
export interface SessionCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  roleArn: string;
  roleSessionName: string;
  issuedAt: Date;
  expiresAt: Date;
}

export interface SandboxState {
  accountId: string;
  accountAlias?: string;
  root: RootAccount;
  users: IamUser[];
  groups: IamGroup[];
  roles: IamRole[];
  /** Customer managed AND the AWS managed policies the scenario refers to. */
  policies: ManagedPolicy[];
  instanceProfiles: InstanceProfile[];
  credentialReport: { state: 'none' | 'STARTED' | 'COMPLETE'; generatedAt?: Date; readyAt?: Date };
  lastAccessedJobs: Map<string, { arn: string; createdAt: Date; readyAt: Date }>;
  regions: RegionState[];
  events: TrailEvent[];
  costs: DailyCost[];
  anomalies: CostAnomaly[];
  organization?: {
    id: string;
    arn: string;
    masterAccountId: string;
    masterAccountEmail: string;
    featureSet: 'ALL' | 'CONSOLIDATED_BILLING';
    accounts: OrgAccount[];
    handshakes: Handshake[];
  };
  contact: Contact;
  alternateContacts: AlternateContact[];
  sessions: SessionCredential[];
  /** Virtual MFA devices that exist but are assigned to no user (after DeactivateMFADevice), as in IAM. */
  unassignedVirtualMfaDevices?: MfaDevice[];
  /** Monotonic counter for generated ids (keys, instances…), so ids are unique and deterministic. */
  seq: number;
}

/** Who is calling, resolved from the SigV4 access key id. */
export interface Caller {
  type: 'root' | 'user' | 'assumed-role' | 'admin';
  arn: string;
  accountId: string;
  /** AIDA… / AROA…:session */
  principalId: string;
  accessKeyId: string;
  userName?: string;
  /** For assumed-role sessions. */
  roleName?: string;
  sessionIssuedAt?: Date;
}

export interface OperationContext {
  state: SandboxState;
  /** Service as named in the SigV4 scope: iam, sts, ec2, cloudtrail, ce, organizations, account, lambda. */
  service: string;
  operation: string;
  region: string;
  caller: Caller;
  /**
   * Decoded request input. Query protocols: the flat form fields decoded into nested objects and
   * arrays (`Filter.1.Value.1`, `PolicyArns.member.1` -> arrays). JSON protocols: the parsed body.
   * REST-JSON: path/query parameters and body merged.
   */
  params: Record<string, unknown>;
  now: Date;
  requestId: string;
  sourceIp: string;
  userAgent: string;
}

/**
 * A handler returns the operation's output. Query protocols: a plain object whose arrays the
 * serializer writes as <member> (IAM/STS) or <item> (EC2) lists; EC2 handlers use EC2's camelCase
 * element names (reservationSet, instancesSet…). JSON protocols: the JSON body.
 */
export type OperationHandler = (ctx: OperationContext) => unknown;

/** An AWS error as the service would return it (code + message + HTTP status). */
export class SandboxError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

export type ServiceHandlers = Record<string, OperationHandler>;
