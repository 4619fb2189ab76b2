/**
 * One scan per channel, decided by the store, through the real Bolt app over HTTP: of two
 * simultaneous `/aws-ir scan` exactly one runs and the other is told so; a scan left running by a
 * process that is gone never blocks the channel (it is marked interrupted and announced in its
 * thread, and the new scan starts at once); a scan held by a live process elsewhere blocks it until
 * its lease runs out. No test here waits on the wall clock: scans finish when the test says so.
 */
import type { ScanFn } from '../../../src/scan/engine';
import type { ScanRecord } from '../../../src/store/model';
import { ALICE, BOB, startAppHarness, TEST_CHANNEL, type AppHarness } from '../../support/app-harness';
import { ManualClock } from '../../support/manual-clock';
import { scanResult } from '../../support/scan-fixtures';

const gates: (() => void)[] = [];

/** A scan that runs until `release()`; `started` counts the scans that got to run. */
function gatedScan(): ScanFn & { started: number; release(): void } {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const scan = Object.assign(
    async () => {
      scan.started++;
      await gate;
      return scanResult([], [], 1);
    },
    { started: 0, release: () => open() },
  );
  gates.push(() => open());
  return scan;
}

function replies(h: AppHarness): string[] {
  return h.slack.webApi.callsTo('response_url').map((c) => String(c.args.text));
}

describe('one scan per channel', () => {
  let h: AppHarness | undefined;
  afterEach(async () => {
    // A failed test must not leave a scan waiting forever (and the app with it).
    for (const release of gates.splice(0)) release();
    await h?.close();
    h = undefined;
  });

  it('of two simultaneous /aws-ir scan in one channel, exactly one runs and the other is told so', async () => {
    const scan = gatedScan();
    h = await startAppHarness({ services: { runScan: scan } });
    const acks = await Promise.all([h.command('scan', { user: ALICE }), h.command('scan', { user: BOB })]);
    expect(acks.map((a) => a.status)).toEqual([200, 200]);
    await h.waitFor(() => replies(h!).length === 1 && scan.started === 1, 5000, 'one scan running and the other refused');
    expect(replies(h)[0]).toMatch(/A scan started by <@U0(ALICE|BOB)> is still running in this channel/);
    expect(await h.services.store.listScans({ channel: TEST_CHANNEL })).toHaveLength(1);
    scan.release();
    await h.idle();
    expect((await h.services.store.latestScan(TEST_CHANNEL))?.status).toBe('done');
    // The channel is free again.
    await h.command('scan');
    await h.idle();
    expect(scan.started).toBe(2);
  });

  it('a scan left running by a process that is gone is marked interrupted and announced, and the new scan starts at once', async () => {
    const scan = gatedScan();
    scan.release();
    h = await startAppHarness({ services: { runScan: scan } });
    const self = h.services.owner;
    // The previous start of this process (same host, its pid now ours) left a scan running in a thread.
    const cut: ScanRecord & { status: 'running' } = {
      id: 'scan-cut',
      channel: TEST_CHANNEL,
      threadTs: '1700000000.000900',
      requestedBy: ALICE,
      startedAt: new Date().toISOString(),
      status: 'running',
    };
    await h.services.store.claimScan({ ...cut, owner: { ...self, id: 'previous-start' }, leaseUntil: new Date(Date.now() + 600_000).toISOString() });

    await h.command('scan', { user: BOB });
    await h.idle();
    expect(replies(h)).toEqual([]);
    expect(scan.started).toBe(1);
    expect(await h.services.store.getScan('scan-cut')).toMatchObject({ status: 'interrupted' });
    const announcement = h.slack.webApi.callsTo('chat.postMessage').find((c) => c.args.thread_ts === cut.threadTs);
    expect(String(announcement?.args.text)).toContain('This scan was cut short');
    const audit = await h.services.store.listAudit({ scanId: 'scan-cut' });
    expect(audit.map((e) => e.kind)).toEqual(['scan.interrupted']);
    expect((await h.services.store.latestScan(TEST_CHANNEL))?.status).toBe('done');
  });

  it('the start-up sweep marks scans of a gone process interrupted once, whoever else sweeps', async () => {
    h = await startAppHarness();
    const self = h.services.owner;
    await h.services.store.claimScan({
      id: 'scan-dead',
      channel: 'C0OTHER',
      threadTs: '1700000000.000950',
      requestedBy: ALICE,
      startedAt: new Date().toISOString(),
      status: 'running',
      owner: { id: 'dead', host: self.host, pid: 2 ** 22 + 12345 },
      leaseUntil: new Date(Date.now() + 600_000).toISOString(),
    });
    await Promise.all([h.listeners!.sweepNow(), h.listeners!.sweepNow(), h.listeners!.sweepNow()]);
    expect((await h.services.store.getScan('scan-dead'))?.status).toBe('interrupted');
    expect(h.slack.webApi.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === '1700000000.000950')).toHaveLength(1);
  });

  it('a scan held by a live process elsewhere blocks the channel until its lease runs out', async () => {
    const clock = new ManualClock(new Date());
    const scan = gatedScan();
    scan.release();
    h = await startAppHarness({ services: { runScan: scan, clock } });
    await h.services.store.claimScan({
      id: 'scan-elsewhere',
      channel: TEST_CHANNEL,
      threadTs: '1700000000.000990',
      requestedBy: ALICE,
      startedAt: clock.now().toISOString(),
      status: 'running',
      owner: { id: 'replica-b', host: 'another-host', pid: 1 },
      leaseUntil: new Date(clock.now().getTime() + 120_000).toISOString(),
    });
    await h.command('scan', { user: BOB });
    await h.idle();
    expect(scan.started).toBe(0);
    expect(replies(h)[0]).toContain(`A scan started by <@${ALICE}> is still running`);

    await clock.advance(121_000);
    await h.command('scan', { user: BOB });
    await h.idle();
    expect(scan.started).toBe(1);
    expect(await h.services.store.getScan('scan-elsewhere')).toMatchObject({ status: 'interrupted', reason: expect.stringContaining('stopped answering') });
  });
});
