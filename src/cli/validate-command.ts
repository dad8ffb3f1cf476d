// `pathprobe validate PATH...`: loads each catalog (a file, or a directory of files merged) and
// prints every problem as file:line:col; exit 0 when all are valid, 1 otherwise.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { formatProblem, listCatalogFiles, loadCatalogFiles } from '../catalog/load.js';
import type { CatalogProblem } from '../catalog/types.js';
import type { Command, CommandIO } from './command.js';

const USAGE = `Usage: pathprobe validate [--output text|json] [--merge] PATH...

Checks path catalogs. Each PATH is one catalog: a file, or a directory whose *.yaml/*.yml
files are merged into one catalog. With --merge, all PATHs together form one catalog.

Prints one line per problem, file:line:col: message (at yaml.path), warnings marked
"warning:", then a summary. Exit status: 0 when every catalog is valid, 1 otherwise.

Options:
  -o, --output text|json   output format (default text)
      --merge              treat all PATHs as one catalog
  -h, --help               show this help`;

interface Outcome {
  files: string[];
  paths: number;
  errors: CatalogProblem[];
  warnings: CatalogProblem[];
}

/** The `validate` command. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'check catalogs and print file:line:col: message for every problem',
  usage: USAGE,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parse(args);
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const output = values.output ?? 'text';
    if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json, not "${output}"`);
    if (positionals.length === 0) throw new UsageError('validate needs at least one catalog PATH');

    const options = { cwd: io.cwd };
    // A file named twice (`validate a.yaml a.yaml`, or a directory and a file in it) is read once:
    // with --merge it would otherwise clash with itself ("path name ... is already used").
    const perPath: string[][] = [];
    const seen = new Set<string>();
    for (const p of positionals) {
      const files = (await listCatalogFiles([p], options)).filter((f) => {
        const key = resolve(io.cwd, f);
        return !seen.has(key) && seen.add(key);
      });
      if (files.length > 0) perPath.push(files);
    }
    const groups = values.merge ? [perPath.flat()] : perPath;
    const total: Outcome = { files: [], paths: 0, errors: [], warnings: [] };
    for (const files of groups) {
      const result = await loadCatalogFiles(files, options);
      total.files.push(...files);
      total.paths += result.catalog?.paths.length ?? 0;
      total.errors.push(...result.errors);
      total.warnings.push(...result.warnings);
    }

    const valid = total.errors.length === 0;
    if (output === 'json') {
      const { files, paths, errors, warnings } = total;
      io.stdout.write(`${JSON.stringify({ valid, files, paths, errors, warnings }, null, 2)}\n`);
    } else {
      io.stdout.write(renderText(total, valid));
    }
    return valid ? 0 : 1;
  },
};

function renderText(o: Outcome, valid: boolean): string {
  const fileOrder = new Map(o.files.map((f, i) => [f, i]));
  const lines = [
    ...o.errors.map((p) => ({ p, text: formatProblem(p) })),
    ...o.warnings.map((p) => ({ p, text: formatProblem({ ...p, message: `warning: ${p.message}` }) })),
  ].sort((a, b) => (fileOrder.get(a.p.file) ?? 0) - (fileOrder.get(b.p.file) ?? 0) || a.p.line - b.p.line || a.p.col - b.p.col);
  const files = plural(o.files.length, 'file');
  const warned = o.warnings.length > 0 ? `, ${plural(o.warnings.length, 'warning')}` : '';
  const summary = valid
    ? `${plural(o.paths, 'path')} in ${files}: valid${warned}`
    : `${plural(o.errors.length, 'error')} in ${files}: invalid${warned}`;
  return [...lines.map((l) => l.text), summary].join('\n') + '\n';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        output: { type: 'string', short: 'o' },
        merge: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message, 'run `pathprobe validate --help`');
  }
}
