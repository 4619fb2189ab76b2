import { compareScans, stepState, targetStates } from '../../../src/incident/scan-progress';
import type { Finding, ScanResult } from '../../../src/scan/model';
import type { PlanStep } from '../../../src/scan/stories';
import type { ActionRequest, ScanRecord } from '../../../src/store/model';

const key = { kind: 'access-key' as const, userName: 'ci-deploy', accessKeyId: 'AKIALEAKED0000000001' };
const finding = (id: string, extra: Partial<Finding> = {}): Finding => ({
  id,
  check: 'cloudtrail',
  severity: 'high',
  step: 'R4',
  title: id,
  resources: [],
  evidence: {},
  actions: [],
  ...extra,
});
const result = (findings: Finding[]): ScanResult => ({
  account: '111122223333',
  window: { start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z' },
  regions: [],
  findings,
  gaps: [],
  stats: { durationMs: 1, apiCalls: {} },
});
const scan = (id: string, startedAt: string, findings: Finding[]): ScanRecord => ({
  id,
  channel: 'C1',
  requestedBy: 'U1',
  startedAt,
  status: 'done',
  result: result(findings),
});
const request = (id: string, extra: Partial<ActionRequest>): ActionRequest => ({
  id,
  action: 'key.deactivate',
  target: key,
  account: '111122223333',
  channel: 'C1',
  threadTs: '1.0',
  requestedBy: 'U1',
  createdAt: '2026-12-02T10:00:00Z',
  expiresAt: '2026-12-02T11:00:00Z',
  status: 'succeeded',
  dryRun: false,
  outcome: { ok: true, dryRun: false, verified: true, calls: [], requestIds: [], startedAt: '2026-12-02T10:01:00Z', finishedAt: '2026-12-02T10:01:05Z' },
  ...extra,
});

describe('progress between scans', () => {
  const leaked = finding('leaked', { actions: ['key.deactivate', 'key.delete'], target: key, evidence: { last: '2026-12-02T09:00:00Z' } });

  it('counts contained, new and unchanged findings against the previous scan', () => {
    const previous = scan('s1', '2026-12-02T10:02:00Z', [leaked, finding('same')]);
    const c = compareScans(result([leaked, finding('same'), finding('fresh')]), [previous], [request('r1', {})]);
    expect(c.previous).toEqual({ scanId: 's1', startedAt: '2026-12-02T10:02:00Z' });
    expect(c.contained).toEqual(['leaked']);
    expect(c.new).toEqual(['fresh']);
    expect(c.unchanged).toEqual(['same']);
  });

  it('flags a finding that came back: absent last time but seen before, or active after it was contained', () => {
    const old = scan('s0', '2026-12-02T09:00:00Z', [finding('back')]);
    const previous = scan('s1', '2026-12-02T10:02:00Z', []);
    const stillUsed = { ...leaked, evidence: { last: '2026-12-02T10:30:00Z' } };
    const c = compareScans(result([finding('back'), stillUsed]), [previous, old], [request('r1', {})]);
    expect(c.cameBack.sort()).toEqual(['back', 'leaked']);
  });

  it('an undone, unverified or dry-run action contains nothing', () => {
    expect(targetStates([request('r1', {}), request('u1', { undoOf: 'r1', action: 'key.reactivate' })])['access-key:AKIALEAKED0000000001']?.done).toEqual({});
    expect(
      targetStates([
        request('r1', { dryRun: true, outcome: { ok: true, dryRun: true, verified: true, calls: [], requestIds: [], startedAt: '', finishedAt: '' } }),
      ])['access-key:AKIALEAKED0000000001']?.done,
    ).toEqual({});
  });

  it('tells each plan step done, waiting, open, or after the step it needs', () => {
    const step: PlanStep = { phase: 'cut', label: 'x', action: 'key.deactivate', target: key, findingId: 'leaked' };
    const del: PlanStep = {
      phase: 'cleanup',
      label: 'y',
      action: 'key.delete',
      target: key,
      findingId: 'leaked',
      after: { action: 'key.deactivate', targetKey: 'access-key:AKIALEAKED0000000001' },
    };
    expect(stepState(step, targetStates([]))).toBe('open');
    expect(stepState(del, targetStates([]))).toBe('blocked');
    expect(stepState(step, targetStates([request('r1', { status: 'pending' })]))).toBe('waiting');
    const done = targetStates([request('r1', {})]);
    expect(stepState(step, done)).toBe('done');
    expect(stepState(del, done)).toBe('open');
  });
});
