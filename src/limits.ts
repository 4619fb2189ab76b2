/**
 * Limits and patterns more than one module checks input against: the slash command and the command
 * line, the configuration, the remediation workflow and the store. (Block Kit's own limits are in
 * blocks/limits.ts.)
 */

/** The incident window: CloudTrail's event history keeps 90 days. */
export const WINDOW_DAYS = { min: 1, max: 90, default: 7 } as const;

export const DAY_MS = 86_400_000;

/** AWS region names such as us-east-1 or ap-southeast-4. */
export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d$/;

export const ACCOUNT_ID = /^\d{12}$/;

/** arn:aws:iam::123456789012:role/path/name; group 1 is the account. */
export const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;

/** A session of a role: arn:aws:sts::<account>:assumed-role/<role>/<session>; group 1 is the role. */
export const ASSUMED_ROLE_ARN = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([\w+=,.@-]{1,128})\/[\w+=,.@-]+$/;

/** Slack user ids (U…/W…) and user group ids (S…), as AWS_IR_RESPONDERS lists them. */
export const SLACK_MEMBER_ID = /^[UWS][A-Z0-9]{2,}$/;

/** A request's reason: what the modal accepts and what is stored. */
export const REASON_MAX_CHARS = 500;

/** How much of what a user typed is echoed back in an error. */
export const ECHO_MAX_CHARS = 60;

/** A request not approved within this many minutes expires (AWS_IR_REQUEST_TTL_MINUTES). */
export const REQUEST_TTL_MINUTES = { min: 1, max: 24 * 60, default: 30 } as const;

/** An approval counts for this many minutes; an execution not started by then needs approving again (AWS_IR_EXECUTION_TTL_MINUTES). */
export const EXECUTION_TTL_MINUTES = { min: 1, max: 24 * 60, default: 10 } as const;

/** Distinct approvers a destructive action needs, the requester never counted (AWS_IR_DESTRUCTIVE_APPROVERS). */
export const DESTRUCTIVE_APPROVERS = { min: 1, max: 5, default: 1 } as const;

/** A scan's overall deadline (AWS_IR_SCAN_DEADLINE_SECONDS): what has not finished by then becomes a gap. */
export const SCAN_DEADLINE_SECONDS = { min: 10, max: 3600, default: 300 } as const;

/**
 * Work that claims something in the store (a channel for a scan, a request for execution) holds it
 * for this long and renews it while it runs; a holder that stops renewing is presumed dead.
 */
export const LEASE_MS = 2 * 60_000;
export const LEASE_RENEW_MS = 30_000;

/** How often pending requests are checked for expiry and dead holders for recovery. */
export const SWEEP_INTERVAL_MS = 60_000;
