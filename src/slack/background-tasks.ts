/**
 * Work that continues after a listener has acknowledged Slack (a scan runs for minutes; Slack wants
 * its answer within 3 s). Tracked so shutdown and tests can wait for it instead of racing it, and so
 * a failure is always logged rather than becoming an unhandled rejection.
 */
import type { Logger } from '../logger';

export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(name: string, fn: () => Promise<void>): void {
    const task = fn()
      .catch((err: unknown) => {
        this.logger.error({ err, task: name }, 'background task failed');
      })
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves once every task started so far (and any they start) has finished. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }
}
