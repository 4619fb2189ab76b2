/**
 * The catalog as SQL on Amazon Athena over the trail's table (for an organization trail, where one
 * machine reading every account's files is too slow): StartQueryExecution, GetQueryExecution polled with
 * backoff, GetQueryResults paged; the rows become the same parsed events as any other source's, and
 * Statistics.DataScannedInBytes is what Athena bills ($5 per TB).
 */
import { GetQueryExecutionCommand, paginateGetQueryResults, StartQueryExecutionCommand, StopQueryExecutionCommand } from '@aws-sdk/client-athena';
import type { AwsClients } from '../../aws/clients';
import { type CloudTrailRecord, trailEventFromRecord } from '../cloudtrail-events';
import { step } from '../errors';
import { awsOrigin } from '../aws-origin';
import { type AthenaRange, type AthenaTable, catalogEventsSql, historySql } from './athena-sql';
import type { EventCollector } from './collector';
import type { CloudTrailSourceOptions } from './model';

export const USD_PER_TB = 5;
/** Athena bills every query as at least 10 MB scanned. */
export const MIN_BILLED_BYTES = 10 * 1024 * 1024;
/** How long a query may run before the scan gives up on it (and stops it). */
export const QUERY_TIMEOUT_MS = 10 * 60_000;

export class AthenaQueryFailed extends Error {
  readonly code = 'aws_ir_athena_query_failed';
  constructor(
    readonly state: string,
    readonly reason: string,
  ) {
    super(`The Athena query ended ${state}: ${reason}`);
    this.name = 'AthenaQueryFailed';
  }
}

export interface QueryRun {
  id: string;
  rows: Record<string, string | undefined>[];
  scannedBytes: number;
  requests: number;
}

type AthenaOptions = NonNullable<CloudTrailSourceOptions['athena']>;

/** Runs one query to completion and reads every row (header row skipped), by column name. */
export async function runQuery(clients: AwsClients, region: string, opts: AthenaOptions, sql: string, pollMs: number): Promise<QueryRun> {
  const athena = clients.athena(region);
  const started = await step('athena:StartQueryExecution', () =>
    athena.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: opts.workgroup,
        QueryExecutionContext: { Database: opts.database },
        ...(opts.outputLocation ? { ResultConfiguration: { OutputLocation: opts.outputLocation } } : {}),
      }),
    ),
  );
  const id = started.QueryExecutionId as string;
  let requests = 1;
  let scannedBytes = 0;
  const deadline = clients.clock.now().getTime() + QUERY_TIMEOUT_MS;
  // Queries take seconds: poll from a short delay, doubling, at most every 5 s.
  for (let i = 0; ; i++) {
    const out = await step('athena:GetQueryExecution', () => athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id })));
    requests++;
    const status = out.QueryExecution?.Status;
    scannedBytes = out.QueryExecution?.Statistics?.DataScannedInBytes ?? 0;
    if (status?.State === 'SUCCEEDED') break;
    if (status?.State === 'FAILED' || status?.State === 'CANCELLED') throw new AthenaQueryFailed(status.State, status.StateChangeReason ?? 'no reason given');
    if (clients.clock.now().getTime() > deadline) {
      await step('athena:StopQueryExecution', () => athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id })));
      throw new AthenaQueryFailed('TIMED_OUT', `still ${status?.State ?? 'running'} after ${QUERY_TIMEOUT_MS / 60_000} minutes; it was stopped`);
    }
    await clients.clock.sleep(Math.min(5000, Math.max(25, pollMs) * 2 ** Math.min(i, 8)));
  }
  const rows: Record<string, string | undefined>[] = [];
  let columns: string[] = [];
  let first = true;
  const pager = paginateGetQueryResults({ client: athena, pageSize: 1000 }, { QueryExecutionId: id });
  for (;;) {
    const next = await step('athena:GetQueryResults', () => pager.next());
    if (next.done) break;
    const page = next.value;
    requests++;
    if (first) columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
    const data = page.ResultSet?.Rows ?? [];
    for (let i = first ? 1 : 0; i < data.length; i++) {
      const values = data[i]?.Data ?? [];
      const row: Record<string, string | undefined> = {};
      columns.forEach((c, j) => {
        row[c] = values[j]?.VarCharValue;
      });
      rows.push(row);
    }
    first = false;
  }
  return { id, rows, scannedBytes, requests };
}

const json = (text: string | undefined): unknown => {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** An events-query row as the CloudTrail record it came from (the fields the scan reads). */
export function recordOfRow(r: Record<string, string | undefined>): CloudTrailRecord {
  const identity: NonNullable<CloudTrailRecord['userIdentity']> = {};
  if (r.identity_type) identity.type = r.identity_type;
  if (r.identity_arn) identity.arn = r.identity_arn;
  if (r.identity_account) identity.accountId = r.identity_account;
  if (r.identity_invokedby) identity.invokedBy = r.identity_invokedby;
  if (r.identity_accesskeyid) identity.accessKeyId = r.identity_accesskeyid;
  if (r.identity_username) identity.userName = r.identity_username;
  if (r.session_mfa || r.session_created || r.issuer_arn || r.issuer_username) {
    identity.sessionContext = {};
    if (r.session_mfa || r.session_created) {
      identity.sessionContext.attributes = {};
      if (r.session_mfa) identity.sessionContext.attributes.mfaAuthenticated = r.session_mfa;
      if (r.session_created) identity.sessionContext.attributes.creationDate = r.session_created;
    }
    if (r.issuer_arn || r.issuer_username || r.issuer_type) {
      identity.sessionContext.sessionIssuer = {};
      if (r.issuer_arn) identity.sessionContext.sessionIssuer.arn = r.issuer_arn;
      if (r.issuer_username) identity.sessionContext.sessionIssuer.userName = r.issuer_username;
      if (r.issuer_type) identity.sessionContext.sessionIssuer.type = r.issuer_type;
    }
  }
  const rec: CloudTrailRecord = { userIdentity: identity };
  if (r.eventid) rec.eventID = r.eventid;
  if (r.eventtime) rec.eventTime = r.eventtime;
  if (r.eventsource) rec.eventSource = r.eventsource;
  if (r.eventname) rec.eventName = r.eventname;
  if (r.awsregion) rec.awsRegion = r.awsregion;
  if (r.sourceipaddress) rec.sourceIPAddress = r.sourceipaddress;
  if (r.useragent) rec.userAgent = r.useragent;
  if (r.errorcode) rec.errorCode = r.errorcode;
  if (r.errormessage) rec.errorMessage = r.errormessage;
  const request = json(r.requestparameters);
  if (request !== undefined) rec.requestParameters = request;
  const response = json(r.responseelements);
  if (response && typeof response === 'object') rec.responseElements = response as Record<string, unknown>;
  const additional = json(r.additionaleventdata);
  if (additional && typeof additional === 'object') rec.additionalEventData = additional as Record<string, unknown>;
  if (r.readonly) rec.readOnly = r.readonly;
  if (r.recipientaccountid) rec.recipientAccountId = r.recipientaccountid;
  if (r.sharedeventid) rec.sharedEventID = r.sharedeventid;
  return rec;
}

export interface AthenaRead {
  queryIds: string[];
  scannedBytes: number;
  /** Per query, as billed. */
  queryBytes: number[];
  requests: number;
  /** Events read per region. */
  events: Map<string, number>;
}

/** Runs the events and history queries together and hands their rows to the collector. */
export async function readAthena(
  clients: AwsClients,
  region: string,
  opts: AthenaOptions,
  range: AthenaRange,
  collector: EventCollector,
  pollMs: number,
): Promise<AthenaRead> {
  const table: AthenaTable = { database: opts.database, table: opts.table };
  const [events, history] = await Promise.all([
    runQuery(clients, region, opts, catalogEventsSql(table, range), pollMs),
    runQuery(clients, region, opts, historySql(table, range), pollMs),
  ]);
  const perRegion = new Map<string, number>();
  for (const row of events.rows) {
    const e = trailEventFromRecord(recordOfRow(row), row.awsregion ?? region);
    perRegion.set(e.region, (perRegion.get(e.region) ?? 0) + 1);
    collector.add(e);
  }
  for (const row of history.rows) {
    const rec = recordOfRow(row);
    const e = trailEventFromRecord(rec, row.awsregion ?? region);
    const first = row.first_seen ? new Date(row.first_seen) : undefined;
    const last = row.last_seen ? new Date(row.last_seen) : undefined;
    if (!first || !last || Number.isNaN(first.getTime()) || Number.isNaN(last.getTime())) continue;
    const use: Parameters<EventCollector['addSpan']>[0] = { principal: e.principal, region: e.region };
    if (e.principalType) use.principalType = e.principalType;
    if (e.roleName) use.roleName = e.roleName;
    if (e.userName) use.userName = e.userName;
    if (e.sourceIp) use.sourceIp = e.sourceIp;
    if (e.accessKeyId) use.accessKeyId = e.accessKeyId;
    const origin = awsOrigin(rec);
    if (origin) use.awsOrigin = origin;
    collector.addSpan(use, first, last);
  }
  return {
    queryIds: [events.id, history.id],
    scannedBytes: events.scannedBytes + history.scannedBytes,
    queryBytes: [events.scannedBytes, history.scannedBytes],
    requests: events.requests + history.requests,
    events: perRegion,
  };
}

export const athenaCostUsd = (bytesPerQuery: number[]): number =>
  bytesPerQuery.reduce((usd, b) => usd + (Math.max(b, MIN_BILLED_BYTES) / 1e12) * USD_PER_TB, 0);
