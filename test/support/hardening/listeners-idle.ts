/**
 * Waits for the app's Bolt listeners as well as its background tasks. `/aws-ir status`, `evidence`
 * and `audit` answer in their listener after the ack (the HTTP answer has gone by then), outside the
 * task tracker `h.idle()` waits for; a test that stops the Slack stand-in while one still posts leaves
 * the Web API client retrying, and the test process open, for minutes.
 *
 *   const idle = listenersIdle(h);   // before the first request
 *   await h.command('audit');
 *   await idle();
 */
import type { AppHarness } from '../app-harness';

export function listenersIdle(h: Pick<AppHarness, 'app' | 'idle'>): () => Promise<void> {
  const running = new Set<Promise<void>>();
  // Global middleware: `next()` resolves once every listener of the request has finished.
  h.app.use(async ({ next }) => {
    const done = next();
    running.add(done);
    try {
      await done;
    } finally {
      running.delete(done);
    }
  });
  return async () => {
    do {
      await Promise.allSettled([...running]);
      await h.idle();
    } while (running.size > 0);
  };
}
