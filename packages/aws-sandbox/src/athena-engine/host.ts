/**
 * The sandbox's side of its Athena engine process (worker.ts): forked on the first call, one per sandbox,
 * shared by its accounts (each history has its own database there). A call is answered by the reply with
 * its id. A process that dies fails the calls it had (their queries end FAILED with the reason) and the
 * next call forks a new one; close() ends it and waits for its exit. While no call is waiting the
 * process holds no reference on this one's event loop, so a sandbox never closed does not keep it alive.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { extname, join } from 'node:path';
import { type EngineCall, type EngineCalls, type EngineReply, type EngineRequest, isReply } from './protocol';

/** How long close() waits for the process to end by itself before killing it. */
const EXIT_GRACE_MS = 5_000;

interface Pending {
  resolve(output: EngineReply & { ok: true }): void;
  reject(err: Error): void;
}

export class EngineStopped extends Error {
  readonly code = 'sandbox_athena_engine_stopped';
}

/** The worker as this module runs: compiled next to host.js, or from source through the package's own loader. */
function workerCommand(): { modulePath: string; execArgv: string[] } {
  if (extname(__filename) === '.ts') return { modulePath: join(__dirname, 'worker.ts'), execArgv: ['-r', join(__dirname, 'ts-loader.js')] };
  return { modulePath: join(__dirname, 'worker.js'), execArgv: [] };
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
}

export class AthenaEngineHost {
  private running: Running | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** The engine process's id while one runs (tests end it to see a crash handled). */
  get pid(): number | undefined {
    return this.running?.child.pid;
  }

  async call<K extends EngineCall>(call: K, input: EngineCalls[K]['input']): Promise<EngineCalls[K]['output']> {
    const { child } = this.start();
    const id = this.nextId++;
    const reply = new Promise<EngineReply & { ok: true }>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.hold(child, true);
    // The union of requests cannot be narrowed by K; the object is that request by construction.
    const request = { id, call, input } as EngineRequest;
    child.send(request, (err) => {
      if (err) this.settle(id, new EngineStopped(`The sandbox's Athena engine could not be reached: ${err.message}`));
    });
    const { output } = await reply;
    // The worker answers each id with the output of the call it was sent.
    return output as EngineCalls[K]['output'];
  }

  /** Ends the engine process (its databases with it) and waits for it to exit. */
  async close(): Promise<void> {
    const running = this.running;
    if (!running) return;
    const { child, exited } = running;
    if (child.connected) child.disconnect();
    const kill = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
    await exited;
    clearTimeout(kill);
  }

  private start(): Running {
    if (this.running) return this.running;
    const { modulePath, execArgv } = workerCommand();
    const child = fork(modulePath, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    const exited = new Promise<void>((resolve) => {
      let ended = false;
      const end = (why: string): void => {
        if (ended) return;
        ended = true;
        if (this.running?.child === child) this.running = undefined;
        const stopped = new EngineStopped(`The sandbox's Athena engine stopped (${why}) before the query finished.`);
        for (const id of [...this.pending.keys()]) this.settle(id, stopped);
        resolve();
      };
      child.once('exit', (code, signal) => end(signal ? `signal ${signal}` : `exit code ${code}`));
      // A fork that could not start emits 'error' and no 'exit'.
      child.once('error', (err) => {
        if (child.pid === undefined || child.exitCode !== null) end(err.message);
      });
    });
    child.on('message', (message: unknown) => {
      if (!isReply(message)) return;
      if (message.ok) this.pending.get(message.id)?.resolve(message);
      this.settle(message.id, message.ok ? undefined : new Error(message.message));
    });
    this.running = { child, exited };
    return this.running;
  }

  /** Forgets call `id` (rejecting it with `err`, if given); the process stops holding this one when none is left. */
  private settle(id: number, err?: Error): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (err) pending.reject(err);
    if (!this.pending.size && this.running) this.hold(this.running.child, false);
  }

  private hold(child: ChildProcess, on: boolean): void {
    if (on) {
      child.ref();
      child.channel?.ref();
    } else {
      child.unref();
      child.channel?.unref();
    }
  }
}
