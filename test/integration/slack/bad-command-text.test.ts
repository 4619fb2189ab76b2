/**
 * Malformed `/aws-ir` text through the real Bolt app with signed requests: every mistake gets one
 * short ephemeral sentence in the ack, echoes of what was typed are cut short and escaped, and no
 * scan, trail or post starts.
 */
import { ALICE, startAppHarness, type AppHarness } from '../../support/app-harness';
import { fakeScan } from '../../support/scan-fixtures';

describe('malformed /aws-ir text', () => {
  let h: AppHarness;
  afterEach(async () => {
    await h?.close();
  });

  async function answer(text: string): Promise<string> {
    const res = await h.command(text, { user: ALICE });
    expect(res.status).toBe(200);
    expect(res.json?.response_type).toBe('ephemeral');
    const said = String(res.json?.text);
    expect(said).not.toMatch(/\n\s+at |Error:|undefined|\[object/);
    return said;
  }

  it('answers each mistake plainly and starts nothing', async () => {
    const scan = fakeScan();
    const trail = jest.fn();
    h = await startAppHarness({ services: { runScan: scan }, listeners: { lookups: { principalActivity: trail } } });
    expect(await answer('scan --days 0')).toContain('from 1 to 90');
    expect(await answer('scan --days 91')).toContain('got "91"');
    expect(await answer('scan --days abc')).toContain('got "abc"');
    expect(await answer('scan --days 1.5')).toContain('whole number');
    expect(await answer('scan --days -3')).toContain('got "-3"');
    expect(await answer('scan --days')).toContain('--days needs a value');
    expect(await answer('scan --regions mars-1')).toContain('"mars-1" is not a region name');
    expect(await answer('scan --regions ,,')).toContain('at least one region');
    expect(await answer('scan now please')).toContain('Unexpected "now"');
    expect(await answer('scan --days 3 --days 4')).toContain('given twice');
    // Slack turns "--" into an en or em dash; a wrong value after one is still a clear message.
    expect(await answer('scan \u2013days 0')).toContain('from 1 to 90');
    expect(await answer('scan \u2014regions x \u2014days 2')).toContain('"x" is not a region name');
    expect(await answer('trail')).toContain('Say whose activity to show');
    expect(await answer('trail   ')).toContain('Say whose activity to show');
    expect(await answer('trail alice bob')).toContain('one principal at a time');
    expect(await answer('trail role/')).toContain('is not an access key id');
    expect(await answer('trail ../../etc/passwd')).toContain('is not an access key id');
    expect(await answer('trail alice --days 0')).toContain('from 1 to 90');
    expect(await answer('')).toContain('/aws-ir scan');
    expect(await answer('\u00a0\t ')).toContain('/aws-ir scan');
    expect(await answer('scna')).toContain('Unknown subcommand "scna"');
    await h.idle();
    expect(scan.calls).toHaveLength(0);
    expect(trail).not.toHaveBeenCalled();
    expect(h.slack.webApi.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('cuts a very long echo short and never turns typed text into a mention or a link', async () => {
    h = await startAppHarness({ services: { runScan: fakeScan() } });
    const long = await answer(`scan --days ${'9'.repeat(5000)}`);
    expect(long.length).toBeLessThan(400);
    expect(long).toContain('…');
    const longTrail = await answer(`trail ${'x'.repeat(3000)}!`);
    expect(longTrail.length).toBeLessThan(400);
    const manyRegions = await answer(`scan --regions ${Array.from({ length: 300 }, (_, i) => `mars-${i}`).join(',')}`);
    expect(manyRegions.length).toBeLessThan(600);
    expect(manyRegions).toContain('and 295 more');
    const mention = await answer('trail <!channel>');
    expect(mention).toContain('&lt;!channel&gt;');
    expect(mention).not.toContain('<!channel>');
    expect(await answer('scan <https://evil.example|click>')).not.toContain('<https://');
  });
});
