/**
 * The IAM credential report (runbook D1): generated once per scan, parsed into typed rows. Last-used
 * data for every user comes from here, never from per-user calls.
 */
import { GenerateCredentialReportCommand, GetCredentialReportCommand } from '@aws-sdk/client-iam';
import type { CheckContext } from './context';
import { pollUntil } from './context';
import { parseCsv } from './csv';
import { errorCodeOf, step, StepTimeoutError } from './errors';

/** The 22 columns AWS documents, in order. */
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

export const ROOT_USER = '<root_account>';

/** A timestamp column: a date, or why there is none. */
export type ReportDate =
  | { kind: 'date'; value: Date }
  | { kind: 'N/A' } // e.g. no password, no key
  | { kind: 'no_information' } // never used, or not since tracking began
  | { kind: 'not_supported' }; // root password_last_changed etc.

export type ReportBool = boolean | 'not_supported';

export interface ReportKey {
  slot: 1 | 2;
  active: boolean;
  lastRotated: ReportDate;
  lastUsed: ReportDate;
  lastUsedRegion?: string;
  lastUsedService?: string;
}

export interface CredentialReportRow {
  user: string;
  arn: string;
  isRoot: boolean;
  created: ReportDate;
  passwordEnabled: ReportBool;
  passwordLastUsed: ReportDate;
  passwordLastChanged: ReportDate;
  mfaActive: boolean;
  keys: [ReportKey, ReportKey];
}

export interface CredentialReport {
  generatedAt?: Date;
  rows: CredentialReportRow[];
}

export class CredentialReportFormatError extends Error {
  readonly code = 'aws_ir_credential_report_format';
  constructor(message: string) {
    super(message);
    this.name = 'CredentialReportFormatError';
  }
}

export function parseReportDate(raw: string | undefined): ReportDate {
  const v = (raw ?? '').trim();
  if (v === 'no_information') return { kind: 'no_information' };
  if (v === 'not_supported') return { kind: 'not_supported' };
  if (v === 'N/A' || v === '') return { kind: 'N/A' };
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? { kind: 'N/A' } : { kind: 'date', value: d };
}

function parseBool(raw: string | undefined): ReportBool {
  const v = (raw ?? '').trim().toLowerCase();
  if (v === 'not_supported') return 'not_supported';
  return v === 'true';
}

export function dateOf(d: ReportDate): Date | undefined {
  return d.kind === 'date' ? d.value : undefined;
}

/** Parses the report's CSV by header name, so a reordered or extended report still parses. */
export function parseCredentialReport(csv: string): CredentialReportRow[] {
  const [header, ...rows] = parseCsv(csv);
  if (!header) return [];
  const index = new Map(header.map((h, i) => [h.trim(), i]));
  for (const col of ['user', 'arn'] as const) {
    if (!index.has(col)) throw new CredentialReportFormatError(`credential report has no "${col}" column`);
  }
  return rows.map((cells) => {
    const get = (col: (typeof CREDENTIAL_REPORT_COLUMNS)[number]): string | undefined => {
      const i = index.get(col);
      return i === undefined ? undefined : cells[i];
    };
    const key = (slot: 1 | 2): ReportKey => {
      const region = get(`access_key_${slot}_last_used_region`);
      const service = get(`access_key_${slot}_last_used_service`);
      const k: ReportKey = {
        slot,
        active: parseBool(get(`access_key_${slot}_active`)) === true,
        lastRotated: parseReportDate(get(`access_key_${slot}_last_rotated`)),
        lastUsed: parseReportDate(get(`access_key_${slot}_last_used_date`)),
      };
      if (region && region !== 'N/A') k.lastUsedRegion = region;
      if (service && service !== 'N/A') k.lastUsedService = service;
      return k;
    };
    const user = get('user') ?? '';
    return {
      user,
      arn: get('arn') ?? '',
      isRoot: user === ROOT_USER,
      created: parseReportDate(get('user_creation_time')),
      passwordEnabled: parseBool(get('password_enabled')),
      passwordLastUsed: parseReportDate(get('password_last_used')),
      passwordLastChanged: parseReportDate(get('password_last_changed')),
      mfaActive: parseBool(get('mfa_active')) === true,
      keys: [key(1), key(2)],
    };
  });
}

const MAX_POLLS = 10;

/** Generates (or reuses, if AWS has a fresh one) the report and reads it; memoised per scan. */
export function credentialReport(ctx: CheckContext): Promise<CredentialReport> {
  return ctx.memo('credential-report', async () => {
    const iam = ctx.clients.iam();
    const complete = await pollUntil(ctx.clients, ctx.pollIntervalMs, MAX_POLLS, async () => {
      const out = await step('iam:GenerateCredentialReport', () => iam.send(new GenerateCredentialReportCommand({})));
      return out.State === 'COMPLETE' ? true : undefined;
    });
    if (!complete) throw new StepTimeoutError('Generating the IAM credential report');
    const out = await step('iam:GetCredentialReport', async () => {
      try {
        return await iam.send(new GetCredentialReportCommand({}));
      } catch (err) {
        // Another generation can race ours; one more read after a pause is cheap.
        if (errorCodeOf(err) !== 'ReportInProgress' && errorCodeOf(err) !== 'ReportInProgressException') throw err;
        await ctx.clients.clock.sleep(ctx.pollIntervalMs * 4);
        return iam.send(new GetCredentialReportCommand({}));
      }
    });
    const content = out.Content;
    const text = content === undefined ? '' : typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
    const report: CredentialReport = { rows: parseCredentialReport(text) };
    if (out.GeneratedTime) report.generatedAt = out.GeneratedTime;
    return report;
  });
}
