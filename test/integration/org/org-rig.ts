/**
 * The incident core on the sandbox's `organization` scenario over real HTTP: aws-ir's identity is the
 * management account's administrator key, members are reached through AssumeRole as in AWS, the store
 * is a real SQLite file, and Slack's directory is a fake (anyone is a responder).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import { buildCoreServices } from '../../../src/build-services';
import { loadCoreConfig } from '../../../src/config';
import { createIncidentCore, type IncidentCore } from '../../../src/incident/core';
import type { SweepPublisher, SweepStart } from '../../../src/incident/ports';
import { createLogger } from '../../../src/logger';
import { runScan, type ScanFn } from '../../../src/scan/engine';
import type { CoreServices } from '../../../src/services';
import type { SweepAccountRecord } from '../../../src/store/model';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { FakeDirectory } from '../../unit/remediation/helpers';
import { sandboxClock } from '../../../src/sandbox-account';
import { sandboxTestTarget, VirtualTime } from '../../support/virtual-time';

export interface OrgRig {
  sandbox: RunningSandbox;
  store: SqliteStore;
  services: CoreServices;
  core: IncidentCore;
  /** Accounts the engine was run on, in order (reused accounts are not run). */
  scanned: string[];
  close(): Promise<void>;
}

/** `fail` makes the engine throw for those accounts, as a check crashing past its own handling would. */
export async function orgRig(env: Record<string, string> = {}, fail: Set<string> = new Set()): Promise<OrgRig> {
  // The sandbox's clock and throttling, and the scans' pacing and polls, on one virtual time: nobody waits.
  const time = new VirtualTime();
  const sandbox = await startSandbox({ scenario: 'organization', ...sandboxClock(time) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-ir-org-'));
  const store = new SqliteStore(path.join(dir, 'aws-ir.db'));
  const config = loadCoreConfig({ AWS_IR_DB_PATH: path.join(dir, 'aws-ir.db'), ...env });
  const target = sandboxTestTarget(sandbox, time, { maxAttempts: 2 });
  const scanned: string[] = [];
  const engine: ScanFn = async (input) => {
    const account = input.clients.target.key;
    scanned.push(account);
    if (fail.has(account)) throw new Error('simulated crash of the engine');
    return runScan(input);
  };
  const services = buildCoreServices(config, { store, scanTarget: target, remediationTarget: target, runScan: engine, logger: createLogger('silent') });
  let n = 0;
  const core = createIncidentCore(services, { directory: new FakeDirectory(), newId: (prefix) => `${prefix}-${++n}-${Date.now()}` });
  return {
    sandbox,
    store,
    services,
    core,
    scanned,
    async close() {
      await store.close();
      await sandbox.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A publisher that keeps what it was told. */
export class RecordingPublisher implements SweepPublisher {
  readonly done: SweepAccountRecord[] = [];
  starts: SweepStart[] = [];
  async opened(start: SweepStart): Promise<string> {
    this.starts.push(start);
    return '1700000000.000100';
  }
  accountDone(record: SweepAccountRecord): void {
    this.done.push(record);
  }
  async finished(): Promise<void> {}
  async failed(): Promise<void> {}
}
