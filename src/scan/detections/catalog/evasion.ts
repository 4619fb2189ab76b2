/** Defense evasion: logging, detection and guard rails switched off or blinded. */
import { cond, rule } from '../conditions';
import type { Detection } from '../model';
import { strings, values } from '../read';
import { account, bucket, eventRegion, named, trail } from '../targets';
import { mitre, sigma, stratus } from './sources';

const LOGGING = { id: 'T1562.008', name: 'Impair Defenses: Disable or Modify Cloud Logs' };
const TOOLS = { id: 'T1562.001', name: 'Impair Defenses: Disable or Modify Tools' };
const detector = named('detector', ['request.detectorId']);

/** Any `false` among the four public-access-block switches. */
const blockWeakened = (path: string) =>
  cond(`a switch under \`${path}\` is false`, (e) =>
    values(e, path).some((v) => v && typeof v === 'object' && Object.values(v as object).some((x) => x === false || x === 'false')),
  );

export const EVASION: Detection[] = [
  {
    id: 'cloudtrail-stopped',
    title: 'CloudTrail logging stopped',
    family: 'defense-evasion',
    match: { source: 'cloudtrail.amazonaws.com', events: ['StopLogging'] },
    severity: 'critical',
    step: 'R4',
    technique: LOGGING,
    why: 'Nothing the attacker does next is archived; only the 90-day event history remains.',
    targets: [trail()],
    response: { guidance: 'Start logging again (StartLogging) and find who stopped it.' },
    sources: [stratus('aws.defense-evasion.cloudtrail-stop'), sigma('aws_cloudtrail_disable_logging')],
  },
  {
    id: 'cloudtrail-deleted',
    title: 'CloudTrail trail deleted',
    family: 'defense-evasion',
    match: { source: 'cloudtrail.amazonaws.com', events: ['DeleteTrail'] },
    severity: 'critical',
    step: 'R4',
    technique: LOGGING,
    why: 'With the trail gone the account keeps no archive of what happens from now on.',
    targets: [trail()],
    response: { guidance: 'Recreate the trail (multi-region, with log file validation) into a bucket the attacker cannot reach.' },
    sources: [stratus('aws.defense-evasion.cloudtrail-delete'), sigma('aws_cloudtrail_disable_logging')],
  },
  {
    id: 'cloudtrail-changed',
    title: 'CloudTrail trail or event selectors changed',
    family: 'defense-evasion',
    match: { source: 'cloudtrail.amazonaws.com', events: ['UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors'] },
    severity: 'medium',
    rules: [
      rule(
        'critical',
        'management events are excluded (`includeManagementEvents` false, or only read or write events kept) or the trail is no longer multi-region',
        (e) =>
          [
            ...values(e, 'request.eventSelectors.includeManagementEvents'),
            ...values(e, 'request.isMultiRegionTrail'),
            ...values(e, 'request.includeGlobalServiceEvents'),
          ].some((v) => v === false || v === 'false') || strings(e, 'request.eventSelectors.readWriteType').some((t) => t !== 'All'),
      ),
      rule(
        'high',
        'the trail now delivers to another bucket or topic, or drops its log file validation or KMS key',
        (e) =>
          ['request.s3BucketName', 'request.snsTopicName', 'request.kmsKeyId'].some((p) => values(e, p).length > 0) ||
          values(e, 'request.enableLogFileValidation').some((v) => v === false || v === 'false'),
      ),
      rule(
        'low',
        'the new selectors keep every management event (readWriteType All): the change adds logging',
        (e) =>
          e.eventName === 'PutEventSelectors' &&
          values(e, 'request.eventSelectors').length > 0 &&
          values(e, 'request.eventSelectors.includeManagementEvents').every((v) => v === true || v === 'true'),
      ),
    ],
    step: 'R4',
    technique: LOGGING,
    why: 'Redirecting the trail or filtering its events blinds the archive while the trail still looks healthy.',
    targets: [trail()],
    response: { guidance: 'Compare the trail with its intended configuration and restore it.' },
    sources: [stratus('aws.defense-evasion.cloudtrail-event-selectors'), sigma('aws_cloudtrail_disable_logging')],
  },
  {
    id: 's3-short-lifecycle',
    title: 'Bucket lifecycle set to expire objects within a week',
    family: 'defense-evasion',
    match: {
      source: 's3.amazonaws.com',
      events: ['PutBucketLifecycle', 'PutBucketLifecycleConfiguration'],
      conditions: [
        cond('an expiration of 7 days or fewer (`LifecycleConfiguration.Rule.Expiration.Days`)', (e) =>
          [...strings(e, 'request.LifecycleConfiguration.Rule.Expiration.Days'), ...strings(e, 'request.lifecycleConfiguration.rules.expiration.days')].some(
            (d) => Number(d) <= 7,
          ),
        ),
      ],
    },
    severity: 'high',
    step: 'R4',
    technique: LOGGING,
    why: 'A one-day expiry on the trail’s bucket deletes the logs as fast as they arrive.',
    targets: [bucket()],
    response: { guidance: 'Remove the rule if the bucket holds logs or anything the team must keep.' },
    sources: [stratus('aws.defense-evasion.cloudtrail-lifecycle-rule')],
  },
  {
    id: 'guardduty-disabled',
    title: 'GuardDuty detector deleted or suspended',
    family: 'defense-evasion',
    match: {
      source: 'guardduty.amazonaws.com',
      events: ['DeleteDetector', 'UpdateDetector'],
      conditions: [
        cond(
          '`DeleteDetector`, or `requestParameters.enable` is false',
          (e) => e.eventName === 'DeleteDetector' || values(e, 'request.enable').some((v) => v === false || v === 'false'),
        ),
      ],
    },
    severity: 'critical',
    step: 'R4',
    technique: TOOLS,
    why: 'GuardDuty is what would have raised the alarm on the rest of the attack.',
    targets: [detector],
    response: { guidance: 'Re-enable GuardDuty in every region and review its findings from before the change.' },
    sources: [sigma('aws_guardduty_detector_deleted_or_updated'), mitre('T1562.001')],
  },
  {
    id: 'guardduty-blinded',
    title: 'GuardDuty trusted IPs, suppression or membership changed',
    family: 'defense-evasion',
    match: {
      source: 'guardduty.amazonaws.com',
      events: [
        'CreateIPSet',
        'UpdateIPSet',
        'CreateFilter',
        'UpdateFilter',
        'DisassociateFromMasterAccount',
        'DisassociateFromAdministratorAccount',
        'StopMonitoringMembers',
        'DeleteMembers',
        'DisassociateMembers',
      ],
    },
    severity: 'high',
    step: 'R4',
    technique: TOOLS,
    why: 'A trusted-IP list or an auto-archive filter silences GuardDuty for the attacker’s addresses; leaving the administrator hides the findings from the security account.',
    targets: [detector, named('principal', ['request.name', 'request.accountIds'])],
    response: { guidance: 'Remove the IP set or filter, and re-associate the member with the administrator account.' },
    sources: [sigma('aws_guardduty_disruption'), mitre('T1562.001')],
  },
  {
    id: 'config-recording-stopped',
    title: 'AWS Config recorder stopped or deleted',
    family: 'defense-evasion',
    match: { source: 'config.amazonaws.com', events: ['StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel'] },
    severity: 'high',
    step: 'R4',
    technique: TOOLS,
    why: 'Config keeps the history of every resource’s configuration; without it the changes made next leave no record.',
    targets: [named('recorder', ['request.configurationRecorderName', 'request.deliveryChannelName'])],
    response: { guidance: 'Start the recorder again (StartConfigurationRecorder) and restore the delivery channel.' },
    sources: [sigma('aws_config_disable_recording')],
  },
  {
    id: 'vpc-flow-logs-deleted',
    title: 'VPC flow logs deleted',
    family: 'defense-evasion',
    match: { source: 'ec2.amazonaws.com', events: ['DeleteFlowLogs'] },
    severity: 'high',
    step: 'R4',
    technique: LOGGING,
    why: 'Flow logs are the record of network traffic, exfiltration and mining pools included.',
    targets: [named('flow-log', ['request.DeleteFlowLogsRequest.FlowLogId.content', 'request.DeleteFlowLogsRequest.FlowLogId', 'request.flowLogIds'])],
    response: { guidance: 'Recreate the flow logs for the affected VPCs.' },
    sources: [stratus('aws.defense-evasion.vpc-remove-flow-logs'), sigma('aws_cloudtrail_delete_flow_logs')],
  },
  {
    id: 'resolver-query-logging-removed',
    title: 'Route 53 Resolver query logging removed',
    family: 'defense-evasion',
    match: { source: 'route53resolver.amazonaws.com', events: ['DeleteResolverQueryLogConfig', 'DisassociateResolverQueryLogConfig'] },
    severity: 'high',
    step: 'R4',
    technique: LOGGING,
    why: 'DNS query logs show which domains instances talked to: mining pools and command servers.',
    targets: [named('log-config', ['request.resolverQueryLogConfigId'])],
    response: { guidance: 'Recreate the query logging configuration and associate it with the VPCs again.' },
    sources: [stratus('aws.defense-evasion.dns-delete-logs')],
  },
  {
    id: 'security-hub-disabled',
    title: 'Security Hub disabled or its findings suppressed',
    family: 'defense-evasion',
    match: {
      source: 'securityhub.amazonaws.com',
      events: ['DisableSecurityHub', 'BatchDisableStandards', 'DeleteInsight', 'BatchUpdateFindings'],
      conditions: [
        cond(
          'not `BatchUpdateFindings`, or it sets the workflow status to SUPPRESSED',
          (e) => e.eventName !== 'BatchUpdateFindings' || JSON.stringify(e.request ?? {}).includes('SUPPRESSED'),
        ),
      ],
    },
    severity: 'high',
    step: 'R4',
    technique: TOOLS,
    why: 'Suppressed or disabled findings are alarms no one will see.',
    targets: [account()],
    response: { guidance: 'Re-enable Security Hub and its standards; review findings suppressed in the window.' },
    sources: [sigma('aws_securityhub_finding_evasion')],
  },
  {
    id: 'bedrock-invocation-logging-deleted',
    title: 'Bedrock model invocation logging deleted',
    family: 'defense-evasion',
    match: { source: 'bedrock.amazonaws.com', events: ['DeleteModelInvocationLoggingConfiguration'] },
    severity: 'high',
    step: 'R4',
    technique: LOGGING,
    why: 'LLMjacking crews remove invocation logging so the prompts they sell access to leave no trace.',
    targets: [account()],
    response: { guidance: 'Restore invocation logging and review Bedrock use in every region.' },
    sources: [stratus('aws.defense-evasion.bedrock-model-invocation-logging-delete'), sigma('aws_bedrock_model_invocation_logging_disabled')],
  },
  {
    id: 's3-account-public-access-block-removed',
    title: 'Account-wide S3 public access block removed or weakened',
    family: 'defense-evasion',
    match: {
      source: 's3.amazonaws.com',
      events: ['DeleteAccountPublicAccessBlock', 'PutAccountPublicAccessBlock'],
      conditions: [
        cond(
          '`DeleteAccountPublicAccessBlock`, or a switch set to false',
          (e, env) => e.eventName === 'DeleteAccountPublicAccessBlock' || blockWeakened('request.PublicAccessBlockConfiguration').test(e, env),
        ),
      ],
    },
    severity: 'high',
    step: 'R4',
    technique: { id: 'T1562', name: 'Impair Defenses' },
    why: 'The account-wide block is what stops any bucket from being made public; removing it comes before exfiltration.',
    targets: [account()],
    response: { guidance: 'Turn the four account-level block settings back on.' },
    sources: [sigma('aws_cloudtrail_bucket_block_public_access_weakened')],
  },
  {
    id: 'ebs-default-encryption-disabled',
    title: 'EBS encryption by default disabled',
    family: 'defense-evasion',
    match: { source: 'ec2.amazonaws.com', events: ['DisableEbsEncryptionByDefault'] },
    severity: 'high',
    step: 'R4',
    technique: { id: 'T1486', name: 'Data Encrypted for Impact' },
    why: 'Unencrypted snapshots can be shared outside the account; encrypted ones need the key too.',
    targets: [eventRegion()],
    response: { guidance: 'Enable EBS encryption by default again in that region.' },
    sources: [sigma('aws_ec2_disable_encryption')],
  },
  {
    id: 'region-enabled',
    title: 'Opt-in region enabled',
    family: 'defense-evasion',
    match: { source: 'account.amazonaws.com', events: ['EnableRegion'] },
    severity: 'high',
    step: 'R5',
    technique: { id: 'T1535', name: 'Unused/Unsupported Cloud Regions' },
    why: 'Attackers open regions the team never looks at to run miners out of sight.',
    targets: [named('region', ['request.RegionName', 'request.regionName'])],
    response: { guidance: 'Disable the region unless the team enabled it, after checking it for resources.' },
    sources: [sigma('aws_cloudtrail_enable_region'), mitre('T1535')],
  },
  {
    id: 's3-versioning-suspended',
    title: 'Bucket versioning suspended',
    family: 'defense-evasion',
    match: {
      source: 's3.amazonaws.com',
      events: ['PutBucketVersioning'],
      conditions: [cond('the new status is Suspended', (e) => JSON.stringify(e.request ?? {}).includes('Suspended'))],
    },
    severity: 'high',
    step: 'R6',
    technique: { id: 'T1490', name: 'Inhibit System Recovery' },
    why: 'Suspending versioning is the step before deleting or encrypting objects for ransom.',
    targets: [bucket()],
    response: { guidance: 'Re-enable versioning and check the bucket for deleted or overwritten objects.' },
    sources: [sigma('aws_disable_bucket_versioning'), stratus('aws.impact.s3-ransomware-batch-deletion')],
  },
  {
    id: 'organization-left',
    title: 'Account left its organization',
    family: 'defense-evasion',
    match: { source: 'organizations.amazonaws.com', events: ['LeaveOrganization'] },
    severity: 'critical',
    step: 'D5',
    technique: { id: 'T1666', name: 'Modify Cloud Resource Hierarchy' },
    why: 'Outside the organization, its guard rails (SCPs) and central logging no longer apply to the account.',
    targets: [account()],
    response: { guidance: 'Invite the account back from the management account and check what its SCPs had denied.' },
    sources: [stratus('aws.defense-evasion.organizations-leave')],
  },
];
