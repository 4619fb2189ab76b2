/**
 * Splits a CloudTrail log file's text ({"Records":[{…},{…}]}) into one JSON text per record as the
 * decompressed chunks arrive, so a file is never held whole: memory is one record and one chunk. It
 * tracks only strings and nesting depth, jumping from one structural character to the next (strings
 * are most of a record); each record is then parsed with JSON.parse.
 */

/** The characters that change the splitter's state outside strings. */
const STRUCTURAL = /[{}[\]"]/g;

export class RecordSplitter {
  private buf = '';
  private pos = 0;
  /** Depth of nesting: 1 inside the top-level object, 2 inside the Records array, 3+ inside a record. */
  private depth = 0;
  private inString = false;
  private start = -1;
  private inRecords = false;
  private lastKey = '';
  private keyStart = -1;

  /** Feeds decoded text; returns the records completed by it. */
  push(chunk: string): string[] {
    this.buf += chunk;
    const out: string[] = [];
    const b = this.buf;
    let i = this.pos;
    while (i < b.length) {
      if (this.inString) {
        const q = closingQuote(b, i);
        if (q < 0) {
          i = b.length;
          break;
        }
        this.inString = false;
        if (this.depth === 1 && this.keyStart >= 0) {
          this.lastKey = b.slice(this.keyStart, q);
          this.keyStart = -1;
        }
        i = q + 1;
        continue;
      }
      STRUCTURAL.lastIndex = i;
      const m = STRUCTURAL.exec(b);
      if (!m) {
        i = b.length;
        break;
      }
      const at = m.index;
      const c = b.charCodeAt(at);
      if (c === 34 /* " */) {
        this.inString = true;
        if (this.depth === 1) this.keyStart = at + 1;
      } else if (c === 123 /* { */ || c === 91 /* [ */) {
        if (this.depth === 1 && c === 91) this.inRecords = this.lastKey === 'Records';
        if (this.depth === 2 && this.inRecords && c === 123) this.start = at;
        this.depth++;
      } else {
        this.depth--;
        if (this.depth === 2 && this.inRecords && c === 125 /* } */ && this.start >= 0) {
          out.push(b.slice(this.start, at + 1));
          this.start = -1;
        }
        if (this.depth === 1) this.inRecords = false;
      }
      i = at + 1;
    }
    // Keep only the record (or top-level key) being read, if any. Inside a string cut by the chunk's
    // end, the trailing backslashes are read again with the next chunk, so a split escape is not misread.
    let tail = b.length;
    if (this.inString) while (tail > 0 && b.charCodeAt(tail - 1) === 92) tail--;
    const keepFrom = Math.min(this.start >= 0 ? this.start : tail, this.keyStart >= 0 ? this.keyStart : tail, tail);
    this.buf = b.slice(keepFrom);
    if (this.start >= 0) this.start -= keepFrom;
    if (this.keyStart >= 0) this.keyStart -= keepFrom;
    this.pos = tail - keepFrom;
    return out;
  }

  /** Throws when the text ended inside a record or the top-level object (a truncated file). */
  end(): void {
    if (this.depth !== 0 || this.inString) throw new TruncatedLogFile();
  }
}

/** The index of the quote that closes a string whose content starts at `from`, or -1 when not in `b`. */
function closingQuote(b: string, from: number): number {
  let q = b.indexOf('"', from);
  while (q >= 0) {
    // A quote preceded by an odd number of backslashes is escaped.
    let n = 0;
    for (let k = q - 1; k >= from && b.charCodeAt(k) === 92; k--) n++;
    if (n % 2 === 0) return q;
    q = b.indexOf('"', q + 1);
  }
  return -1;
}

export class TruncatedLogFile extends Error {
  readonly code = 'aws_ir_truncated_log_file';
  constructor() {
    super('The log file ended before its records did.');
    this.name = 'TruncatedLogFile';
  }
}
