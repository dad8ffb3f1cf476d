// Control links: a blocked path names a reachable path to the same destination, so a dead
// destination reads as inconclusive, not as isolated. Resolves names across fan-out.
import { joinYamlPath, type Locator } from './locate.js';
import type { Problems } from './problems.js';
import type { RawPathEntry } from './schema.js';
import type { PathSpec } from './types.js';

/** One catalog entry with the paths it expanded to. */
export interface ExpandedEntry {
  entry: RawPathEntry;
  /** YAML path of the entry, e.g. `paths[3]`. */
  base: string;
  loc: Locator;
  specs: PathSpec[];
  fannedOut: boolean;
}

/**
 * Sets `control` on every blocked path that names one. The name may be an expanded path
 * (`dns@team-a`) or an entry; a fanned-out entry links each expansion to the control's
 * expansion from the same source, else from the same namespace.
 */
export function linkControls(entries: ExpandedEntry[], problems: Problems): void {
  const byName = new Map<string, PathSpec>();
  const byBase = new Map<string, ExpandedEntry>();
  for (const e of entries) {
    byBase.set(e.entry.name, e);
    for (const spec of e.specs) byName.set(spec.name, spec);
  }
  for (const e of entries) {
    const { entry, loc } = e;
    const at = joinYamlPath(e.base, 'control');
    if (entry.expect !== 'blocked') continue;
    if (entry.control === undefined) {
      problems.warn(
        loc,
        joinYamlPath(e.base, 'expect'),
        'expect: blocked without a control: if the destination is down this path still looks blocked; name a reachable path to it as control',
      );
      continue;
    }
    const name = entry.control;
    for (const spec of e.specs) {
      const control = byName.get(name) ?? pickExpansion(byBase.get(name), spec, name, loc, at, problems);
      if (!control) continue;
      if (control.expect !== 'reachable') {
        problems.error(loc, at, `control "${name}" must be a reachable path, but it is expect: blocked`);
        continue;
      }
      spec.control = control.name;
      if (spec.check !== 'dns' && control.check !== 'dns' && !sameDestination(spec, control)) {
        problems.warn(
          loc,
          at,
          `control "${control.name}" probes ${destination(control)}, not this path's destination ${destination(spec)}`,
        );
      }
    }
  }
}

function pickExpansion(
  group: ExpandedEntry | undefined,
  spec: PathSpec,
  name: string,
  loc: Locator,
  at: string,
  problems: Problems,
): PathSpec | undefined {
  if (!group) {
    problems.error(loc, at, `control "${name}" names no path in the catalog`);
    return undefined;
  }
  const sameSource = group.specs.find((c) => c.source.name === spec.source.name);
  if (sameSource) return sameSource;
  const sameNamespace = group.specs.filter((c) => c.source.namespace === spec.source.namespace);
  if (sameNamespace.length === 1) return sameNamespace[0];
  const examples = group.specs.slice(0, 3).map((c) => `"${c.name}"`).join(', ');
  problems.error(
    loc,
    at,
    sameNamespace.length === 0
      ? `control "${name}" is fanned out but has no path from namespace "${spec.source.namespace}"; name one of its paths, e.g. ${examples}`
      : `control "${name}" has several paths from namespace "${spec.source.namespace}"; name one of them, e.g. ${examples}`,
  );
  return undefined;
}

function sameDestination(a: PathSpec, b: PathSpec): boolean {
  // `db.prod.svc.cluster.local` and `db.prod` name one Service: compare Service and namespace.
  const key = (p: PathSpec) => {
    const host = p.host.toLowerCase().replace(/\.$/, '');
    return p.toNamespace ? `${host.split('.')[0]}.${p.toNamespace}` : host;
  };
  return key(a) === key(b) && a.port === b.port;
}

function destination(p: PathSpec): string {
  return p.host.includes(':') ? `[${p.host}]:${p.port}` : `${p.host}:${p.port}`;
}
