/**
 * `npm run bench:replicas` (also part of `npm run bench`): three aws-ir processes (`node dist/src/app.js`)
 * sharing one PostgreSQL behind a round-robin proxy (replica-rig.ts), measuring:
 *
 * - 20 requests × 50 simultaneous Approve clicks spread over the replicas: executions (per the
 *   sandbox's CloudTrail), audited starts and approvals, clicks told it already ran;
 * - kill -9 of the replica executing an approved "Delete user" (20 writes), N trials: lost, re-run
 *   without approval, announcements per interruption, database consistency, kill-to-announced time;
 * - approval latency (click to verified) with three replicas, then with one.
 *
 * PostgreSQL: AWS_IR_BENCH_DATABASE_URL or AWS_IR_TEST_DATABASE_URL, else a throwaway server started
 * with scripts/test-postgres.sh. Each run works in a schema of its own, dropped at the end.
 * Options: --trials N (default 30), --samples N (latency samples per setting, default 15).
 * Exits 1 when a count is wrong.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { ReplicaRig } from './replica-rig';
import { approvalLatency, concurrentApprovals, type KillTrial, killTrial } from './replica-trials';

const ROOT = path.join(__dirname, '..', '..');

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A server to use, and how to stop it when this run started it. */
function database(): { url: string; stop: () => void } {
  const given = process.env.AWS_IR_BENCH_DATABASE_URL ?? process.env.AWS_IR_TEST_DATABASE_URL;
  if (given) return { url: given, stop: () => undefined };
  const script = path.join(ROOT, 'scripts', 'test-postgres.sh');
  const line = execFileSync('bash', [script, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const url = /AWS_IR_TEST_DATABASE_URL='([^']+)'/.exec(line)?.[1];
  const dir = /AWS_IR_TEST_PG_DIR='([^']+)'/.exec(line)?.[1];
  if (!url || !dir) throw new Error('scripts/test-postgres.sh did not start a server');
  return { url, stop: () => execFileSync('bash', [script, 'stop', dir], { stdio: 'inherit' }) };
}

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return `median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${s.at(-1) ?? 0} ms (${s.length} samples)`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { trials: { type: 'string', default: '30' }, samples: { type: 'string', default: '15' } } });
  const trials = Number(values.trials);
  const samples = Number(values.samples);
  const db = database();
  const schema = `bench_${Date.now()}`;
  await adminQuery(db.url, `CREATE SCHEMA ${schema}`);
  const u = new URL(db.url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  let rig: ReplicaRig | undefined;
  try {
    rig = await ReplicaRig.start({
      root: ROOT,
      databaseUrl: u.toString(),
      replicas: 3,
      appCommand: [process.execPath, path.join(ROOT, 'dist', 'src', 'app.js')],
      log: (line) => process.stderr.write(`  ${line}\n`),
    });

    const approvals = await concurrentApprovals(rig, 20, 50);
    const once = (xs: number[]) => xs.filter((x) => x === 1).length;
    log(`20 requests × 50 simultaneous Approve clicks over 3 replicas (${approvals.clicks} clicks, ${approvals.undelivered} undelivered):`);
    log(
      `  succeeded ${approvals.succeeded}/20; executed exactly once (CloudTrail) ${once(approvals.executions)}/20, total executions ${approvals.executions.reduce((a, b) => a + b, 0)}`,
    );
    log(`  action.started audited once ${once(approvals.auditedStarts)}/20, request.approved audited once ${once(approvals.auditedApprovals)}/20`);
    log(
      `  clicks told it already ran ${approvals.toldAlreadyRan}/${approvals.clicks - approvals.requests}; clicks reached ${approvals.replicasReached} of 3 replicas, winners ran on ${approvals.replicasUsed}`,
    );

    const results: KillTrial[] = [];
    for (let n = 0; n < trials; n++) {
      const t = await killTrial(rig, n);
      results.push(t);
      log(
        `kill trial ${String(n + 1).padStart(2)}: ${t.cutMidway ? 'cut mid-way' : 'finished first'}, ${t.status}, announced ${t.announcements}×, ${t.writes} writes, takeover ${t.takeoverMs} ms${t.lost ? ' LOST' : ''}${t.rerun ? ' RE-RUN' : ''}${t.inconsistencies.length ? ` INCONSISTENT: ${t.inconsistencies.join('; ')}` : ''}`,
      );
    }
    const cut = results.filter((t) => t.cutMidway);
    const lost = results.filter((t) => t.lost).length;
    const rerun = results.filter((t) => t.rerun).length;
    const inconsistent = results.filter((t) => t.inconsistencies.length).length;
    const announcedOnce = cut.filter((t) => t.announcements === 1).length;
    log(`kill -9 of the executing replica, ${results.length} trials (${cut.length} cut mid-way):`);
    log(
      `  lost ${lost}, re-run without approval ${rerun}, interrupted ones announced exactly once ${announcedOnce}/${cut.length}, database inconsistent ${inconsistent}`,
    );
    log(`  kill to announced by another replica: ${stats(cut.map((t) => t.takeoverMs))}`);

    const three = await approvalLatency(rig, samples);
    log(`approval latency, click to verified, 3 replicas: ${stats(three)}`);
    await rig.stopReplica(rig.replicas[1]!);
    await rig.stopReplica(rig.replicas[2]!);
    const one = await approvalLatency(rig, samples);
    log(`approval latency, click to verified, 1 replica:  ${stats(one)}`);

    const ok =
      approvals.succeeded === 20 &&
      once(approvals.executions) === 20 &&
      once(approvals.auditedStarts) === 20 &&
      once(approvals.auditedApprovals) === 20 &&
      approvals.toldAlreadyRan === approvals.clicks - approvals.requests - approvals.undelivered &&
      lost === 0 &&
      rerun === 0 &&
      inconsistent === 0 &&
      announcedOnce === cut.length;
    return ok ? 0 : 1;
  } finally {
    await rig?.close();
    await adminQuery(db.url, `DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    db.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`replica benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
