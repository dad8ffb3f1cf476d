// The catalog loader's public API: text or files (and directories) in, a Catalog or located
// problems out. IO faults (a missing file) are thrown as CatalogReadError; mistakes are data.
import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PathprobeError } from '../errors.js';
import { oneLine } from '../one-line.js';
import { buildCatalog } from './expand.js';
import { parseCatalogFile, tooLargeFile, type ParsedFile } from './parse-yaml.js';
import { Problems } from './problems.js';
import { LIMITS } from './schema.js';
import type { CatalogLoadResult, CatalogProblem } from './types.js';

export { filterBySource, UnknownSourceError } from './filter.js';

/** A catalog file or directory could not be read (missing, unreadable, empty directory). */
export class CatalogReadError extends PathprobeError {
  constructor(message: string, hint: string, cause?: unknown) {
    super('PP_CATALOG_READ', message, hint, cause === undefined ? undefined : { cause });
    this.name = 'CatalogReadError';
  }
}

/** Loads one catalog from text; `file` names it in problems. Never throws for user mistakes. */
export function loadCatalogText(text: string, file: string): CatalogLoadResult {
  return loadParsed([parseCatalogFile(text, file)]);
}

/** Options of loadCatalogFiles. */
export interface LoadOptions {
  /** Directory relative paths are read from (default: the process's cwd). Names stay as given. */
  cwd?: string;
}

/**
 * Loads the files and directories given as ONE catalog (names unique across all files; a source
 * declared in one file is usable in another). A directory contributes its `*.yaml`/`*.yml` files
 * (not recursive, dot-files skipped, sorted by name; symlinks followed, as in a ConfigMap mount).
 * Problems name files as given (`dir/x.yaml` for a directory `dir`).
 * Throws CatalogReadError when a path cannot be read or a directory holds no catalog files.
 */
export async function loadCatalogFiles(paths: string[], options: LoadOptions = {}): Promise<CatalogLoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const files = await listCatalogFiles(paths, options);
  const parsed: ParsedFile[] = [];
  for (const file of files) {
    let text: string | undefined;
    try {
      text = await readBoundedText(resolve(cwd, file), LIMITS.maxFileBytes);
    } catch (e) {
      throw new CatalogReadError(`cannot read catalog file ${file}: ${(e as Error).message}`, 'check the path and its permissions', e);
    }
    parsed.push(text === undefined ? tooLargeFile(file) : parseCatalogFile(text, file));
  }
  return loadParsed(parsed);
}

/**
 * The text of `path`, read up to `limit` bytes; undefined when it holds more. The size from
 * stat() is not enough: a pipe (`validate <(kustomize ...)`, /dev/stdin) or a device reports 0
 * and would be read to its end, however far that is.
 */
export async function readBoundedText(path: string, limit: number): Promise<string | undefined> {
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(256 * 1024, limit + 1 - total);
      const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(want), 0, want, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) return undefined;
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The catalog files a list of paths stands for, in load order, named as given. */
export async function listCatalogFiles(paths: string[], options: LoadOptions = {}): Promise<string[]> {
  const cwd = options.cwd ?? process.cwd();
  if (paths.length === 0) throw new CatalogReadError('no catalog path given', 'pass a catalog file or directory');
  const out: string[] = [];
  for (const p of paths) {
    // resolve(cwd, '') is cwd itself: an unset shell variable would load whatever lies there.
    if (p === '') throw new CatalogReadError('a catalog path is empty', 'an unset shell variable? pass a catalog file or directory');
    let info;
    try {
      info = await stat(resolve(cwd, p));
    } catch (e) {
      throw new CatalogReadError(`cannot read catalog ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'check the path', e);
    }
    if (!info.isDirectory()) {
      out.push(p);
      continue;
    }
    let entries: string[];
    try {
      entries = await readdir(resolve(cwd, p));
    } catch (e) {
      throw new CatalogReadError(`cannot read catalog directory ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'check the directory and its permissions', e);
    }
    const names = entries.filter((n) => !n.startsWith('.') && /\.ya?ml$/.test(n)).sort();
    const files: string[] = [];
    for (const n of names) {
      const full = join(p, n);
      let entry;
      try {
        entry = await stat(resolve(cwd, full));
      } catch (e) {
        // A symlink whose target is gone (or a file removed meanwhile) is a fault of the catalog,
        // like a missing file given by name; skipping it would load a catalog without it.
        throw new CatalogReadError(`cannot read catalog file ${full}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'a symlink whose target is missing? check the directory', e);
      }
      if (entry.isFile()) files.push(full);
    }
    if (files.length === 0) {
      throw new CatalogReadError(`directory ${p} holds no *.yaml or *.yml catalog files`, 'point at a catalog file or a directory of them');
    }
    out.push(...files);
  }
  return [...new Set(out)];
}

/**
 * `file:line:col: message (at yamlPath)`; the YAML path is left out when it is the root. One line:
 * catalog text quoted in the message (a key "x\n::error::...") has its control characters escaped.
 */
export function formatProblem(p: CatalogProblem): string {
  return oneLine(`${p.file}:${p.line}:${p.col}: ${p.message}${p.yamlPath === '' ? '' : ` (at ${p.yamlPath})`}`);
}

function loadParsed(files: ParsedFile[]): CatalogLoadResult {
  const structural = files.flatMap((f) => f.errors);
  const warnings = files.flatMap((f) => f.warnings);
  if (structural.length > 0) return { errors: sortProblems(structural), warnings: sortProblems(warnings) };
  const problems = new Problems();
  const catalog = buildCatalog(files, problems);
  const result: CatalogLoadResult = {
    errors: sortProblems(problems.errors),
    warnings: sortProblems([...warnings, ...problems.warnings]),
  };
  if (catalog && result.errors.length === 0) result.catalog = catalog;
  return result;
}

/** Sorted by file then position, and bounded: past LIMITS.maxProblems one line counts the rest. */
function sortProblems(list: CatalogProblem[]): CatalogProblem[] {
  const order = new Map<string, number>();
  for (const p of list) if (!order.has(p.file)) order.set(p.file, order.size);
  const sorted = [...list].sort(
    (a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line || a.col - b.col,
  );
  if (sorted.length <= LIMITS.maxProblems) return sorted;
  const shown = sorted.slice(0, LIMITS.maxProblems);
  const last = shown.at(-1) as CatalogProblem;
  const message = `${sorted.length - shown.length} more problems not shown; fix these first`;
  return [...shown, { file: last.file, line: last.line, col: last.col, yamlPath: '', message }];
}
