/**
 * Numbered schema migrations, as plain SQL files in migrations/<dialect>/NNN-name.sql: a second
 * backend keeps its own dialect's files with the same numbers. Append new files; never edit one that
 * has shipped, since existing databases recorded it as applied. The build copies the folder next to
 * the compiled code (dist/src/store/migrations), which is where the container image has it too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from './store-errors';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export type SqlDialect = 'sqlite';

const FILE = /^(\d{3})-([a-z0-9-]+)\.sql$/;

export function migrationsDir(dialect: SqlDialect): string {
  return path.join(__dirname, 'migrations', dialect);
}

/** Every migration of the dialect, in order; refuses a folder with a gap or a duplicate number. */
export function loadMigrations(dir: string): Migration[] {
  let files: string[];
  try {
    files = fs.readdirSync(dir);
  } catch {
    throw new StoreError(`The database migrations are missing (expected in ${dir}); build aws-ir with \`npm run build\`, which copies them there.`);
  }
  const migrations = files
    .map((file) => ({ file, m: FILE.exec(file) }))
    .filter((f): f is { file: string; m: RegExpExecArray } => f.m !== null)
    .map(({ file, m }) => ({ version: Number(m[1]), name: m[2]!.replace(/-/g, ' '), sql: fs.readFileSync(path.join(dir, file), 'utf8') }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new StoreError(`The database migrations in ${dir} must be numbered 001, 002, … without gaps (found ${String(m.version).padStart(3, '0')}).`);
  });
  if (!migrations.length) throw new StoreError(`No database migrations found in ${dir}.`);
  return migrations;
}
