import { Writable } from 'node:stream';
import { createLogger, registerSecret } from '../../../src/logger';

function capture(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean) };
}

describe('logger', () => {
  it('redacts secrets by field name and by value, wherever they appear', () => {
    const out = capture();
    const log = createLogger('info', out.stream);
    registerSecret('sig-secret-1234567890');
    log.info({ config: { botToken: 'xoxb-111-222-abcdefghijkl', signingSecret: 'sig-secret-1234567890' } }, 'starting');
    log.info({ credentials: { accessKeyId: 'AKIA', secretAccessKey: 'wJalrXUtnFEMI' } }, 'aws');
    log.error({ err: new Error('request failed with token xoxb-999-888-zyxwvutsrqpo') }, 'failed: sig-secret-1234567890');
    log.info({ SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG', SessionToken: 'FwoGZXIvYXdz' }, 'assumed role');
    const text = out.lines().join('\n');
    expect(out.lines()).toHaveLength(4);
    for (const secret of ['xoxb-111-222-abcdefghijkl', 'sig-secret-1234567890', 'wJalrXUtnFEMI', 'xoxb-999-888-zyxwvutsrqpo', 'FwoGZXIvYXdz']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
    expect(JSON.parse(out.lines()[0]!).msg).toBe('starting');
  });
});

describe('logger errors', () => {
  it("keeps an error's message and code for the operator, with secrets masked", () => {
    const out = capture();
    const log = createLogger('info', out.stream);
    registerSecret('another-secret-0987654321');
    const err = Object.assign(new Error('dlopen failed for another-secret-0987654321'), { code: 'ERR_DLOPEN_FAILED' });
    log.fatal({ err }, 'could not start');
    const line = JSON.parse(out.lines()[0]!) as { err: { message: string; code: string; name: string } };
    expect(line.err.code).toBe('ERR_DLOPEN_FAILED');
    expect(line.err.name).toBe('Error');
    expect(line.err.message).toBe('dlopen failed for [redacted]');
  });
});
