/** Shared builders for the remediation unit tests. */
import { AwsClients } from '../../../src/aws/clients';
import { RateLimiterRegistry } from '../../../src/aws/rate-limit';
import { buildCoreServices } from '../../../src/build-services';
import type { AppConfig } from '../../../src/config';
import { createIncidentCore, type IncidentCore } from '../../../src/incident/core';
import type { ActionTarget } from '../../../src/remediation/action-ids';
import type { SlackDirectory, SlackUserInfo } from '../../../src/remediation/responders';
import type { Finding } from '../../../src/scan/model';
import type { CoreServices } from '../../../src/services';
import type { ActionRequest, ScanRecord } from '../../../src/store/model';
import { SqliteStore } from '../../../src/store/sqlite-store';
import type { Store } from '../../../src/store/store';
import { ManualClock } from '../../support/manual-clock';
import { storeFinishedScan } from '../../support/stored-scan';

export const ACCOUNT = '111122223333';

export function testClients(): AwsClients {
  return new AwsClients(
    { key: ACCOUNT, region: 'us-east-1', credentials: { accessKeyId: 'AKIATESTTEST', secretAccessKey: 'test-secret' }, maxAttempts: 1 },
    new RateLimiterRegistry(),
  );
}

export class FakeDirectory implements SlackDirectory {
  users: Record<string, SlackUserInfo> = {};
  groups: Record<string, string[]> = {};
  async userInfo(userId: string): Promise<SlackUserInfo> {
    return this.users[userId] ?? {};
  }
  async userGroupMembers(groupId: string): Promise<string[]> {
    return this.groups[groupId] ?? [];
  }
}

export function remediationConfig(overrides: Partial<AppConfig['remediation']> = {}): AppConfig['remediation'] {
  return { responders: [], protectedArns: [], dryRun: false, requestTtlMinutes: 30, ...overrides };
}

export function finding(target: ActionTarget, actions: Finding['actions'], id = 'f-1'): Finding {
  return { id, check: 'credential-report', severity: 'high', step: 'R1', title: 'test finding', resources: [], evidence: {}, actions, target };
}

export function seedScan(store: Store, findings: Finding[], id = 'scan-1'): Promise<ScanRecord> {
  return storeFinishedScan(store, {
    id,
    channel: 'C1',
    threadTs: '1700000000.000100',
    requestedBy: 'U1',
    startedAt: '2026-01-01T00:00:00.000Z',
    status: 'done',
    result: { account: ACCOUNT, window: { start: 'a', end: 'b' }, regions: ['us-east-1'], findings, gaps: [], stats: { durationMs: 1, apiCalls: {} } },
  });
}

export interface Harness {
  store: SqliteStore;
  core: IncidentCore;
  services: CoreServices;
  directory: FakeDirectory;
  clock: ManualClock;
  clients: AwsClients;
}

/** The incident core on an in-memory store, a fake Slack directory, a manual clock and numbered request ids. */
export function harness(config: Partial<AppConfig['remediation']> = {}): Harness {
  const store = new SqliteStore(':memory:');
  const directory = new FakeDirectory();
  const clock = new ManualClock(new Date('2026-01-01T00:00:00.000Z'));
  const clients = testClients();
  const cfg = remediationConfig(config);
  const target = clients.target;
  const services = buildCoreServices(
    { aws: { region: 'us-east-1' }, remediation: cfg, dbPath: ':memory:', logLevel: 'silent' },
    { store, clock, scanTarget: target, remediationTarget: target },
  );
  let n = 0;
  const core = createIncidentCore(services, { directory, newId: (prefix) => `${prefix === 'req' ? 'req' : prefix}-${++n}` });
  return { store, core, services, directory, clock, clients };
}

export function pendingRequest(overrides: Partial<ActionRequest> = {}): ActionRequest {
  return {
    id: 'req-x',
    action: 'key.deactivate',
    target: { kind: 'access-key', userName: 'ci-deploy', accessKeyId: 'AKIAEXAMPLE0001' },
    account: ACCOUNT,
    channel: 'C1',
    threadTs: '1700000000.000100',
    requestedBy: 'U1',
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: '2026-01-01T00:30:00.000Z',
    status: 'pending',
    dryRun: false,
    ...overrides,
  };
}
