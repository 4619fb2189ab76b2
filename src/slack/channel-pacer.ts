/**
 * Slack allows about one chat.postMessage per second per channel; bursts above it are throttled and
 * retried by the Web API client, which stalls the whole thread. Every post and update of the app goes
 * through one pacer, so a scan's progress updates and its findings queue up politely behind each other
 * instead of racing. Calls for one channel run in order, at least `minIntervalMs` apart; an urgent call
 * (the first actionable findings of a scan) goes before the ones still waiting.
 */
import { systemClock, type Clock } from '../clock';

/** Runs a channel's Slack calls in order and spaced out (ChannelPacer in one process, SharedChannelPacer across replicas). */
export interface Pacer {
  /** `urgent` goes ahead of what waits in this process's queue (the shared pacer keeps its schedule). */
  run<T>(channel: string, fn: () => Promise<T>, options?: { urgent?: boolean }): Promise<T>;
}

interface Task {
  run(): Promise<void>;
}

interface ChannelQueue {
  urgent: Task[];
  normal: Task[];
  running: boolean;
}

export class ChannelPacer implements Pacer {
  private readonly queues = new Map<string, ChannelQueue>();
  private readonly lastAt = new Map<string, number>();

  constructor(
    readonly minIntervalMs = 1000,
    private readonly clock: Clock = systemClock,
  ) {}

  run<T>(channel: string, fn: () => Promise<T>, options: { urgent?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const task: Task = { run: () => fn().then(resolve, reject) };
      const queue = this.queues.get(channel) ?? { urgent: [], normal: [], running: false };
      this.queues.set(channel, queue);
      (options.urgent ? queue.urgent : queue.normal).push(task);
      if (!queue.running) void this.drain(channel, queue);
    });
  }

  private async drain(channel: string, queue: ChannelQueue): Promise<void> {
    queue.running = true;
    while (queue.urgent.length || queue.normal.length) {
      const wait = (this.lastAt.get(channel) ?? Number.NEGATIVE_INFINITY) + this.minIntervalMs - this.clock.now().getTime();
      if (wait > 0) await this.clock.sleep(wait);
      // Picked after the wait: an urgent call that arrived meanwhile goes first.
      const task = (queue.urgent.shift() ?? queue.normal.shift()) as Task;
      try {
        await task.run();
      } finally {
        this.lastAt.set(channel, this.clock.now().getTime());
      }
    }
    queue.running = false;
    // Forget idle channels so a long-running process does not keep one entry per channel forever.
    if (this.queues.get(channel) === queue) this.queues.delete(channel);
  }
}
