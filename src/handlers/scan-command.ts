/**
 * `/aws-ir scan`: the first message in the channel says who started a scan of which account; one
 * progress message in its thread follows the checks; at the end the first message becomes the
 * summary and the findings follow in the thread, by runbook step, with their buttons.
 */
import { randomUUID } from 'node:crypto';
import { clientsFor } from '../aws/clients';
import { findingGroups, noFindingsBlocks } from '../blocks/findings';
import { gapGroups } from '../blocks/gaps';
import { applyProgress, emptyProgress, progressBlocks, progressText, type ScanProgress } from '../blocks/progress';
import { accountLabel, scanStartedBlocks, scanStartedText, type ScanStartInfo } from '../blocks/scan-started';
import { checklistChangesText } from '../blocks/status';
import { scanFailedBlocks, summaryBlocks, summaryText } from '../blocks/summary';
import { esc, md, mention, mrkdwn } from '../blocks/text';
import { syncFromScan, type SyncResult } from '../checklist/checklist';
import type { ScanOptions, ScanResult } from '../scan/model';
import type { ScanRecord } from '../store/store';
import { ThrottledUpdater } from '../slack/throttled-updater';
import { parseScanArgs } from './command-args';
import { replyEphemeral, type CommandContext } from './command-context';
import { userMessage } from './user-errors';

/** Runs after the command is acknowledged; returns when the scan's last message is posted. */
export async function runScanInSlack(ctx: CommandContext, options: Pick<ScanOptions, 'days' | 'regions'>): Promise<void> {
  const { services, poster, command } = ctx;
  const { logger, store } = services;
  const channel = command.channel_id;
  const account = services.scanTarget.key;
  const info: ScanStartInfo = { user: command.user_id, account, days: options.days, ...(options.regions ? { regions: options.regions } : {}) };
  const log = logger.child({ channel, user: command.user_id, account });

  let threadTs: string;
  try {
    threadTs = await poster.post(channel, { text: scanStartedText(info), blocks: scanStartedBlocks(info) });
  } catch (err) {
    log.warn({ err }, 'could not post the scan start message');
    await replyEphemeral(ctx, mrkdwn`The scan did not start. ${esc(userMessage(err))}`);
    return;
  }

  const startedAt = services.now();
  const record: ScanRecord = { id: randomUUID(), channel, threadTs, requestedBy: command.user_id, startedAt: startedAt.toISOString(), status: 'running' };
  store.saveScan(record);
  store.appendAudit({
    at: startedAt.toISOString(),
    channel,
    user: command.user_id,
    kind: 'scan.started',
    scanId: record.id,
    data: { account, days: options.days, regions: options.regions ?? 'all enabled' },
  });
  log.info({ scanId: record.id, days: options.days, regions: options.regions }, 'scan started');

  let progress: ScanProgress = emptyProgress();
  const progressTs = await poster.post(channel, { text: progressText(progress), blocks: progressBlocks(progress) }, threadTs);
  const updater = new ThrottledUpdater(
    () => poster.update(channel, progressTs, { text: progressText(progress), blocks: progressBlocks(progress) }),
    ctx.progressIntervalMs,
    (err) => log.warn({ err }, 'progress update failed'),
  );

  let result: ScanResult;
  try {
    const scanOptions: ScanOptions = { days: options.days, now: startedAt, ...(options.regions ? { regions: options.regions } : {}) };
    result = await services.runScan({
      clients: clientsFor(services.scanTarget),
      options: scanOptions,
      onProgress: (event) => {
        progress = applyProgress(progress, event);
        updater.changed();
      },
    });
  } catch (err) {
    updater.stop();
    log.error({ err, scanId: record.id }, 'scan failed');
    const reason = userMessage(err);
    store.saveScan({ ...record, status: 'failed' });
    store.appendAudit({
      at: services.now().toISOString(),
      channel,
      user: command.user_id,
      kind: 'scan.finished',
      scanId: record.id,
      data: { status: 'failed', reason },
    });
    await poster.post(channel, { text: mrkdwn`The scan did not finish. ${esc(reason)}` }, threadTs);
    await poster.update(channel, threadTs, {
      text: mrkdwn`The scan of ${esc(accountLabel(account))} did not finish.`,
      blocks: scanFailedBlocks(account, reason),
    });
    return;
  }

  progress = { ...progress, finished: true };
  await updater.flush();
  // Stored before anything is rendered: the buttons below refer to this record.
  const done: ScanRecord = { ...record, status: 'done', result };
  store.saveScan(done);
  store.appendAudit({
    at: services.now().toISOString(),
    channel,
    user: command.user_id,
    kind: 'scan.finished',
    scanId: record.id,
    data: { status: 'done', findings: result.findings.length, gaps: result.gaps.length, durationMs: result.stats.durationMs },
  });
  log.info({ scanId: record.id, findings: result.findings.length, gaps: result.gaps.length, durationMs: result.stats.durationMs }, 'scan finished');
  // Guided findings become checklist items; a failure here must not cost the team the findings.
  let checklist: SyncResult | undefined;
  try {
    checklist = syncFromScan({ store, now: services.now }, done);
  } catch (err) {
    log.error({ err, scanId: record.id }, 'could not update the incident checklist');
  }

  try {
    await poster.update(channel, threadTs, { text: summaryText(result), blocks: summaryBlocks(result, info) });
    const groups = result.findings.length ? findingGroups(record.id, result.findings) : [noFindingsBlocks()];
    await poster.postGroups(channel, threadTs, [...groups, ...gapGroups(result.gaps)], mrkdwn`Findings of the scan of AWS account ${esc(result.account)}`);
    const changes = checklist && checklistChangesText(checklist);
    if (changes) await poster.post(channel, { text: changes, blocks: [{ type: 'section', text: md(changes) }] }, threadTs);
  } catch (err) {
    // The scan itself is saved; say so rather than leave the thread silently incomplete.
    log.error({ err, scanId: record.id }, 'could not post the scan results');
    await poster
      .post(
        channel,
        {
          text: mrkdwn`The scan finished, but not all of its results could be posted here. ${esc(userMessage(err))} The full result is saved; \`aws-ir scan --format json\` prints it too.`,
        },
        threadTs,
      )
      .catch((e: unknown) => log.error({ err: e }, 'could not report the posting failure'));
  }
}

/** A scan older than this still marked running was cut short by a restart; it does not block a new one. */
export const RUNNING_SCAN_TTL_MS = 30 * 60_000;

/**
 * `/aws-ir scan …`: flags are checked before the ack (so a mistake is answered at once); the scan runs
 * after it. One scan at a time per channel: a second one would double the AWS calls (and Cost
 * Explorer charges) and split the team's attention between two threads.
 */
export const scanSubcommand = {
  parse: parseScanArgs,
  async run(ctx: CommandContext, options: Pick<ScanOptions, 'days' | 'regions'>): Promise<void> {
    const running = ctx.services.store.latestScan(ctx.command.channel_id);
    if (running?.status === 'running' && ctx.services.now().getTime() - Date.parse(running.startedAt) < RUNNING_SCAN_TTL_MS) {
      await replyEphemeral(
        ctx,
        mrkdwn`A scan started by ${mention(running.requestedBy)} is still running in this channel; its progress and findings are in its thread.`,
      );
      return;
    }
    ctx.tasks.run('scan', () => runScanInSlack(ctx, options));
  },
};
