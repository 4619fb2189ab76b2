import { toJsonObject, toMarkdown, toText } from '../../../src/scan/format';
import type { ScanResult } from '../../../src/scan/model';

const result: ScanResult = {
  account: '123456789012',
  window: { start: '2026-11-21T12:00:00.000Z', end: '2026-11-28T12:00:00.000Z' },
  regions: ['us-east-1'],
  findings: [
    {
      id: 'abc',
      check: 'credential-report',
      severity: 'high',
      step: 'R1',
      title: 'The root user has 1 active access key',
      resources: ['arn:aws:iam::123456789012:root'],
      evidence: { keys: 1 },
      actions: [],
      guidance: 'Sign in as root and delete the key.',
    },
    {
      id: 'def',
      check: 'resources',
      severity: 'critical',
      step: 'R5',
      title: 'GPU instance i-1',
      resources: ['i-1'],
      evidence: { region: 'ap-south-1' },
      actions: ['instance.isolate'],
      target: { kind: 'instance', region: 'ap-south-1', instanceId: 'i-1' },
    },
  ],
  gaps: [{ check: 'cost', reason: "aws-ir's scan role is not allowed to call ce:GetCostAndUsage." }],
  stats: { durationMs: 1234, apiCalls: { 'IAM:GetCredentialReport': 1, 'EC2:DescribeInstances': 2 } },
};

describe('scan formats', () => {
  it('JSON has the design fields in order, with guidance and target kept', () => {
    const json = toJsonObject(result);
    // The design's fields, in order; stories are the design's addition after them.
    expect(Object.keys(json)).toEqual(['account', 'window', 'regions', 'findings', 'gaps', 'stats', 'stories']);
    const [first, second] = json.findings as Record<string, unknown>[];
    expect(Object.keys(first ?? {}).slice(0, 7)).toEqual(['id', 'severity', 'step', 'title', 'resources', 'evidence', 'actions']);
    expect(first?.guidance).toBe('Sign in as root and delete the key.');
    expect(second?.target).toEqual({ kind: 'instance', region: 'ap-south-1', instanceId: 'i-1' });
  });

  it('text groups by runbook step and lists what could not be checked', () => {
    const text = toText(result);
    expect(text).toMatch(/findings: 1 critical, 1 high, 0 medium, 0 low, 0 info/);
    expect(text.indexOf('R1 Exposed access keys')).toBeLessThan(text.indexOf('R5 Resources in every region'));
    expect(text).toMatch(/to do: Sign in as root/);
    expect(text).toMatch(/- cost: aws-ir's scan role is not allowed/);
    expect(text).toMatch(/3 AWS API calls in 1\.2 s/);
  });

  it('markdown has a heading per step and escapes titles', () => {
    const md = toMarkdown({ ...result, findings: [{ ...result.findings[1]!, title: 'a *b* [c]' }] });
    expect(md).toMatch(/^# aws-ir scan of account 123456789012/);
    expect(md).toMatch(/## R5 Resources in every region/);
    expect(md).toContain('a \\*b\\* \\[c\\]');
    expect(md).toMatch(/## Could not check/);
  });
});
