/**
 * Three real aws-ir processes sharing one PostgreSQL behind a round-robin proxy (bench/replica-rig.ts):
 * 4 requests × 10 simultaneous Approve clicks spread over the replicas run exactly 4 actions, each
 * audited once, every other click told it already ran; and kill -9 of the replica executing a user
 * deletion leaves it interrupted, announced once by another replica, never re-run (one trial).
 * `npm run bench` runs the same trials at volume (20 × 50 clicks, 30 kill trials) and measures approval
 * latency with one and three replicas.
 */
import path from 'node:path';
import { ReplicaRig } from '../../../bench/replica-rig';
import { concurrentApprovals, killTrial } from '../../../bench/replica-trials';
import { describePostgres, freshSchema } from '../../support/postgres';

const ROOT = path.join(__dirname, '..', '..', '..');
const REQUESTS = 4;
const CLICKS = 10;

describePostgres('three replicas on one PostgreSQL', () => {
  let rig: ReplicaRig;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const schema = await freshSchema('replicas');
    drop = schema.drop;
    rig = await ReplicaRig.start({
      root: ROOT,
      databaseUrl: schema.url,
      replicas: 3,
      appCommand: [process.execPath, '-r', path.join(ROOT, 'test/support/ts-child.js'), path.join(ROOT, 'src/app.ts')],
      log: (line) => process.stderr.write(`${line}\n`),
    });
  }, 180_000);

  afterAll(async () => {
    await rig?.close();
    await drop?.();
  }, 60_000);

  it('runs each of 4 requests exactly once under 10 simultaneous Approve clicks spread over the replicas', async () => {
    const counts = await concurrentApprovals(rig, REQUESTS, CLICKS);
    expect(counts.undelivered).toBe(0);
    expect(counts.succeeded).toBe(REQUESTS);
    expect(counts.executions).toEqual(Array(REQUESTS).fill(1));
    expect(counts.auditedStarts).toEqual(Array(REQUESTS).fill(1));
    expect(counts.auditedApprovals).toEqual(Array(REQUESTS).fill(1));
    expect(counts.toldAlreadyRan).toBe(REQUESTS * (CLICKS - 1));
    // Every replica received clicks of each race (which one wins is up to the race: with 4 requests
    // all may be won on one replica; the bench's 20 checks that winners spread).
    expect(counts.replicasReached).toBe(3);
    expect(counts.replicasUsed).toBeGreaterThanOrEqual(1);
  }, 300_000);

  it('leaves an action whose replica was killed interrupted, announced once by another replica, never re-run', async () => {
    const trial = await killTrial(rig, 0);
    expect(trial).toMatchObject({ lost: false, rerun: false, inconsistencies: [] });
    if (trial.cutMidway) expect(trial).toMatchObject({ status: 'interrupted', announcements: 1 });
  }, 300_000);
});
