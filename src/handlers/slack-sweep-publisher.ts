/**
 * An organization sweep told as a Slack thread: the first message says who swept which accounts; one
 * progress message in the thread counts accounts done; at the end the first message becomes the
 * organization's summary and the thread gets the stories across accounts, one section per account
 * with findings (rendered as a one-account scan's, buttons included), the accounts without findings
 * on one line, and the accounts that could not be scanned.
 */
import { findingGroups, ButtonCounter } from '../blocks/findings';
import { gapGroups } from '../blocks/gaps';
import {
  accountSectionBlocks,
  noFindingsLine,
  notScannedGroups,
  storiesGroups,
  sweepFailedBlocks,
  sweepProgressText,
  sweepStartedBlocks,
  sweepStartedText,
  sweepSummaryBlocks,
  sweepSummaryText,
  type SweepInfo,
} from '../blocks/org-summary';
import { checklistChangesText } from '../blocks/status';
import { esc, md, mrkdwn } from '../blocks/text';
import type { Clock } from '../clock';
import { userMessage } from '../errors';
import type { SweepPublisher, SweepStart } from '../incident/ports';
import type { Logger } from '../logger';
import type { SweepAccountRecord } from '../store/model';
import type { SlackPoster } from '../slack/poster';
import { ThrottledUpdater } from '../slack/throttled-updater';

export class SlackSweepPublisher implements SweepPublisher {
  private info: SweepInfo | undefined;
  private threadTs: string | undefined;
  private progress = { done: 0, total: 0, gaps: 0 };
  private updater: ThrottledUpdater | undefined;

  constructor(
    private readonly poster: SlackPoster,
    private readonly channel: string,
    private readonly options: { progressIntervalMs: number; clock: Clock; logger: Logger },
  ) {}

  async opened(start: SweepStart): Promise<string> {
    const info: SweepInfo = {
      user: start.requestedBy,
      home: start.account,
      days: start.days,
      accounts: start.accounts,
      reused: start.reused,
      ...(start.regions ? { regions: start.regions } : {}),
      ...(start.ou ? { ou: start.ou } : {}),
    };
    this.info = info;
    this.progress.total = start.accounts;
    const threadTs = await this.poster.post(this.channel, { text: sweepStartedText(info), blocks: sweepStartedBlocks(info) });
    this.threadTs = threadTs;
    const message = () => {
      const text = sweepProgressText(this.progress.done, this.progress.total, this.progress.gaps);
      return { text, blocks: [{ type: 'section' as const, text: md(text) }] };
    };
    try {
      const progressTs = await this.poster.post(this.channel, message(), threadTs);
      this.updater = new ThrottledUpdater(
        () => this.poster.update(this.channel, progressTs, message()),
        this.options.progressIntervalMs,
        (err) => this.options.logger.warn({ err }, 'progress update failed'),
        this.options.clock,
      );
    } catch (err) {
      this.options.logger.warn({ err }, 'could not post the progress message');
    }
    return threadTs;
  }

  accountDone(record: SweepAccountRecord, done: number): void {
    this.progress.done = done;
    if (record.status !== 'scanned') this.progress.gaps++;
    this.updater?.changed();
  }

  async finished({ scan, result, checklist }: Parameters<SweepPublisher['finished']>[0]): Promise<void> {
    const threadTs = this.threadTs;
    const info = this.info;
    if (!threadTs || !info) return;
    await this.updater?.flush();
    try {
      await this.poster.update(this.channel, threadTs, { text: sweepSummaryText(result), blocks: sweepSummaryBlocks(result, info) });
      const counter = new ButtonCounter();
      const groups = [...storiesGroups(result.crossAccount)];
      for (const a of result.accounts) {
        if (a.status !== 'scanned' || !a.result?.findings.length) continue;
        const findings = result.findings.filter((f) => f.account === a.account);
        const [first, ...rest] = findingGroups(scan.id, findings, counter);
        // The account's header sticks to its first finding, so a message never ends on a bare header.
        groups.push([...accountSectionBlocks(a), ...(first ?? [])], ...rest, ...gapGroups(a.result.gaps));
      }
      const quiet = result.accounts.filter((a) => a.status === 'scanned' && !a.result?.findings.length);
      if (quiet.length) groups.push([{ type: 'divider' }, { type: 'section', text: md(mrkdwn`:white_check_mark: ${noFindingsLine(quiet)}`) }]);
      groups.push(...notScannedGroups(result.accounts.filter((a) => a.status !== 'scanned')));
      await this.poster.postGroups(
        this.channel,
        threadTs,
        groups,
        mrkdwn`Findings of the organization sweep from AWS account ${esc(result.organization.home)}`,
      );
      const changes = checklist && checklistChangesText(checklist);
      if (changes) await this.poster.post(this.channel, { text: changes, blocks: [{ type: 'section', text: md(changes) }] }, threadTs);
    } catch (err) {
      this.options.logger.error({ err, scanId: scan.id }, 'could not post the sweep results');
      await this.poster
        .post(
          this.channel,
          {
            text: mrkdwn`The sweep finished, but not all of its results could be posted here. ${esc(userMessage(err))} The full result is saved; \`aws-ir scan --org --format json\` prints it too.`,
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
    await this.poster.post(this.channel, { text: mrkdwn`The sweep did not finish. ${esc(reason)}` }, threadTs);
    await this.poster.update(this.channel, threadTs, {
      text: mrkdwn`The organization sweep did not finish.`,
      blocks: sweepFailedBlocks(this.info.home, reason),
    });
  }
}
