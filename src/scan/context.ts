/**
 * What every check receives from the runner: the account, the window, the regions and a few shared,
 * memoised lookups (the credential report is generated once per scan and read by several checks).
 */
import type { AwsClients } from '../aws/clients';
import type { ActionId, ActionTarget } from '../remediation/action-ids';
import { findingId } from './ids';
import type { CloudTrailSourceOptions } from './sources/model';
import type { CheckId, CheckOutcome, Finding, RunbookStep, Severity } from './model';

/** A fresh `memo` for one scan: the first caller of a key starts the work, later callers share its promise. */
export function promiseMemo(): CheckContext['memo'] {
  const memo = new Map<string, Promise<unknown>>();
  return <T>(key: string, make: () => Promise<T>): Promise<T> => {
    let p = memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      memo.set(key, p);
    }
    return p;
  };
}

export interface ScanCaller {
  arn: string;
  /** Set when the scanning identity is an IAM user (quarantine self-check). */
  userName?: string;
}

export interface CheckContext {
  clients: AwsClients;
  /** 12-digit account id (or the target key when STS could not tell). */
  account: string;
  caller?: ScanCaller;
  window: { start: Date; end: Date };
  days: number;
  /** Enabled regions to check, already restricted by --regions. */
  regions: string[];
  now: Date;
  /** Base delay between polls of asynchronous AWS jobs; tests set 0. */
  pollIntervalMs: number;
  /** Where the trail's log files are and how to run Athena (CloudTrail sources); default: discover the account's trails. */
  cloudTrail?: CloudTrailSourceOptions;
  detail(message: string): void;
  /** The other accounts of the organization, in an organization sweep (trust among them is not outside). */
  organizationAccounts?: ReadonlySet<string>;
  /** Promise memo shared by the checks of one scan. */
  memo<T>(key: string, make: () => Promise<T>): Promise<T>;
}

export type Check = (ctx: CheckContext) => Promise<CheckOutcome>;

export interface FindingSpec {
  severity: Severity;
  step: RunbookStep;
  title: string;
  resources: string[];
  evidence: Record<string, unknown>;
  actions?: ActionId[];
  target?: ActionTarget;
  guidance?: string;
}

/** Builds a finding whose id depends only on (account, check, resourceKey). */
export function makeFinding(ctx: Pick<CheckContext, 'account'>, check: CheckId, resourceKey: string, spec: FindingSpec): Finding {
  const f: Finding = {
    id: findingId(ctx.account, check, resourceKey),
    check,
    severity: spec.severity,
    step: spec.step,
    title: spec.title,
    resources: spec.resources,
    evidence: spec.evidence,
    actions: spec.actions ?? [],
  };
  if (spec.target && f.actions.length) f.target = spec.target;
  if (spec.guidance) f.guidance = spec.guidance;
  return f;
}

export function inWindow(ctx: Pick<CheckContext, 'window'>, d: Date | undefined): boolean {
  return !!d && d.getTime() >= ctx.window.start.getTime() && d.getTime() <= ctx.window.end.getTime();
}

/**
 * Polls `probe` until it returns a value, with exponential backoff from `intervalMs`, at most `attempts`
 * times, waiting on the account's clock (AwsAccountTarget.clock).
 */
export async function pollUntil<T>(clients: AwsClients, intervalMs: number, attempts: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    if (i < attempts - 1) await clients.clock.sleep(Math.min(intervalMs * 2 ** i, 8 * intervalMs));
  }
  return undefined;
}

export function isoOrUndefined(d: Date | undefined): string | undefined {
  return d ? d.toISOString() : undefined;
}
