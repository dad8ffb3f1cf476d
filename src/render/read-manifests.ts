// Reads Kubernetes YAML manifests (files or directories, multi-document, `kind: List` flattened)
// into plain objects that remember where they came from, for render's safety checks.
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { PathprobeError } from '../errors.js';
import { readBoundedText } from '../catalog/load.js';
import { MAX_MANIFEST_BYTES } from '../netpol/manifests.js';

/** One Kubernetes object from a manifest file. */
export interface ManifestObject {
  kind: string;
  name: string;
  /** `undefined` when the manifest leaves it to kustomize or `kubectl -n`. */
  namespace: string | undefined;
  body: Record<string, unknown>;
  /** `file:line` of the document, for messages. */
  origin: string;
}

/** A manifest that cannot be read or parsed. */
export class ManifestReadError extends PathprobeError {
  constructor(message: string, hint: string, cause?: unknown) {
    super('PP_MANIFEST_READ', message, hint, { cause });
    this.name = 'ManifestReadError';
  }
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** The yaml package's limit on nodes reached through aliases in one document (alias bombs). */
const MAX_ALIAS_COUNT = 100;

/**
 * The manifest files under `path`, in name order. Symlinks are followed, to directories too; a
 * directory reached again (a link loop) is read once.
 */
async function listFiles(path: string, seen = new Set<string>()): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new ManifestReadError(`cannot read ${path}: ${(err as Error).message}`, 'check the --manifests path', err);
  }
  if (!info.isDirectory()) return [path];
  const out: string[] = [];
  let entries;
  try {
    const real = await realpath(path);
    if (seen.has(real)) return [];
    seen.add(real);
    entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch (err) {
    throw new ManifestReadError(`cannot read directory ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'check the --manifests path', err);
  }
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = join(path, e.name);
    // A symlink's own entry says neither directory nor file: ask what it points at.
    const isDirectory = e.isSymbolicLink() ? await stat(full).then((s) => s.isDirectory(), () => false) : e.isDirectory();
    if (isDirectory) out.push(...(await listFiles(full, seen)));
    else if (MANIFEST_EXTENSIONS.has(extname(e.name))) out.push(full);
  }
  return out;
}

function toObjects(value: unknown, origin: string, out: ManifestObject[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const body = value as Record<string, unknown>;
  if (typeof body.kind === 'string' && body.kind.endsWith('List') && Array.isArray(body.items)) {
    for (const item of body.items) toObjects(item, origin, out);
    return;
  }
  const meta = (body.metadata ?? {}) as Record<string, unknown>;
  if (typeof body.kind !== 'string') return;
  out.push({
    kind: body.kind,
    name: typeof meta.name === 'string' ? meta.name : '',
    namespace: typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined,
    body,
    origin,
  });
}

/** Reads every manifest under `paths` (files, or directories walked for .yaml/.yml/.json). */
export async function readManifests(paths: string[]): Promise<ManifestObject[]> {
  const out: ManifestObject[] = [];
  for (const p of paths) {
    for (const file of await listFiles(p)) {
      let text: string | undefined;
      try {
        text = await readBoundedText(file, MAX_MANIFEST_BYTES);
      } catch (err) {
        // A symlink whose target is gone, a file without read permission, a directory named *.yaml.
        throw new ManifestReadError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'check the file, or leave it out of --manifests', err);
      }
      if (text === undefined) {
        throw new ManifestReadError(`${file} holds more than ${MAX_MANIFEST_BYTES / (1024 * 1024)} MiB of manifests`, 'pass only the namespaces of the catalog\'s sources');
      }
      for (const doc of parseAllDocuments(text)) {
        // A kustomization.yaml or Helm values file is not an object; toObjects skips it.
        if (doc.errors.length > 0) {
          const e = doc.errors[0]!;
          const line = e.linePos?.[0]?.line ?? 0;
          throw new ManifestReadError(`${file}:${line}: ${e.message}`, 'fix the YAML or leave the file out of --manifests');
        }
        const line = text.slice(0, doc.range[0]).split('\n').length;
        let value: unknown;
        try {
          value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
        } catch (err) {
          // The yaml package throws a ReferenceError for an alias without its anchor and for
          // aliases expanding past maxAliasCount (an alias bomb).
          if (!(err instanceof ReferenceError)) throw err;
          const why = /excessive alias count/i.test(err.message) ? `YAML aliases expand to too many nodes (over ${MAX_ALIAS_COUNT})` : err.message;
          throw new ManifestReadError(`${file}:${line}: ${why}`, 'fix the YAML or leave the file out of --manifests');
        }
        toObjects(value, `${file}:${line}`, out);
      }
    }
  }
  return out;
}
