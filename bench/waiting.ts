/**
 * Waiting in the benchmarks, which drive real processes: a sleep, a poller for something to become
 * true, and a free port on 127.0.0.1 for a child process to listen on.
 */
import * as net from 'node:net';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export type Until = <T>(what: string, read: () => Promise<T | undefined> | T | undefined, timeoutMs?: number, everyMs?: number) => Promise<T>;

/** `until(what, read)`: polls `read` every `everyMs` until it gives a value; throws after `timeoutMs`. Defaults per benchmark. */
export function poller(defaultTimeoutMs: number, defaultEveryMs: number): Until {
  return async (what, read, timeoutMs = defaultTimeoutMs, everyMs = defaultEveryMs) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await read();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await sleep(everyMs);
    }
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
