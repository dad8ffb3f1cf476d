// Writes the benchmark's catalogs: N paths of one check kind against the loopback targets.
import { writeFileSync, renameSync } from 'node:fs';
import type { CheckKind } from '../catalog/types.js';
import { DNS_NAME, type Targets } from './targets.js';

/** One generated path. */
export interface BenchPath {
  name: string;
  check: CheckKind;
  intervalS: number;
  /** Overrides the target (the slow HTTP target). */
  to?: string;
}

/** `count` paths named `${prefix}-${i}` of `check`. */
export function pathsOf(prefix: string, check: CheckKind, count: number, intervalS: number): BenchPath[] {
  return Array.from({ length: count }, (_, i) => ({ name: `${prefix}-${i}`, check, intervalS }));
}

/** A mix of tcp, http and dns paths (in that rotation), `count` in all. */
export function mixedPaths(prefix: string, count: number, intervalS: number): BenchPath[] {
  const kinds: CheckKind[] = ['tcp', 'http', 'dns'];
  return Array.from({ length: count }, (_, i) => ({ name: `${prefix}-${i}`, check: kinds[i % 3]!, intervalS }));
}

/** The timeout the bench gives a path of `intervalS`, in ms. */
export function timeoutMsFor(intervalS: number): number {
  return intervalS <= 2 ? 900 : 2000;
}

function line(p: BenchPath, t: Targets): string {
  const common = `name: ${p.name}, from: bench, check: ${p.check}, interval: ${p.intervalS}s, timeout: ${timeoutMsFor(p.intervalS)}ms`;
  if (p.to !== undefined) return `  - {${common}, to: "${p.to}"}`;
  switch (p.check) {
    case 'tcp': return `  - {${common}, to: "127.0.0.1:${t.tcpPort}"}`;
    case 'http': return `  - {${common}, to: "http://127.0.0.1:${t.httpPort}/"}`;
    case 'dns': return `  - {${common}, to: ${DNS_NAME}, dns: {server: "127.0.0.1:${t.dnsPort}"}}`;
  }
}

/** The catalog YAML for `paths`. */
export function catalogYaml(paths: readonly BenchPath[], targets: Targets): string {
  return [
    'apiVersion: pathprobe/v1',
    'kind: PathCatalog',
    'defaults: {severity: warning, owner: bench}',
    'sources:',
    '  bench: {namespace: bench, labels: {app: pathprobe-bench}}',
    'paths:',
    ...paths.map((p) => line(p, targets)),
    '',
  ].join('\n');
}

/** Writes the catalog atomically: a temporary file renamed over `file` (what a ConfigMap swap does). */
export function writeCatalog(file: string, paths: readonly BenchPath[], targets: Targets): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, catalogYaml(paths, targets));
  renameSync(tmp, file);
}
