/**
 * What every `/aws-ir` subcommand adapter receives from the router. The command has already been
 * acknowledged when it runs (Slack's 3-second deadline is the router's job); adapters call the
 * incident core, then answer with `respond` (ephemeral, via response_url) or post through `poster`
 * (drill-marked, paced, within Block Kit limits), and start long work with `tasks.run` so it outlives
 * the listener.
 */
import type { RespondFn, SlashCommand } from '@slack/bolt';
import { drillPrefix } from '../blocks/drill';
import type { IncidentCore } from '../incident/core';
import type { AppServices } from '../services';
import type { BackgroundTasks } from '../slack/background-tasks';
import type { SlackPoster } from '../slack/poster';

export interface CommandContext {
  command: SlashCommand;
  respond: RespondFn;
  services: AppServices;
  core: IncidentCore;
  poster: SlackPoster;
  tasks: BackgroundTasks;
  /** Minimum time between two updates of one progress message. */
  progressIntervalMs: number;
}

/** Sends an ephemeral answer to the user who typed the command; `text` is trusted mrkdwn. */
export async function replyEphemeral(ctx: Pick<CommandContext, 'respond' | 'services'>, text: string): Promise<void> {
  await ctx.respond({ response_type: 'ephemeral', replace_original: false, text: `${drillPrefix(ctx.services.config.drill)}${text}` });
}
