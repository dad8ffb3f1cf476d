// Reads Kubernetes YAML manifests (files or directories, multi-document, `kind: List` flattened)
// into plain objects that remember where they came from, for render's safety checks.
import { parseAllDocuments } from 'yaml';
import { PathprobeError } from '../errors.js';
import { readBoundedText } from '../catalog/load.js';
import { listManifestFiles, manifestToJs, MAX_MANIFEST_BYTES, tooLargeMessage } from '../netpol/manifests.js';

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
    for (const file of await listManifestFiles(p, (message, hint, cause) => new ManifestReadError(message, hint, cause))) {
      let text: string | undefined;
      try {
        text = await readBoundedText(file, MAX_MANIFEST_BYTES);
      } catch (err) {
        // A symlink whose target is gone, a file without read permission, a directory named *.yaml.
        throw new ManifestReadError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'check the file, or leave it out of --manifests', err);
      }
      if (text === undefined) {
        throw new ManifestReadError(tooLargeMessage(file), 'pass only the namespaces of the catalog\'s sources');
      }
      for (const doc of parseAllDocuments(text)) {
        // A kustomization.yaml or Helm values file is not an object; toObjects skips it.
        if (doc.errors.length > 0) {
          const e = doc.errors[0]!;
          const line = e.linePos?.[0]?.line ?? 0;
          throw new ManifestReadError(`${file}:${line}: ${e.message}`, 'fix the YAML or leave the file out of --manifests');
        }
        const line = text.slice(0, doc.range[0]).split('\n').length;
        const js = manifestToJs(doc);
        if ('problem' in js) throw new ManifestReadError(`${file}:${line}: ${js.problem}`, 'fix the YAML or leave the file out of --manifests');
        toObjects(js.value, `${file}:${line}`, out);
      }
    }
  }
  return out;
}
