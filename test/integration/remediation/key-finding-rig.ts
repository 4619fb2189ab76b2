/**
 * The Slack-level remediation rig the approval and stale-button tests share: the real Bolt app with
 * every listener, a manual clock, and a stored scan whose one finding is an exposed access key.
 */
import type { AppConfig } from '../../../src/config';
import type { RegisteredListeners } from '../../../src/handlers';
import type { Finding } from '../../../src/scan/model';
import { ChannelPacer } from '../../../src/slack/channel-pacer';
import type { RequestButtonValue } from '../../../src/slack-ids';
import type { ProcessOwner } from '../../../src/store/model';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { ALICE, startAppHarness, TEST_CHANNEL, type AppHarness } from '../../support/app-harness';
import { ManualClock } from '../../support/manual-clock';
import { storeFinishedScan } from '../../support/stored-scan';

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
  rt: RegisteredListeners;
  /** The app's clock: tests move it to expire requests. */
  clock: ManualClock;
  close(): Promise<void>;
}

/** `seed: false` is a fresh database: the buttons in the channel refer to a scan it never saw. */
export async function startRig(
  options: { config?: Partial<AppConfig['remediation']>; store?: SqliteStore; seed?: boolean; owner?: ProcessOwner; clock?: ManualClock } = {},
): Promise<Rig> {
  const clock = options.clock ?? new ManualClock(new Date());
  const remediation = { responders: [], protectedArns: [], dryRun: false, requestTtlMinutes: 30, ...options.config };
  const store = options.store ?? new SqliteStore(':memory:');
  if (options.seed !== false && !(await store.getScan('scan-1'))) {
    await storeFinishedScan(store, {
      id: 'scan-1',
      channel: TEST_CHANNEL,
      threadTs: THREAD,
      requestedBy: ALICE,
      startedAt: clock.now().toISOString(),
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
  const h = await startAppHarness({
    config: { remediation },
    services: { store, clock, ...(options.owner ? { owner: options.owner } : {}) },
    listeners: { pacer: new ChannelPacer(0) },
  });
  const rt = h.listeners!;
  return {
    h,
    rt,
    clock,
    async close() {
      await h.close();
    },
  };
}
