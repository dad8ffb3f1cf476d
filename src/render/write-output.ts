// Writes render's files into `--out DIR` and removes generated files a new render no longer
// produces (a source that lost its paths), never a file pathprobe did not generate.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PathprobeError } from '../errors.js';
import { GENERATED_HEADER, type RenderedFile } from './manifest-yaml.js';

/** What writing changed, for the command's summary. */
export interface WriteSummary {
  written: string[];
  removed: string[];
}

/**
 * Writes `files` into `dir` (created if missing) and deletes stale generated .yaml files there.
 * A file system error (the directory is a file, not writable, …) is a PathprobeError naming it.
 */
export async function writeRenderedFiles(dir: string, files: RenderedFile[]): Promise<WriteSummary> {
  try {
    return await writeInto(dir, files);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (typeof e.code !== 'string' || e.syscall === undefined) throw error;
    throw new PathprobeError('PP_RENDER_OUT', `cannot write --out ${dir}: ${e.code} (${e.syscall}${e.path ? ` ${e.path}` : ''})`,
      'give --out a directory pathprobe may create and write (or leave it out for stdout)', { cause: error });
  }
}

async function writeInto(dir: string, files: RenderedFile[]): Promise<WriteSummary> {
  await mkdir(dir, { recursive: true });
  const wanted = new Set(files.map((f) => f.name));
  const removed: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.yaml') || wanted.has(entry.name)) continue;
    const full = join(dir, entry.name);
    const head = (await readFile(full, 'utf8')).slice(0, GENERATED_HEADER.length);
    if (head === GENERATED_HEADER) {
      await rm(full);
      removed.push(entry.name);
    }
  }
  for (const f of files) await writeFile(join(dir, f.name), f.content);
  return { written: files.map((f) => f.name), removed: removed.sort() };
}
