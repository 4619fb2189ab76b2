/** Shared builders for the remediation unit tests. */
import { AwsClients } from '../../../src/aws/clients';
import { RateLimiterRegistry } from '../../../src/aws/rate-limit';
import type { AppConfig } from '../../../src/config';
import type { ActionTarget } from '../../../src/remediation/action-ids';
import { ApprovalWorkflow } from '../../../src/remediation/approvals';
import { ProtectedPrincipals } from '../../../src/remediation/protected';
import { ResponderPolicy, type SlackDirectory, type SlackUserInfo } from '../../../src/remediation/responders';
import type { Finding } from '../../../src/scan/model';
import { SqliteStore } from '../../../src/store/sqlite-store';
import type { ActionRequest, ScanRecord, Store } from '../../../src/store/store';

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

export function seedScan(store: Store, findings: Finding[], id = 'scan-1'): ScanRecord {
  const scan: ScanRecord = {
    id,
    channel: 'C1',
    threadTs: '1700000000.000100',
    requestedBy: 'U1',
    startedAt: '2026-01-01T00:00:00.000Z',
    status: 'done',
    result: { account: ACCOUNT, window: { start: 'a', end: 'b' }, regions: ['us-east-1'], findings, gaps: [], stats: { durationMs: 1, apiCalls: {} } },
  };
  store.saveScan(scan);
  return scan;
}

export interface Harness {
  store: SqliteStore;
  workflow: ApprovalWorkflow;
  directory: FakeDirectory;
  clock: { now: Date };
  clients: AwsClients;
}

export function harness(config: Partial<AppConfig['remediation']> = {}): Harness {
  const store = new SqliteStore(':memory:');
  const directory = new FakeDirectory();
  const clock = { now: new Date('2026-01-01T00:00:00.000Z') };
  const clients = testClients();
  const cfg = remediationConfig(config);
  let n = 0;
  const workflow = new ApprovalWorkflow({
    store,
    config: cfg,
    clients,
    responders: new ResponderPolicy(cfg.responders, directory, () => clock.now),
    protection: new ProtectedPrincipals(cfg.protectedArns, [clients]),
    now: () => clock.now,
    newId: () => `req-${++n}`,
  });
  return { store, workflow, directory, clock, clients };
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
