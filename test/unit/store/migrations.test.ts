/** The numbered SQL migrations: found next to the store (source or dist), in order, refused with a gap. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMigrations, migrationsDir } from '../../../src/store/migrations';
import { StoreError } from '../../../src/store/store-errors';

describe('SQL migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-ir-migrations-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(['sqlite', 'postgres'] as const)('are plain numbered SQL files, read in order with their names, the same numbers per dialect (%s)', (dialect) => {
    const migrations = loadMigrations(migrationsDir(dialect));
    expect(migrations.map((m) => [m.version, m.name])).toEqual([
      [1, 'scans requests audit'],
      [2, 'open items'],
      [3, 'claims and leases'],
      [4, 'replica coordination'],
      [5, 'organization sweeps'],
      [6, 'approvals'],
    ]);
    expect(migrations[2]!.sql).toContain('CREATE UNIQUE INDEX scans_one_running_per_channel');
    expect(migrations[3]!.sql).toContain('CREATE UNIQUE INDEX requests_one_live_undo');
  });

  it('refuses a folder with a gap, an empty folder and a missing one, each with a sentence saying what to do', () => {
    fs.writeFileSync(path.join(dir, '001-first.sql'), 'SELECT 1;');
    fs.writeFileSync(path.join(dir, '003-third.sql'), 'SELECT 3;');
    fs.writeFileSync(path.join(dir, 'README.txt'), 'not a migration');
    expect(() => loadMigrations(dir)).toThrow(/without gaps \(found 003\)/);
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    expect(() => loadMigrations(empty)).toThrow(StoreError);
    expect(() => loadMigrations(path.join(dir, 'nope'))).toThrow(/missing .*npm run build/);
  });
});
