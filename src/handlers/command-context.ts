/**
 * What every `/aws-ir` subcommand handler receives from the router. The command has already been
 * acknowledged when a handler runs (Slack's 3-second deadline is the router's job); handlers answer
 * with `respond` (ephemeral, via response_url) or post through `poster` (drill-marked, paced,
 * within Block Kit limits), and start long work with `tasks.run` so it outlives the listener.
 *
 * Contract for src/handlers/audit.ts (remediation engineer): export
 * `handleAuditCommand(ctx: CommandContext): Promise<void>`.
 */
import type { RespondFn, SlashCommand } from '@slack/bolt';
import { drillPrefix } from '../blocks/drill';
import type { AppServices } from '../services';
import type { BackgroundTasks } from '../slack/background-tasks';
import type { SlackClient, SlackPoster } from '../slack/poster';
import type { AwsClients } from '../aws/clients';
import type { LastAccessedSummary } from '../scan/checks/last-accessed';
import type { PrincipalActivityInput } from '../scan/trail';

export interface CommandContext {
  /** Words after the subcommand, normalised (see command-args.ts). */
  args: string[];
  command: SlashCommand;
  client: SlackClient;
  respond: RespondFn;
  services: AppServices;
  poster: SlackPoster;
  tasks: BackgroundTasks;
  /** Minimum time between two updates of one progress message. */
  progressIntervalMs: number;
  /** Engine lookups; tests inject them, production loads the scan engine's modules. */
  lookups: Lookups;
}

/** src/scan/trail.ts `principalActivity`; its result is narrowed by blocks/trail.ts. */
export type PrincipalActivityFn = (clients: AwsClients, input: PrincipalActivityInput) => Promise<unknown>;
/** src/scan/checks/last-accessed.ts `lastAccessedFor`. */
export type LastAccessedFn = (clients: AwsClients, arn: string) => Promise<LastAccessedSummary>;

export interface Lookups {
  principalActivity?: PrincipalActivityFn;
  lastAccessedFor?: LastAccessedFn;
}

/** Sends an ephemeral plain-text answer to the user who typed the command. */
export async function replyEphemeral(ctx: Pick<CommandContext, 'respond' | 'services'>, text: string): Promise<void> {
  await ctx.respond({ response_type: 'ephemeral', replace_original: false, text: `${drillPrefix(ctx.services.config.drill)}${text}` });
}
