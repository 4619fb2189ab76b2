/**
 * One organization sweep over a list of accounts: every account is scanned with the same engine,
 * at most `concurrency` at once, and each ends as scanned or as that account's gap with the reason
 * (suspended, its role cannot be assumed, every check failed, or anything unexpected). Nothing one
 * account does can stop the others: the sweep always finishes. Accounts an earlier run of the same
 * sweep finished are reused as they are. Each account is handed to `saved` as soon as it is done.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CallCounter, withAwsCallObserver } from '../aws/call-tracking';
import type { AwsClients } from '../aws/clients';
import { clientsFor, releaseClients } from '../aws/clients';
import { userMessage } from '../errors';
import type { ScanFn } from '../scan/engine';
import type { ScanOptions, ScanResult } from '../scan/model';
import type { SweepAccountRecord } from '../store/model';
import type { OrgAccount } from './accounts';
import { MemberAccessError, memberTarget, type MemberRole } from './member-access';
import { forEachBounded } from './pool';

export interface SweepRun {
  /** aws-ir's own identity and the account it is in (scanned with that identity, no member role). */
  home: { clients: AwsClients; account: string };
  accounts: OrgAccount[];
  role: MemberRole;
  runScan: ScanFn;
  options: ScanOptions;
  concurrency: number;
  /** Finished accounts of an earlier run of the same sweep, by account id (with `reusedFrom` set). */
  reuse?: ReadonlyMap<string, SweepAccountRecord>;
  /** Called once per account as soon as it is done (scanned, reused or a gap); awaited. */
  saved?(record: SweepAccountRecord): Promise<void>;
  /** Member clients for an account (default: assume the member role); tests replace it. */
  reach?(account: string): Promise<AwsClients>;
}

/** The account aws-ir's identity is in: scanned directly, everything else through the member role. */
export async function homeAccount(clients: AwsClients): Promise<string> {
  const id = await clients.sts().send(new GetCallerIdentityCommand({}));
  if (!id.Account) throw new Error('STS GetCallerIdentity returned no account');
  return id.Account;
}

/** Every check ended as a gap and nothing was found: the account was not really scanned. */
export function nothingChecked(result: ScanResult): boolean {
  return result.findings.length === 0 && result.gaps.length > 0 && new Set(result.gaps.map((g) => g.check)).size >= 8;
}

export async function runSweep(run: SweepRun): Promise<SweepAccountRecord[]> {
  const records: SweepAccountRecord[] = new Array(run.accounts.length);
  const reach = run.reach ?? (async (account: string) => clientsFor(await memberTarget(run.home.clients, account, run.role)));
  await forEachBounded(run.accounts, run.concurrency, async (account, i) => {
    const record = await sweepAccount(run, account, reach);
    records[i] = record;
    await run.saved?.(record);
  });
  return records;
}

async function sweepAccount(run: SweepRun, account: OrgAccount, reach: (account: string) => Promise<AwsClients>): Promise<SweepAccountRecord> {
  const isHome = account.id === run.home.account;
  const base = { account: account.id, name: account.name, ou: account.ou, access: isHome ? 'home' : 'member-role' } as const;
  const reused = run.reuse?.get(account.id);
  if (reused && reused.status === 'scanned') return { ...reused, ...base };
  if (account.status !== 'ACTIVE') {
    return {
      ...base,
      status: 'suspended',
      reason: `The account is ${account.status.toLowerCase().replace('_', ' ')} in the organization; AWS refuses access to it, so it was not scanned.`,
    };
  }
  // The AssumeRole that reaches the account is one of its calls, counted with its scan's.
  const access = new CallCounter();
  let clients: AwsClients;
  try {
    clients = isHome ? run.home.clients : await withAwsCallObserver(access, () => reach(account.id));
  } catch (err) {
    return { ...base, status: 'no-access', reason: err instanceof MemberAccessError ? err.message : `aws-ir could not reach the account: ${userMessage(err)}` };
  }
  try {
    const scanned = await run.runScan({ clients, options: run.options });
    const apiCalls = { ...scanned.stats.apiCalls };
    for (const [op, n] of Object.entries(access.counts)) apiCalls[op] = (apiCalls[op] ?? 0) + n;
    const result = { ...scanned, stats: { ...scanned.stats, apiCalls } };
    if (nothingChecked(result)) {
      return { ...base, status: 'failed', reason: `Every check failed, so nothing was checked: ${result.gaps[0]?.reason ?? 'no reason given'}`, result };
    }
    return { ...base, status: 'scanned', result };
  } catch (err) {
    return { ...base, status: 'failed', reason: `The scan of this account stopped: ${userMessage(err)}` };
  } finally {
    // A member's clients (dozens: every service in every region) are freed as soon as it is done.
    if (!isHome) releaseClients(clients);
  }
}
