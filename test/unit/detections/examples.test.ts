/**
 * Every catalog detection fires on a record of the technique as public write-ups show it, names its
 * target, and is as severe as the catalog says. A detection without an example here fails the first
 * test: adding a detection = a catalog entry + a scenario event + an example below.
 */
import { classify } from '../../../src/scan/checks/cloudtrail';
import { DETECTIONS } from '../../../src/scan/detections/catalog';
import type { Finding, Severity } from '../../../src/scan/model';
import { ACCOUNT, daysAgo, testContext } from '../scan/helpers';
import { ADMIN_DOC, events, OUTSIDE, root, trust, type RecordSpec } from './records';

interface Example {
  records: RecordSpec[];
  /** A string the finding's resources must include. */
  target: string;
  severity: Severity;
}

const minutesAgo = (n: number): Date => new Date(daysAgo(1).getTime() + n * 60_000);
const burst = (n: number, spec: RecordSpec): RecordSpec[] => Array.from({ length: n }, (_, i) => ({ ...spec, at: minutesAgo(i) }));
const fn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const ME = `arn:aws:iam::${ACCOUNT}:user/ci-deploy`;
const federated = { type: 'FederatedUser', arn: `arn:aws:sts::${ACCOUNT}:federated-user/x`, accountId: ACCOUNT, accessKeyId: 'ASIAFED' };

const EXAMPLES: Record<string, Example> = {
  'iam-access-key-for-another-user': {
    records: [
      {
        source: 'iam',
        name: 'CreateAccessKey',
        req: { userName: 'svc-backup' },
        res: { accessKey: { userName: 'svc-backup', accessKeyId: 'AKIANEWKEY000000001', status: 'Active' } },
      },
    ],
    target: 'AKIANEWKEY000000001',
    severity: 'high',
  },
  'iam-access-key-self': {
    records: [{ source: 'iam', name: 'CreateAccessKey', res: { accessKey: { userName: 'ci-deploy', accessKeyId: 'AKIASELF00000000001', status: 'Active' } } }],
    target: 'AKIASELF00000000001',
    severity: 'medium',
  },
  'root-access-key-created': {
    records: [{ source: 'iam', name: 'CreateAccessKey', identity: root, res: { accessKey: { accessKeyId: 'AKIAROOTNEW00000001', status: 'Active' } } }],
    target: 'AKIAROOTNEW00000001',
    severity: 'critical',
  },
  'iam-user-created': {
    records: [
      {
        source: 'iam',
        name: 'CreateUser',
        req: { userName: 'backup-admin' },
        res: { user: { userName: 'backup-admin', arn: `arn:aws:iam::${ACCOUNT}:user/backup-admin` } },
      },
    ],
    target: ':user/backup-admin',
    severity: 'high',
  },
  'iam-login-profile-created': {
    records: [{ source: 'iam', name: 'CreateLoginProfile', req: { userName: 'backup-admin', passwordResetRequired: false } }],
    target: ':user/backup-admin',
    severity: 'high',
  },
  'iam-login-profile-changed-for-another-user': {
    records: [{ source: 'iam', name: 'UpdateLoginProfile', req: { userName: 'alice' } }],
    target: ':user/alice',
    severity: 'high',
  },
  'iam-mfa-device-registered-for-another-user': {
    records: [{ source: 'iam', name: 'EnableMFADevice', req: { userName: 'alice', serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/evil-phone` } }],
    target: ':user/alice',
    severity: 'high',
  },
  'iam-mfa-device-registered': {
    records: [{ source: 'iam', name: 'CreateVirtualMFADevice', req: { virtualMFADeviceName: 'intruder-phone' } }],
    target: 'intruder-phone',
    severity: 'medium',
  },
  'iam-mfa-deactivated': {
    records: [{ source: 'iam', name: 'DeactivateMFADevice', req: { userName: 'alice', serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/alice` } }],
    target: ':user/alice',
    severity: 'high',
  },
  'signin-token-outside-console': {
    records: [{ source: 'signin', name: 'GetSigninToken', identity: federated, ua: 'python-requests/2.31.0', additional: { MobileVersion: 'No' } }],
    target: 'federated-user/x',
    severity: 'high',
  },
  'sts-federation-token': {
    records: [{ source: 'sts', name: 'GetFederationToken', req: { name: 'x', durationSeconds: 129600 } }],
    target: ME,
    severity: 'medium',
  },
  'sts-session-token': { records: [{ source: 'sts', name: 'GetSessionToken' }], target: ME, severity: 'medium' },
  'sts-assume-role': {
    records: [{ source: 'sts', name: 'AssumeRole', req: { roleArn: `arn:aws:iam::${ACCOUNT}:role/ops`, roleSessionName: 'maint' } }],
    target: ':role/ops',
    severity: 'medium',
  },
  'iam-role-created': {
    records: [
      {
        source: 'iam',
        name: 'CreateRole',
        req: { roleName: 'ops-support', assumeRolePolicyDocument: trust(`arn:aws:iam::${OUTSIDE}:root`) },
        res: { role: { roleName: 'ops-support', arn: `arn:aws:iam::${ACCOUNT}:role/ops-support` } },
      },
    ],
    target: ':role/ops-support',
    severity: 'high',
  },
  'iam-trust-policy-changed': {
    records: [{ source: 'iam', name: 'UpdateAssumeRolePolicy', req: { roleName: 'deploy', policyDocument: trust(`arn:aws:iam::${OUTSIDE}:root`) } }],
    target: ':role/deploy',
    severity: 'high',
  },
  'iam-admin-policy-attached': {
    records: [{ source: 'iam', name: 'AttachRolePolicy', req: { roleName: 'deploy', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }],
    target: ':role/deploy',
    severity: 'high',
  },
  'iam-policy-attached': {
    records: [{ source: 'iam', name: 'AttachUserPolicy', req: { userName: 'alice', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }],
    target: ':user/alice',
    severity: 'medium',
  },
  'iam-inline-policy': {
    records: [{ source: 'iam', name: 'PutUserPolicy', req: { userName: 'alice', policyName: 'x', policyDocument: ADMIN_DOC } }],
    target: ':user/alice',
    severity: 'high',
  },
  'iam-policy-version-default': {
    records: [
      {
        source: 'iam',
        name: 'CreatePolicyVersion',
        req: { policyArn: `arn:aws:iam::${ACCOUNT}:policy/deploy`, policyDocument: ADMIN_DOC, setAsDefault: true },
      },
    ],
    target: ':policy/deploy',
    severity: 'high',
  },
  'iam-policy-created': {
    records: [
      {
        source: 'iam',
        name: 'CreatePolicy',
        req: { policyName: 'p', policyDocument: ADMIN_DOC },
        res: { policy: { arn: `arn:aws:iam::${ACCOUNT}:policy/p` } },
      },
    ],
    target: ':policy/p',
    severity: 'high',
  },
  'iam-user-added-to-group': {
    records: [{ source: 'iam', name: 'AddUserToGroup', req: { groupName: 'admins', userName: 'backup-admin' } }],
    target: ':user/backup-admin',
    severity: 'high',
  },
  'iam-permissions-boundary-removed': {
    records: [{ source: 'iam', name: 'DeleteRolePermissionsBoundary', req: { roleName: 'dev' } }],
    target: ':role/dev',
    severity: 'high',
  },
  'iam-role-added-to-instance-profile': {
    records: [{ source: 'iam', name: 'AddRoleToInstanceProfile', req: { instanceProfileName: 'web', roleName: 'admin' } }],
    target: ':role/admin',
    severity: 'medium',
  },
  'iam-quarantine-policy-removed': {
    records: [{ source: 'iam', name: 'DetachUserPolicy', req: { userName: 'ci', policyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2' } }],
    target: ':user/ci',
    severity: 'critical',
  },
  'iam-identity-provider-changed': {
    records: [{ source: 'iam', name: 'CreateSAMLProvider', req: { name: 'okta-evil' } }],
    target: 'okta-evil',
    severity: 'high',
  },
  'rolesanywhere-trust-anchor': {
    records: [
      {
        source: 'rolesanywhere',
        name: 'CreateTrustAnchor',
        req: { name: 'ta' },
        res: { trustAnchor: { trustAnchorArn: `arn:aws:rolesanywhere:us-east-1:${ACCOUNT}:trust-anchor/abc` } },
      },
    ],
    target: 'trust-anchor/abc',
    severity: 'high',
  },
  'sso-permission-set-changed': {
    records: [
      {
        source: 'sso',
        name: 'AttachManagedPolicyToPermissionSet',
        req: { permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1', managedPolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
      },
    ],
    target: 'ps-1',
    severity: 'high',
  },
  'iam-reconnaissance': { records: [{ source: 'iam', name: 'ListUsers' }], target: ME, severity: 'medium' },
  'cloudtrail-stopped': {
    records: [{ source: 'cloudtrail', name: 'StopLogging', req: { name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main` } }],
    target: 'trail/main',
    severity: 'critical',
  },
  'cloudtrail-deleted': { records: [{ source: 'cloudtrail', name: 'DeleteTrail', req: { name: 'main' } }], target: 'trail/main', severity: 'critical' },
  'cloudtrail-changed': {
    records: [
      {
        source: 'cloudtrail',
        name: 'PutEventSelectors',
        req: { trailName: 'main', eventSelectors: [{ readWriteType: 'ReadOnly', includeManagementEvents: true }] },
      },
    ],
    target: 'trail/main',
    severity: 'critical',
  },
  's3-short-lifecycle': {
    records: [
      {
        source: 's3',
        name: 'PutBucketLifecycle',
        req: { bucketName: 'trail-logs', LifecycleConfiguration: { Rule: { ID: 'x', Status: 'Enabled', Expiration: { Days: 1 } } } },
      },
    ],
    target: 'arn:aws:s3:::trail-logs',
    severity: 'high',
  },
  'guardduty-disabled': { records: [{ source: 'guardduty', name: 'DeleteDetector', req: { detectorId: '12abc' } }], target: '12abc', severity: 'critical' },
  'guardduty-blinded': {
    records: [{ source: 'guardduty', name: 'CreateIPSet', req: { detectorId: '12abc', name: 'trusted', format: 'TXT' } }],
    target: '12abc',
    severity: 'high',
  },
  'config-recording-stopped': {
    records: [{ source: 'config', name: 'StopConfigurationRecorder', req: { configurationRecorderName: 'default' } }],
    target: 'default',
    severity: 'high',
  },
  'vpc-flow-logs-deleted': {
    records: [{ source: 'ec2', name: 'DeleteFlowLogs', req: { DeleteFlowLogsRequest: { FlowLogId: { content: 'fl-0123', tag: 1 } } } }],
    target: 'fl-0123',
    severity: 'high',
  },
  'resolver-query-logging-removed': {
    records: [{ source: 'route53resolver', name: 'DeleteResolverQueryLogConfig', req: { resolverQueryLogConfigId: 'rqlc-1' } }],
    target: 'rqlc-1',
    severity: 'high',
  },
  'security-hub-disabled': { records: [{ source: 'securityhub', name: 'DisableSecurityHub' }], target: `${ACCOUNT}:root`, severity: 'high' },
  'bedrock-invocation-logging-deleted': {
    records: [{ source: 'bedrock', name: 'DeleteModelInvocationLoggingConfiguration' }],
    target: `${ACCOUNT}:root`,
    severity: 'high',
  },
  's3-account-public-access-block-removed': {
    records: [{ source: 's3', name: 'DeleteAccountPublicAccessBlock' }],
    target: `${ACCOUNT}:root`,
    severity: 'high',
  },
  'ebs-default-encryption-disabled': {
    records: [{ source: 'ec2', name: 'DisableEbsEncryptionByDefault', region: 'eu-west-1' }],
    target: 'region/eu-west-1',
    severity: 'high',
  },
  'region-enabled': { records: [{ source: 'account', name: 'EnableRegion', req: { RegionName: 'af-south-1' } }], target: 'af-south-1', severity: 'high' },
  's3-versioning-suspended': {
    records: [{ source: 's3', name: 'PutBucketVersioning', req: { bucketName: 'data', VersioningConfiguration: { Status: 'Suspended' } } }],
    target: 'arn:aws:s3:::data',
    severity: 'high',
  },
  'organization-left': { records: [{ source: 'organizations', name: 'LeaveOrganization' }], target: `${ACCOUNT}:root`, severity: 'critical' },
  'ses-enumeration': {
    records: ['us-east-1', 'eu-west-1', 'ap-south-1'].map((region) => ({ source: 'ses', name: 'GetSendQuota', region })),
    target: ME,
    severity: 'high',
  },
  'bedrock-model-probing': { records: [{ source: 'bedrock', name: 'ListFoundationModels' }], target: ME, severity: 'high' },
  'service-quota-probing': {
    records: ['us-east-1', 'eu-west-1', 'ap-south-1'].map((region) => ({
      source: 'servicequotas',
      name: 'GetServiceQuota',
      region,
      req: { serviceCode: 'ec2', quotaCode: 'L-1216C47A' },
    })),
    target: ME,
    severity: 'medium',
  },
  'attack-tool-user-agent': { records: [{ source: 'sts', name: 'GetCallerIdentity', ua: 'TruffleHog' }], target: ME, severity: 'high' },
  'access-denied-burst': { records: burst(6, { source: 's3', name: 'ListBuckets', error: 'AccessDenied' }), target: ME, severity: 'medium' },
  'secrets-bulk-read': {
    records: [{ source: 'secretsmanager', name: 'BatchGetSecretValue', req: { secretIdList: ['db', 'api'] } }],
    target: ME,
    severity: 'high',
  },
  'ssm-parameters-decrypted-in-bulk': {
    records: burst(5, { source: 'ssm', name: 'GetParameters', req: { names: ['/prod/db'], withDecryption: true } }),
    target: ME,
    severity: 'high',
  },
  'ec2-password-data': { records: [{ source: 'ec2', name: 'GetPasswordData', req: { instanceId: 'i-0abc1234' } }], target: 'i-0abc1234', severity: 'high' },
  'ec2-instances-launched': {
    records: [
      {
        source: 'ec2',
        name: 'RunInstances',
        region: 'ap-southeast-2',
        req: { instanceType: 'p3.16xlarge', instancesSet: { items: [{ imageId: 'ami-1', minCount: 2, maxCount: 2 }] } },
        res: { instancesSet: { items: [{ instanceId: 'i-0bad0001' }, { instanceId: 'i-0bad0002' }] } },
      },
    ],
    target: 'instance/i-0bad0002',
    severity: 'critical',
  },
  'ec2-launch-refused': {
    records: [{ source: 'ec2', name: 'RunInstances', error: 'Client.VcpuLimitExceeded', req: { instanceType: 'c5.24xlarge' } }],
    target: ME,
    severity: 'high',
  },
  'ec2-spot-or-fleet-requested': {
    records: [{ source: 'ec2', name: 'RequestSpotInstances', req: { launchSpecification: { instanceType: 'g5.xlarge' } } }],
    target: ME,
    severity: 'high',
  },
  'service-quota-increase': {
    records: [{ source: 'servicequotas', name: 'RequestServiceQuotaIncrease', req: { serviceCode: 'ec2', quotaCode: 'L-1216C47A', desiredValue: 1000 } }],
    target: 'L-1216C47A',
    severity: 'high',
  },
  'lightsail-instances': {
    records: [{ source: 'lightsail', name: 'CreateInstances', req: { instanceNames: ['miner-1'] } }],
    target: 'miner-1',
    severity: 'high',
  },
  'sagemaker-compute': {
    records: [{ source: 'sagemaker', name: 'CreateNotebookInstance', req: { notebookInstanceName: 'nb', instanceType: 'ml.p3.2xlarge' } }],
    target: 'nb',
    severity: 'high',
  },
  'bedrock-model-access-enabled': { records: [{ source: 'bedrock', name: 'PutUseCaseForModelAccess', req: { formData: 'x' } }], target: ME, severity: 'high' },
  'bedrock-model-invoked': {
    records: [{ source: 'bedrock', name: 'InvokeModel', req: { modelId: 'anthropic.claude-3-sonnet-20240229-v1:0' } }],
    target: 'anthropic.claude-3-sonnet',
    severity: 'high',
  },
  'ses-sending-enabled': {
    records: [{ source: 'ses', name: 'UpdateAccountSendingEnabled', req: { enabled: true } }],
    target: 'region/us-east-1',
    severity: 'high',
  },
  'ses-identity-verified': {
    records: [{ source: 'ses', name: 'VerifyDomainIdentity', req: { domain: 'acme-billing.net' } }],
    target: 'acme-billing.net',
    severity: 'high',
  },
  // Nobody works in this region from a usual address here, so it counts as new ground: high.
  'lambda-function-created': {
    records: [{ source: 'lambda', name: 'CreateFunction20150331', req: { functionName: 'backdoor' } }],
    target: fn('backdoor'),
    severity: 'high',
  },
  'lambda-code-updated': {
    records: [{ source: 'lambda', name: 'UpdateFunctionCode20150331v2', req: { functionName: 'thumbnailer' } }],
    target: fn('thumbnailer'),
    severity: 'medium',
  },
  'lambda-layer-added': {
    records: [
      {
        source: 'lambda',
        name: 'UpdateFunctionConfiguration20150331v2',
        req: { functionName: 'api', layers: [`arn:aws:lambda:us-east-1:${OUTSIDE}:layer:ext:1`] },
      },
    ],
    target: fn('api'),
    severity: 'high',
  },
  'lambda-permission-outside': {
    records: [
      {
        source: 'lambda',
        name: 'AddPermission20150331v2',
        req: { functionName: 'api', principal: OUTSIDE, action: 'lambda:InvokeFunction', statementId: 'x' },
      },
    ],
    target: OUTSIDE,
    severity: 'high',
  },
  'lambda-public-url': {
    records: [{ source: 'lambda', name: 'CreateFunctionUrlConfig20211031', req: { functionName: 'api', authType: 'NONE' } }],
    target: fn('api'),
    severity: 'high',
  },
  'ec2-user-data-changed': {
    records: [{ source: 'ec2', name: 'ModifyInstanceAttribute', req: { instanceId: 'i-0abc1234', userData: '<sensitiveDataRemoved>' } }],
    target: 'instance/i-0abc1234',
    severity: 'high',
  },
  'ssm-send-command': {
    records: [{ source: 'ssm', name: 'SendCommand', req: { instanceIds: ['i-0abc1234'], documentName: 'AWS-RunShellScript' } }],
    target: 'instance/i-0abc1234',
    severity: 'high',
  },
  'ssm-start-session': { records: [{ source: 'ssm', name: 'StartSession', req: { target: 'i-0abc1234' } }], target: 'instance/i-0abc1234', severity: 'medium' },
  'ec2-instance-connect-key': {
    records: [{ source: 'ec2-instance-connect', name: 'SendSSHPublicKey', req: { instanceId: 'i-0abc1234', instanceOSUser: 'ec2-user' } }],
    target: 'instance/i-0abc1234',
    severity: 'medium',
  },
  'ec2-key-pair': { records: [{ source: 'ec2', name: 'CreateKeyPair', req: { keyName: 'xmr' } }], target: 'key-pair/xmr', severity: 'high' },
  'ec2-ingress-opened-to-internet': {
    records: [
      {
        source: 'ec2',
        name: 'AuthorizeSecurityGroupIngress',
        req: {
          groupId: 'sg-0123',
          ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] },
        },
      },
    ],
    target: 'sg-0123',
    severity: 'high',
  },
  'ebs-snapshot-shared': {
    records: [
      {
        source: 'ec2',
        name: 'ModifySnapshotAttribute',
        req: { snapshotId: 'snap-0abc', attributeType: 'CREATE_VOLUME_PERMISSION', createVolumePermission: { add: { items: [{ userId: OUTSIDE }] } } },
      },
    ],
    target: OUTSIDE,
    severity: 'high',
  },
  'ami-shared': {
    records: [{ source: 'ec2', name: 'ModifyImageAttribute', req: { imageId: 'ami-0abc', launchPermission: { add: { items: [{ group: 'all' }] } } } }],
    target: 'public',
    severity: 'critical',
  },
  'rds-snapshot-shared': {
    records: [
      { source: 'rds', name: 'ModifyDBSnapshotAttribute', req: { dBSnapshotIdentifier: 'prod-db-snap', attributeName: 'restore', valuesToAdd: [OUTSIDE] } },
    ],
    target: OUTSIDE,
    severity: 'high',
  },
  'export-task': {
    records: [
      { source: 'ec2', name: 'CreateInstanceExportTask', req: { instanceId: 'i-0abc1234', exportToS3: { s3Bucket: 'exfil-bucket', diskImageFormat: 'VMDK' } } },
    ],
    target: 'arn:aws:s3:::exfil-bucket',
    severity: 'high',
  },
  's3-bucket-policy-opened': {
    records: [
      {
        source: 's3',
        name: 'PutBucketPolicy',
        req: {
          bucketName: 'customer-data',
          bucketPolicy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::customer-data/*' }] },
        },
      },
    ],
    target: 'arn:aws:s3:::customer-data',
    severity: 'critical',
  },
  's3-bucket-acl-public': {
    records: [{ source: 's3', name: 'PutBucketAcl', req: { bucketName: 'reports', 'x-amz-acl': ['public-read'] } }],
    target: 'arn:aws:s3:::reports',
    severity: 'critical',
  },
  's3-bucket-public-access-block-removed': {
    records: [{ source: 's3', name: 'DeleteBucketPublicAccessBlock', req: { bucketName: 'reports' } }],
    target: 'arn:aws:s3:::reports',
    severity: 'high',
  },
  'domain-transfer': {
    records: [{ source: 'route53domains', name: 'TransferDomainToAnotherAwsAccount', req: { domainName: 'acme.com', accountId: OUTSIDE } }],
    target: OUTSIDE,
    severity: 'critical',
  },
  'vpc-peering-outside': {
    records: [
      {
        source: 'ec2',
        name: 'CreateVpcPeeringConnection',
        req: { vpcId: 'vpc-1', peerOwnerId: OUTSIDE, peerVpcId: 'vpc-9' },
        res: { vpcPeeringConnection: { vpcPeeringConnectionId: 'pcx-1' } },
      },
    ],
    target: OUTSIDE,
    severity: 'high',
  },
  'root-password-recovery-requested': {
    records: [{ source: 'signin', name: 'PasswordRecoveryRequested', identity: root, res: { PasswordRecoveryRequested: 'Success' } }],
    target: `${ACCOUNT}:root`,
    severity: 'high',
  },
  'root-password-recovery-completed': {
    records: [{ source: 'signin', name: 'PasswordRecoveryCompleted', identity: root, res: { PasswordRecoveryCompleted: 'Success' } }],
    target: `${ACCOUNT}:root`,
    severity: 'critical',
  },
  'root-console-login': {
    records: [
      {
        source: 'signin',
        name: 'ConsoleLogin',
        identity: root,
        res: { ConsoleLogin: 'Success' },
        additional: { MFAUsed: 'No', LoginTo: 'https://console.aws.amazon.com' },
      },
    ],
    target: `${ACCOUNT}:root`,
    severity: 'critical',
  },
  'root-activity': {
    records: [{ source: 'ec2', name: 'RunInstances', identity: root, req: { instanceType: 't3.micro' } }],
    target: `${ACCOUNT}:root`,
    severity: 'high',
  },
  'console-login-suspicious': {
    records: [{ source: 'signin', name: 'ConsoleLogin', identity: { ...intruderConsole() }, res: { ConsoleLogin: 'Failure' }, additional: { MFAUsed: 'No' } }],
    target: 'user/alice',
    severity: 'medium',
  },
  'account-contact-changed': {
    records: [{ source: 'account', name: 'PutAlternateContact', req: { alternateContactType: 'SECURITY', emailAddress: 'secops@acme-secops.net' } }],
    target: 'secops@acme-secops.net',
    severity: 'critical',
  },
  'organization-account-created': {
    records: [
      {
        source: 'organizations',
        name: 'CreateAccount',
        req: { accountName: 'backup-services', email: 'x@proton.example' },
        res: { createAccountStatus: { state: 'IN_PROGRESS' } },
      },
    ],
    target: 'backup-services',
    severity: 'high',
  },
};

function intruderConsole() {
  return { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, userName: 'alice' };
}

const scan = (records: RecordSpec[]): Finding[] => classify(testContext(), events(...records));

describe('the detection catalog, on records of each technique', () => {
  it('has an example for every detection', () => {
    expect(DETECTIONS.map((d) => d.id).filter((id) => !EXAMPLES[id])).toEqual([]);
    expect(Object.keys(EXAMPLES).filter((id) => !DETECTIONS.some((d) => d.id === id))).toEqual([]);
  });

  it.each(Object.entries(EXAMPLES))('%s: fires, names its target and is as severe as the catalog says', (id, example) => {
    const found = scan(example.records).filter((f) => f.detection === id);
    expect(found.length).toBeGreaterThan(0);
    const naming = found.filter((f) => f.resources.some((r) => r.includes(example.target)));
    expect(naming.map((f) => f.severity)).toContain(example.severity);
    for (const f of found) {
      expect(f.technique).toMatch(/^T\d{4}(\.\d{3})?$/);
      expect(f.title.length).toBeGreaterThan(10);
      if (f.target) expect(f.actions.length).toBeGreaterThan(0);
    }
  });
});
