import { parseFlags, tokenize, UsageError } from '../../../src/args/flags';
import { parseScanCommand as parseScanArgs } from '../../../src/handlers/scan-command';
import { parseTrailCommand as parseTrailArgs } from '../../../src/handlers/trail-command';
import { parseScanArgs as parseCliScanArgs } from '../../../src/cli/scan-command';

/** What the slash-command router does with `/aws-ir <text>`: the first word is the subcommand. */
function parseCommand(text: string): { subcommand: string; args: string[] } {
  const [first = '', ...args] = tokenize(text);
  return { subcommand: first.toLowerCase(), args };
}

describe('one flag parser for Slack and the command line', () => {
  it("splits subcommand and arguments, normalising Slack's typographic dashes and quotes", () => {
    expect(parseCommand('  SCAN  —days 3 ')).toEqual({ subcommand: 'scan', args: ['--days', '3'] });
    expect(tokenize('trail \u201cci-deploy\u201d')).toEqual(['trail', 'ci-deploy']);
    expect(parseCommand('')).toEqual({ subcommand: '', args: [] });
  });

  it('parses scan flags in both forms with defaults', () => {
    expect(parseScanArgs([])).toEqual({ days: 7 });
    expect(parseScanArgs(['--days=30', '--regions', 'us-east-1,EU-WEST-1,us-east-1'])).toEqual({ days: 30, regions: ['us-east-1', 'eu-west-1'] });
  });

  it.each([
    [['--days', '0'], '--days must be a whole number from 1 to 90'],
    [['--days', '91'], 'from 1 to 90'],
    [['--days', '2.5'], 'from 1 to 90'],
    [['--days'], '--days needs a value'],
    [['--days', '1', '--days', '2'], 'given twice'],
    [['--regions', 'mars-1'], '"mars-1" is not a region name'],
    [['--regions', ','], 'at least one region'],
    [['--format', 'json'], 'Unknown option "--format"'],
    [['extra'], 'Unexpected "extra"'],
  ])('rejects %j', (args, message) => {
    expect(() => parseScanArgs(args)).toThrow(UsageError);
    expect(() => parseScanArgs(args)).toThrow(message);
  });

  it('parses trail principals: access key ids, names and ARNs', () => {
    expect(parseTrailArgs(['AKIAEXAMPLELEAKED001'])).toEqual({ principal: 'AKIAEXAMPLELEAKED001', label: 'access key AKIAEXAMPLELEAKED001', days: 7 });
    expect(parseTrailArgs(['ci-deploy', '--days', '90'])).toEqual({ principal: 'ci-deploy', label: 'IAM user ci-deploy', days: 90 });
    expect(parseTrailArgs(['role/ops-support']).label).toBe('IAM role ops-support');
    expect(parseTrailArgs(['arn:aws:iam::111122223333:role/ops/ops-support']).label).toBe('IAM role ops-support');
    expect(parseTrailArgs(['arn:aws:sts::111122223333:assumed-role/ops-support/session-1'])).toMatchObject({
      principal: 'role/ops-support',
      label: 'IAM role ops-support',
    });
    expect(() => parseTrailArgs([])).toThrow('Say whose activity');
    expect(() => parseTrailArgs(['a;b'])).toThrow(UsageError);
    expect(() => parseTrailArgs(['a;b'])).toThrow('For a role, write role/NAME');
  });

  it('gives the command line the same rules and sentences as Slack', () => {
    expect(parseCliScanArgs(['--days', '3', '--regions=us-east-1'])).toMatchObject({ days: 3, regions: ['us-east-1'] });
    for (const [args, message] of [
      [['--days', '0'], '--days must be a whole number from 1 to 90'],
      [['--regions', 'mars-1'], '"mars-1" is not a region name'],
      [['--days', '1', '--days', '2'], 'given twice'],
      [['--bogus'], 'Unknown option "--bogus"'],
    ] as const) {
      expect(() => parseScanArgs([...args])).toThrow(message);
      expect(() => parseCliScanArgs([...args])).toThrow(message);
    }
    expect(parseCliScanArgs(['--format', 'JSON', '-h'])).toMatchObject({ format: 'json', help: true });
    expect(() => parseCliScanArgs(['--format', 'yaml'])).toThrow('--format must be text, json or markdown (got "yaml")');
  });

  it('reports unknown flags, missing values, flags that take none, and extra words as one sentence each', () => {
    const spec = { days: 'string', help: 'boolean' } as const;
    expect(parseFlags(['--DAYS', '3'], spec).flags).toEqual({ days: '3' });
    expect(parseFlags(['--days', '-3'], spec).flags).toEqual({ days: '-3' });
    expect(() => parseFlags(['--days', '--help'], spec)).toThrow('--days needs a value.');
    expect(() => parseFlags(['--days='], spec)).toThrow('--days needs a value.');
    expect(() => parseFlags(['--help=yes'], spec)).toThrow('--help takes no value.');
    expect(() => parseFlags(['x'], spec)).toThrow('Unexpected "x".');
    expect(parseFlags(['a', 'b'], spec, { maxPositionals: 2 }).positionals).toEqual(['a', 'b']);
    expect(() => parseFlags([`--${'x'.repeat(100)}`], spec)).toThrow(/^Unknown option "--x{57}…"\.$/);
  });
});
