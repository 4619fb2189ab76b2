/**
 * A scan told as a Slack thread: the first message in the channel says who started a scan of which
 * account; one progress message in its thread follows the checks, and the first actionable findings
 * (AWS's quarantine, root keys, keys created in the window…) are posted as soon as their check ends.
 * At the end the first message becomes the summary (stories first, what changed since the last scan),
 * the progress message becomes the do-first plan, and the findings follow by story, then severity,
 * with look-alikes folded into one entry and their full list as a file.
 */
import type { KnownBlock } from '@slack/types';
import { ButtonCounter, findingBlocks, noFindingsBlocks } from '../blocks/findings';
import { gapGroups } from '../blocks/gaps';
import { earlyBlocks, earlyText, isFirstActionable } from '../blocks/early-findings';
import { applyProgress, emptyProgress, progressBlocks, progressText, type ScanProgress } from '../blocks/progress';
import { accountLabel, scanStartedBlocks, scanStartedText, type ScanStartInfo } from '../blocks/scan-started';
import { checklistChangesText } from '../blocks/status';
import { doFirstBlocks, doFirstText } from '../blocks/stories';
import { scanFailedBlocks, summaryBlocks, summaryText } from '../blocks/summary';
import { threadGroups, type IdentityList } from '../blocks/thread';
import { esc, md, mrkdwn, type Mrkdwn } from '../blocks/text';
import type { Clock } from '../clock';
import { userMessage } from '../errors';
import type { ScanPublisher, ScanStart } from '../incident/ports';
import type { Logger } from '../logger';
import type { Finding, ProgressEvent } from '../scan/model';
import type { Message, SlackPoster } from '../slack/poster';
import { ThrottledUpdater } from '../slack/throttled-updater';
import { rememberPlan } from './plan-messages';

/** Findings posted before the scan ends, at most: each gets its buttons in place later, within one message's blocks. */
const EARLY_MAX = 10;

interface EarlyPost {
  ts: Promise<string | undefined>;
  findings: Finding[];
}

export class SlackScanPublisher implements ScanPublisher {
  private info: ScanStartInfo | undefined;
  private threadTs: string | undefined;
  private progressTs: string | undefined;
  private state: ScanProgress = emptyProgress();
  private updater: ThrottledUpdater | undefined;
  /** What the progress message shows now: an update that would change nothing is not sent. */
  private shown = '';
  private progressPosted: Promise<void> = Promise.resolve();
  private readonly early: EarlyPost[] = [];

  constructor(
    private readonly poster: SlackPoster,
    private readonly channel: string,
    private readonly options: { progressIntervalMs: number; clock: Clock; logger: Logger },
  ) {}

  private progressMessage(): Message {
    return { text: progressText(this.state), blocks: progressBlocks(this.state) };
  }

  async opened(start: ScanStart): Promise<string> {
    const info: ScanStartInfo = { user: start.requestedBy, account: start.account, days: start.days, ...(start.regions ? { regions: start.regions } : {}) };
    this.info = info;
    const threadTs = await this.poster.post(this.channel, { text: scanStartedText(info), blocks: scanStartedBlocks(info) });
    this.threadTs = threadTs;
    // The scan starts now; the progress message follows at the channel's pace (behind any first finding).
    this.progressPosted = this.postProgress(threadTs);
    return threadTs;
  }

  private async postProgress(threadTs: string): Promise<void> {
    try {
      const first = this.progressMessage();
      this.shown = JSON.stringify(first);
      const progressTs = await this.poster.post(this.channel, first, threadTs);
      this.progressTs = progressTs;
      this.updater = new ThrottledUpdater(
        async () => {
          const message = this.progressMessage();
          const rendered = JSON.stringify(message);
          if (rendered === this.shown) return;
          this.shown = rendered;
          await this.poster.update(this.channel, progressTs, message);
        },
        this.options.progressIntervalMs,
        (err) => this.options.logger.warn({ err }, 'progress update failed'),
        this.options.clock,
      );
      if (this.state.finished) return;
      this.updater.changed();
    } catch (err) {
      // The scan runs without a progress message rather than not at all.
      this.options.logger.warn({ err }, 'could not post the progress message');
    }
  }

  progress(event: ProgressEvent): void {
    this.state = applyProgress(this.state, event);
    if (event.type !== 'check-finished') return;
    if (event.found?.length) this.postEarly(event.found);
    // Only a finished check changes what people need to know; the rest waits for the next one.
    this.updater?.changed();
  }

  /** What is already known must not wait for the slowest check: the first actionable findings go out now. */
  private postEarly(found: Finding[]): void {
    const threadTs = this.threadTs;
    // One message, the first reply: at the end it becomes the do-first plan (or gets its buttons).
    if (this.early.length) return;
    const actionable = found.filter((f) => isFirstActionable(f)).slice(0, EARLY_MAX);
    if (!threadTs || !actionable.length) return;
    const ts = this.poster
      .post(this.channel, { text: earlyText(actionable), blocks: earlyBlocks(actionable) }, threadTs, { urgent: true })
      .catch((err: unknown) => {
        this.options.logger.warn({ err }, 'could not post the first findings');
        return undefined;
      });
    this.early.push({ ts, findings: actionable });
  }

  async finished({ scan, result, checklist, progress }: Parameters<ScanPublisher['finished']>[0]): Promise<void> {
    const threadTs = this.threadTs;
    const info = this.info;
    if (!threadTs || !info) return;
    this.state = { ...this.state, finished: true };
    try {
      const counter = new ButtonCounter();
      const targets = progress?.targets ?? {};
      await this.progressPosted;
      await this.poster.update(this.channel, threadTs, { text: summaryText(result), blocks: summaryBlocks(result, info, progress) });
      const plan = doFirstBlocks(scan.id, result, targets, counter);
      const early = this.early[0];
      const earlyTs = early ? await early.ts : undefined;
      // The first reply (the first findings, or the progress message) becomes the do-first plan: the first screen people see.
      const posted = new Set<string>();
      if (plan.length && earlyTs) {
        await this.updater?.flush();
        await this.poster.update(this.channel, earlyTs, { text: doFirstText(result), blocks: plan });
        rememberPlan(scan.id, this.channel, earlyTs);
      } else if (plan.length && this.progressTs) {
        this.updater?.stop();
        await this.poster.update(this.channel, this.progressTs, { text: doFirstText(result), blocks: plan });
        rememberPlan(scan.id, this.channel, this.progressTs);
      } else {
        await this.updater?.flush();
        if (plan.length) rememberPlan(scan.id, this.channel, await this.poster.post(this.channel, { text: doFirstText(result), blocks: plan }, threadTs));
        // Without a plan, the first findings stay where they are and get their buttons now that the scan is stored.
        if (early && earlyTs) {
          const stored = early.findings.map((f) => result.findings.find((x) => x.id === f.id) ?? f);
          const blocks = [earlyBlocks(stored)[0] as KnownBlock, ...stored.flatMap((f) => findingBlocks(scan.id, f, counter, { targets }))];
          await this.poster.update(this.channel, earlyTs, { text: earlyText(stored), blocks });
          for (const f of stored) posted.add(f.id);
        }
      }
      const thread = result.findings.length ? threadGroups(scan.id, result, progress, counter, posted) : { groups: [noFindingsBlocks()], lists: [] };
      await this.poster.postGroups(
        this.channel,
        threadTs,
        [...thread.groups, ...gapGroups(result.gaps)],
        mrkdwn`Findings of the scan of AWS account ${esc(result.account)}`,
      );
      if (thread.lists.length) await this.uploadLists(threadTs, thread.lists);
      const changes = checklist && checklistChangesText(checklist);
      if (changes) await this.poster.post(this.channel, { text: changes, blocks: [{ type: 'section', text: md(changes) }] }, threadTs);
    } catch (err) {
      // The scan itself is saved; say so rather than leave the thread silently incomplete.
      this.options.logger.error({ err, scanId: scan.id }, 'could not post the scan results');
      // The progress message's last word, sent now and awaited: nothing of this scan is left to go out later.
      await this.updater?.flush();
      await this.poster
        .post(
          this.channel,
          {
            text: mrkdwn`The scan finished, but not all of its results could be posted here. ${esc(userMessage(err))} The full result is saved; \`aws-ir scan --format json\` prints it too.`,
          },
          threadTs,
        )
        .catch((e: unknown) => this.options.logger.error({ err: e }, 'could not report the posting failure'));
    }
  }

  /** One file with every folded list: the thread stays short, nobody is left out of the record. */
  private async uploadLists(threadTs: string, lists: IdentityList[]): Promise<void> {
    const content = lists.map((l) => `# ${l.title} (${l.count})\n${l.content}`).join('\n\n');
    const total = lists.reduce((n, l) => n + l.count, 0);
    const comment: Mrkdwn = mrkdwn`The ${total} findings folded above, one per line (identity, finding, id).`;
    try {
      await this.poster.uploadFile(this.channel, threadTs, { filename: 'aws-ir-identities.txt', title: 'Findings folded in the thread', content, comment });
    } catch (err) {
      this.options.logger.warn({ err }, 'could not upload the identity lists');
    }
  }

  async failed(reason: string): Promise<void> {
    this.state = { ...this.state, finished: true };
    await this.progressPosted;
    this.updater?.stop();
    const threadTs = this.threadTs;
    if (!threadTs || !this.info) return;
    const account = this.info.account;
    await this.poster.post(this.channel, { text: mrkdwn`The scan did not finish. ${esc(reason)}` }, threadTs);
    await this.poster.update(this.channel, threadTs, {
      text: mrkdwn`The scan of ${esc(accountLabel(account))} did not finish.`,
      blocks: scanFailedBlocks(account, reason),
    });
  }
}
