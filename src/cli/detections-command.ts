/** `aws-ir detections [--format markdown|json]`: the detection catalog the scan runs, as docs/detections.md shows it. */
import { DETECTIONS } from '../scan/detections/catalog';
import { catalogJson, catalogMarkdown } from '../scan/detections/render';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './command';

const USAGE = 'Usage: aws-ir detections [--format markdown|json]';

export async function run(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(USAGE);
    return EXIT_OK;
  }
  const i = argv.indexOf('--format');
  const format = i >= 0 ? argv[i + 1] : 'markdown';
  const unknown = argv.filter((_a, j) => i < 0 || (j !== i && j !== i + 1));
  if ((format !== 'markdown' && format !== 'json') || unknown.length) {
    io.err(`aws-ir detections: ${unknown.length ? `unknown argument ${unknown[0]}` : '--format must be markdown or json'}. ${USAGE}`);
    return EXIT_USAGE;
  }
  io.out(format === 'json' ? catalogJson(DETECTIONS) : catalogMarkdown(DETECTIONS));
  return EXIT_OK;
}
