/**
 * Slack text for the block builders, with escaping at one depth: the type system.
 *
 * Everything that reaches Slack as mrkdwn (section and context text, fields, confirm dialogs, the
 * fallback `text` of a message, ephemeral replies) is a `Mrkdwn`, and only these helpers make one:
 * `esc` (a value from AWS or a person), the `mrkdwn` tagged template (whose literal parts are
 * aws-ir's own markup and whose interpolations must be `Mrkdwn` already), `mention`, `code`,
 * `slackDate`. An attacker who names a user, a policy path or a tag `<!channel>` or
 * `<https://evil.example|click_to_approve>` gets that text shown, never a ping or a disguised link;
 * a builder that forgets to escape does not compile. Escaping follows
 * docs.slack.dev/messaging/formatting-message-text#escaping: `&`, `<` and `>` only.
 * `plain_text` is not parsed by Slack and takes raw text (`plain`).
 */
import type { MrkdwnElement, PlainTextElement } from '@slack/types';

declare const MRKDWN: unique symbol;
/** Text Slack may read as mrkdwn: aws-ir's own markup, with every outside value escaped. */
export type Mrkdwn = string & { readonly [MRKDWN]: true };

function trusted(text: string): Mrkdwn {
  return text as Mrkdwn;
}

export function plain(text: string): PlainTextElement {
  return { type: 'plain_text', text, emoji: true };
}

/**
 * A mrkdwn text object. `verbatim` stops Slack's automatic parsing (bare URLs and #channel names
 * turned into links); aws-ir's explicit `<@U…>` and `<!date…>` markup still renders.
 */
export function md(text: Mrkdwn): MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

/** Slack's three control characters in mrkdwn. */
export function esc(text: string | number): Mrkdwn {
  return trusted(String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/**
 * mrkdwn`*${esc(label)}* on ${code(arn)}`: the template's literal parts are trusted markup; every
 * interpolated value must already be Mrkdwn (escaped, or built by these helpers) or a number.
 */
export function mrkdwn(strings: TemplateStringsArray, ...values: readonly (Mrkdwn | number)[]): Mrkdwn {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += typeof v === 'number' ? String(v) : v;
    out += strings[i + 1] ?? '';
  });
  return trusted(out);
}

export function joinMrkdwn(parts: readonly Mrkdwn[], separator: '\n' | ', ' | '; ' | ' · ' | ' ' | '   ' | '' = ''): Mrkdwn {
  return trusted(parts.join(separator));
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{1,40}$/;

/** `<@U…>` for a Slack user id; anything else (never expected) is shown as text, escaped. */
export function mention(userId: string | undefined): Mrkdwn {
  if (userId === undefined || userId === '') return trusted('someone');
  return SLACK_USER_ID.test(userId) ? trusted(`<@${userId}>`) : esc(userId);
}

/** `code` span that survives backticks in the value. */
export function code(text: string): Mrkdwn {
  return trusted(`\`${esc(text).replace(/`/g, "'")}\``);
}

/** Slack's localised date (`<!date^…|fallback>`), or the escaped text when it is not a time. */
export function slackDate(iso: string, format = '{date_short_pretty} {time_secs}'): Mrkdwn {
  const t = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(t) ? trusted(`<!date^${t}^${format}|${esc(iso)}>`) : esc(iso);
}

/**
 * Escapes `text` (plain text written for people, e.g. a refusal reason) except mentions of the
 * given users, which aws-ir itself wrote into it; a mention of anyone else stays visible text.
 */
export function escKeepingMentions(text: string, userIds: readonly (string | undefined)[]): Mrkdwn {
  const keep = new Set(userIds.filter((id): id is string => !!id && SLACK_USER_ID.test(id)));
  return trusted(
    text
      .split(/(<@[UW][A-Z0-9]{1,40}>)/)
      .map((part) => {
        const id = /^<@([UW][A-Z0-9]{1,40})>$/.exec(part)?.[1];
        return id && keep.has(id) ? part : esc(part);
      })
      .join(''),
  );
}

/** Cuts `text` to at most `max` characters, marking the cut with an ellipsis. For raw text (escape after). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, max);
  return `${text.slice(0, max - 1)}…`;
}

/**
 * Where mrkdwn may be cut at or before `at` without splitting an escape (`&amp;`) or a markup
 * token (`<@U…>`, `<!date…>`) in two: the cut moves back to the start of the unfinished one.
 */
export function safeCutIndex(text: string, at: number): number {
  const head = text.slice(0, at);
  const entity = /&[a-z]{0,4}$/.exec(head);
  const token = /<[^<>]*$/.exec(head);
  return Math.min(entity ? entity.index : at, token ? token.index : at);
}

/** `truncate` for mrkdwn: never leaves half an escape or half a mention. */
export function truncateMrkdwn(text: Mrkdwn, max: number): Mrkdwn {
  if (text.length <= max) return text;
  if (max <= 1) return trusted('…'.slice(0, max));
  return trusted(`${text.slice(0, safeCutIndex(text, max - 1))}…`);
}

/** "3 findings": mrkdwn-safe, so it drops into the `mrkdwn` template as it is. */
export function plural(n: number, one: string, many = `${one}s`): Mrkdwn {
  return mrkdwn`${n} ${esc(n === 1 ? one : many)}`;
}

/** "1 h 2 min", "42 s", "850 ms": durations as a responder reads them. */
export function formatDuration(ms: number): Mrkdwn {
  if (ms < 1000) return mrkdwn`${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return mrkdwn`${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return mrkdwn`${m} min ${s % 60} s`;
  return mrkdwn`${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "2026-11-28 14:03 UTC": readable and unambiguous for a team spread over time zones. */
export function formatTime(iso: string): Mrkdwn {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return esc(iso);
  return trusted(`${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
}

/**
 * Counts and placeholders as people write them: "1 handshake", "3 regions" rather than "1 handshakes"
 * or "3 region(s)"; the credential report's "N/A" and "no_information" as words. For raw text (escape after).
 */
export function forPeople(text: string): string {
  return text
    .replace(/\b(\d+) (\w+?)\(s\)/g, (_, n: string, w: string) => `${n} ${n === '1' ? w : `${w}s`}`)
    .replace(/\b1 (\w+?)s\b/g, (m, w: string) => (/(ss|us|is)$/.test(`${w}s`) ? m : `1 ${w}`))
    .replace(/\bno_information\b/g, 'no record')
    .replace(/\bnot_supported\b/g, 'not supported')
    .replace(/^N\/A$/, 'none');
}
