/**
 * A scan's overall deadline. Every phase of the scan (a check, the key-id correlation, the
 * last-accessed step) runs through it, so when the deadline passes the scan returns at once with a gap
 * for each phase that had not finished, naming the AWS operations and regions it was still waiting
 * on; its AWS calls are stopped (the call-tracking middleware reads the abort signal) and whatever
 * it finds afterwards is not counted, since the gap already says it is missing.
 */
import { setMaxListeners } from 'node:events';
import type { AwsCallObserver } from '../aws/call-tracking';
import { SCAN_DEADLINE_SECONDS } from '../limits';
import type { CheckId, Gap, ScanOptions } from './model';

export interface ScanPhase {
  /** The checks whose results this phase completes (each gets a gap when it does not finish). */
  checks: CheckId[];
  /** What the phase gathers, for the gap's sentence, e.g. "the CloudTrail check". */
  what: string;
}

interface PhaseState {
  phase: ScanPhase;
  done: boolean;
  /** AWS calls sent and not yet answered, "Service:Operation in region" -> count. */
  inFlight: Map<string, number>;
}

const defaultSchedule = (ms: number, fire: () => void): (() => void) => {
  const timer = setTimeout(fire, ms);
  return () => clearTimeout(timer);
};

export class ScanDeadline {
  readonly ms: number;
  private readonly controller = new AbortController();
  private readonly phases: PhaseState[] = [];
  private readonly cancel: () => void;
  private reached!: () => void;
  private missing: Gap[] = [];
  private readonly whenReached = new Promise<void>((resolve) => {
    this.reached = resolve;
  });

  constructor(options: ScanOptions['deadline'] = { ms: SCAN_DEADLINE_SECONDS.default * 1000 }) {
    this.ms = options.ms;
    // Every AWS call in flight listens for the deadline: a scan has dozens at once.
    setMaxListeners(0, this.controller.signal);
    this.cancel = (options.schedule ?? defaultSchedule)(this.ms, () => {
      // What was awaited is read before the abort, which fails every call in flight at once.
      this.missing = this.unfinished();
      this.controller.abort();
      this.reached();
    });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once the deadline passed: results that arrive now are not counted. */
  get passed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Declares a phase that will run later, so that it gets a gap if the deadline passes before it starts. */
  plan(phase: ScanPhase): PhaseState {
    const state: PhaseState = { phase, done: false, inFlight: new Map() };
    this.phases.push(state);
    return state;
  }

  /** Runs `fn` as `phase` (planned before or not), tracking its AWS calls under `parent`. */
  async run<T>(phase: ScanPhase | PhaseState, parent: AwsCallObserver, fn: (observer: AwsCallObserver) => Promise<T>): Promise<T> {
    const state = 'inFlight' in phase ? phase : this.plan(phase);
    const key = (c: { operation: string; region: string }) => `${c.operation} in ${c.region}`;
    const observer: AwsCallObserver = {
      signal: this.signal,
      onStart(call) {
        state.inFlight.set(key(call), (state.inFlight.get(key(call)) ?? 0) + 1);
        parent.onStart?.(call);
      },
      onCall(call) {
        const n = (state.inFlight.get(key(call)) ?? 1) - 1;
        if (n > 0) state.inFlight.set(key(call), n);
        else state.inFlight.delete(key(call));
        parent.onCall(call);
      },
    };
    try {
      return await fn(observer);
    } finally {
      if (!this.passed) state.done = true;
    }
  }

  /** Resolves true when `work` finished in time, false when the deadline came first. */
  async race(work: Promise<unknown>): Promise<boolean> {
    // A phase that throws after the deadline is not waited for: the gap covers it.
    const finished = work.then(
      () => true,
      () => true,
    );
    return Promise.race([finished, this.whenReached.then(() => false)]);
  }

  stop(): void {
    this.cancel();
  }

  /** A gap for every check of every phase that had not finished when the deadline passed. */
  gaps(): Gap[] {
    return this.passed ? [...this.missing] : [];
  }

  private unfinished(): Gap[] {
    const seconds = Math.round(this.ms / 1000);
    const gaps: Gap[] = [];
    for (const { phase, done, inFlight } of this.phases) {
      if (done) continue;
      const waiting = [...inFlight.keys()].sort();
      const reason = waiting.length
        ? `${phase.what} did not finish within the scan's deadline (${seconds} s): AWS had not answered ${waiting.slice(0, 6).join(', ')}${waiting.length > 6 ? ` and ${waiting.length - 6} more` : ''}, so its results are missing; run the scan again.`
        : `${phase.what} did not finish within the scan's deadline (${seconds} s), so its results are missing; run the scan again.`;
      // One gap per check: the earliest phase that did not finish says why.
      for (const check of phase.checks) if (!gaps.some((g) => g.check === check)) gaps.push({ check, reason });
    }
    return gaps;
  }
}
