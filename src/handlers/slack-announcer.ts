/**
 * Announcements of the incident core in Slack: a scan cut short says so in its thread; an approved
 * action cut off by a crash is announced in the scan's thread (with its in-flight AWS calls read back)
 * and its message turns to "Interrupted"; an expired request's message says it expired.
 */
import { breakGlassText } from '../blocks/break-glass';
import { interruptedRequestMessage, interruptedScanText } from '../blocks/interruption';
import { md } from '../blocks/text';
import type { IncidentCore } from '../incident/core';
import type { Announcer } from '../incident/ports';
import type { InterruptedWrite } from '../incident/recover-interrupted';
import type { Logger } from '../logger';
import { describeTarget } from '../remediation/action-ids';
import { actionDefinition } from '../remediation/catalog';
import type { ActionRequest, ScanRecord } from '../store/model';
import type { SlackPoster } from '../slack/poster';
import { showRequest } from './request-message';

export function slackAnnouncer(poster: SlackPoster, core: () => IncidentCore, logger: Logger): Announcer {
  return {
    async scanInterrupted(scan: ScanRecord) {
      // A scan cut off before its first message has no thread and nobody waiting in one.
      if (!scan.threadTs) return;
      const text = interruptedScanText(scan.reason ?? 'aws-ir stopped while it ran.');
      await poster.post(scan.channel, { text, blocks: [{ type: 'section', text: md(text) }] }, scan.threadTs);
    },
    async requestInterrupted(request: ActionRequest, writes: InterruptedWrite[]) {
      const message = interruptedRequestMessage({
        label: actionDefinition(request.action).label,
        target: describeTarget(request.target),
        ...(request.decidedBy ? { approvedBy: request.decidedBy } : {}),
        writes: writes.map((w) => ({ operation: w.operation, state: w.readBack.state, check: w.readBack.check })),
      });
      // Announce first and separately: the message update may fail (deleted message) but people must hear of it.
      await poster.post(request.channel, message, request.threadTs);
      await showRequest(poster, core(), request).catch((err: unknown) =>
        logger.warn({ err, requestId: request.id }, 'could not mark an interrupted request message'),
      );
    },
    async requestExpired(request: ActionRequest) {
      await showRequest(poster, core(), request);
    },
    async breakGlassUsed(request: ActionRequest) {
      const text = breakGlassText({
        label: actionDefinition(request.action).label,
        target: describeTarget(request.target),
        by: request.breakGlass?.by ?? request.decidedBy ?? '',
        reason: request.breakGlass?.reason ?? '',
      });
      // In the channel, not the thread: everyone must hear that one person changed AWS alone.
      await poster.post(request.channel, { text, blocks: [{ type: 'section', text: md(text) }] });
    },
  };
}
