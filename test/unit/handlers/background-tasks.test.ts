/**
 * Work after an ack: it starts on a later turn of the event loop (the acks in flight go first), at
 * most `concurrency` tasks run at once and the rest start in order, and idle() waits for all of them.
 */
import { createLogger } from '../../../src/logger';
import { BackgroundTasks } from '../../../src/slack/background-tasks';

describe('BackgroundTasks', () => {
  it('starts nothing in the current turn, runs at most `concurrency` at once, in order, and idle() waits for all', async () => {
    const tasks = new BackgroundTasks(createLogger('silent'), 2);
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    for (let i = 0; i < 5; i++) {
      tasks.run(`t${i}`, async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((r) => gates.push(r));
        running--;
      });
    }
    expect(started).toEqual([]);
    const idle = tasks.idle();
    while (started.length < 5) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    for (const g of gates.splice(0)) g();
    await idle;
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(tasks.size).toBe(0);
  });

  it('logs a failed task and keeps running the others', async () => {
    const errors: string[] = [];
    const logger = createLogger('error', {
      write: (line: string) => {
        const parsed: unknown = JSON.parse(line);
        if (typeof parsed === 'object' && parsed !== null && 'msg' in parsed && typeof parsed.msg === 'string') errors.push(parsed.msg);
      },
    });
    const tasks = new BackgroundTasks(logger, 1);
    let ran = false;
    tasks.run('fails', async () => {
      throw new Error('boom');
    });
    tasks.run('runs', async () => {
      ran = true;
    });
    await tasks.idle();
    expect(ran).toBe(true);
    expect(errors).toEqual(['background task failed']);
  });
});
