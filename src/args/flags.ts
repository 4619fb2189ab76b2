/**
 * The one flag parser behind `/aws-ir …` in Slack and `aws-ir …` on the command line: Node's
 * `util.parseArgs`, with the two things it does not do for us. Slack's clients turn "--" into an en
 * or em dash and quotes into curly quotes when a user types fast, so slash-command text is normalised
 * first (`tokenize`); and its errors are rewritten as one plain sentence (UsageError).
 */
import { parseArgs } from 'node:util';
import { ECHO_MAX_CHARS } from '../limits';

export class UsageError extends Error {
  readonly code = 'aws_ir_usage';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A piece of what the user typed, as it is echoed back in an error: short, so a pasted log line does
 * not come back as a wall of text. (Slack replies escape the whole sentence.)
 */
export function quoted(token: string): string {
  const cut = token.length <= ECHO_MAX_CHARS ? token : `${token.slice(0, ECHO_MAX_CHARS - 1)}…`;
  return `"${cut}"`;
}

/** Slash-command text -> words, with Slack's typographic dashes and quotes undone. */
export function tokenize(text: string): string[] {
  return text
    .replace(/[\u2014\u2013]/g, '--')
    .replace(/[\u201c\u201d\u2018\u2019]/g, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
}

export type FlagKind = 'string' | 'boolean';
export type FlagSpec = Readonly<Record<string, FlagKind>>;
export type FlagValues<S extends FlagSpec> = { [K in keyof S]?: S[K] extends 'string' ? string : boolean };

export interface ParsedFlags<S extends FlagSpec> {
  flags: FlagValues<S>;
  positionals: string[];
}

export interface ParseOptions {
  /** How many positional words the command takes; extra ones are a usage error. Default 0. */
  maxPositionals?: number;
  /** Single-letter aliases, e.g. { h: 'help' }. */
  short?: Readonly<Record<string, string>>;
}

const NAME = /^--([A-Za-z][\w-]*)(=.*)?$/s;

/**
 * Flag names are case-insensitive (`--DAYS 3` works in Slack), and a value that starts with a single
 * dash (`--days -3`) is a value to validate, not a missing one.
 */
function normalise(tokens: readonly string[], spec: FlagSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const m = NAME.exec(token);
    if (!m) {
      out.push(token);
      continue;
    }
    const name = m[1]!.toLowerCase();
    const next = tokens[i + 1];
    if (m[2] === undefined && spec[name] === 'string' && next !== undefined && /^-(?!-)/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(`--${name}${m[2] ?? ''}`);
  }
  return out;
}

function optionName(message: string): string | undefined {
  return /'(?:-\w, )?(--?[\w-]+)/.exec(message)?.[1];
}

export function parseFlags<S extends FlagSpec>(tokens: readonly string[], spec: S, options: ParseOptions = {}): ParsedFlags<S> {
  const parseOptions: Record<string, { type: FlagKind; multiple: true; short?: string }> = {};
  for (const [name, type] of Object.entries(spec)) parseOptions[name] = { type, multiple: true };
  for (const [letter, name] of Object.entries(options.short ?? {})) {
    const option = parseOptions[name];
    if (option) option.short = letter;
  }
  let parsed: { values: Record<string, (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: normalise(tokens, spec), options: parseOptions, strict: true, allowPositionals: true });
  } catch (err) {
    // parseArgs' errors come from Node's own realm (instanceof Error fails under jest): narrowed by shape.
    const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
    const message = typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string' ? err.message : '';
    const name = optionName(message) ?? 'an option';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`Unknown option ${quoted(name)}.`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const long = name.startsWith('--') ? name : `--${options.short?.[name.slice(1)] ?? name.slice(1)}`;
      throw new UsageError(spec[long.slice(2)] === 'boolean' ? `${long} takes no value.` : `${long} needs a value.`);
    }
    throw err;
  }
  const flags: Record<string, string | boolean> = {};
  for (const [name, values] of Object.entries(parsed.values)) {
    if (!values?.length) continue;
    if (values.length > 1) throw new UsageError(`--${name} is given twice.`);
    const value = values[0]!;
    if (value === '') throw new UsageError(`--${name} needs a value.`);
    flags[name] = value;
  }
  const max = options.maxPositionals ?? 0;
  if (parsed.positionals.length > max) throw new UsageError(`Unexpected ${quoted(parsed.positionals[max]!)}.`);
  return { flags: flags as FlagValues<S>, positionals: parsed.positionals };
}
