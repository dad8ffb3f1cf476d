// The problem sink the cross-field stages write into: errors and warnings located through each
// file's Locator, deduplicated (a fanned-out entry must not repeat one mistake per namespace).
import type { Locator } from './locate.js';
import type { CatalogProblem } from './types.js';

/** Collects located errors and warnings for one catalog load. */
export class Problems {
  readonly errors: CatalogProblem[] = [];
  readonly warnings: CatalogProblem[] = [];
  private readonly seen = new Set<string>();

  /** Records an error at the value (or key) of `path` in the locator's file. */
  error(locator: Locator, path: string, message: string, at: 'value' | 'key' = 'value'): void {
    this.push(this.errors, locator.problem(path, message, at));
  }

  /** Records a warning at the value (or key) of `path`. */
  warn(locator: Locator, path: string, message: string, at: 'value' | 'key' = 'value'): void {
    this.push(this.warnings, locator.problem(path, message, at));
  }

  private push(list: CatalogProblem[], p: CatalogProblem): void {
    const id = `${p.file}\0${p.line}\0${p.col}\0${p.yamlPath}\0${p.message}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    list.push(p);
  }
}

/** "file:line:col" of where a path was written, for messages that point at a first use. */
export function where(locator: Locator, path: string, at: 'value' | 'key' = 'value'): string {
  const pos = at === 'key' ? locator.keyAt(path) : locator.valueAt(path);
  return `${locator.file}:${pos.line}:${pos.col}`;
}
