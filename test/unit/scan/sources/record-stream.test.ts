import { RecordSplitter, TruncatedLogFile } from '../../../../src/scan/sources/record-stream';

const file = JSON.stringify({
  Records: [
    { eventName: 'CreateUser', requestParameters: { userName: 'a}b{c', note: 'quote " and \\ backslash' } },
    { eventName: 'PutBucketPolicy', requestParameters: { bucketPolicy: { Statement: [{ Effect: 'Allow' }] } } },
    { eventName: 'ListUsers', responseElements: null },
  ],
});

describe('RecordSplitter', () => {
  it('splits a log file into its records, whatever the chunk boundaries (one character at a time included)', () => {
    for (const size of [1, 2, 7, 64, file.length]) {
      const s = new RecordSplitter();
      const out: string[] = [];
      for (let i = 0; i < file.length; i += size) out.push(...s.push(file.slice(i, i + size)));
      s.end();
      expect(out.map((r) => (JSON.parse(r) as { eventName: string }).eventName)).toEqual(['CreateUser', 'PutBucketPolicy', 'ListUsers']);
      expect((JSON.parse(out[0] as string) as { requestParameters: { userName: string } }).requestParameters.userName).toBe('a}b{c');
    }
  });

  it('keeps no more than the record being read', () => {
    const s = new RecordSplitter();
    const cut = file.indexOf('PutBucketPolicy');
    expect(s.push(file.slice(0, cut))).toHaveLength(1);
    expect(s.push(file.slice(cut))).toHaveLength(2);
  });

  it('reads an empty file and a Records key that is not first', () => {
    const s = new RecordSplitter();
    expect(s.push('{"Records":[]}')).toEqual([]);
    const t = new RecordSplitter();
    expect(t.push('{"Meta":{"x":[{"a":1}]},"Records":[{"eventName":"X"}]}')).toEqual(['{"eventName":"X"}']);
  });

  it('says a truncated file is truncated', () => {
    const s = new RecordSplitter();
    s.push(file.slice(0, 40));
    expect(() => s.end()).toThrow(TruncatedLogFile);
  });
});

describe('RecordSplitter escapes', () => {
  it('reads an escaped quote and escaped backslashes split across chunks at any point', () => {
    const text = JSON.stringify({ Records: [{ a: 'x\\"}{y\\\\', b: 'ok' }, { a: '\\\\\\"' }] });
    for (let cut = 1; cut < text.length; cut++) {
      const s = new RecordSplitter();
      const out = [...s.push(text.slice(0, cut)), ...s.push(text.slice(cut))];
      s.end();
      expect(out.map((r) => JSON.parse(r) as unknown)).toEqual((JSON.parse(text) as { Records: unknown[] }).Records);
    }
  });
});
