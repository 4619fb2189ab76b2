/**
 * Words and symbols the blocks use for the model's ids. Kept in one place so the summary, the
 * findings and the progress message always name a check, a step or an action the same way.
 */
import type { ActionId } from '../remediation/action-ids';
import type { CheckId, RunbookStep, Severity } from '../scan/model';
import { mrkdwn, type Mrkdwn } from './text';

export const SEVERITY_ICON: Record<Severity, Mrkdwn> = {
  critical: mrkdwn`:red_circle:`,
  high: mrkdwn`:large_orange_circle:`,
  medium: mrkdwn`:large_yellow_circle:`,
  low: mrkdwn`:large_blue_circle:`,
  info: mrkdwn`:white_circle:`,
};

export const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

/** Runbook steps as shared/runbook.md names them, short enough for a header (150 characters). */
export const STEP_TITLE: Record<RunbookStep, string> = {
  D1: 'Credential use (credential report)',
  D2: 'Recently used identities (last accessed)',
  D3: 'Activity of specific principals',
  D4: 'Unexpected charges (Cost Explorer)',
  D5: 'Unauthorized IAM resources and Organizations changes',
  R1: 'Exposed access keys',
  R2: 'Quarantined and unrecognised IAM users',
  R3: 'Temporary credentials',
  R4: 'CloudTrail event history',
  R5: 'Unrecognised resources in every region',
  R6: 'Evidence before deletion',
  R7: 'Restore from backups',
  R8: 'Account contacts',
};

export const CHECK_LABEL: Record<CheckId, string> = {
  'credential-report': 'Credential report',
  'last-accessed': 'Last accessed',
  quarantine: 'Quarantine policies',
  cloudtrail: 'CloudTrail event history',
  'iam-changes': 'IAM changes',
  organizations: 'Organizations',
  cost: 'Cost',
  resources: 'Resources in every region',
  'account-info': 'Account contacts',
};

/** Button labels (max 75 characters); destructive ones get Slack's danger style. */
export const ACTION_LABEL: Record<ActionId, string> = {
  'key.deactivate': 'Deactivate key',
  'key.reactivate': 'Reactivate key',
  'key.delete': 'Delete key',
  'user.deactivate-keys': 'Deactivate all keys',
  'user.quarantine': 'Quarantine user',
  'user.unquarantine': 'Lift quarantine',
  'user.disable-password': 'Disable console password',
  'user.delete': 'Delete user',
  'role.revoke-sessions': 'Revoke sessions',
  'role.delete': 'Delete role',
  'policy.delete': 'Delete policy',
  'instance.isolate': 'Isolate instance',
  'instance.unisolate': 'Remove isolation',
  'instance.snapshot': 'Snapshot volumes',
  'instance.terminate': 'Terminate instance',
};

export const DESTRUCTIVE_ACTIONS: ReadonlySet<ActionId> = new Set<ActionId>([
  'key.delete',
  'user.delete',
  'role.delete',
  'policy.delete',
  'instance.terminate',
]);
