// From decoded files to the Catalog: declared sources, per-entry rules, fan-out into PathSpecs
// (`<name>@<namespace>`, or `<name>@<source>` when listed sources share a namespace), controls.
import { linkControls, type ExpandedEntry } from './controls.js';
import { BUILTIN_DEFAULTS, mergeDns, mergeHttp, resolveFileDefaults } from './defaults.js';
import { joinYamlPath } from './locate.js';
import type { ParsedFile } from './parse-yaml.js';
import { where, type Problems } from './problems.js';
import { checkEntry } from './rules.js';
import { LIMITS, type RawFrom } from './schema.js';
import { SourceTable } from './sources.js';
import { destinationNamespace } from './target.js';
import type { Catalog, PathSpec } from './types.js';

/** Builds one catalog from structurally valid files; returns undefined when any rule failed. */
export function buildCatalog(files: ParsedFile[], problems: Problems): Catalog | undefined {
  const sources = new SourceTable(problems);
  for (const f of files) {
    for (const [name, raw] of Object.entries(f.raw?.sources ?? {})) sources.declare(name, raw, f.locator);
  }
  const names = new Map<string, string>();
  const expanded: ExpandedEntry[] = [];
  let total = 0;
  for (const f of files) {
    const raw = f.raw;
    if (!raw) continue;
    const loc = f.locator;
    const defaults = resolveFileDefaults(raw.defaults, loc, problems);
    for (const [index, entry] of raw.paths.entries()) {
      const base = joinYamlPath('paths', index);
      const namePath = joinYamlPath(base, 'name');
      const first = names.get(entry.name);
      if (first !== undefined) problems.error(loc, namePath, `path name "${entry.name}" is already used at ${first}`);
      else names.set(entry.name, where(loc, namePath));

      total += fanOutSize(entry.from);
      if (total > LIMITS.maxExpandedPaths) {
        problems.error(loc, joinYamlPath(base, 'from'), `the catalog expands to more than ${LIMITS.maxExpandedPaths} paths`);
        return undefined;
      }
      const checked = checkEntry(entry, base, defaults, loc, problems);
      const resolved = sources.resolve(entry.from, joinYamlPath(base, 'from'), loc);
      const target = checked.target;
      if (!target || resolved.length === 0) continue;
      const position = loc.valueAt(base);
      const specs = resolved.map(({ identity, suffix }): PathSpec => {
        const spec: PathSpec = {
          name: suffix === undefined ? entry.name : `${entry.name}@${suffix}`,
          baseName: entry.name,
          source: identity,
          check: entry.check,
          target: entry.to,
          host: target.host,
          port: target.port,
          toNamespace: destinationNamespace(target.host, identity.namespace),
          expect: entry.expect ?? BUILTIN_DEFAULTS.expect,
          intervalMs: checked.interval.ms,
          timeoutMs: checked.timeout.ms,
          severity: entry.severity ?? defaults.severity,
          location: { file: f.file, line: position.line, col: position.col },
        };
        if (target.url !== undefined) spec.url = target.url;
        const owner = entry.owner ?? defaults.owner;
        if (owner !== undefined) spec.owner = owner;
        const runbook = entry.runbook ?? defaults.runbook;
        if (runbook !== undefined) spec.runbook = runbook;
        if (entry.check === 'http') spec.http = structuredClone(mergeHttp(defaults.http, entry.http));
        if (entry.check === 'dns') spec.dns = structuredClone(mergeDns(defaults.dns, entry.dns));
        return spec;
      });
      expanded.push({ entry, base, loc, specs, fannedOut: resolved.some((r) => r.suffix !== undefined) });
    }
  }
  linkControls(expanded, problems);
  sources.warnUnused();
  if (problems.errors.length > 0) return undefined;
  return {
    sources: sources.all(),
    paths: expanded.flatMap((e) => e.specs),
    files: files.map((f) => f.file),
  };
}

/** How many paths an entry's `from` expands to (known before resolving it). */
function fanOutSize(from: RawFrom): number {
  if (typeof from === 'string') return 1;
  if (Array.isArray(from)) return from.length;
  return from.namespaces?.length ?? 1;
}
