/**
 * Splits a CloudTrail log file's text ({"Records":[{…},{…}]}) into one JSON text per record as the
 * decompressed chunks arrive, so a file is never held whole: memory is one record and one chunk. It
 * tracks only strings and nesting depth; each record is then parsed with JSON.parse.
 */
export class RecordSplitter {
  private buf = '';
  private pos = 0;
  /** Depth of nesting: 1 inside the top-level object, 2 inside the Records array, 3+ inside a record. */
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private inRecords = false;
  private lastKey = '';
  private keyStart = -1;

  /** Feeds decoded text; returns the records completed by it. */
  push(chunk: string): string[] {
    this.buf += chunk;
    const out: string[] = [];
    const b = this.buf;
    for (let i = this.pos; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92 /* \ */) this.escaped = true;
        else if (c === 34 /* " */) {
          this.inString = false;
          if (this.depth === 1 && this.keyStart >= 0) {
            this.lastKey = b.slice(this.keyStart, i);
            this.keyStart = -1;
          }
        }
        continue;
      }
      if (c === 34) {
        this.inString = true;
        if (this.depth === 1) this.keyStart = i + 1;
      } else if (c === 123 /* { */ || c === 91 /* [ */) {
        if (this.depth === 1 && c === 91) this.inRecords = this.lastKey === 'Records';
        if (this.depth === 2 && this.inRecords && c === 123) this.start = i;
        this.depth++;
      } else if (c === 125 /* } */ || c === 93 /* ] */) {
        this.depth--;
        if (this.depth === 2 && this.inRecords && c === 125 && this.start >= 0) {
          out.push(b.slice(this.start, i + 1));
          this.start = -1;
        }
        if (this.depth === 1) this.inRecords = false;
      }
    }
    // Keep only the record (or top-level key) being read, if any.
    const keepFrom = this.start >= 0 ? this.start : this.keyStart >= 0 ? this.keyStart : b.length;
    this.buf = b.slice(keepFrom);
    if (this.start >= 0) this.start -= keepFrom;
    if (this.keyStart >= 0) this.keyStart -= keepFrom;
    this.pos = this.buf.length;
    return out;
  }

  /** Throws when the text ended inside a record or the top-level object (a truncated file). */
  end(): void {
    if (this.depth !== 0 || this.inString) throw new TruncatedLogFile();
  }
}

export class TruncatedLogFile extends Error {
  readonly code = 'aws_ir_truncated_log_file';
  constructor() {
    super('The log file ended before its records did.');
    this.name = 'TruncatedLogFile';
  }
}
