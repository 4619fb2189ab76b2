/**
 * Slack allows about one chat.postMessage per second per channel; bursts above it are throttled and
 * retried by the Web API client, which stalls the whole thread. Every post and update of the app goes
 * through one pacer, so a scan's progress updates and its findings queue up politely behind each other
 * instead of racing. Calls for one channel run in order, at least `minIntervalMs` apart.
 */
import { systemClock, type Clock } from '../clock';

export class ChannelPacer {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly lastAt = new Map<string, number>();

  constructor(
    readonly minIntervalMs = 1000,
    private readonly clock: Clock = systemClock,
  ) {}

  run<T>(channel: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(channel) ?? Promise.resolve();
    const result = previous.then(
      () => this.paced(channel, fn),
      () => this.paced(channel, fn),
    );
    const tail = result.catch(() => undefined);
    this.tails.set(channel, tail);
    // Forget idle channels so a long-running process does not keep one entry per channel forever.
    void tail.then(() => {
      if (this.tails.get(channel) === tail) this.tails.delete(channel);
    });
    return result;
  }

  private async paced<T>(channel: string, fn: () => Promise<T>): Promise<T> {
    const wait = (this.lastAt.get(channel) ?? Number.NEGATIVE_INFINITY) + this.minIntervalMs - this.clock.now().getTime();
    if (wait > 0) await this.clock.sleep(wait);
    try {
      return await fn();
    } finally {
      this.lastAt.set(channel, this.clock.now().getTime());
    }
  }
}
