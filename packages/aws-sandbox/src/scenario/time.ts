/**
 * Scenario times are relative to the moment the scenario is loaded, so a scenario never goes stale:
 * "now", "-3d", "-2h30m", "+15m", "-1d6h"; an absolute ISO 8601 time is accepted too.
 */
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };
const RELATIVE = /^([+-])((?:\d+[dhms])+)$/;

export function parseRelativeTime(text: string, now: Date): Date | undefined {
  const t = text.trim();
  if (t === 'now') return new Date(now.getTime());
  const m = RELATIVE.exec(t);
  if (m) {
    let ms = 0;
    for (const part of m[2]!.matchAll(/(\d+)([dhms])/g)) ms += Number(part[1]) * UNIT_MS[part[2]!]!;
    return new Date(now.getTime() + (m[1] === '-' ? -ms : ms));
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) {
    const d = new Date(t);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

/** YYYY-MM-DD of a Date in UTC (Cost Explorer's day keys). */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
