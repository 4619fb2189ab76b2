import { parseCommand, parseScanArgs, parseTrailArgs, tokenize, UsageError } from '../../../src/handlers/command-args';

describe('command parsing', () => {
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
});
