/**
 * The sandbox account's live state and the contract between the HTTP/protocol layer (server.ts,
 * protocols/*) and the per-service operation handlers (services/*). Handlers are plain functions over
 * this state: they never see HTTP, XML or JSON framing.
 *
 * Times are absolute Dates here; scenario files use times relative to "now" (see scenario.ts).
 */
import type { AthenaEngineHost } from './athena-engine/host';
import type { GeneratedHistory } from './trail-store/generated-history';

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
  /** Size of the source volume; kept so a snapshot outlives its volume (scenario snapshots have none). */
  volumeSize?: number;
  encrypted?: boolean;
  /** createVolumePermission: account ids that may create volumes from it; 'all' makes it public. */
  sharedWith: string[];
}

/** An RDS manual DB snapshot and its `restore` attribute (account ids, or 'all' for public). */
export interface DbSnapshot {
  dbSnapshotIdentifier: string;
  dbInstanceIdentifier: string;
  engine: string;
  allocatedStorage: number;
  snapshotCreateTime: Date;
  status: 'available' | 'creating';
  encrypted: boolean;
  snapshotType: 'manual' | 'automated';
  sharedWith: string[];
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
  lambdaFunctions: LambdaFunction[];
  /** Trails whose home is this region, and multi-region trails (the same object in every region). */
  trails: Trail[];
  dbSnapshots: DbSnapshot[];
  guardDutyDetectors: GuardDutyDetector[];
  configRecorders: ConfigRecorder[];
  deliveryChannels: DeliveryChannel[];
  ses: SesAccount;
}

export interface LambdaPermission {
  sid: string;
  /** The policy statement as Lambda stores it (Effect, Principal, Action, Resource, Condition). */
  statement: Record<string, unknown>;
}

export interface LambdaFunction {
  functionName: string;
  functionArn: string;
  runtime: string;
  lastModified: Date;
  createdAt: Date;
  role: string;
  handler: string;
  /** The resource-based policy's statements (AddPermission / RemovePermission). */
  permissions: LambdaPermission[];
  url?: { authType: 'NONE' | 'AWS_IAM'; functionUrl: string; createdAt: Date; lastModified: Date; cors?: Record<string, unknown> };
  revision: number;
}

export interface Trail {
  name: string;
  arn: string;
  homeRegion: string;
  isMultiRegion: boolean;
  isLogging: boolean;
  s3BucketName: string;
  s3KeyPrefix?: string;
  includeGlobalServiceEvents: boolean;
  logFileValidationEnabled: boolean;
  isOrganizationTrail: boolean;
  /** Event selectors as PutEventSelectors stores them (ReadWriteType, IncludeManagementEvents, DataResources…). */
  eventSelectors: Record<string, unknown>[];
  advancedEventSelectors?: Record<string, unknown>[];
  startLoggingTime?: Date;
  stopLoggingTime?: Date;
}

export interface GuardDutyDetector {
  detectorId: string;
  status: 'ENABLED' | 'DISABLED';
  createdAt: Date;
  updatedAt: Date;
  findingPublishingFrequency: 'FIFTEEN_MINUTES' | 'ONE_HOUR' | 'SIX_HOURS';
  ipSets: GuardDutyList[];
  threatIntelSets: GuardDutyList[];
  /** The administrator (master) account this detector reports to, if it is a member. */
  administrator?: { accountId: string; invitationId: string; relationshipStatus: string; invitedAt: Date };
  members: { accountId: string; email: string; relationshipStatus: string; invitedAt?: Date; updatedAt: Date }[];
  tags: Record<string, string>;
}

export interface GuardDutyList {
  id: string;
  name: string;
  format: 'TXT' | 'STIX' | 'OTX_CSV' | 'ALIEN_VAULT' | 'PROOF_POINT' | 'FIRE_EYE';
  location: string;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETED';
}

export interface ConfigRecorder {
  name: string;
  roleARN: string;
  allSupported: boolean;
  includeGlobalResourceTypes: boolean;
  resourceTypes: string[];
  recording: boolean;
  lastStartTime?: Date;
  lastStopTime?: Date;
}

export interface DeliveryChannel {
  name: string;
  s3BucketName: string;
  s3KeyPrefix?: string;
  snsTopicARN?: string;
  deliveryFrequency?: string;
}

export interface SesIdentity {
  identity: string;
  type: 'EmailAddress' | 'Domain';
  verificationStatus: 'Pending' | 'Success' | 'Failed' | 'TemporaryFailure' | 'NotStarted';
  createdAt: Date;
  verificationToken: string;
}

/** One region's SES account: sending state, sandbox/production access, quota and identities. */
export interface SesAccount {
  sendingEnabled: boolean;
  productionAccessEnabled: boolean;
  max24HourSend: number;
  maxSendRate: number;
  sentLast24Hours: number;
  enforcementStatus: 'HEALTHY' | 'PROBATION' | 'SHUTDOWN';
  /** What PutAccountDetails last submitted (the production-access request). */
  details?: { mailType: string; websiteUrl: string; contactLanguage?: string; useCaseDescription?: string; additionalContactEmailAddresses: string[] };
  identities: SesIdentity[];
}

export interface S3Grant {
  grantee: { type: 'CanonicalUser'; id: string; displayName?: string } | { type: 'Group'; uri: string } | { type: 'AmazonCustomerByEmail'; email: string };
  permission: 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';
}

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

/** A public access block whose four settings are each what `setting` says (S3's XML, a scenario file). */
export function publicAccessBlockOf(setting: (field: keyof PublicAccessBlock) => boolean): PublicAccessBlock {
  return {
    BlockPublicAcls: setting('BlockPublicAcls'),
    IgnorePublicAcls: setting('IgnorePublicAcls'),
    BlockPublicPolicy: setting('BlockPublicPolicy'),
    RestrictPublicBuckets: setting('RestrictPublicBuckets'),
  };
}

/** An S3 bucket's management state (no objects: aws-ir reads configuration, not data). */
export interface S3Bucket {
  name: string;
  region: string;
  creationDate: Date;
  /** Bucket policy as JSON text, as S3 returns it. */
  policy?: string;
  acl: S3Grant[];
  publicAccessBlock?: PublicAccessBlock;
  versioning?: 'Enabled' | 'Suspended';
  /** Lifecycle rules in S3's XML element structure (ID, Status, Filter, Expiration…), as stored. */
  lifecycleRules?: Record<string, unknown>[];
  tags: { Key: string; Value: string }[];
}

/** One change of an alternate contact, newest last: what PutAlternateContact/DeleteAlternateContact did. */
export interface AlternateContactChange {
  time: Date;
  type: AlternateContact['type'];
  action: 'put' | 'delete';
  contact?: AlternateContact;
  by: string;
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
  /** The root or organizational unit the account sits in (organization scenarios); default the root. */
  parentId?: string;
}

/** An organizational unit of an organization scenario (organization/ in this package). */
export interface OrgUnit {
  id: string;
  name: string;
  /** The root (r-…) or another unit. */
  parentId: string;
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

export interface AthenaSetup {
  workgroups: { name: string; outputLocation?: string }[];
  /** The CloudTrail tables queries can name, each reading the trail's logs under `location` (s3://bucket/[prefix/]AWSLogs/ACCOUNT/CloudTrail/). */
  tables: { database: string; table: string; location: string }[];
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
  /** A history generated on demand (the `busy` scenario's millions of events), merged with `events` wherever history is read. */
  generated?: GeneratedHistory;
  /** Athena (the `busy` scenario): workgroups and the CloudTrail tables queries run on. */
  athena?: AthenaSetup;
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
    /** Root id and organizational units (organization scenarios); a single-account scenario has only a root. */
    rootId?: string;
    units?: OrgUnit[];
  };
  contact: Contact;
  alternateContacts: AlternateContact[];
  alternateContactHistory: AlternateContactChange[];
  /** S3 buckets of every region (bucket names are global). */
  buckets: S3Bucket[];
  /** The S3 account-level public access block (s3control), if set. */
  accountPublicAccessBlock?: PublicAccessBlock;
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
  /**
   * The other accounts of an organization scenario (undefined for a single-account scenario): where
   * AssumeRole finds a member account's role and registers the session it issues there.
   */
  accounts?: AccountRouter;
  /** The sandbox's Athena engine process (set by the server; a context without one cannot run queries). */
  athena?: AthenaEngineHost;
  /**
   * What the CloudTrail record says where AWS's record differs from the generic shape of the call
   * (S3's bucketName/Host, EC2's item lists, Lambda's versioned event names): handlers set it.
   */
  trail?: TrailOverride;
}

export interface TrailOverride {
  eventName?: string;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  resources?: TrailEvent['resources'];
  additionalEventData?: Record<string, unknown>;
}

/**
 * A handler returns the operation's output. Query protocols: a plain object whose arrays the
 * serializer writes as <member> (IAM/STS) or <item> (EC2) lists; EC2 handlers use EC2's camelCase
 * element names (reservationSet, instancesSet…). JSON protocols: the JSON body.
 */
export type OperationHandler = (ctx: OperationContext) => unknown;

/** An AWS error as the service would return it (code + message + HTTP status). */
export class SandboxError extends Error {
  /** Extra elements some protocols put in the error document (S3's BucketName, Region…). */
  details: Record<string, string> = {};
  /** Extra response headers (S3's x-amz-bucket-region on a redirect). */
  headers: Record<string, string> = {};

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

/** How a request reaches the right account of an organization scenario (organization/directory.ts). */
export interface AccountRouter {
  /** The account's state, built on first use; undefined when the organization has no such account. */
  account(accountId: string): SandboxState | undefined;
  /** Whether the account may be reached (false for suspended accounts, as AWS refuses them). */
  reachable(accountId: string): boolean;
  /** Remembers which account issued a session key, so requests signed with it go there. */
  registerKey(accessKeyId: string, accountId: string): void;
  /** The account a key belongs to (a session it issued, or a user's or root's key), if it is not the management account's. */
  forKey(accessKeyId: string): SandboxState | undefined;
}
