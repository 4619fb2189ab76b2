/**
 * Three real aws-ir processes sharing one PostgreSQL behind a round-robin proxy (bench/replica-rig.ts):
 * 20 requests × 50 simultaneous Approve clicks spread over the replicas run exactly 20 actions, each
 * audited once, every other click told it already ran; and kill -9 of the replica executing a user
 * deletion leaves it interrupted, announced once by another replica, never re-run. `npm run bench`
 * runs the same with 30 kill trials and measures approval latency with one and three replicas.
 */
import path from 'node:path';
import { ReplicaRig } from '../../../bench/replica-rig';
import { concurrentApprovals, killTrial } from '../../../bench/replica-trials';
import { describePostgres, freshSchema } from '../../support/postgres';

const ROOT = path.join(__dirname, '..', '..', '..');

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

  it('runs each of 20 requests exactly once under 50 simultaneous Approve clicks spread over the replicas', async () => {
    const counts = await concurrentApprovals(rig, 20, 50);
    expect(counts.undelivered).toBe(0);
    expect(counts.succeeded).toBe(20);
    expect(counts.executions).toEqual(Array(20).fill(1));
    expect(counts.auditedStarts).toEqual(Array(20).fill(1));
    expect(counts.auditedApprovals).toEqual(Array(20).fill(1));
    expect(counts.toldAlreadyRan).toBe(20 * 49);
    // The winners were spread over the replicas, not all on one.
    expect(counts.replicasUsed).toBeGreaterThan(1);
  }, 300_000);

  it('leaves an action whose replica was killed interrupted, announced once by another replica, never re-run', async () => {
    for (let n = 0; n < 3; n++) {
      const trial = await killTrial(rig, n);
      expect(trial).toMatchObject({ lost: false, rerun: false, inconsistencies: [] });
      if (trial.cutMidway) expect(trial).toMatchObject({ status: 'interrupted', announcements: 1 });
    }
  }, 300_000);
});
