/** Exfiltration: data handed to another account or to everyone. Every entry names what was shared and with whom. */
import { aclIsPublic, cond, documentIsPublic, outsidePrincipalsOf, rule, sharedOutside } from '../conditions';
import type { Detection, TargetSpec } from '../model';
import { documentAt, strings, values } from '../read';
import { bucket, ec2, named, sharedWith } from '../targets';
import { mitre, sigma, stratus } from './sources';

const TRANSFER = { id: 'T1537', name: 'Transfer Data to Cloud Account' };
const SNAPSHOT_SHARE = ['request.createVolumePermission.add.items.userId', 'request.createVolumePermission.add.items.group'];
const IMAGE_SHARE = ['request.launchPermission.add.items.userId', 'request.launchPermission.add.items.group'];
const DB_SHARE = ['request.valuesToAdd'];
const isPublic = (paths: string[]) => (e: Parameters<typeof strings>[0]) => paths.some((p) => strings(e, p).some((v) => v.toLowerCase() === 'all'));

/** Outside accounts a bucket policy admits. */
const policyPrincipals: TargetSpec = {
  kind: 'account',
  from: 'requestParameters.bucketPolicy (principals of other accounts, or `*`)',
  read(e, env) {
    const doc = documentAt(e, 'request.bucketPolicy');
    return [...new Set(outsidePrincipalsOf(doc, env.account).map((p) => p.principal))].map((p) => ({
      kind: 'account' as const,
      name: p === '*' ? 'everyone (public)' : p,
      resource: p === '*' ? 'public' : p,
    }));
  },
};

export const EXFILTRATION: Detection[] = [
  {
    id: 'ebs-snapshot-shared',
    title: 'EBS snapshot shared outside the account',
    family: 'exfiltration',
    match: { source: 'ec2.amazonaws.com', events: ['ModifySnapshotAttribute'], conditions: [sharedOutside(SNAPSHOT_SHARE)] },
    severity: 'high',
    rules: [rule('critical', 'shared with everyone (`group: all`)', isPublic(SNAPSHOT_SHARE))],
    step: 'R6',
    technique: TRANSFER,
    why: 'The other account can copy the disk and read every file on it, with nothing logged on this side.',
    targets: [ec2('snapshot', ['request.snapshotId'], 'snapshot'), sharedWith(SNAPSHOT_SHARE)],
    response: { guidance: 'Remove the permission (ModifySnapshotAttribute remove) and assume the data is copied.' },
    sources: [stratus('aws.exfiltration.ec2-share-ebs-snapshot'), sigma('aws_snapshot_backup_exfiltration')],
  },
  {
    id: 'ami-shared',
    title: 'AMI shared outside the account',
    family: 'exfiltration',
    match: { source: 'ec2.amazonaws.com', events: ['ModifyImageAttribute'], conditions: [sharedOutside(IMAGE_SHARE)] },
    severity: 'high',
    rules: [rule('critical', 'made public (`group: all`)', isPublic(IMAGE_SHARE))],
    step: 'R6',
    technique: TRANSFER,
    why: 'An image carries the disks it was made from; sharing it hands them over.',
    targets: [ec2('image', ['request.imageId'], 'image'), sharedWith(IMAGE_SHARE)],
    response: { guidance: 'Remove the launch permission and assume the data is copied.' },
    sources: [stratus('aws.exfiltration.ec2-share-ami'), stratus('aws.exfiltration.ami-make-public')],
  },
  {
    id: 'rds-snapshot-shared',
    title: 'RDS snapshot shared outside the account',
    family: 'exfiltration',
    match: {
      source: 'rds.amazonaws.com',
      events: ['ModifyDBSnapshotAttribute', 'ModifyDBClusterSnapshotAttribute'],
      conditions: [
        cond('`requestParameters.attributeName` is restore', (e) => strings(e, 'request.attributeName').includes('restore')),
        sharedOutside(DB_SHARE),
      ],
    },
    severity: 'high',
    rules: [rule('critical', 'made public (`valuesToAdd: all`)', isPublic(DB_SHARE))],
    step: 'R6',
    technique: TRANSFER,
    why: 'The other account can restore the whole database from the snapshot.',
    targets: [named('db-snapshot', ['request.dBSnapshotIdentifier', 'request.dBClusterSnapshotIdentifier']), sharedWith(DB_SHARE)],
    response: { guidance: 'Remove the account from the snapshot’s restore attribute and assume the data is copied.' },
    sources: [stratus('aws.exfiltration.rds-share-snapshot'), sigma('aws_rds_snapshot_shared_with_external_account')],
  },
  {
    id: 'export-task',
    title: 'Instance, image or database exported',
    family: 'exfiltration',
    match: { source: '*', events: ['CreateInstanceExportTask', 'ExportImage', 'CreateStoreImageTask', 'StartExportTask', 'ExportTableToPointInTime'] },
    severity: 'high',
    routine: 'habit',
    step: 'R6',
    technique: TRANSFER,
    why: 'An export turns a disk or database into files in a bucket, ready to carry away.',
    targets: [
      named('instance', ['request.instanceId', 'request.imageId', 'request.sourceArn', 'request.tableArn']),
      bucket(['request.exportToS3.s3Bucket', 'request.s3ExportLocation.s3Bucket', 'request.s3BucketName', 'request.bucket']),
    ],
    response: { guidance: 'Find the export’s files and who can read them.' },
    sources: [sigma('aws_ec2_vm_export_failure'), sigma('aws_dynamodb_table_exported_to_s3')],
  },
  {
    id: 's3-bucket-policy-opened',
    title: 'Bucket policy opened to another account or everyone',
    family: 'exfiltration',
    match: {
      source: 's3.amazonaws.com',
      events: ['PutBucketPolicy'],
      conditions: [
        cond(
          'the policy admits `*` or a principal of another account',
          (e, env) => outsidePrincipalsOf(documentAt(e, 'request.bucketPolicy'), env.account).length > 0,
        ),
      ],
    },
    severity: 'high',
    rules: [rule('critical', 'anyone (`*`) with no condition narrowing who', (e) => documentIsPublic(documentAt(e, 'request.bucketPolicy')))],
    step: 'R6',
    technique: { id: 'T1530', name: 'Data from Cloud Storage' },
    why: 'A policy for an outside principal lets them read the bucket from their own account, unlogged here unless data events are on.',
    targets: [bucket(), policyPrincipals],
    response: { guidance: 'Restore the previous bucket policy and check the bucket’s access logs.' },
    sources: [stratus('aws.exfiltration.s3-backdoor-bucket-policy'), sigma('aws_iam_s3browser_templated_s3_bucket_policy_creation')],
  },
  {
    id: 's3-bucket-acl-public',
    title: 'Bucket ACL made public',
    family: 'exfiltration',
    match: {
      source: 's3.amazonaws.com',
      events: ['PutBucketAcl'],
      conditions: [cond('a grant to AllUsers or AuthenticatedUsers (or a public canned ACL)', (e) => aclIsPublic(e))],
    },
    severity: 'critical',
    step: 'R6',
    technique: { id: 'T1530', name: 'Data from Cloud Storage' },
    why: 'A public ACL lets anyone on the internet list or read the bucket.',
    targets: [bucket()],
    response: { guidance: 'Set the ACL back to private and turn on the bucket’s public access block.' },
    sources: [mitre('T1530'), stratus('aws.exfiltration.s3-backdoor-bucket-policy')],
  },
  {
    id: 's3-bucket-public-access-block-removed',
    title: 'Bucket public access block removed or weakened',
    family: 'exfiltration',
    match: {
      source: 's3.amazonaws.com',
      events: ['DeleteBucketPublicAccessBlock', 'PutBucketPublicAccessBlock'],
      conditions: [
        cond(
          '`DeleteBucketPublicAccessBlock`, or a switch set to false',
          (e) =>
            e.eventName === 'DeleteBucketPublicAccessBlock' ||
            values(e, 'request.PublicAccessBlockConfiguration').some(
              (v) => v && typeof v === 'object' && Object.values(v as object).some((x) => x === false || x === 'false'),
            ),
        ),
      ],
    },
    severity: 'high',
    routine: 'habit',
    step: 'R6',
    technique: { id: 'T1530', name: 'Data from Cloud Storage' },
    why: 'The block is what keeps a bucket private whatever its policy says; removing it comes right before opening the bucket.',
    targets: [bucket()],
    response: { guidance: 'Turn the bucket’s public access block back on.' },
    sources: [sigma('aws_cloudtrail_bucket_block_public_access_weakened')],
  },
  {
    id: 'domain-transfer',
    title: 'Route 53 domain transferred or unlocked',
    family: 'exfiltration',
    match: { source: 'route53domains.amazonaws.com', events: ['TransferDomainToAnotherAwsAccount', 'DisableDomainTransferLock', 'TransferDomain'] },
    severity: 'high',
    rules: [rule('critical', 'transferred to another AWS account', (e) => e.eventName === 'TransferDomainToAnotherAwsAccount')],
    step: 'R8',
    technique: { id: 'T1584.001', name: 'Compromise Infrastructure: Domains' },
    why: 'Whoever holds the domain holds its mail, its certificates and its users’ trust.',
    targets: [named('domain', ['request.domainName']), sharedWith(['request.accountId'])],
    response: { guidance: 'Cancel the transfer (CancelDomainTransferToAnotherAwsAccount) and re-enable the transfer lock.' },
    sources: [sigma('aws_route_53_domain_transferred_to_another_account'), sigma('aws_route_53_domain_transferred_lock_disabled')],
  },
  {
    id: 'vpc-peering-outside',
    title: 'VPC peering requested with another account',
    family: 'exfiltration',
    match: { source: 'ec2.amazonaws.com', events: ['CreateVpcPeeringConnection'], conditions: [sharedOutside(['request.peerOwnerId'])] },
    severity: 'high',
    step: 'R6',
    technique: TRANSFER,
    why: 'A peering link gives another account’s network a private route into this one.',
    targets: [
      ec2('vpc-peering', ['response.vpcPeeringConnection.vpcPeeringConnectionId', 'request.vpcId'], 'vpc-peering-connection'),
      sharedWith(['request.peerOwnerId']),
    ],
    response: { guidance: 'Reject or delete the peering connection unless the network team asked for it.' },
    sources: [sigma('aws_ec2_vpc_peering_connection_to_external_account')],
  },
];
