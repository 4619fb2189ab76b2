/**
 * The package's public API: `startSandbox` loads a scenario and serves it over HTTP as an AWS
 * account; aws-ir's CLI, local mode, drills, tests and the benchmark start it here and nowhere else.
 */
import type { AddressInfo } from 'node:net';
import { AthenaEngineHost } from './athena-engine/host';
import { ADMIN_CREDENTIALS } from './caller';
import { DEFAULT_RATE_LIMITS, FaultInjector, RateLimiter, type Fault, type RandomFaults } from './limits';
import type { SandboxState, TrailEvent } from './model';
import { sandboxServices } from './registry';
import { DEFAULT_SCENARIO, loadScenario } from './scenario/load';
import { createSandboxServer, type SandboxRuntime } from './server';
import { tableRefs } from './services/athena';
import { closeHistory, warmUp } from './services/athena-engine';
import { allFiles, ensureLogFile, logFileSize, removeLogFiles, trailOfBucket } from './trail-store/log-files';
import { newestFirst } from './trail-store/region-history';

export interface SandboxOptions {
  /** Scenario name in scenarios/ (default 'compromised-key'), 'library/NAME', 'large', 'busy', 'busy-small', 'busy-tiny', 'organization', 'large-org', or a file path. */
  scenario?: string;
  /** 0 = a free port; default 0. */
  port?: number;
  /** AWS's limits (LookupEvents 2 req/s per region); default true. */
  rateLimits?: boolean;
  /**
   * The clock rate limits are measured on, in ms (default: the wall clock). A test hands in the virtual
   * time its client paces on, so throttling is exercised without anyone waiting for real time.
   */
  rateLimitClock?: () => number;
  /** Handler crashes (answered as InternalFailure 500); default: one line on stderr. */
  onInternalError?(err: unknown, operation: string): void;
  /**
   * The account's clock (default: the wall clock): scenario times are relative to it, recorded events
   * carry it, snapshots and credential reports complete and sessions expire by it. A test advances it
   * instead of sleeping. SigV4's 15-minute window stays on the wall clock.
   */
  now?: () => Date;
}

export interface RunningSandbox {
  endpoint: string;
  accountId: string;
  adminCredentials: { accessKeyId: string; secretAccessKey: string };
  scenarioName: string;
  /** The management account of an organization scenario (else the account). */
  state: SandboxState;
  /** An account of the organization by id (a member is built on first use); the account itself otherwise. */
  account(accountId: string): SandboxState | undefined;
  faults: {
    inject(operation: string, fault: Fault): void;
    /** A seeded share of every request gets a random fault (errors, throttling, hangs, resets, HTML 500s). */
    random(options: RandomFaults): void;
    /** Faults given since the last clear(), by kind ('injected' for inject()'s). */
    given(): Record<string, number>;
    clear(): void;
  };
  reset(): void;
  close(): Promise<void>;
}

export { ADMIN_CREDENTIALS } from './caller';
export { ScenarioError } from './scenario/reader';
/** What the generated `large-org` plants, for the benchmark and tests that check the sweep found it. */
export { LARGE_ORG_ATTACKER_IP, LARGE_ORG_BROKEN_MEMBER, LARGE_ORG_COMPROMISED_MEMBERS, largeOrgMemberEvents } from './organization/large-org';
/** The busy scenario's Athena workgroup, database and table (what AWS_IR_ATHENA_* name for it). */
export { BUSY_ATHENA } from './scenario/busy';
/** Where the shipped scenarios live (scenarios/NAME.json, and the public-record library in scenarios/library/). */
export { scenariosDir } from './scenario/load';
export { FAULT_KINDS, type Fault, type FaultKind, type RandomFaults } from './limits';
// The account's state, for tests and benchmarks that compare what the product read with what is there.
export type * from './model';
/** A region's history in [from, to] (ms), planted and generated, newest first: what the account holds. */
export function historyOf(state: SandboxState, region: string, from: number, to: number): Iterable<TrailEvent> {
  return newestFirst(state, region, from, to);
}
/** How many events a region's history holds in [from, to], without reading a generated history. */
export function countEvents(state: Pick<SandboxState, 'events' | 'generated'>, region: string, from: number, to: number): number {
  const planted = state.events.filter((e) => e.region === region && e.eventTime.getTime() >= from && e.eventTime.getTime() <= to).length;
  return planted + (state.generated?.count(region, from, to) ?? 0);
}
/** Each started sandbox's Athena engine, by its account's state (what warmAthena is given). */
const athenaEngines = new WeakMap<SandboxState, AthenaEngineHost>();

/**
 * Loads every delivered log file into the engine the sandbox's Athena runs queries on (once per account;
 * real Athena reads the files per query): a benchmark does it before timing queries.
 */
export async function warmAthena(state: SandboxState, now: number): Promise<void> {
  const engine = athenaEngines.get(state);
  if (!engine) throw new Error('warmAthena takes the state of a sandbox that startSandbox started.');
  await warmUp(engine, state, tableRefs(state), now);
}

/**
 * Makes every log file a trail has delivered (as CloudTrail would have before a scan); returns their
 * count, bytes and where a few of them are on disk (for a reader to measure itself against).
 */
export function deliverTrailLogs(state: SandboxState, now: number, samples = 0): { files: number; bytes: number; samplePaths: string[] } {
  let files = 0;
  let bytes = 0;
  const samplePaths: string[] = [];
  for (const trail of new Set(state.regions.flatMap((r) => r.trails))) {
    if (!trailOfBucket(state, trail.s3BucketName)) continue;
    for (const f of allFiles(state, trail, now)) {
      files++;
      bytes += logFileSize(state, trail, f);
      if (samplePaths.length < samples) samplePaths.push(ensureLogFile(state, trail, f));
    }
  }
  return { files, bytes, samplePaths };
}

/** Starts the sandbox account on 127.0.0.1; see the package README for what it serves. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const now = options.now ?? (() => new Date());
  const scenario = loadScenario(options.scenario ?? DEFAULT_SCENARIO, now());
  // An organization scenario routes each request to its account; the management account is `state`.
  let directory = scenario.organization?.(now(), now);
  const state = directory?.management ?? scenario.build(now());
  const limiter = options.rateLimits === false ? undefined : new RateLimiter(DEFAULT_RATE_LIMITS);
  const faults = new FaultInjector();
  const athena = new AthenaEngineHost();
  athenaEngines.set(state, athena);
  const runtime: SandboxRuntime = {
    state,
    ...(directory ? { accounts: directory } : {}),
    services: sandboxServices(),
    limiter,
    rateLimitClock: options.rateLimitClock ?? Date.now,
    faults,
    athena,
    now,
    onInternalError:
      options.onInternalError ??
      ((err, operation) => process.stderr.write(`sandbox: ${operation} failed: ${err instanceof Error ? err.message : String(err)}\n`)),
  };
  const server = createSandboxServer(runtime);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accountId: state.accountId,
    adminCredentials: { ...ADMIN_CREDENTIALS },
    scenarioName: scenario.name,
    state,
    account: (accountId) => (directory ? directory.account(accountId) : accountId === state.accountId ? state : undefined),
    faults: {
      inject: (op, fault) => faults.inject(op, fault),
      random: (options) => faults.random(options),
      given: () => Object.fromEntries(faults.given),
      clear: () => faults.clear(),
    },
    reset() {
      // In place, so everyone holding `state` keeps seeing the live account.
      void closeHistory(athena, state).catch(() => undefined);
      removeLogFiles(state);
      if (scenario.organization) {
        directory = scenario.organization(now(), now);
        runtime.accounts = directory;
      }
      const fresh = directory?.management ?? scenario.build(now());
      for (const key of Object.keys(state) as (keyof SandboxState)[]) delete state[key];
      Object.assign(state, fresh);
      directory?.adoptManagement(state);
      limiter?.reset();
      faults.clear();
    },
    async close() {
      server.closeAllConnections();
      const serverClosed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      // The engine process ends first: it may be reading the log files removed next.
      const engineClosed = athena.close().then(() => removeLogFiles(state));
      await Promise.all([serverClosed, engineClosed]);
    },
  };
}
