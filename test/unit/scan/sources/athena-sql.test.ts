/**
 * The SQL the scan runs on Athena, generated from the detection catalog: its text is what Athena runs and
 * bills, so it is checked as text.
 */
import { DETECTIONS } from '../../../../src/scan/detections/catalog';
import { ANY_NAME_SQL, anyNamePredicate, catalogEventsSql, EVENT_COLUMNS, historySql, literal } from '../../../../src/scan/sources/athena-sql';
import { ANY_NAME_DETECTIONS } from '../../../../src/scan/sources/candidates';

const table = { database: 'security', table: 'cloudtrail_logs' };
const range = { regions: ['us-east-1', 'eu-west-1'], from: new Date('2026-11-25T06:00:00.123Z'), to: new Date('2026-12-02T05:45:00Z') };

describe('catalogEventsSql', () => {
  const sql = catalogEventsSql(table, range);

  it('reads the named table, pruning the timestamp partition to the window’s days (and the day after, for late files)', () => {
    expect(sql).toContain('FROM "security"."cloudtrail_logs"');
    expect(sql).toContain(`WHERE "timestamp" BETWEEN '2026/11/25' AND '2026/12/03'`);
  });

  it('bounds eventtime in CloudTrail’s own format, which compares as text', () => {
    expect(sql).toContain(`eventtime >= '2026-11-25T06:00:00Z' AND eventtime < '2026-12-02T05:45:00Z'`);
  });

  it('reads only the window’s regions', () => {
    expect(sql).toContain(`awsregion IN ('us-east-1', 'eu-west-1')`);
  });

  it('selects every event name of the catalog', () => {
    const names = [...new Set(DETECTIONS.flatMap((d) => d.match.events).filter((n) => n !== '*'))];
    const list = /eventname IN \(([^)]*)\)/.exec(sql)?.[1] ?? '';
    const inSql = list.split(', ').map((s) => s.slice(1, -1));
    expect(inSql.sort()).toEqual(names.sort());
  });

  it('selects what the any-name detections match: denied calls, root, attack tools’ user agents', () => {
    expect(sql).toContain(`errorcode LIKE '%AccessDenied%'`);
    expect(sql).toContain(`useridentity.type IN ('Root')`);
    expect(sql).toMatch(/regexp_like\(useragent, '\(\?i\)\(trufflehog\|pacu\|kali/);
  });

  it('names every column the rows are read by, struct fields included', () => {
    for (const [name, expr] of EVENT_COLUMNS) expect(sql).toContain(`${expr} AS ${name}`);
    expect(sql).toContain('useridentity.sessioncontext.sessionissuer.username AS issuer_username');
  });
});

describe('any-name detections', () => {
  it('each is restricted by something other than its name (a new one without a restriction would select every event)', () => {
    expect(ANY_NAME_DETECTIONS.length).toBeGreaterThan(0);
    for (const d of ANY_NAME_DETECTIONS) expect(anyNamePredicate(d)).not.toBe('');
  });

  it('fails loudly for a detection that would select every event', () => {
    const unrestricted = { ...DETECTIONS[0], id: 'every-call', match: { source: '*', events: ['*'], outcome: 'any' } } as (typeof DETECTIONS)[number];
    expect(() => anyNamePredicate(unrestricted)).toThrow(/ANY_NAME_SQL/);
  });

  it('keeps hints only for detections that exist', () => {
    for (const id of Object.keys(ANY_NAME_SQL)) expect(ANY_NAME_DETECTIONS.map((d) => d.id)).toContain(id);
  });
});

describe('historySql', () => {
  const sql = historySql(table, range);

  it('aggregates successful calls with an address by principal, address and region: first and last time', () => {
    expect(sql).toContain('min(eventtime) AS first_seen, max(eventtime) AS last_seen, count(*) AS calls');
    expect(sql).toContain('AND errorcode IS NULL AND sourceipaddress IS NOT NULL');
    expect(sql).toMatch(/GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9$/);
  });

  it('counts a role’s sessions as the role, and only long-term keys, so the groups stay few', () => {
    expect(sql).toContain(
      "CASE WHEN useridentity.type = 'AssumedRole' AND useridentity.sessioncontext.sessionissuer.username IS NOT NULL THEN NULL ELSE useridentity.arn END AS identity_arn",
    );
    expect(sql).toContain("CASE WHEN useridentity.accesskeyid LIKE 'AKIA%' THEN useridentity.accesskeyid END AS identity_accesskeyid");
  });
});

it('quotes literals as Athena does', () => {
  expect(literal("o'brien")).toBe("'o''brien'");
});
