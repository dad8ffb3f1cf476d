// Loads the catalog `explain` works from. INTERIM: a minimal reader of sources, paths, from
// (name, list, inline, fan-out), to, check, expect and dns.server until catalog/load.ts
// (`loadCatalogFiles`) lands on main; then this file becomes a call to it.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { CatalogLoadResult, CatalogProblem, CheckKind, PathSpec, SourceIdentity } from '../catalog/types.js';
import { PathprobeError } from '../errors.js';

/** The catalog could not be read at all. */
export class CatalogReadError extends PathprobeError {
  constructor(message: string, cause?: unknown) {
    super('PP_CATALOG_READ', message, 'check --catalog', { cause });
    this.name = 'CatalogReadError';
  }
}

/** Expands a directory into its *.yaml / *.yml files (not recursive), sorted. */
export async function catalogFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new CatalogReadError(`cannot read catalog ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, err);
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => /\.ya?ml$/.test(n)).sort();
  return names.map((n) => join(path, n));
}

function labelsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}

function hostPort(check: CheckKind, to: string): { host: string; port: number; url?: string } {
  if (check === 'http') {
    const u = new URL(to);
    return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80, url: to };
  }
  if (check === 'dns') return { host: to, port: 0 };
  const i = to.lastIndexOf(':');
  return { host: to.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(to.slice(i + 1)) };
}

function interimLoad(file: string, text: string, out: { sources: Record<string, SourceIdentity>; paths: PathSpec[]; errors: CatalogProblem[] }): void {
  const problem = (yamlPath: string, message: string) => out.errors.push({ file, line: 1, col: 1, yamlPath, message });
  let doc: Record<string, any> | null;
  try {
    doc = parse(text) as Record<string, any> | null;
  } catch (err) {
    problem('', (err as Error).message.split('\n')[0] ?? 'YAML syntax error');
    return;
  }
  if (!doc || doc.kind !== 'PathCatalog') {
    problem('', 'not a PathCatalog');
    return;
  }
  for (const [name, s] of Object.entries<any>(doc.sources ?? {})) {
    out.sources[name] = { name, namespace: String(s?.namespace ?? ''), labels: labelsOf(s?.labels) };
  }
  (doc.paths ?? []).forEach((p: any, i: number) => {
    const from = p?.from;
    const identities: SourceIdentity[] = [];
    const names = typeof from === 'string' ? [from] : Array.isArray(from) ? from : undefined;
    if (names) {
      for (const n of names) {
        const s = out.sources[String(n)];
        if (s) identities.push(s);
        else problem(`paths[${i}].from`, `unknown source "${String(n)}"`);
      }
    } else if (from && typeof from === 'object') {
      const labels = labelsOf(from.labels);
      for (const ns of (from.namespaces ?? [from.namespace]) as string[]) identities.push({ name: ns, namespace: ns, labels });
    }
    const check: CheckKind = p.check ?? 'tcp';
    let target: ReturnType<typeof hostPort>;
    try {
      target = hostPort(check, String(p.to));
    } catch {
      problem(`paths[${i}].to`, `cannot parse "${String(p.to)}"`);
      return;
    }
    const m = /^[a-z0-9-]+\.([a-z0-9-]+)(\.svc(\.|$)|$)/.exec(target.host);
    for (const source of identities) {
      const spec: PathSpec = {
        name: identities.length > 1 ? `${p.name}@${source.namespace}` : String(p.name), baseName: String(p.name), source, check,
        target: String(p.to), host: target.host, port: target.port, toNamespace: check === 'dns' ? '' : m?.[1] ?? '',
        expect: p.expect ?? 'reachable', intervalMs: 30_000, timeoutMs: 5_000, severity: p.severity ?? 'critical',
        location: { file, line: 1, col: 1 },
      };
      if (target.url) spec.url = target.url;
      if (check === 'dns') {
        const server = typeof p.dns?.server === 'string' ? p.dns.server : undefined;
        const j = server?.lastIndexOf(':') ?? -1;
        spec.dns = { type: 'A', transport: 'udp', ...(server ? { server: { host: j > 0 ? server.slice(0, j) : server, port: j > 0 ? Number(server.slice(j + 1)) : 53 } } : {}) };
      }
      out.paths.push(spec);
    }
  });
}

/** Loads catalog files (a directory expands to its YAML files). */
export async function loadExplainCatalog(paths: readonly string[]): Promise<CatalogLoadResult> {
  const out = { sources: {} as Record<string, SourceIdentity>, paths: [] as PathSpec[], errors: [] as CatalogProblem[] };
  const files: string[] = [];
  for (const p of paths) files.push(...(await catalogFiles(p)));
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new CatalogReadError(`cannot read catalog ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, err);
    }
    interimLoad(file, text, out);
  }
  if (out.errors.length > 0) return { errors: out.errors, warnings: [] };
  return { catalog: { sources: out.sources, paths: out.paths, files }, errors: [], warnings: [] };
}
