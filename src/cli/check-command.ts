// `pathprobe check`: probes the catalog's paths once from here and prints a table or JSON.
import type { Catalog, CatalogLoadResult, CatalogProblem, PathSpec } from '../catalog/types.js';
import type { Prober } from '../probe/types.js';
import { CatalogInvalidError } from '../agent/agent.js';
import { probeOnce, type OnceResult } from '../agent/probe-once.js';
import { UsageError } from '../errors.js';
import type { Command } from './command.js';
import { parseCommandArgs, required } from './parse-command-args.js';
import { formatTable } from './text-table.js';
import { oneLine } from '../one-line.js';

const USAGE = `Usage: pathprobe check --catalog PATH [--source NAME] [--path NAME]... [--output text|json]

Probes every path of the catalog once, from this machine, and prints what happened.

Options:
  --catalog PATH     catalog file or directory (repeatable)
  --source NAME      only the paths of this source
  --path NAME        only this path (repeatable; a fanned-out entry's base name selects all of it)
  --output FORMAT    text (default) or json
  --concurrency N    probes at once (default 32)

A blocked path whose control path was probed too and failed is inconclusive, not up.
Exit status: 0 every path behaved as declared, 1 otherwise, 2 usage or catalog error.`;

/** What check needs from the catalog loader and the probers. */
export interface CheckDeps {
  loadCatalog: (paths: string[]) => Promise<CatalogLoadResult>;
  selectPaths: (catalog: Catalog, source: string) => PathSpec[];
  formatProblem: (problem: CatalogProblem) => string;
  prober: Prober;
}

/** The probe's detail; for an inconclusive path, why it is not counted as up first. */
function detailOf(r: OnceResult): string {
  if (r.state !== 'inconclusive') return r.outcome.detail;
  return `inconclusive: control path ${r.path.control ?? ''} is not up; ${r.outcome.detail}`;
}

/** The `check` JSON document (PRODUCT.md). */
export function checkJson(results: readonly OnceResult[]): string {
  return JSON.stringify({
    results: results.map((r) => ({
      path: r.path.name,
      source: r.path.source.name,
      check: r.path.check,
      target: r.path.target,
      expect: r.path.expect,
      result: r.outcome.result,
      up: r.up,
      durationSeconds: r.outcome.durationSeconds,
      phases: r.outcome.phases,
      detail: detailOf(r),
    })),
  }, null, 2) + '\n';
}

function formatDuration(seconds: number): string {
  return seconds < 1 ? `${(seconds * 1000).toFixed(seconds < 0.01 ? 1 : 0)}ms` : `${seconds.toFixed(2)}s`;
}

/** The `check` text table plus a summary line. */
export function checkText(results: readonly OnceResult[]): string {
  const rows = results.map((r) => [
    r.path.name, r.path.source.name, r.path.check, r.path.target, r.path.expect, r.outcome.result,
    r.state === 'inconclusive' ? 'inconclusive' : r.up ? 'yes' : 'NO',
    // The detail carries remote text (a DNS answer's names, a certificate's names in an error):
    // one line, control characters escaped, so a hostile answer cannot forge lines of the table
    // (or GitHub workflow commands in a CI log) or drive the terminal.
    formatDuration(r.outcome.durationSeconds), oneLine(detailOf(r)),
  ]);
  const table = formatTable(['PATH', 'SOURCE', 'CHECK', 'TARGET', 'EXPECT', 'RESULT', 'UP', 'DURATION', 'DETAIL'], rows);
  const up = results.filter((r) => r.up).length;
  const inconclusive = results.filter((r) => r.state === 'inconclusive').length;
  const summary = `${up} of ${results.length} paths behaved as declared` +
    (results.length - up > 0 ? `; ${results.length - up - inconclusive} failing, ${inconclusive} inconclusive` : '');
  return `${table}\n${summary}\n`;
}

/** Picks `--path` names: a full name, or a base name selecting every fanned-out path of it. */
function pickPaths(paths: PathSpec[], names: string[]): PathSpec[] {
  for (const name of names) {
    if (!paths.some((p) => p.name === name || p.baseName === name)) {
      const known = paths.slice(0, 8).map((p) => p.name).join(', ');
      throw new UsageError(`check: no path named "${name}"`, paths.length ? `paths include: ${known}${paths.length > 8 ? ', ...' : ''}` : 'the selection has no paths');
    }
  }
  return paths.filter((p) => names.includes(p.name) || names.includes(p.baseName));
}

/** Builds the check command over its dependencies. */
export function createCheckCommand(loadDeps: () => Promise<CheckDeps>): Command {
  return {
    name: 'check',
    stopsOnSignal: true,
    summary: 'probe every path once from here and print a table or JSON (exit 1 when any fails)',
    usage: USAGE,
    async run(args, io) {
      const { values } = parseCommandArgs('check', args, {
        catalog: { type: 'string', multiple: true },
        source: { type: 'string' },
        path: { type: 'string', multiple: true },
        output: { type: 'string', default: 'text' },
        concurrency: { type: 'string', default: '32' },
      });
      const catalogPaths = required('check', 'catalog', values.catalog);
      if (values.output !== 'text' && values.output !== 'json') throw new UsageError(`check: --output must be text or json, not "${values.output}"`);
      const concurrency = Number(values.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`check: --concurrency must be a positive integer`);
      const deps = await loadDeps();
      const loaded = await deps.loadCatalog(catalogPaths);
      if (!loaded.catalog || loaded.errors.length > 0) throw new CatalogInvalidError(loaded.errors.map(deps.formatProblem));
      for (const warning of loaded.warnings) io.stderr.write(`warning: ${deps.formatProblem(warning)}\n`);
      let paths = values.source === undefined ? loaded.catalog.paths : deps.selectPaths(loaded.catalog, values.source);
      if (values.source !== undefined && paths.length === 0) {
        // Nothing checked must not read as "every path behaves": a CI step with a misspelt source passed.
        const sources = [...new Set(loaded.catalog.paths.map((p) => p.source.name))].sort();
        throw new UsageError(`check: source "${oneLine(values.source)}" has no paths`, sources.length ? `sources with paths: ${sources.slice(0, 8).join(', ')}${sources.length > 8 ? ', ...' : ''}` : 'the catalog has no paths');
      }
      if (values.path) paths = pickPaths(paths, values.path);
      // A probe that returns after the stop signal was cut short by it: its class (a timeout, most
      // often) says nothing about the path, and for a blocked path it would even read as "up".
      const cut = new Set<PathSpec>();
      const prober: CheckDeps['prober'] = async (path, context) => {
        const outcome = await deps.prober(path, context);
        if (io.stopSignal.aborted) cut.add(path);
        return outcome;
      };
      let results = await probeOnce(paths, prober, { concurrency, signal: io.stopSignal });
      if (cut.size > 0) {
        const reason = io.stopSignal.reason instanceof Error ? io.stopSignal.reason.message : 'a signal';
        results = results.map((r) => (cut.has(r.path)
          ? { ...r, up: false, state: 'down' as const, outcome: { ...r.outcome, detail: `stopped by ${reason} before the probe finished, not a result: ${r.outcome.detail}` } }
          : r));
        io.stderr.write(`check: stopped by ${reason}: ${cut.size} of ${results.length} probes were cut short; their rows are not results\n`);
      }
      io.stdout.write(values.output === 'json' ? checkJson(results) : checkText(results));
      return results.every((r) => r.up) ? 0 : 1;
    },
  };
}
