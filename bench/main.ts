/**
 * `npm run bench`: the `large` benchmark (rate-limit floor, coverage, 13 trails during a scan) and the
 * `busy` benchmark (2 million events: each CloudTrail source against its floor, recall, coverage, memory).
 * Exits 1 when a target is missed, 2 when a run itself failed.
 *
 *   node --expose-gc dist/bench/main.js [--only large|busy] [--scenario NAME] [--days N] [--sources s3,athena,lookup-events]
 */
import type { SourceName } from '../src/scan/sources/model';
import { benchBusy } from './scan-busy';
import { benchLarge } from './scan-large';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

async function main(): Promise<number> {
  const only = arg('only', 'all');
  const days = Number(arg('days', '7'));
  let ok = true;
  if (only === 'all' || only === 'large') ok = (await benchLarge(arg('scenario', 'large'), days)) && ok;
  const sources = arg('sources', 's3,athena,lookup-events').split(',') as SourceName[];
  if (only === 'all' || only === 'busy') ok = (await benchBusy(days, sources)) && ok;
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
