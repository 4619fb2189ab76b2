/**
 * Where each scan's do-first plan was posted, so the plan follows the team's work: when a request of
 * the scan is decided or runs, the plan is rendered again and a step that is done (or waiting for
 * approval) loses its button. Display only: after a restart the plan is current again at the next
 * scan, and `/aws-ir status` always reads the states from the store.
 */
import { ButtonCounter } from '../blocks/findings';
import { doFirstBlocks, doFirstText } from '../blocks/stories';
import type { IncidentCore } from '../incident/core';
import type { SlackPoster } from '../slack/poster';

const REMEMBERED = 100;
const plans = new Map<string, { channel: string; ts: string }>();

export function rememberPlan(scanId: string, channel: string, ts: string): void {
  plans.delete(scanId);
  plans.set(scanId, { channel, ts });
  if (plans.size > REMEMBERED) plans.delete(plans.keys().next().value as string);
}

export async function refreshPlan(poster: SlackPoster, core: IncidentCore, scanId: string | undefined): Promise<void> {
  const where = scanId ? plans.get(scanId) : undefined;
  if (!scanId || !where) return;
  const state = await core.planState(scanId);
  if (!state) return;
  const blocks = doFirstBlocks(scanId, state.result, state.targets, new ButtonCounter());
  if (blocks.length) await poster.update(where.channel, where.ts, { text: doFirstText(state.result), blocks });
}
