import { UsageError } from '../../src/args/flags';
import { BlockLimitError } from '../../src/blocks/limits';
import { ConfigError } from '../../src/config';
import { ERROR_CODES, GENERIC_ERROR, slackErrorCode, StartupError, userMessage } from '../../src/errors';
import { StoreError, StoreUnavailableError } from '../../src/store/store-errors';

describe('the error catalog (userMessage)', () => {
  it('maps Slack platform errors to actionable sentences', () => {
    const err = Object.assign(new Error('An API error occurred: not_in_channel'), {
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'not_in_channel' },
    });
    expect(slackErrorCode(err)).toBe('not_in_channel');
    expect(userMessage(err)).toContain('/invite @aws-ir');
    const other = Object.assign(new Error('x'), { code: 'slack_webapi_platform_error', data: { ok: false, error: 'weird_error' } });
    expect(userMessage(other)).toBe('Slack refused a request from aws-ir (weird_error).');
  });

  it('maps AWS errors by name and network errors by code', () => {
    expect(userMessage(Object.assign(new Error('User arn:aws:iam::1:user/x is not authorized'), { name: 'AccessDenied' }))).toContain('scan policy');
    expect(userMessage(Object.assign(new Error('expired'), { name: 'ExpiredToken' }))).toContain('expired');
    expect(userMessage(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toContain('could not reach AWS');
  });

  it('passes usage errors through and hides everything unknown', () => {
    expect(userMessage(new UsageError('--days must be…'))).toBe('--days must be…');
    expect(userMessage(new BlockLimitError(['x']))).toContain("Slack's limits");
    const secretish = new Error('token xoxb-1234567890-abcdef leaked\n    at foo (bar.js:1:2)');
    expect(userMessage(secretish)).toBe(GENERIC_ERROR);
    expect(userMessage('a string')).toBe(GENERIC_ERROR);
    expect(userMessage(undefined)).toBe(GENERIC_ERROR);
  });

  it("passes the first line of aws-ir's own named errors, each with a code from the catalog", () => {
    const errors = [new UsageError('u'), new StartupError('s'), new StoreError('x'), new StoreUnavailableError('y'), new ConfigError(['c'])];
    const codes = new Set<string>(Object.values(ERROR_CODES));
    for (const err of errors) expect(codes.has(err.code)).toBe(true);
    expect(userMessage(new StoreUnavailableError('The database /x is read-only.'))).toBe('The database /x is read-only.');
    expect(userMessage(new ConfigError(['PORT must be a number.']))).toBe('aws-ir cannot start:');
  });
});
