/** `--org`, `--accounts`, `--ou`, `--fresh`: parsed by the one flag parser, the same in Slack and on the command line. */
import { tokenize, UsageError } from '../../../src/args/flags';
import { parseScanArgs as parseCli } from '../../../src/cli/scan-command';
import { parseScanCommand as parseSlack } from '../../../src/handlers/scan-command';

describe('organization sweep flags', () => {
  it('--org asks for a sweep, narrowed by --accounts and --ou, in Slack and on the command line alike', () => {
    expect(parseSlack(['--org'])).toEqual({ days: 7, org: {} });
    // Slack turns "--" into a dash as people type; the router's tokenizer undoes it.
    expect(parseSlack(tokenize('—org —accounts 111111111111,222222222222,111111111111 --ou OU-AB12-CD34EF56 --fresh'))).toEqual({
      days: 7,
      org: { accounts: ['111111111111', '222222222222'], ou: 'ou-ab12-cd34ef56', fresh: true },
    });
    expect(parseCli(['--org', '--ou', 'ou-ab12-cd34ef56', '--format', 'json'])).toMatchObject({ format: 'json', org: { ou: 'ou-ab12-cd34ef56' } });
    expect(parseCli(['--days', '3'])).not.toHaveProperty('org');
  });

  it.each([
    [['--accounts', '111111111111'], '--accounts narrows an organization sweep: add --org.'],
    [['--ou', 'ou-ab12-cd34ef56'], '--ou narrows'],
    [['--fresh'], '--fresh narrows'],
    [['--org', '--accounts', '12345'], '"12345" is not one'],
    [['--org', '--accounts', ','], '--accounts takes 12-digit AWS account ids'],
    [['--org', '--ou', 'r-ab12'], '--ou takes an organizational unit id'],
    [['--org', '--org'], 'given twice'],
    [['--org=yes'], '--org takes no value'],
  ])('refuses %j the same way on both surfaces', (tokens, message) => {
    for (const parse of [parseSlack, parseCli]) {
      expect(() => parse(tokens)).toThrow(UsageError);
      expect(() => parse(tokens)).toThrow(message);
    }
  });
});
