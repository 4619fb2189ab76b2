/**
 * Slack's pace (about one message per second per channel) held across replicas: each post or update
 * first reserves the channel's next slot in the shared database (one conditional statement, see
 * Store.reservePostSlot), then waits for it. N processes posting to one channel thus share one
 * schedule instead of each allowing itself one message per second. Within this process a channel's
 * calls still run in order.
 */
import { systemClock, type Clock } from '../clock';
import type { Store } from '../store/store';
import { ChannelPacer, type Pacer } from './channel-pacer';

export class SharedChannelPacer implements Pacer {
  /** Order only: no spacing of its own, the shared schedule spaces. */
  private readonly order: ChannelPacer;

  constructor(
    private readonly store: Pick<Store, 'reservePostSlot'>,
    readonly minIntervalMs = 1000,
    private readonly clock: Clock = systemClock,
  ) {
    this.order = new ChannelPacer(0, clock);
  }

  run<T>(channel: string, fn: () => Promise<T>): Promise<T> {
    return this.order.run(channel, async () => {
      const now = this.clock.now().getTime();
      let slot = now;
      try {
        slot = await this.store.reservePostSlot(channel, now, this.minIntervalMs);
      } catch {
        // The database is briefly unreachable: post now (the Web API client retries Slack's 429) rather than drop the message.
      }
      if (slot > now) await this.clock.sleep(slot - now);
      return fn();
    });
  }
}
