/**
 * Work that continues after a listener has acknowledged Slack (a scan runs for minutes; Slack wants
 * its answer within 3 s). Tracked so shutdown and tests can wait for it instead of racing it, and so
 * a failure is always logged rather than becoming an unhandled rejection.
 *
 * Acknowledgements come first: a task starts on a later turn of the event loop (setImmediate), after
 * the acks of every request already read, and at most `concurrency` tasks run at once (the rest wait
 * in order). Under a burst of clicks the work after the acks therefore never crowds out the acks of
 * the requests still arriving; it catches up when the burst ends.
 */
import type { Logger } from '../logger';

/** Enough to keep several scans, trails and approvals moving; few enough that their CPU leaves room for acks. */
export const BACKGROUND_CONCURRENCY = 8;

export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();
  private readonly waiting: (() => void)[] = [];
  private active = 0;

  constructor(
    private readonly logger: Logger,
    private readonly concurrency = BACKGROUND_CONCURRENCY,
  ) {}

  run(name: string, fn: () => Promise<void>): void {
    const task = this.slot()
      .then(fn)
      .catch((err: unknown) => {
        this.logger.error({ err, task: name }, 'background task failed');
      })
      .finally(() => {
        this.running.delete(task);
        this.release();
      });
    this.running.add(task);
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves once every task started so far (and any they start) has finished. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  /** Resolves on a later turn of the event loop, once fewer than `concurrency` tasks run. */
  private slot(): Promise<void> {
    return new Promise<void>((resolve) => {
      const start = () => {
        this.active++;
        setImmediate(resolve);
      };
      if (this.active < this.concurrency) start();
      else this.waiting.push(start);
    });
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}
