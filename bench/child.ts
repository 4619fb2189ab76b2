/** The sandbox child process of a benchmark: started, asked, stopped. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ChildReply, ParentRequest } from './protocol';

export function startChild(): ChildProcess {
  return fork(path.join(__dirname, 'sandbox-child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

export function request<T extends ChildReply['type']>(child: ChildProcess, msg: ParentRequest, expect: T): Promise<Extract<ChildReply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: ChildReply) => {
      child.off('message', onMessage);
      if (reply.type === 'failed') reject(new Error(`sandbox: ${reply.message}`));
      else if (reply.type === expect) resolve(reply as Extract<ChildReply, { type: T }>);
      else reject(new Error(`sandbox: unexpected reply ${reply.type}`));
    };
    child.on('message', onMessage);
    child.send(msg);
  });
}

/** Samples this process's RSS every 25 ms until stopped; returns the peak. */
export function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  return {
    stop() {
      clearInterval(t);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
