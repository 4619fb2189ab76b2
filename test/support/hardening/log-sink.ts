/**
 * A pino logger whose JSON lines are kept in memory, for tests that count what the app logged.
 *
 *   const sink = new LogSink();
 *   const logger = sink.logger('info');
 *   sink.lines            // every line written, parsed
 *   sink.since(mark)      // lines written after `const mark = sink.mark()`
 */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../src/logger';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export class LogSink {
  readonly raw: string[] = [];

  logger(level = 'info'): Logger {
    const stream = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.raw.push(line);
        done();
      },
    });
    return createLogger(level, stream);
  }

  get lines(): LogLine[] {
    return this.raw.map((l) => JSON.parse(l) as LogLine);
  }

  mark(): number {
    return this.raw.length;
  }

  since(mark: number): LogLine[] {
    return this.lines.slice(mark);
  }

  text(): string {
    return this.raw.join('\n');
  }
}
