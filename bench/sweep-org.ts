/**
 * `npm run bench` (and `npm run bench:org`): an organization sweep of the sandbox's generated
 * `large-org` (a management account and 100 members, one of which has no aws-ir role) through the
 * incident core, unchanged SDK clients and AWS's rate limits, with the default concurrency.
 *
 * The floor: accounts run in parallel, each with its own rate limiters; each account's floor is as
 * for one scan (its busiest region's LookupEvents pages / 2 per second), so the sweep's floor is the
 * slowest account's floor times the number of concurrency "waves" (accounts scanned / concurrency,
 * rounded up). Also: peak RSS of the sweeping process, and the result with the broken account: every
 * other account scanned, the broken one a gap with its reason. Exits 1 when a target is missed.
 *
 *   node --expose-gc dist/bench/sweep-org.js [--concurrency N] [--days N]
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LARGE_ORG_ATTACKER_IP, LARGE_ORG_BROKEN_MEMBER, LARGE_ORG_COMPROMISED_MEMBERS } from '@aws-ir/aws-sandbox';
import { buildCoreServices } from '../src/build-services';
import { loadCoreConfig, orgSettings } from '../src/config';
import { createIncidentCore } from '../src/incident/core';
import type { SweepPublisher } from '../src/incident/ports';
import { createLogger } from '../src/logger';
import { SqliteStore } from '../src/store/sqlite-store';
import type { OrgChildReply, OrgChildRequest } from './org-sandbox-child';
import { LOOKUP_EVENTS_PER_SECOND } from './protocol';

/** The sweep may take this much longer than its floor (the single-account scan's target is 1.3). */
const MAX_FLOOR_RATIO = 1.5;
const MAX_RSS_BYTES = 400 * 1024 * 1024;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function ask<T extends OrgChildReply['type']>(child: ChildProcess, msg: OrgChildRequest, expect: T): Promise<Extract<OrgChildReply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: OrgChildReply) => {
      child.off('message', onMessage);
      if (reply.type === 'failed') reject(new Error(`sandbox: ${reply.message}`));
      else if (reply.type === expect) resolve(reply as Extract<OrgChildReply, { type: T }>);
      else reject(new Error(`sandbox: unexpected reply ${reply.type}`));
    };
    child.on('message', onMessage);
    child.send(msg);
  });
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<number> {
  const days = Number(arg('days', '7'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-ir-bench-org-'));
  const env: NodeJS.ProcessEnv = { AWS_IR_DB_PATH: path.join(dir, 'aws-ir.db') };
  const concurrencyArg = arg('concurrency', '');
  if (concurrencyArg) env.AWS_IR_ORG_CONCURRENCY = concurrencyArg;
  const config = loadCoreConfig(env);
  const concurrency = orgSettings(config).concurrency;
  const child = fork(path.join(__dirname, 'org-sandbox-child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const store = new SqliteStore(config.dbPath);
  try {
    const started = await ask(child, { type: 'start', scenario: 'large-org' }, 'started');
    const target = { key: started.accountId, region: 'us-east-1', endpoint: started.endpoint, credentials: started.adminCredentials };
    const services = buildCoreServices(config, { store, scanTarget: target, remediationTarget: target, logger: createLogger('silent') });
    const core = createIncidentCore(services);
    const publisher: SweepPublisher = {
      opened: async () => undefined,
      accountDone: () => undefined,
      finished: async () => undefined,
      failed: async () => undefined,
    };

    global.gc?.();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 25);
    const t0 = performance.now();
    const outcome = await core.startSweep({ channel: 'bench', requestedBy: 'bench', days }, publisher);
    const wallMs = performance.now() - t0;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (outcome.kind !== 'done') throw new Error(`the sweep did not finish: ${'reason' in outcome ? outcome.reason : outcome.kind}`);
    const r = outcome.result;

    const scanned = r.accounts.filter((a) => a.status === 'scanned');
    const { pages } = await ask(child, { type: 'floors', accounts: scanned.map((a) => a.account), now: r.window.end, days }, 'floors');
    const slowest = Object.entries(pages).reduce((a, b) => (b[1].pages > a[1].pages ? b : a));
    const accountFloorMs = (slowest[1].pages / LOOKUP_EVENTS_PER_SECOND) * 1000;
    const waves = Math.ceil(scanned.length / concurrency);
    const floorMs = accountFloorMs * waves;
    // The pool starts the next account as soon as one finishes, so waves are not in step and the
    // wave floor overestimates; no schedule can beat the busiest slot's share of all the floors.
    const totalFloorMs = Object.values(pages).reduce((n, p) => n + (p.pages / LOOKUP_EVENTS_PER_SECOND) * 1000, 0);
    const boundMs = Math.max(accountFloorMs, totalFloorMs / concurrency);
    const stopped = await ask(child, { type: 'stop' }, 'stopped');

    const broken = r.accounts.find((a) => a.account === LARGE_ORG_BROKEN_MEMBER);
    const othersScanned = r.accounts.filter((a) => a.account !== LARGE_ORG_BROKEN_MEMBER).every((a) => a.status === 'scanned');
    const story = r.crossAccount.find((x) => x.value === LARGE_ORG_ATTACKER_IP);
    const storyAccounts = story?.accounts.map((a) => a.account).sort() ?? [];
    const calls = Object.values(r.stats.apiCalls).reduce((n, c) => n + c, 0);
    const lookups = r.stats.apiCalls['CloudTrail:LookupEvents'] ?? 0;
    const checks = [
      { target: `sweep wall time <= ${MAX_FLOOR_RATIO} x the wave floor`, ok: wallMs / floorMs <= MAX_FLOOR_RATIO },
      { target: `sweep wall time <= ${MAX_FLOOR_RATIO} x the lower bound`, ok: wallMs / boundMs <= MAX_FLOOR_RATIO },
      { target: `peak RSS < ${mb(MAX_RSS_BYTES)}`, ok: peakRss < MAX_RSS_BYTES },
      { target: `every account but ${LARGE_ORG_BROKEN_MEMBER} scanned`, ok: othersScanned && r.accounts.length === 101 },
      {
        target: `${LARGE_ORG_BROKEN_MEMBER} (no role) is a gap with its reason`,
        ok: broken?.status === 'no-access' && /could not assume/.test(broken.reason ?? ''),
      },
      {
        target: `the attacker address is one story across the 3 compromised members`,
        ok: JSON.stringify(storyAccounts) === JSON.stringify([...LARGE_ORG_COMPROMISED_MEMBERS].sort()),
      },
    ];
    const lines = [
      `aws-ir organization sweep benchmark — large-org (management + 100 members), window ${days} days, concurrency ${concurrency}`,
      `sandbox start (100 members listed, built when first reached): ${started.startMs.toFixed(0)} ms`,
      '',
      `accounts              ${r.organization.listed} listed, ${r.organization.scanned} scanned, ${r.organization.gaps} not scanned`,
      `sweep wall time       ${s(wallMs)}`,
      `floor                 ${s(floorMs)}  (slowest account ${slowest[0]}: ${slowest[1].pages} pages in ${slowest[1].region} / ${LOOKUP_EVENTS_PER_SECOND} per s = ${s(accountFloorMs)}, x ${waves} waves of ${concurrency})`,
      `ratio                 ${(wallMs / floorMs).toFixed(2)}  (target <= ${MAX_FLOOR_RATIO})`,
      `lower bound           ${s(boundMs)}  (all accounts' floors ${s(totalFloorMs)} / ${concurrency} at a time); ratio ${(wallMs / boundMs).toFixed(2)}`,
      `per account           ${s(wallMs / waves)} per wave; ${s(wallMs / scanned.length)} per account`,
      `peak RSS (sweep)      ${mb(peakRss)}  (target < ${mb(MAX_RSS_BYTES)}; sandbox process: ${mb(stopped.peakRssBytes)})`,
      `AWS API calls         ${calls} (${lookups} LookupEvents, ${r.stats.apiCalls['STS:AssumeRole'] ?? 0} AssumeRole)`,
      `findings              ${r.findings.length}; stories across accounts: ${r.crossAccount.length}`,
      `broken account        ${LARGE_ORG_BROKEN_MEMBER}: ${broken?.status}: ${broken?.reason ?? ''}`,
      `story                 ${story ? `${story.kind} ${story.value} in ${storyAccounts.join(', ')} (${story.severity})` : 'none'}`,
      `ranked first          ${r.accounts
        .slice(0, 3)
        .map((a) => a.account)
        .join(', ')}`,
      '',
      ...checks.map((c) => `${c.ok ? 'PASS' : 'FAIL'}  ${c.target}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
    if (child.connected) child.kill();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
