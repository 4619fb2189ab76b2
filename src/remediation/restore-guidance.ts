/**
 * Runbook R7 (restore from the last known-good state) as guidance: how a person rebuilds each kind of
 * thing aws-ir kept before changing it. aws-ir restores nothing by itself: whether the saved state is
 * the last known-good one, and not already the attacker's, is a person's judgement.
 */
export type SavedKind = 'user' | 'role' | 'policy' | 'instance' | 'other';

export const NO_AUTOMATIC_RESTORE =
  'aws-ir does not restore anything automatically. Before restoring, check that the saved state is the last known-good one and not already the attacker’s.';

export function snapshotRestoreGuidance(snapshotId: string, region: string): string {
  return (
    `Create a volume from ${snapshotId} in ${region} (EC2 console > Snapshots > Create volume, or ` +
    `\`aws ec2 create-volume --snapshot-id ${snapshotId} --availability-zone <zone> --region ${region}\`) and attach it to an isolated ` +
    'forensics instance to investigate or copy data; or, for a root volume, register an AMI from the snapshot (`aws ec2 register-image`) and launch from it.'
  );
}

export const RESTORE_GUIDANCE: Readonly<Record<SavedKind, string>> = {
  user:
    'Re-create the user with its saved name and path (`aws iam create-user`), put back the saved inline policy documents, attach the saved managed policies and ' +
    'add it to the saved groups. Passwords, access keys, certificates and MFA devices cannot be restored: its owner creates new ones.',
  role:
    'Re-create the role with the saved trust policy (`aws iam create-role --assume-role-policy-document file://trust.json`), put back its inline policies, ' +
    'attach its managed policies and add it to its instance profiles. Read the trust policy first: it may be what the attacker changed.',
  policy:
    'Re-create the policy from the saved default version document (`aws iam create-policy --policy-document file://policy.json`) and attach it again to the ' +
    'saved users, groups and roles. Older versions are kept here as text only.',
  instance:
    'A terminated instance cannot be started again. Launch a replacement with the saved image, type, subnet, security groups and instance profile, using ' +
    'volumes created from its aws-ir snapshots, or register an AMI from the root-volume snapshot and launch from it.',
  other: 'Rebuild it by hand from the saved configuration below.',
};
