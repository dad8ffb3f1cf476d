// Reads the catalog render works from: its text (embedded verbatim in the ConfigMaps) and the
// loaded Catalog. INTERIM: a minimal reader of `sources`/`paths[].from` until catalog/load.ts lands.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { Catalog, CatalogProblem, PathSpec, SourceIdentity } from '../catalog/types.js';
import { PathprobeError } from '../errors.js';

/** The catalog as render needs it. */
export interface CatalogInput {
  text: string;
  catalog?: Catalog;
  errors: CatalogProblem[];
}

function problem(file: string, yamlPath: string, message: string): CatalogProblem {
  return { file, line: 1, col: 1, yamlPath, message };
}

function labelsOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out[k] = String(v);
  return out;
}

// Interim: just enough to know which agents exist. The real loader validates everything.
function interimLoad(file: string, text: string): { catalog?: Catalog; errors: CatalogProblem[] } {
  const doc = parse(text) as Record<string, any> | null;
  if (!doc || doc.kind !== 'PathCatalog') return { errors: [problem(file, '', 'not a PathCatalog')] };
  const sources: Record<string, SourceIdentity> = {};
  for (const [name, s] of Object.entries<any>(doc.sources ?? {})) {
    sources[name] = { name, namespace: String(s?.namespace ?? ''), labels: labelsOf(s?.labels) };
  }
  const errors: CatalogProblem[] = [];
  const paths: PathSpec[] = [];
  (doc.paths ?? []).forEach((p: any, i: number) => {
    const from = p?.from;
    const identities: SourceIdentity[] = [];
    const names = typeof from === 'string' ? [from] : Array.isArray(from) ? from : undefined;
    if (names) {
      for (const n of names) {
        const s = sources[String(n)];
        if (s) identities.push(s);
        else errors.push(problem(file, `paths[${i}].from`, `unknown source "${String(n)}"`));
      }
    } else if (from && typeof from === 'object') {
      const labels = labelsOf(from.labels);
      const nss: string[] = from.namespaces ?? [from.namespace];
      for (const ns of nss) {
        const suffix = Object.values(labels).sort().join('-').replace(/[^a-z0-9-]/g, '-');
        identities.push({ name: suffix ? `${ns}-${suffix}` : ns, namespace: ns, labels });
      }
    }
    for (const source of identities) {
      const name = identities.length > 1 ? `${p.name}@${source.namespace}` : String(p.name);
      paths.push({
        name, baseName: String(p.name), source, check: p.check, target: String(p.to), host: '', port: 0,
        toNamespace: '', expect: p.expect ?? 'reachable', intervalMs: 30_000, timeoutMs: 5_000,
        severity: p.severity ?? 'critical', location: { file, line: 1, col: 1 },
      });
    }
  });
  return errors.length > 0 ? { errors } : { catalog: { sources, paths, files: [file] }, errors };
}

/** Reads and loads one catalog file. Throws only when the file cannot be read. */
export async function readCatalogInput(file: string): Promise<CatalogInput> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new PathprobeError('PP_CATALOG_READ', `cannot read catalog ${file}: ${(err as Error).message}`, 'check --catalog', { cause: err });
  }
  return { text, ...interimLoad(file, text) };
}
