// Agent identities: declared `sources:` (merged across files), inline `from:` identities with a
// derived deterministic name, and the resolution of a path's `from` into one or more sources.
import { createHash } from 'node:crypto';
import { checkLabelKey, checkLabelValue, clip } from './k8s-names.js';
import { joinYamlPath, type Locator } from './locate.js';
import { where, type Problems } from './problems.js';
import type { RawFrom, RawSource } from './schema.js';
import type { SourceIdentity } from './types.js';

/** One source a path entry resolves to; `suffix` is set for fanned-out entries. */
export interface ResolvedSource {
  identity: SourceIdentity;
  suffix?: string;
}

interface Entry {
  identity: SourceIdentity;
  declared: boolean;
  /** Where it was declared or first derived, for collision messages. */
  at: string;
  used: boolean;
  locator: Locator;
  path: string;
}

/** Every source of one catalog: declared ones first, then those derived from inline `from`. */
export class SourceTable {
  private readonly byName = new Map<string, Entry>();

  constructor(private readonly problems: Problems) {}

  /** Declares `sources.<name>` of one file; a name declared twice must mean the same identity. */
  declare(name: string, raw: RawSource, loc: Locator): void {
    const path = joinYamlPath('sources', name);
    const labels = checkLabels(raw.labels ?? {}, joinYamlPath(path, 'labels'), loc, this.problems);
    const identity: SourceIdentity = { name, namespace: raw.namespace, labels };
    const existing = this.byName.get(name);
    if (existing) {
      if (!sameIdentity(existing.identity, identity)) {
        this.problems.error(loc, path, `source "${name}" is already declared at ${existing.at} with a different identity`, 'key');
      }
      return;
    }
    this.byName.set(name, { identity, declared: true, at: where(loc, path, 'key'), used: false, locator: loc, path });
  }

  /** Resolves a path entry's `from` into its sources (one, or several for a fan-out). */
  resolve(from: RawFrom, fromPath: string, loc: Locator): ResolvedSource[] {
    if (typeof from === 'string') {
      const entry = this.lookup(from, fromPath, loc);
      return entry ? [{ identity: entry.identity }] : [];
    }
    if (Array.isArray(from)) {
      const entries = from.map((name, i) => this.lookup(name, joinYamlPath(fromPath, i), loc));
      const found = entries.filter((e): e is Entry => e !== undefined);
      if (found.length !== entries.length) return [];
      const namespaces = new Set(found.map((e) => e.identity.namespace));
      // Two sources in one namespace would give two `<name>@<namespace>`: use the source names.
      const bySource = namespaces.size !== found.length;
      return found.map((e) => ({ identity: e.identity, suffix: bySource ? e.identity.name : e.identity.namespace }));
    }
    const labels = checkLabels(from.labels ?? {}, joinYamlPath(fromPath, 'labels'), loc, this.problems);
    if (from.namespace !== undefined && from.namespaces !== undefined) {
      this.problems.error(loc, joinYamlPath(fromPath, 'namespaces'), 'from takes "namespace" or "namespaces", not both', 'key');
      return [];
    }
    if (from.namespace !== undefined) {
      const identity = this.derive(from.namespace, labels, fromPath, loc);
      return identity ? [{ identity }] : [];
    }
    if (from.namespaces !== undefined) {
      const out: ResolvedSource[] = [];
      for (const ns of from.namespaces) {
        const identity = this.derive(ns, labels, fromPath, loc);
        if (identity) out.push({ identity, suffix: ns });
      }
      return out.length === from.namespaces.length ? out : [];
    }
    this.problems.error(loc, fromPath, 'from needs "namespace" (one source) or "namespaces" (fan-out)');
    return [];
  }

  /** Every source, declared or derived, by name. */
  all(): Record<string, SourceIdentity> {
    return Object.fromEntries([...this.byName].map(([name, e]) => [name, e.identity]));
  }

  /** Warns about declared sources no path uses. */
  warnUnused(): void {
    for (const [name, e] of this.byName) {
      if (e.declared && !e.used) this.problems.warn(e.locator, e.path, `source "${name}" is declared but no path uses it`, 'key');
    }
  }

  private lookup(name: string, path: string, loc: Locator): Entry | undefined {
    const entry = this.byName.get(name);
    if (entry?.declared) {
      entry.used = true;
      return entry;
    }
    const known = [...this.byName].filter(([, e]) => e.declared).map(([n]) => n);
    const list = known.length === 0 ? 'no sources are declared' : `declared: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}`;
    this.problems.error(loc, path, `unknown source "${clip(name)}" (${list})`);
    return undefined;
  }

  /** The identity of an inline source, registered under its derived name. */
  private derive(namespace: string, labels: Record<string, string>, fromPath: string, loc: Locator): SourceIdentity | undefined {
    const name = deriveSourceName(namespace, labels);
    const identity: SourceIdentity = { name, namespace, labels };
    const existing = this.byName.get(name);
    if (!existing) {
      this.byName.set(name, { identity, declared: false, at: where(loc, fromPath), used: true, locator: loc, path: fromPath });
      return identity;
    }
    if (sameIdentity(existing.identity, identity)) {
      existing.used = true;
      return existing.identity;
    }
    const what = existing.declared ? 'a declared source' : 'another inline source';
    this.problems.error(
      loc,
      fromPath,
      `inline source derives the name "${name}", which ${what} at ${existing.at} uses for a different identity; declare this source under sources: and name it`,
    );
    return undefined;
  }
}

/**
 * The deterministic name of an inline source: `<namespace>` without labels,
 * `<namespace>-<app.kubernetes.io/name or app>` when one is set, else `<namespace>-<hash8>`;
 * anything over 63 characters is cut and ends in the hash.
 */
export function deriveSourceName(namespace: string, labels: Record<string, string>): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return namespace;
  const hash = createHash('sha256')
    .update(JSON.stringify([namespace, keys.sort().map((k) => [k, labels[k]])]))
    .digest('hex')
    .slice(0, 8);
  const app = labels['app.kubernetes.io/name'] ?? labels['app'];
  const tail = app === undefined ? hash : sanitize(app) || hash;
  const name = `${namespace}-${tail}`;
  return name.length <= 63 ? name : `${name.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

function sanitize(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
}

function sameIdentity(a: SourceIdentity, b: SourceIdentity): boolean {
  const ka = Object.keys(a.labels).sort();
  const kb = Object.keys(b.labels).sort();
  return a.namespace === b.namespace && ka.length === kb.length && ka.every((k, i) => k === kb[i] && a.labels[k] === b.labels[k]);
}

function checkLabels(labels: Record<string, string>, path: string, loc: Locator, problems: Problems): Record<string, string> {
  for (const [key, value] of Object.entries(labels)) {
    const at = joinYamlPath(path, key);
    const keyProblem = checkLabelKey(key);
    if (keyProblem) problems.error(loc, at, keyProblem, 'key');
    const valueProblem = checkLabelValue(value, key);
    if (valueProblem) problems.error(loc, at, valueProblem);
  }
  return { ...labels };
}
