/**
 * A scan told as a Slack thread: the first message in the channel says who started a scan of which
 * account; one progress message in its thread follows the checks; at the end the first message
 * becomes the summary and the findings follow in the thread, by runbook step, with their buttons.
 */
import { findingGroups, noFindingsBlocks } from '../blocks/findings';
import { gapGroups } from '../blocks/gaps';
import { applyProgress, emptyProgress, progressBlocks, progressText, type ScanProgress } from '../blocks/progress';
import { accountLabel, scanStartedBlocks, scanStartedText, type ScanStartInfo } from '../blocks/scan-started';
import { checklistChangesText } from '../blocks/status';
import { scanFailedBlocks, summaryBlocks, summaryText } from '../blocks/summary';
import { esc, md } from '../blocks/text';
import type { Clock } from '../clock';
import { userMessage } from '../errors';
import type { ScanPublisher, ScanStart } from '../incident/ports';
import type { Logger } from '../logger';
import type { ProgressEvent } from '../scan/model';
import type { SlackPoster } from '../slack/poster';
import { ThrottledUpdater } from '../slack/throttled-updater';

export class SlackScanPublisher implements ScanPublisher {
  private info: ScanStartInfo | undefined;
  private threadTs: string | undefined;
  private state: ScanProgress = emptyProgress();
  private updater: ThrottledUpdater | undefined;

  constructor(
    private readonly poster: SlackPoster,
    private readonly channel: string,
    private readonly options: { progressIntervalMs: number; clock: Clock; logger: Logger },
  ) {}

  async opened(start: ScanStart): Promise<string> {
    const info: ScanStartInfo = { user: start.requestedBy, account: start.account, days: start.days, ...(start.regions ? { regions: start.regions } : {}) };
    this.info = info;
    const threadTs = await this.poster.post(this.channel, { text: scanStartedText(info), blocks: scanStartedBlocks(info) });
    this.threadTs = threadTs;
    try {
      const progressTs = await this.poster.post(this.channel, { text: progressText(this.state), blocks: progressBlocks(this.state) }, threadTs);
      this.updater = new ThrottledUpdater(
        () => this.poster.update(this.channel, progressTs, { text: progressText(this.state), blocks: progressBlocks(this.state) }),
        this.options.progressIntervalMs,
        (err) => this.options.logger.warn({ err }, 'progress update failed'),
        this.options.clock,
      );
    } catch (err) {
      // The scan runs without a progress message rather than not at all.
      this.options.logger.warn({ err }, 'could not post the progress message');
    }
    return threadTs;
  }

  progress(event: ProgressEvent): void {
    this.state = applyProgress(this.state, event);
    this.updater?.changed();
  }

  async finished({ scan, result, checklist }: Parameters<ScanPublisher['finished']>[0]): Promise<void> {
    const threadTs = this.threadTs;
    const info = this.info;
    if (!threadTs || !info) return;
    this.state = { ...this.state, finished: true };
    await this.updater?.flush();
    try {
      await this.poster.update(this.channel, threadTs, { text: summaryText(result), blocks: summaryBlocks(result, info) });
      const groups = result.findings.length ? findingGroups(scan.id, result.findings) : [noFindingsBlocks()];
      await this.poster.postGroups(this.channel, threadTs, [...groups, ...gapGroups(result.gaps)], `Findings of the scan of AWS account ${result.account}`);
      const changes = checklist && checklistChangesText(checklist);
      if (changes) await this.poster.post(this.channel, { text: changes, blocks: [{ type: 'section', text: md(changes) }] }, threadTs);
    } catch (err) {
      // The scan itself is saved; say so rather than leave the thread silently incomplete.
      this.options.logger.error({ err, scanId: scan.id }, 'could not post the scan results');
      await this.poster
        .post(
          this.channel,
          {
            text: `The scan finished, but not all of its results could be posted here. ${esc(userMessage(err))} The full result is saved; \`aws-ir scan --format json\` prints it too.`,
          },
          threadTs,
        )
        .catch((e: unknown) => this.options.logger.error({ err: e }, 'could not report the posting failure'));
    }
  }

  async failed(reason: string): Promise<void> {
    this.updater?.stop();
    const threadTs = this.threadTs;
    if (!threadTs || !this.info) return;
    const account = this.info.account;
    await this.poster.post(this.channel, { text: `The scan did not finish. ${esc(reason)}` }, threadTs);
    await this.poster.update(this.channel, threadTs, {
      text: `The scan of ${esc(accountLabel(account))} did not finish.`,
      blocks: scanFailedBlocks(account, reason),
    });
  }
}
