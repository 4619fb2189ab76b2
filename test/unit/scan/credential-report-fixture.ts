/**
 * Credential reports as IAM serves them, for the scan unit tests: rows by column name (missing
 * columns read N/A, as AWS writes them), the CSV, and the Generate/Get responses on a mocked IAM client.
 */
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type IAMClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-iam';
import type { AwsStub } from 'aws-sdk-client-mock';
import { CREDENTIAL_REPORT_COLUMNS } from '../../../src/scan/credential-report';
import { daysAgo } from './helpers';

export type ReportRow = Partial<Record<(typeof CREDENTIAL_REPORT_COLUMNS)[number], string>>;

/** AWS's timestamp format in the report: ISO 8601 with +00:00, no milliseconds. */
export const reportTime = (d: Date): string => d.toISOString().replace('.000Z', '+00:00');

export function reportCsv(rows: ReportRow[]): string {
  const header = CREDENTIAL_REPORT_COLUMNS.join(',');
  return `${[header, ...rows.map((r) => CREDENTIAL_REPORT_COLUMNS.map((c) => r[c] ?? 'N/A').join(','))].join('\n')}\n`;
}

/** The report is ready at once and holds `rows`. */
export function serveReport(iam: AwsStub<ServiceInputTypes, ServiceOutputTypes, IAMClientResolvedConfig>, rows: ReportRow[]): void {
  iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iam.on(GetCredentialReportCommand).resolves({ Content: Buffer.from(reportCsv(rows)), ReportFormat: 'text/csv', GeneratedTime: daysAgo(0) });
}
