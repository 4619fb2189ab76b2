/**
 * The catalog as data: every entry complete and consistent, `aws-ir detections` printing it, and
 * docs/detections.md generated from it (this test fails when the doc is stale).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../../../src/cli/command';
import { main } from '../../../src/cli/main';
import { ACTION_IDS } from '../../../src/remediation/action-ids';
import { DETECTIONS } from '../../../src/scan/detections/catalog';
import { FAMILIES, TARGET_KINDS } from '../../../src/scan/detections/model';
import { catalogJson, catalogMarkdown } from '../../../src/scan/detections/render';
import { RUNBOOK_STEPS, SEVERITIES } from '../../../src/scan/model';

const DOC = join(__dirname, '..', '..', '..', 'docs', 'detections.md');

function io(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env: {}, interactive: false };
}

describe('the detection catalog', () => {
  it('has unique ids and complete entries', () => {
    const ids = DETECTIONS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of DETECTIONS) {
      expect(d.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(FAMILIES).toContain(d.family);
      expect(SEVERITIES).toContain(d.severity);
      expect(RUNBOOK_STEPS).toContain(d.step);
      expect(d.technique.id).toMatch(/^T\d{4}(\.\d{3})?$/);
      expect(d.why.length).toBeGreaterThan(30);
      expect(d.response.guidance.length).toBeGreaterThan(10);
      expect(d.targets.length).toBeGreaterThan(0);
      for (const t of d.targets) expect(TARGET_KINDS).toContain(t.kind);
      expect(d.match.source === '*' || /^[a-z0-9-]+\.amazonaws\.com$/.test(d.match.source)).toBe(true);
      expect(d.match.events.length).toBeGreaterThan(0);
      for (const actions of Object.values(d.response.actions ?? {})) for (const a of actions ?? []) expect(ACTION_IDS).toContain(a);
      expect(d.sources.length).toBeGreaterThan(0);
      for (const s of d.sources) expect(s).toMatch(/^https:\/\/[^\s]+$/);
    }
  });

  it('covers every family the issue lists', () => {
    const families = new Set(DETECTIONS.map((d) => d.family));
    expect([...families].sort()).toEqual([...FAMILIES].sort());
  });

  it('is what docs/detections.md says (regenerate with: npm run build && node dist/src/cli/main.js detections --format markdown > docs/detections.md)', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(catalogMarkdown(DETECTIONS));
  });

  it('is printed by aws-ir detections as markdown (the default) and as JSON', async () => {
    const md = io();
    expect(await main(['detections'], md)).toBe(0);
    expect(md.stdout.join('')).toBe(catalogMarkdown(DETECTIONS));
    const json = io();
    expect(await main(['detections', '--format', 'json'], json)).toBe(0);
    expect(json.stdout.join('')).toBe(catalogJson(DETECTIONS));
    const parsed = JSON.parse(json.stdout.join('')) as {
      detections: { id: string; eventSource: string; events: string[]; technique: { id: string }; sources: string[] }[];
    };
    expect(parsed.detections.map((d) => d.id)).toEqual(DETECTIONS.map((d) => d.id));
    expect(parsed.detections.find((d) => d.id === 'ses-enumeration')).toMatchObject({
      eventSource: 'ses.amazonaws.com',
      events: expect.arrayContaining(['GetSendQuota']),
    });
  });

  it('refuses an unknown format or argument with the usage, exit 2', async () => {
    const bad = io();
    expect(await main(['detections', '--format', 'xml'], bad)).toBe(2);
    expect(bad.stderr.join('')).toMatch(/--format must be markdown or json/);
    const extra = io();
    expect(await main(['detections', 'now'], extra)).toBe(2);
    expect(extra.stderr.join('')).toMatch(/Unexpected "now"/);
  });
});
