/** `aws-ir detections [--format markdown|json]`: the detection catalog the scan runs, as docs/detections.md shows it. */
import { parseFlags, UsageError } from '../args/flags';
import { parseChoice } from '../args/values';
import { DETECTIONS } from '../scan/detections/catalog';
import { catalogJson, catalogMarkdown } from '../scan/detections/render';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './command';

const USAGE = 'Usage: aws-ir detections [--format markdown|json]';
const FLAGS = { format: 'string', help: 'boolean' } as const;

interface DetectionsArgs {
  format: 'markdown' | 'json';
  help: boolean;
}

export function parseDetectionsArgs(argv: string[]): DetectionsArgs {
  const { flags } = parseFlags(argv, FLAGS, { short: { h: 'help' } });
  return { format: parseChoice('format', flags.format, ['markdown', 'json'], 'markdown'), help: flags.help === true };
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  let args: DetectionsArgs;
  try {
    args = parseDetectionsArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`aws-ir detections: ${err.message} ${USAGE}`);
    return EXIT_USAGE;
  }
  if (args.help) {
    io.out(USAGE);
    return EXIT_OK;
  }
  io.out(args.format === 'json' ? catalogJson(DETECTIONS) : catalogMarkdown(DETECTIONS));
  return EXIT_OK;
}
