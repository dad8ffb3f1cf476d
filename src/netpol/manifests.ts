// Reads Kubernetes manifests: files and directories (recursively), multi-document YAML or JSON,
// `kind: List` items, `-` for stdin. Syntax errors come back located; IO faults are thrown.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { PathprobeError } from '../errors.js';
import { readBoundedText } from '../catalog/load.js';
import type { SourceLocation } from '../catalog/types.js';
import { formatPath, isRecord, type KubeObject, type LocatedObject, type ManifestProblem } from './objects.js';

/** A manifest file or directory could not be read. */
export class ManifestReadError extends PathprobeError {
  constructor(message: string, hint: string, cause?: unknown) {
    super('PP_MANIFEST_IO', message, hint, { cause });
    this.name = 'ManifestReadError';
  }
}

/** Objects read, with the problems found and the files read. */
export interface ManifestReadResult {
  objects: LocatedObject[];
  problems: ManifestProblem[];
  files: string[];
  /** `kind: List` documents read (an empty one, `kubectl get netpol -A` of a cluster without any, holds no objects). */
  lists: number;
}

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
/** The yaml package's limit on nodes reached through aliases in one document (alias bombs). */
const MAX_ALIAS_COUNT = 100;

function locator(doc: Document, counter: LineCounter, file: string, prefix: (string | number)[]) {
  return (path: (string | number)[]): SourceLocation | undefined => {
    // Walk up until a node exists (the bad node may be absent, e.g. a missing field).
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn([...prefix, ...path.slice(0, n)], true) as { range?: [number, number, number] } | undefined;
      if (node?.range) {
        const pos = counter.linePos(node.range[0]);
        return { file, line: pos.line, col: pos.col };
      }
    }
    return undefined;
  };
}

/** Parses one manifest text (any number of documents). */
export function parseManifestText(text: string, file: string): { objects: LocatedObject[]; problems: ManifestProblem[]; lists: number } {
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: counter, prettyErrors: false });
  const objects: LocatedObject[] = [];
  let lists = 0;
  const problems: ManifestProblem[] = [];
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = counter.linePos(e.pos[0]);
        problems.push({ file, line: pos.line, col: pos.col, yamlPath: '', message: e.message.split('\n')[0] ?? 'YAML syntax error', severity: 'fatal' });
      }
      continue;
    }
    const whole = locator(doc, counter, file, []);
    const at = whole([]) ?? { file, line: 1, col: 1 };
    const js = manifestToJs(doc);
    if ('problem' in js) {
      problems.push({ ...at, yamlPath: '', message: js.problem, severity: 'fatal' });
      continue;
    }
    const value = js.value;
    if (value === null || value === undefined) continue;
    if (!isRecord(value)) {
      problems.push({ ...at, yamlPath: '', message: 'a manifest document must be a mapping (a Kubernetes object)', severity: 'warning' });
      continue;
    }
    if (typeof value.kind !== 'string' || typeof value.apiVersion !== 'string') {
      problems.push({ ...at, yamlPath: '', message: 'not a Kubernetes object (apiVersion and kind are required); ignored', severity: 'warning' });
      continue;
    }
    // `kind: List` (and FooList from `kubectl get -o yaml`) wraps objects in items.
    if (value.kind === 'List' || (value.kind.endsWith('List') && Array.isArray(value.items))) {
      lists++;
      if (!Array.isArray(value.items)) {
        problems.push({ ...at, yamlPath: 'items', message: 'a List needs items', severity: 'warning' });
        continue;
      }
      value.items.forEach((item: unknown, i: number) => {
        const locate = locator(doc, counter, file, ['items', i]);
        const loc = locate([]) ?? at;
        if (!isRecord(item) || typeof item.kind !== 'string') {
          problems.push({ ...loc, yamlPath: `items[${i}]`, message: 'a List item must be a Kubernetes object with a kind', severity: 'warning' });
          return;
        }
        objects.push({ object: item as KubeObject, location: loc, locate });
      });
      continue;
    }
    objects.push({ object: value as KubeObject, location: at, locate: whole });
  }
  return { objects, problems, lists };
}

/**
 * The manifest files (.yaml, .yml, .json) under `path`, in name order; `path` itself when it is a
 * file. Symlinks are followed, to directories too (a shared base linked into an overlay); a
 * directory reached again (a link loop) is read once. What cannot be read is `fail(message, hint,
 * cause)`: explain and render each throw their own error. (Shared with render/read-manifests.ts.)
 */
export async function listManifestFiles(path: string, fail: (message: string, hint: string, cause: unknown) => Error, seen = new Set<string>()): Promise<string[]> {
  const code = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? String(err);
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw fail(`cannot read ${path}: ${code(err)}`, 'check the --manifests path', err);
  }
  if (!info.isDirectory()) return [path];
  let entries;
  try {
    const real = await realpath(path);
    if (seen.has(real)) return [];
    seen.add(real);
    entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  } catch (err) {
    throw fail(`cannot read directory ${path}: ${code(err)}`, 'check the --manifests path', err);
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const child = join(path, e.name);
    // A symlink's own entry says neither directory nor file: ask what it points at.
    const isDirectory = e.isSymbolicLink() ? await stat(child).then((s) => s.isDirectory(), () => false) : e.isDirectory();
    if (isDirectory) out.push(...(await listManifestFiles(child, fail, seen)));
    else if (MANIFEST_EXTENSIONS.some((ext) => e.name.endsWith(ext))) out.push(child);
  }
  return out;
}

/**
 * A parsed YAML document as plain data, or why it cannot be: the yaml package throws a
 * ReferenceError for an alias whose anchor comes later or not at all, and when aliases expand past
 * MAX_ALIAS_COUNT nodes (an alias bomb). (Shared with render/read-manifests.ts.)
 */
export function manifestToJs(doc: Document): { value: unknown } | { problem: string } {
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    return { problem: /excessive alias count/i.test(err.message) ? `YAML aliases expand to too many nodes (over ${MAX_ALIAS_COUNT}); write the values out` : err.message };
  }
}

/** Bytes one manifest input (a file, or stdin) may hold: past it, reading stops with an error. */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/** The message for an input over MAX_MANIFEST_BYTES (shared with render/read-manifests.ts). */
export function tooLargeMessage(name: string): string {
  return `${name} holds more than ${MAX_MANIFEST_BYTES / (1024 * 1024)} MiB of manifests`;
}

function tooLarge(name: string): ManifestReadError {
  return new ManifestReadError(tooLargeMessage(name),
    'pass only the namespaces and kinds that matter: Namespaces, Pods or workloads, Services, NetworkPolicies');
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += bytes.length;
    // A string holds at most ~512 MiB: past that toString() throws, and YAML that large would
    // not parse in any useful time anyway.
    if (total > MAX_MANIFEST_BYTES) throw tooLarge('<stdin>');
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** Reads manifests from files, directories and `-` (stdin). Relative paths resolve against `cwd`. */
export async function readManifests(paths: readonly string[], io: { stdin: NodeJS.ReadableStream; cwd: string }): Promise<ManifestReadResult> {
  const result: ManifestReadResult = { objects: [], problems: [], files: [], lists: 0 };
  let stdinRead = false;
  for (const p of paths) {
    // resolve(cwd, '') is cwd itself: an unset shell variable would read the whole tree under it.
    if (p === '') throw new ManifestReadError('a --manifests path is empty', 'an unset shell variable? pass a file, a directory or -');
    if (p === '-') {
      if (stdinRead) continue;
      stdinRead = true;
      const parsed = parseManifestText(await readStream(io.stdin), '<stdin>');
      result.objects.push(...parsed.objects);
      result.lists += parsed.lists;
      result.problems.push(...parsed.problems);
      result.files.push('<stdin>');
      continue;
    }
    const files = await listManifestFiles(resolve(io.cwd, p), (message, hint, cause) => new ManifestReadError(message, hint, cause));
    for (const file of files) {
      let text: string | undefined;
      try {
        text = await readBoundedText(file, MAX_MANIFEST_BYTES);
      } catch (err) {
        throw new ManifestReadError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'check the file permissions', err);
      }
      if (text === undefined) throw tooLarge(file);
      const parsed = parseManifestText(text, file);
      result.objects.push(...parsed.objects);
      result.lists += parsed.lists;
      result.problems.push(...parsed.problems);
      result.files.push(file);
    }
  }
  return result;
}

/** Locates a model problem (path inside an object) for printing. */
export function locateProblem(obj: LocatedObject, path: (string | number)[], message: string, severity: ManifestProblem['severity']): ManifestProblem {
  const loc = obj.locate?.(path) ?? obj.location ?? { file: '<input>', line: 0, col: 0 };
  return { file: loc.file, line: loc.line, col: loc.col, yamlPath: formatPath(path), message, severity };
}
