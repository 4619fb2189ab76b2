import { parseCsv } from '../../../src/scan/csv';

describe('parseCsv', () => {
  it('splits rows and fields, with CRLF or LF', () => {
    expect(parseCsv('a,b\r\nc,d\ne,f')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
    ]);
  });
  it('keeps commas, newlines and doubled quotes inside quoted fields', () => {
    expect(parseCsv('x,"a, ""b""\nc",y\n')).toEqual([['x', 'a, "b"\nc', 'y']]);
  });
  it('keeps empty fields and ignores a trailing newline', () => {
    expect(parseCsv('a,,c\n,,\n')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
    ]);
  });
});
