/**
 * The pacer a process uses: with PostgreSQL (DATABASE_URL, possibly several replicas) the schedule is
 * shared in the database; with SQLite (one process) it is kept in memory, as it always was.
 */
import type { CoreServices } from '../services';
import { ChannelPacer, type Pacer } from './channel-pacer';
import { SharedChannelPacer } from './shared-channel-pacer';

export const SLACK_CHANNEL_INTERVAL_MS = 1000;

export function pacerFor(services: Pick<CoreServices, 'config' | 'store' | 'clock'>): Pacer {
  if (services.config.databaseUrl) return new SharedChannelPacer(services.store, SLACK_CHANNEL_INTERVAL_MS, services.clock);
  return new ChannelPacer(SLACK_CHANNEL_INTERVAL_MS, services.clock);
}
