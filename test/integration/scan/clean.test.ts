/**
 * The scan against the sandbox's `clean` account (issue 4: "a healthy account: only hygiene findings"),
 * over real HTTP with the sandbox's rate limits on. People signing in with MFA, using their keys and
 * services, listing users and minting sessions from their usual addresses is evidence at most (low or
 * info); anything above low must be hygiene.
 *
 * Hygiene here means a standing weakness of the account's configuration that exists whatever happened
 * in the window, and that the runbook asks to fix: a console user or the root user without MFA, root
 * access keys, active keys unused for 90+ days, no security contact, no trail logging.
 */
import { clientsFor } from '../../../src/aws/clients';
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import { clearCostCache } from '../../../src/scan/checks/cost';
import { runScan } from '../../../src/scan/engine';
import type { Finding, ScanResult } from '../../../src/scan/model';
import { SEVERITY_RANK } from '../../../src/scan/signals';
import { sandboxClock } from '../../../src/sandbox-account';
import { sandboxTestTarget, VirtualTime } from '../../support/virtual-time';

const HYGIENE: ReadonlyArray<[Finding['check'], RegExp]> = [
  ['credential-report', /has no MFA device$/],
  ['credential-report', /^The root user has \d+ active access keys?$/],
  ['credential-report', /is active but unused for 90\+ days$/],
  ['account-info', /no security alternate contact/],
  ['cloudtrail', /^(No CloudTrail trail is logging|The account has no CloudTrail trail)$/],
];
const isHygiene = (f: Finding): boolean => HYGIENE.some(([check, title]) => f.check === check && title.test(f.title));

/** The sandbox's clock, its throttling, and the scans' pacing and polls on one virtual time: nobody waits. */
const time = new VirtualTime();
let sandbox: RunningSandbox;
let result: ScanResult;

beforeAll(async () => {
  clearCostCache();
  sandbox = await startSandbox({ scenario: 'clean', ...sandboxClock(time) });
  result = await runScan({
    clients: clientsFor(sandboxTestTarget(sandbox, time)),
    options: { days: 7 },
  });
}, 120_000);
afterAll(() => sandbox?.close());

const titles = (pred: (f: Finding) => boolean): string[] => result.findings.filter(pred).map((f) => `${f.severity} ${f.title}`);

describe('scan of the clean sandbox account', () => {
  it('reads everything, with no gaps', () => {
    expect(result.account).toBe(sandbox.accountId);
    expect(result.gaps).toEqual([]);
  });

  it('reports nothing above low except hygiene', () => {
    expect(titles((f) => SEVERITY_RANK[f.severity] < SEVERITY_RANK.low && !isHygiene(f))).toEqual([]);
  });

  it('reports its one hygiene item: the forgotten key of reports-export', () => {
    expect(titles(isHygiene)).toEqual(['low Access key AKIACLEANREPORTS0001 of reports-export is active but unused for 90+ days']);
  });

  it('keeps everyday use as low evidence: sign-ins with MFA, keys used, reads from usual addresses', () => {
    expect(titles((f) => f.check === 'credential-report' && f.evidence.credential === 'password').sort()).toEqual([
      'low IAM user alice signed in to the console in the incident window',
      'low IAM user bob signed in to the console in the incident window',
    ]);
    expect(titles((f) => f.step === 'R1' && f.title.includes('was used in the incident window'))).toHaveLength(2);
    expect(titles((f) => f.step === 'R1').every((t) => t.startsWith('low '))).toBe(true);
    // Routine reconnaissance (alice's ListUsers from her office) stays visible, as low; MFA sign-ins are not signals.
    // One low detection naming alice (IAM reconnaissance) and one low summary of her calls.
    const r4 = result.findings.filter((f) => f.check === 'cloudtrail');
    expect(r4.map((f) => `${f.severity} ${f.detection ?? 'summary'}`).sort()).toEqual(['low iam-reconnaissance', 'low summary']);
    const summary = r4.find((f) => !f.detection);
    expect(summary?.evidence).toMatchObject({ principal: expect.stringMatching(/:user\/alice$/), events: { ListUsers: expect.any(Number) } });
    expect(summary?.evidence.events).not.toHaveProperty('ConsoleLogin');
  });

  it('flags no identity, so no last-accessed context is gathered; spend is read and summarised once', () => {
    expect(result.findings.filter((f) => f.check === 'last-accessed')).toEqual([]);
    expect(result.stats.apiCalls['IAM:GenerateServiceLastAccessedDetails']).toBeUndefined();
    expect(titles((f) => f.check === 'cost')).toEqual([expect.stringMatching(/^info Spend: \d+\.\d\d USD in the last 7 days against \d+\.\d\d USD/)]);
  });
});
