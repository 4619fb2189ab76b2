/**
 * The SQL the scan runs on Athena over the trail's table (AWS's documented CloudTrail table: lower-case
 * columns, `useridentity` a struct, `requestparameters`/`responseelements`/`additionaleventdata` JSON
 * text, partition `timestamp` as yyyy/MM/dd), generated from the detection catalog in this one module:
 *
 * - the events query selects every event a detection could match: the catalog's event names, and for the
 *   detections that match any name, what restricts them (an error code, the root identity, a tool's
 *   user agent); the catalog then judges the rows exactly as it judges LookupEvents' events;
 * - the history query aggregates every successful call by principal, address and region (first and last
 *   time), which is what tells a principal's usual addresses and regions from new ones.
 *
 * Both prune partitions by day and read only the window's regions.
 */
import { ATTACK_TOOL_AGENTS } from '../detections/conditions';
import type { Detection } from '../detections/model';
import { ANY_NAME_DETECTIONS, CATALOG_NAMES } from './candidates';

export interface AthenaTable {
  database: string;
  table: string;
}

export interface AthenaRange {
  regions: string[];
  from: Date;
  to: Date;
}

/** A SQL string literal (Athena doubles single quotes). */
export const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;
/** CloudTrail's eventtime format, which compares correctly as text. */
const eventTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const day = (d: Date): string => d.toISOString().slice(0, 10).replace(/-/g, '/');

/**
 * What restricts a detection that matches any event name, beyond its outcome and identities: the
 * conditions that would otherwise select every event. A new detection of that kind needs an entry (a test
 * fails without one).
 */
export const ANY_NAME_SQL: Readonly<Record<string, string>> = {
  'attack-tool-user-agent': `regexp_like(useragent, ${literal(`(?i)${ATTACK_TOOL_AGENTS.source}`)})`,
};

/** The predicate selecting what one any-name detection could match (a superset: the catalog judges each row). */
export function anyNamePredicate(d: Detection): string {
  const parts: string[] = [];
  const m = d.match;
  if (m.outcome === 'failure') {
    parts.push(m.errorCodes?.length ? `(${m.errorCodes.map((c) => `errorcode LIKE ${literal(`%${c}%`)}`).join(' OR ')})` : 'errorcode IS NOT NULL');
  }
  if (m.identities?.length) parts.push(`useridentity.type IN (${m.identities.map(literal).join(', ')})`);
  const hint = ANY_NAME_SQL[d.id];
  if (hint) parts.push(hint);
  if (!parts.length) throw new Error(`detection ${d.id} matches every event; add what restricts it to ANY_NAME_SQL in athena-sql.ts`);
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' AND ')})`;
}

function scope(table: AthenaTable, r: AthenaRange): string {
  return [
    `FROM ${ident(table.database)}.${ident(table.table)}`,
    `WHERE "timestamp" BETWEEN ${literal(day(r.from))} AND ${literal(day(new Date(r.to.getTime() + 86_400_000)))}`,
    `  AND eventtime >= ${literal(eventTime(r.from))} AND eventtime < ${literal(eventTime(r.to))}`,
    `  AND awsregion IN (${r.regions.map(literal).join(', ')})`,
  ].join('\n');
}

/** Columns the events query returns, by the name rows are read with (athena-rows.ts). */
export const EVENT_COLUMNS: readonly [name: string, expr: string][] = [
  ['eventid', 'eventid'],
  ['eventtime', 'eventtime'],
  ['eventsource', 'eventsource'],
  ['eventname', 'eventname'],
  ['awsregion', 'awsregion'],
  ['sourceipaddress', 'sourceipaddress'],
  ['useragent', 'useragent'],
  ['errorcode', 'errorcode'],
  ['errormessage', 'errormessage'],
  ['requestparameters', 'requestparameters'],
  ['responseelements', 'responseelements'],
  ['additionaleventdata', 'additionaleventdata'],
  ['readonly', 'readonly'],
  ['recipientaccountid', 'recipientaccountid'],
  ['sharedeventid', 'sharedeventid'],
  ['identity_type', 'useridentity.type'],
  ['identity_arn', 'useridentity.arn'],
  ['identity_account', 'useridentity.accountid'],
  ['identity_invokedby', 'useridentity.invokedby'],
  ['identity_accesskeyid', 'useridentity.accesskeyid'],
  ['identity_username', 'useridentity.username'],
  ['session_mfa', 'useridentity.sessioncontext.attributes.mfaauthenticated'],
  ['session_created', 'useridentity.sessioncontext.attributes.creationdate'],
  ['issuer_type', 'useridentity.sessioncontext.sessionissuer.type'],
  ['issuer_arn', 'useridentity.sessioncontext.sessionissuer.arn'],
  ['issuer_username', 'useridentity.sessioncontext.sessionissuer.username'],
];

/** Every event of the range a detection of the catalog could match. */
export function catalogEventsSql(table: AthenaTable, r: AthenaRange): string {
  const names = [...CATALOG_NAMES.keys()].sort();
  const selectors = [`eventname IN (${names.map(literal).join(', ')})`, ...ANY_NAME_DETECTIONS.map(anyNamePredicate)];
  return [`SELECT ${EVENT_COLUMNS.map(([name, expr]) => `${expr} AS ${name}`).join(', ')}`, scope(table, r), `  AND (${selectors.join('\n    OR ')})`].join(
    '\n',
  );
}

/** Columns the history query returns. */
export const HISTORY_COLUMNS: readonly [name: string, expr: string][] = [
  ['identity_type', 'useridentity.type'],
  // A role's sessions count as the role (routine-activity.ts), so sessions are not told apart here.
  [
    'identity_arn',
    "CASE WHEN useridentity.type = 'AssumedRole' AND useridentity.sessioncontext.sessionissuer.username IS NOT NULL THEN NULL ELSE useridentity.arn END",
  ],
  ['identity_invokedby', 'useridentity.invokedby'],
  ['identity_username', 'useridentity.username'],
  ['issuer_username', 'useridentity.sessioncontext.sessionissuer.username'],
  ['issuer_arn', 'useridentity.sessioncontext.sessionissuer.arn'],
  // Long-term keys only: reconcile.ts asks how an IAM user's key was used; session keys are one per session.
  ['identity_accesskeyid', "CASE WHEN useridentity.accesskeyid LIKE 'AKIA%' THEN useridentity.accesskeyid END"],
  ['sourceipaddress', 'sourceipaddress'],
  ['awsregion', 'awsregion'],
];

/** First and last successful call of every principal from every address in every region of the range. */
export function historySql(table: AthenaTable, r: AthenaRange): string {
  return [
    `SELECT ${HISTORY_COLUMNS.map(([name, expr]) => `${expr} AS ${name}`).join(', ')}, min(eventtime) AS first_seen, max(eventtime) AS last_seen, count(*) AS calls`,
    scope(table, r),
    '  AND errorcode IS NULL AND sourceipaddress IS NOT NULL',
    `GROUP BY ${HISTORY_COLUMNS.map((_, i) => i + 1).join(', ')}`,
  ].join('\n');
}
