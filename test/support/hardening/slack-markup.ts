/**
 * What Slack would render as a mention or a link in what the app sent: every `<…>` control sequence
 * in a mrkdwn text (section and context text, fields, confirm dialogs, a message's fallback text,
 * ephemeral replies, modals), other than aws-ir's own mentions of known people and its dates; and
 * attacker text that Slack would auto-link (a bare URL, an e-mail address, @channel or #channel) in
 * a mrkdwn text Slack parses automatically (not `verbatim`, or a message's only text). Plain-text
 * objects are not parsed by Slack and are left out.
 *
 *   const report = scanSlackCalls(standIn.webApi.calls, { ownUserIds: [ALICE, BOB], bare: ['https://evil.example'] });
 *   report.rendered   // [] when no attacker text became a mention or a link
 */
import { blockKitProblems, viewProblems } from '../block-kit';
import type { RecordedCall } from '@aws-ir/slack-standin';

export interface SeenText {
  where: string;
  text: string;
  /** Slack parses it without `verbatim`: bare URLs, e-mails and #channels become links. */
  autoParsed: boolean;
}

export interface Rendered {
  where: string;
  what: string;
}

export interface MarkupReport {
  /** mrkdwn texts looked at. */
  texts: SeenText[];
  /** Attacker text Slack would render as a mention or a link: must stay empty. */
  rendered: Rendered[];
  /** Block Kit limit problems, per call: must stay empty. */
  limitProblems: string[];
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every mrkdwn text object under `value`. */
function mrkdwnTexts(value: unknown, where: string, out: SeenText[]): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) mrkdwnTexts(v, `${where}[${i}]`, out);
    return;
  }
  if (!isObj(value)) return;
  if (value.type === 'mrkdwn' && typeof value.text === 'string') out.push({ where, text: value.text, autoParsed: value.verbatim !== true });
  for (const [k, v] of Object.entries(value)) if (k !== 'text' || typeof v !== 'string') mrkdwnTexts(v, `${where}.${k}`, out);
}

const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'chat.scheduleMessage', 'response_url']);
const VIEW_METHODS = new Set(['views.open', 'views.update', 'views.push', 'views.publish']);

export function textsOf(call: RecordedCall, index: number): SeenText[] {
  const where = `#${index} ${call.method}`;
  const out: SeenText[] = [];
  if (MESSAGE_METHODS.has(call.method)) {
    const blocks = Array.isArray(call.args.blocks) ? call.args.blocks : [];
    // The fallback text is what a notification shows; alone, it is the message itself.
    if (typeof call.args.text === 'string') out.push({ where: `${where}.text`, text: call.args.text, autoParsed: blocks.length === 0 });
    mrkdwnTexts(blocks, `${where}.blocks`, out);
    mrkdwnTexts(call.args.attachments, `${where}.attachments`, out);
  } else if (VIEW_METHODS.has(call.method)) {
    mrkdwnTexts(call.args.view, `${where}.view`, out);
  }
  return out;
}

const OWN_DATE = /^!date\^\d+\^[^|]*\|[^<>]*$/;

/** The `<…>` tokens of a mrkdwn text that are not aws-ir's own (a mention of a known person, a date). */
export function foreignTokens(text: string, ownUserIds: ReadonlySet<string>): string[] {
  const tokens = [...text.matchAll(/<([^<>]*)>/g)].map((m) => m[1] ?? '');
  return tokens.filter((t) => !(OWN_DATE.test(t) || (/^@[UW][A-Z0-9]+$/.test(t) && ownUserIds.has(t.slice(1))))).map((t) => `<${t}>`);
}

/**
 * aws-ir's own promise for a message's top-level text (the notification fallback): kept under 3,000
 * characters, though Slack would accept 40,000, so an attacker's long name never floods a notification.
 */
const FALLBACK_TEXT_MAX = 3000;

export function scanSlackCalls(calls: readonly RecordedCall[], options: { ownUserIds: readonly string[]; bare: readonly string[] }): MarkupReport {
  const own = new Set(options.ownUserIds);
  const texts: SeenText[] = [];
  const rendered: Rendered[] = [];
  const problems: string[] = [];
  calls.forEach((call, i) => {
    const seen = textsOf(call, i);
    texts.push(...seen);
    for (const t of seen) {
      for (const token of foreignTokens(t.text, own)) rendered.push({ where: t.where, what: token });
      if (t.autoParsed) for (const b of options.bare) if (t.text.includes(b)) rendered.push({ where: t.where, what: `auto-linked ${b}` });
    }
    if (MESSAGE_METHODS.has(call.method) && Array.isArray(call.args.blocks)) {
      for (const p of blockKitProblems(call.args.blocks, typeof call.args.text === 'string' ? call.args.text : undefined))
        problems.push(`#${i} ${call.method}: ${p}`);
    }
    if (MESSAGE_METHODS.has(call.method) && typeof call.args.text === 'string' && call.args.text.length > FALLBACK_TEXT_MAX)
      problems.push(`#${i} ${call.method}: fallback text over ${FALLBACK_TEXT_MAX}`);
    if (VIEW_METHODS.has(call.method)) for (const p of viewProblems(call.args.view)) problems.push(`#${i} ${call.method}: ${p}`);
  });
  return { texts, rendered, limitProblems: problems };
}
