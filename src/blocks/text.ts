/**
 * Small helpers shared by the block builders: Slack text objects, escaping and truncation. Every
 * value that comes from AWS or a user goes through `esc` before it lands in mrkdwn, so a resource
 * name can never turn into a mention or a link.
 */
import type { MrkdwnElement, PlainTextElement } from '@slack/types';

export function plain(text: string): PlainTextElement {
  return { type: 'plain_text', text, emoji: true };
}

export function md(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text };
}

/** Slack's three control characters in mrkdwn (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts `text` to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, max);
  return `${text.slice(0, max - 1)}…`;
}

/** `code` span that survives backticks in the value. */
export function code(text: string): string {
  return `\`${esc(text).replace(/`/g, "'")}\``;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "1 h 2 min", "42 s", "850 ms": durations as a responder reads them. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "2026-11-28 14:03 UTC": readable and unambiguous for a team spread over time zones. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
