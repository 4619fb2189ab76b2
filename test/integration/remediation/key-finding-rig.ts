/**
 * The Slack-level remediation rig the approval and stale-button tests share: the real Bolt app with
 * only the remediation listeners, and a stored scan whose one finding is an exposed access key.
 */
import type { AppConfig } from '../../../src/config';
import { registerRemediation, type RemediationRuntime } from '../../../src/handlers/remediation';
import type { Finding } from '../../../src/scan/model';
import { ChannelPacer } from '../../../src/slack/channel-pacer';
import type { RequestButtonValue } from '../../../src/slack-ids';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { ALICE, startAppHarness, TEST_CHANNEL, type AppHarness } from '../../support/app-harness';

export const ACCOUNT = '111122223333';
export const THREAD = '1700000000.000100';
export const KEY = { kind: 'access-key' as const, userName: 'ci-deploy', accessKeyId: 'AKIAEXAMPLE0001' };

export const finding: Finding = {
  id: 'f-key',
  check: 'credential-report',
  severity: 'critical',
  step: 'R1',
  title: 'Access key used from an unfamiliar IP',
  resources: [KEY.accessKeyId],
  evidence: {},
  actions: ['key.deactivate'],
  target: KEY,
};

/** The value of the finding's "Deactivate access key" button. */
export const requestValue: RequestButtonValue = { scanId: 'scan-1', findingId: 'f-key', action: 'key.deactivate' };

export interface Rig {
  h: AppHarness;
  rt: RemediationRuntime;
  /** The app's clock: tests move it to expire requests. */
  clock: { now: Date };
  close(): Promise<void>;
}

/** `seed: false` is a fresh database: the buttons in the channel refer to a scan it never saw. */
export async function startRig(options: { config?: Partial<AppConfig['remediation']>; store?: SqliteStore; seed?: boolean } = {}): Promise<Rig> {
  const clock = { now: new Date() };
  let rt: RemediationRuntime | undefined;
  const remediation = { responders: [], protectedArns: [], dryRun: false, requestTtlMinutes: 30, ...options.config };
  const store = options.store ?? new SqliteStore(':memory:');
  const h = await startAppHarness({
    config: { remediation },
    services: { store, now: () => clock.now },
    register: (app, services) => {
      rt = registerRemediation(app, services, { sweepIntervalMs: 0, pacer: new ChannelPacer(0) });
    },
  });
  if (options.seed !== false) {
    h.services.store.saveScan({
      id: 'scan-1',
      channel: TEST_CHANNEL,
      threadTs: THREAD,
      requestedBy: ALICE,
      startedAt: clock.now.toISOString(),
      status: 'done',
      result: {
        account: ACCOUNT,
        window: { start: 'a', end: 'b' },
        regions: ['us-east-1'],
        findings: [finding],
        gaps: [],
        stats: { durationMs: 1, apiCalls: {} },
      },
    });
  }
  await rt!.recovered;
  return {
    h,
    rt: rt!,
    clock,
    async close() {
      rt!.stop();
      await rt!.tasks.idle();
      await h.close();
    },
  };
}
