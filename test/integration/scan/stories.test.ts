/**
 * Stories over real scans of the sandbox: compromised-key and every attack of the scenario library. Each
 * library attack yields one story whose entry is the credential its write-up says was abused; the benign
 * look-alikes (CI deploys, Auto Scaling, people at their usual address) never start a story; the clean
 * account has none.
 */
import { scenariosDir, startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientsFor } from '../../../src/aws/clients';
import { clearCostCache } from '../../../src/scan/checks/cost';
import { runScan } from '../../../src/scan/engine';
import { ButtonCounter } from '../../../src/blocks/findings';
import { doFirstBlocks } from '../../../src/blocks/stories';
import { summaryBlocks } from '../../../src/blocks/summary';
import { AGGREGATE_MIN, threadGroups } from '../../../src/blocks/thread';
import type { ScanResult } from '../../../src/scan/model';
import { sandboxClock } from '../../../src/sandbox-account';
import { sandboxTestTarget, VirtualTime } from '../../support/virtual-time';
import { expectWithinBlockKitLimits } from '../../support/block-kit';

/** The sandbox's clock, its throttling, and the scans' pacing and polls on one virtual time: nobody waits. */
const time = new VirtualTime();
async function scanScenario(scenario: string): Promise<ScanResult> {
  const sandbox: RunningSandbox = await startSandbox({ scenario, ...sandboxClock(time) });
  try {
    clearCostCache();
    return await runScan({
      clients: clientsFor(sandboxTestTarget(sandbox, time)),
      options: { days: 7 },
    });
  } finally {
    await sandbox.close();
  }
}

/** The credential each write-up says was abused (the scenario's description names it). */
const ENTRY: Record<string, { kind: string; id: string }> = {
  'cryptomining-quota-regions': { kind: 'access-key', id: 'AKIA310000000002DEV1' },
  'defense-evasion': { kind: 'access-key', id: 'AKIA310000000005TF01' },
  'iam-persistence': { kind: 'access-key', id: 'AKIA310000000007S3S1' },
  'lambda-backdoor': { kind: 'access-key', id: 'AKIA310000000006OPS1' },
  'leaked-key-dangerdev': { kind: 'access-key', id: 'AKIA310000000009WEB1' },
  'llmjacking-bedrock': { kind: 'access-key', id: 'AKIA310000000003ML01' },
  'root-takeover': { kind: 'root', id: 'root' },
  'ses-abuse': { kind: 'access-key', id: 'AKIA310000000001MKT1' },
  'snapshot-exfiltration': { kind: 'access-key', id: 'AKIA310000000004SRE1' },
};

describe('stories on compromised-key', () => {
  let result: ScanResult;
  beforeAll(async () => {
    result = await scanScenario('compromised-key');
  }, 120_000);

  it('tells one story: the leaked key of ci-deploy and everything it led to', () => {
    expect(result.stories).toHaveLength(1);
    const story = result.stories?.[0];
    expect(story?.entry).toMatchObject({ kind: 'access-key', id: 'AKIACIDEPLOYLEAKED01', userName: 'ci-deploy' });
    // The key it created is followed: what svc-backup's key did (member accounts, AssumeRole) is part of it.
    expect(story?.credentials).toEqual(expect.arrayContaining(['AKIACIDEPLOYLEAKED01', 'AKIASVCBACKUP0000001']));
    expect(story?.footprint.users).toEqual(['svc-backup']);
    expect(story?.footprint.roles).toEqual(['ops-support']);
    expect(story?.footprint.accounts).toEqual(expect.arrayContaining(['backup-services', '444455556666']));
    expect(story?.footprint.instances.map((i) => i.id).sort()).toEqual([
      'i-0bad0bad0bad00001',
      'i-0bad0bad0bad00002',
      'i-0bad0bad0bad00003',
      'i-0bad0bad0bad00004',
    ]);
    expect(story?.sourceAddresses).toEqual(['185.220.101.34']);
    // CI's own use of the key from its runner address is not the attacker's.
    expect(story?.timeline.some((e) => e.sourceIp === '198.51.100.20')).toBe(false);
    expect(story?.timeline.map((e) => e.at)).toEqual([...(story?.timeline.map((e) => e.at) ?? [])].sort());
  });

  it('summarises it in at most three lines naming the key, the backdoor user, the outside-trusting role, the new account and the GPU instances', () => {
    const summary = result.stories?.[0]?.summary ?? '';
    expect(summary.split('\n').length).toBeLessThanOrEqual(3);
    for (const named of [
      'AKIACIDEPLOYLEAKED01',
      'ci-deploy',
      'svc-backup',
      'ops-support',
      '999988887777',
      'backup-services',
      'GPU instances',
      'i-0bad0bad0bad00004',
    ])
      expect(summary).toContain(named);
    expect(result.stories?.[0]?.cost?.usd).toBeGreaterThan(0);
  });

  it('ties the findings about what the story touched to it, and leaves the others alone', () => {
    const ids = new Set(result.stories?.[0]?.findingIds);
    const title = (id: string) => result.findings.find((f) => f.id === id)?.title ?? '';
    const inStory = [...ids].map(title);
    expect(inStory).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/quarantined IAM user ci-deploy/),
        expect.stringMatching(/^Role ops-support trusts/),
        expect.stringMatching(/^Member account backup-services/),
      ]),
    );
    const outside = result.findings.filter((f) => !ids.has(f.id)).map((f) => f.title);
    expect(outside.some((t) => /alice|bob|carol/.test(t))).toBe(true);
    expect(inStory.some((t) => /alice|bob|carol/.test(t))).toBe(false);
  });

  it('plans the runbook order: the leaked key first, then the persistence, then the instances, then clean-up', () => {
    const plan = result.stories?.[0]?.plan ?? [];
    expect(plan[0]).toMatchObject({ phase: 'cut', action: 'key.deactivate', target: { kind: 'access-key', accessKeyId: 'AKIACIDEPLOYLEAKED01' } });
    const phases = plan.map((p) => p.phase);
    expect(phases).toEqual(
      [...phases].sort((a, b) => ['cut', 'persistence', 'damage', 'cleanup'].indexOf(a) - ['cut', 'persistence', 'damage', 'cleanup'].indexOf(b)),
    );
    expect(plan.filter((p) => p.phase === 'persistence').map((p) => p.action)).toEqual(
      expect.arrayContaining(['key.deactivate', 'user.disable-password', 'user.quarantine', 'role.revoke-sessions']),
    );
    // Every button step points at a finding that offers exactly that action on that target.
    for (const p of plan.filter((s) => s.action)) {
      const f = result.findings.find((x) => x.id === p.findingId);
      expect(f?.actions).toContain(p.action);
      expect(f?.target).toEqual(p.target);
    }
    // Evidence first: each terminate comes after the snapshot of the same instance and waits for it.
    const terminate = plan.filter((p) => p.action === 'instance.terminate');
    expect(terminate.length).toBe(4);
    for (const t of terminate) expect(t.after?.action).toBe('instance.snapshot');
  });
});

describe('stories in Slack, on compromised-key', () => {
  let result: ScanResult;
  beforeAll(async () => {
    result = await scanScenario('compromised-key');
  }, 120_000);

  it('the summary leads with the story; the do-first plan opens with the leaked key; the thread goes by story, then the rest', () => {
    const summary = summaryBlocks(result, { user: 'U0ALICE', days: 7 });
    expectWithinBlockKitLimits(summary);
    expect(JSON.stringify(summary[1])).toContain('What happened');
    expect(JSON.stringify(summary[1])).toContain('AKIACIDEPLOYLEAKED01');
    const counter = new ButtonCounter();
    const plan = doFirstBlocks('scan_1', result, {}, counter);
    expectWithinBlockKitLimits(plan);
    const first = plan.find((b) => b.type === 'section' && 'accessory' in b && b.accessory);
    expect(JSON.stringify(first)).toContain('AKIACIDEPLOYLEAKED01');
    expect(JSON.parse(String((first as { accessory: { value: string } }).accessory.value))).toMatchObject({ action: 'key.deactivate' });
    const { groups } = threadGroups('scan_1', result, undefined, counter);
    const text = groups.map((g) => JSON.stringify(g)).join('\n');
    expect(text.indexOf('Story 1')).toBeLessThan(text.indexOf('Everything else'));
    // Every finding keeps its runbook step label.
    for (const step of new Set(result.findings.map((f) => f.step))) expect(text).toContain(` · ${step} `);
    expect(AGGREGATE_MIN).toBeGreaterThan(1);
  });
});

describe('stories on the scenario library', () => {
  const library = join(scenariosDir(), 'library');
  it.each(Object.entries(ENTRY))(
    '%s: one story, entered through the credential the write-up names, no benign look-alike in it',
    async (scenario, entry) => {
      const result = await scanScenario(`library/${scenario}`);
      expect(result.stories?.map((s) => s.entry)).toEqual([expect.objectContaining(entry)]);
      const expectation = JSON.parse(readFileSync(join(library, `${scenario}.expect.json`), 'utf8')) as { benign: { marker: string }[] };
      const story = result.stories?.[0];
      const storyText = JSON.stringify({ summary: story?.summary, timeline: story?.timeline, footprint: story?.footprint });
      for (const b of expectation.benign) expect({ marker: b.marker, inStory: storyText.includes(b.marker) }).toEqual({ marker: b.marker, inStory: false });
      expect(story?.plan[0]?.phase).toBe('cut');
    },
    120_000,
  );

  it('the clean account has no story', async () => {
    const result = await scanScenario('clean');
    expect(result.stories).toEqual([]);
  }, 120_000);
});
