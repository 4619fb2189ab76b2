/**
 * The scan engine's entry point. Contract used by the Slack handlers and the CLI; the engine never
 * imports Bolt. It finds out who and where it is scanning, runs every check concurrently (each check
 * runs its regions in parallel), then gathers last-accessed data for the identities the checks flagged.
 * Nothing a check or AWS does can make runScan throw: failures become gaps.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws/clients';
import { awsCallContext, CallCounter, withAwsCallObserver, type AwsCallObserver } from '../aws/call-tracking';
import { enabledRegions } from '../aws/regions';
import { WINDOW_DAYS } from '../limits';
import { accountInfoCheck } from './checks/account-info';
import { cloudTrailCheck } from './checks/cloudtrail';
import { costCheck } from './checks/cost';
import { credentialReportCheck } from './checks/credential-report';
import { iamChangesCheck } from './checks/iam-changes';
import { lastAccessedCheck } from './checks/last-accessed';
import { organizationsCheck } from './checks/organizations';
import { quarantineCheck } from './checks/quarantine';
import { resourcesCheck } from './checks/resources';
import { promiseMemo, type Check, type CheckContext, type ScanCaller } from './context';
import { ScanDeadline } from './deadline';
import { gapFrom, step } from './errors';
import { RUNBOOK_STEPS, type CheckId, type Finding, type Gap, type ProgressEvent, type ScanOptions, type ScanResult } from './model';
import { reconcileWithTrail } from './reconcile';
import { correlateAndResolveKeys } from './resolve-key-ids';
import { SEVERITY_RANK } from './signals';
import type { CloudTrailReport } from './sources/model';
import { buildStories, type Story } from './stories';
import { trailWindow } from './trail-window';

export interface ScanInput {
  clients: AwsClients;
  options: ScanOptions;
  onProgress?: (event: ProgressEvent) => void;
}

export type ScanFn = (input: ScanInput) => Promise<ScanResult>;

const DAY_MS = 86_400_000;

/** The checks that need nothing from other checks, in the order their progress is listed. */
export const INDEPENDENT_CHECKS: ReadonlyArray<[CheckId, Check]> = [
  ['credential-report', credentialReportCheck],
  ['quarantine', quarantineCheck],
  ['cloudtrail', cloudTrailCheck],
  ['iam-changes', iamChangesCheck],
  ['organizations', organizationsCheck],
  ['cost', costCheck],
  ['resources', resourcesCheck],
  ['account-info', accountInfoCheck],
];

/** The checks whose findings name the identities the last-accessed check reads. */
const IDENTITY_CHECKS: readonly CheckId[] = ['credential-report', 'quarantine', 'cloudtrail', 'iam-changes'];

export const runScan: ScanFn = async ({ clients, options, onProgress }) => {
  const startedAt = Date.now();
  const counter = new CallCounter();
  // Keep any outer observer (e.g. an audit trail) informed too.
  const outer = awsCallContext.getStore();
  const observer: AwsCallObserver = {
    onCall(call) {
      counter.onCall(call);
      outer?.onCall(call);
    },
  };
  const emit = (e: ProgressEvent): void => {
    try {
      onProgress?.(e);
    } catch {
      // A failing progress renderer must not stop the scan.
    }
  };
  // The window ends at the account's now (AwsAccountTarget.clock): the wall clock, or a test's virtual time.
  const now = options.now ?? clients.clock.now();
  const days = Math.min(WINDOW_DAYS.max, Math.max(WINDOW_DAYS.min, Math.round(Number.isFinite(options.days) ? options.days : WINDOW_DAYS.default)));
  const window = { start: new Date(now.getTime() - days * DAY_MS), end: now };
  const findings: Finding[] = [];
  const gaps: Gap[] = [];
  let account = clients.target.key;
  let regions: string[] = [];
  let cloudtrail: CloudTrailReport | undefined;
  let stories: Story[] = [];

  const deadline = new ScanDeadline(options.deadline);
  // Every phase is planned up front: one the deadline cuts off before it even started gets its gap too.
  const callerPhase = deadline.plan({ checks: ['quarantine'], what: 'finding out which identity runs the scan' });
  const regionsPhase = deadline.plan({ checks: ['cloudtrail', 'resources'], what: "listing the account's regions" });
  const checkPhases = new Map(INDEPENDENT_CHECKS.map(([id]) => [id, deadline.plan({ checks: [id], what: `the ${id} check` })]));
  const correlatePhase = deadline.plan({ checks: ['credential-report', 'cloudtrail'], what: 'matching access key ids and CloudTrail to the findings' });
  const lastAccessedPhase = deadline.plan({ checks: ['last-accessed'], what: 'service-last-accessed data for the flagged identities' });

  const work = withAwsCallObserver(observer, async () => {
    let caller: ScanCaller | undefined;
    await deadline.run(callerPhase, observer, (own) =>
      withAwsCallObserver(own, async () => {
        try {
          const id = await step('sts:GetCallerIdentity', () => clients.sts().send(new GetCallerIdentityCommand({})));
          if (id.Account) account = id.Account;
          if (id.Arn) {
            caller = { arn: id.Arn };
            const user = /:user\/(?:.*\/)?([^/]+)$/.exec(id.Arn)?.[1];
            if (user) caller.userName = user;
          }
        } catch (err) {
          const gap = gapFrom('quarantine', err);
          gaps.push({ ...gap, reason: `could not tell which identity runs the scan, so whether it is itself quarantined is unknown: ${gap.reason}` });
        }
      }),
    );
    if (deadline.passed) return;
    regions = await deadline.run(regionsPhase, observer, (own) => withAwsCallObserver(own, () => scanRegions(clients, options.regions, gaps)));

    const ctx: CheckContext = {
      clients,
      account,
      window,
      days,
      regions,
      now,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      detail: () => undefined,
      memo: promiseMemo(),
    };
    if (caller) ctx.caller = caller;
    if (options.organizationAccounts) ctx.organizationAccounts = new Set(options.organizationAccounts);
    if (options.cloudTrail) ctx.cloudTrail = options.cloudTrail;

    const run = async (id: CheckId, check: Check, phase?: ReturnType<ScanDeadline['plan']>): Promise<void> => {
      const t0 = Date.now();
      emit({ type: 'check-started', check: id });
      const own: CheckContext = { ...ctx, detail: (message) => emit({ type: 'detail', check: id, message }) };
      let f: Finding[] = [];
      let g: Gap[] = [];
      try {
        ({ findings: f, gaps: g } = await deadline.run(phase ?? { checks: [id], what: `the ${id} check` }, observer, (tracked) =>
          withAwsCallObserver(tracked, () => check(own)),
        ));
      } catch (err) {
        g = [gapFrom(id, err)];
      }
      // Too late: the deadline's gap already says this check's results are missing.
      if (deadline.passed) return;
      findings.push(...f);
      gaps.push(...g);
      emit({ type: 'check-finished', check: id, findings: f.length, gaps: g.length, durationMs: Date.now() - t0, found: f });
    };
    if (deadline.passed) return;
    await Promise.all(INDEPENDENT_CHECKS.map(([id, check]) => run(id, check, checkPhases.get(id))));
    if (deadline.passed) return;
    await deadline.run(correlatePhase, observer, (tracked) =>
      withAwsCallObserver(tracked, async () => {
        const more = await correlateAndResolveKeys(ctx, findings);
        if (!deadline.passed) gaps.push(...more);
        await reconcileWithTrail(ctx, findings);
        try {
          cloudtrail = (await trailWindow(ctx)).report;
        } catch {
          // The CloudTrail check already reported why it could not read the trail.
        }
      }),
    );
    if (deadline.passed) return;
    const incomplete = IDENTITY_CHECKS.filter((c) => gaps.some((g) => g.check === c));
    if (incomplete.length) {
      // Last-accessed data follows the identities the other checks flagged: where they are incomplete, so is it.
      gaps.push({
        check: 'last-accessed',
        reason: `service-last-accessed data covers only the identities the other checks could flag; ${incomplete.join(', ')} did not finish everywhere, so identities they would have flagged may be missing here.`,
      });
    }
    await run('last-accessed', lastAccessedCheck(flaggedIdentities(account, findings)), lastAccessedPhase);
    if (!deadline.passed) stories = await storiesOf(ctx, findings);
  });
  const inTime = await deadline.race(work);
  deadline.stop();
  if (inTime) await work;
  else gaps.push(...deadline.gaps());

  // A copy: phases cut off by the deadline may still be running and must not change what was returned.
  const found = structuredClone(findings).sort(compareFindings);
  const result: ScanResult = {
    account,
    window: { start: window.start.toISOString(), end: window.end.toISOString() },
    regions: [...regions],
    findings: found,
    gaps: [...gaps],
    stats: { durationMs: Date.now() - startedAt, apiCalls: { ...counter.counts } },
    stories,
  };
  if (cloudtrail) result.cloudtrail = cloudtrail;
  return result;
};

/** Stories over the findings and the CloudTrail events the checks already read (memoised: no new AWS call). */
async function storiesOf(ctx: CheckContext, findings: Finding[]): Promise<Story[]> {
  try {
    const { events } = await trailWindow(ctx);
    return buildStories({ account: ctx.account, findings, events, window: ctx.window, ...(ctx.caller ? { ownPrincipal: ctx.caller.arn } : {}) });
  } catch {
    // Stories are a view of the findings: without them the findings still stand.
    return [];
  }
}

async function scanRegions(clients: AwsClients, requested: string[] | undefined, gaps: Gap[]): Promise<string[]> {
  const wanted = requested?.length ? [...new Set(requested)] : undefined;
  try {
    const { enabled, notOptedIn } = await step('ec2:DescribeRegions', () => enabledRegions(clients));
    if (!wanted) return enabled;
    for (const r of wanted.filter((r) => !enabled.includes(r))) {
      const reason = notOptedIn.includes(r)
        ? `region ${r} is not enabled (not opted in) for this account, so it was not checked.`
        : `${r} is not a region this account can use, so it was not checked.`;
      for (const check of ['cloudtrail', 'resources'] as const) gaps.push({ check, region: r, reason });
    }
    return wanted.filter((r) => enabled.includes(r)).sort();
  } catch (err) {
    const fallback = wanted ?? [clients.target.region];
    const reason = `could not list the account's regions (${gapFrom('resources', err).reason}); only ${fallback.join(', ')} ${fallback.length > 1 ? 'were' : 'was'} checked.`;
    for (const check of ['cloudtrail', 'resources'] as const) gaps.push({ check, reason });
    return fallback;
  }
}

const IAM_IDENTITY = /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\//;

/**
 * Users and roles the checks flagged for action, most severe first (input of the last-accessed check):
 * their ARN where a check read it from AWS, else "user:NAME" / "role:NAME" for the check to look up, since
 * an ARN rebuilt from a name would lose the identity's path.
 */
export function flaggedIdentities(_account: string, findings: Finding[]): string[] {
  const refs: string[] = [];
  for (const f of [...findings].sort(compareFindings)) {
    if (!f.actions.length || f.severity === 'info' || f.severity === 'low') continue;
    const t = f.target;
    // Detection findings build ARNs from names in the request; only other checks read real ARNs.
    const fromResources = f.detection ? undefined : f.resources.find((r) => IAM_IDENTITY.test(r));
    if (t?.kind === 'user' || t?.kind === 'role') {
      const name = t.kind === 'user' ? t.userName : t.roleName;
      const fitting = fromResources?.endsWith(`/${name}`) ? fromResources : undefined;
      refs.push(t.arn ?? fitting ?? `${t.kind}:${name}`);
    } else if (t?.kind === 'access-key') {
      const fitting = fromResources?.endsWith(`/${t.userName}`) ? fromResources : undefined;
      refs.push(fitting ?? `user:${t.userName}`);
    }
  }
  return [...new Set(refs)].filter((a) => !a.includes(':role/aws-service-role/'));
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || RUNBOOK_STEPS.indexOf(a.step) - RUNBOOK_STEPS.indexOf(b.step) || a.title.localeCompare(b.title)
  );
}
