/** The query text as the sandbox's DuckDB runs it: pure string work, shared by the sandbox and the engine process. */

/** The translations from Presto (Athena engine v3) to DuckDB the product's queries need. */
export function toDuckDb(sql: string): string {
  return sql.replace(/\bjson_extract_scalar\s*\(/gi, 'json_extract_string(').replace(/\bregexp_like\s*\(/gi, 'regexp_matches(');
}

/** The `"timestamp"` partition range the query asks for (yyyy/MM/dd), if it says. */
export function timestampRange(sql: string): { from?: string; to?: string } {
  const col = `"?timestamp"?`;
  const between = new RegExp(String.raw`${col}\s+BETWEEN\s+'(\d{4}/\d{2}/\d{2})'\s+AND\s+'(\d{4}/\d{2}/\d{2})'`, 'i').exec(sql);
  if (between) return { from: between[1], to: between[2] };
  const out: { from?: string; to?: string } = {};
  const eq = new RegExp(String.raw`${col}\s*=\s*'(\d{4}/\d{2}/\d{2})'`, 'i').exec(sql);
  if (eq) return { from: eq[1], to: eq[1] };
  const ge = new RegExp(String.raw`${col}\s*>=?\s*'(\d{4}/\d{2}/\d{2})'`, 'i').exec(sql);
  const le = new RegExp(String.raw`${col}\s*<=?\s*'(\d{4}/\d{2}/\d{2})'`, 'i').exec(sql);
  if (ge) out.from = ge[1];
  if (le) out.to = le[1];
  return out;
}

export const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;
export const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** Per-query views are temporary (one per connection): "db"."table" in the query names the view. */
export function qualifiedToTemp(sql: string, tables: { database: string; table: string }[]): string {
  let out = sql;
  for (const t of tables) out = out.replace(new RegExp(String.raw`"?${t.database}"?\s*\.\s*"?${t.table}"?`, 'gi'), ident(t.table));
  return out;
}

/** Athena's name for a DuckDB column type. */
export function athenaType(duck: string): string {
  if (/^(BIGINT|HUGEINT|UBIGINT)$/.test(duck)) return 'bigint';
  if (/^(INTEGER|SMALLINT|TINYINT)$/.test(duck)) return 'integer';
  if (duck === 'BOOLEAN') return 'boolean';
  if (/^(DOUBLE|FLOAT|DECIMAL)/.test(duck)) return 'double';
  if (/^TIMESTAMP/.test(duck)) return 'timestamp';
  return 'varchar';
}
