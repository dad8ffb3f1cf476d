// Where things are in the user's YAML: YAML-path spelling (`paths[2].http.expectStatus[0]`) and
// the 1-based line:col of every node the decoder visited, so later rules can point at them.
import type { LineCounter } from 'yaml';
import type { CatalogProblem } from './types.js';

/** One segment of a YAML path: a mapping key or a list index. */
export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Appends a segment to a YAML path: `a` + `b` → `a.b`, `a` + 0 → `a[0]`, odd keys → `a["x.y/z"]`. */
export function joinYamlPath(parent: string, segment: PathSegment): string {
  if (typeof segment === 'number') return `${parent}[${segment}]`;
  if (!PLAIN_KEY.test(segment)) return `${parent}[${JSON.stringify(segment)}]`;
  return parent === '' ? segment : `${parent}.${segment}`;
}

const LAST_SEGMENT = /^(.*?)(\[(?:\d+|"(?:[^"\\]|\\.)*")\]|\.[A-Za-z_][A-Za-z0-9_-]*)$/;

/** The YAML path one level up: `paths[2].http` → `paths[2]`, `paths` → ''. */
export function parentYamlPath(path: string): string {
  const m = LAST_SEGMENT.exec(path);
  return m ? (m[1] ?? '') : '';
}

interface Position {
  line: number;
  col: number;
}

/** Positions of the nodes of one file, recorded while decoding, looked up by rules. */
export class Locator {
  private readonly values = new Map<string, Position>();
  private readonly keys = new Map<string, Position>();
  private readonly parents = new Map<string, string>();

  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  /** Records the value node of `path` (and, when known, its key) starting at these offsets. */
  record(path: string, parent: string, valueOffset: number, keyOffset?: number): void {
    if (!this.values.has(path)) this.values.set(path, this.position(valueOffset));
    if (keyOffset !== undefined && !this.keys.has(path)) this.keys.set(path, this.position(keyOffset));
    if (path !== parent) this.parents.set(path, parent);
  }

  /** Whether the decoder saw a node at `path` (i.e. the user wrote it). */
  has(path: string): boolean {
    return this.values.has(path);
  }

  /** Converts a character offset into a 1-based position. */
  position(offset: number): Position {
    const pos = this.lines.linePos(offset);
    return { line: pos.line, col: pos.col };
  }

  /** Position of the value at `path`, or of its nearest recorded ancestor. */
  valueAt(path: string): Position {
    return this.lookup(this.values, path);
  }

  /** Position of the key of `path` (falls back to the value). */
  keyAt(path: string): Position {
    return this.keys.get(path) ?? this.valueAt(path);
  }

  /** A problem located at the value of `path` (or at its key when `at` is 'key'). */
  problem(path: string, message: string, at: 'value' | 'key' = 'value'): CatalogProblem {
    const pos = at === 'key' ? this.keyAt(path) : this.valueAt(path);
    return { file: this.file, line: pos.line, col: pos.col, yamlPath: path, message };
  }

  /** A problem at an explicit offset (parser errors, which have no YAML path yet). */
  problemAtOffset(offset: number, yamlPath: string, message: string): CatalogProblem {
    const pos = this.position(offset);
    return { file: this.file, line: pos.line, col: pos.col, yamlPath, message };
  }

  private lookup(map: Map<string, Position>, path: string): Position {
    let current = path;
    for (let guard = 0; guard < 256; guard++) {
      const found = map.get(current);
      if (found) return found;
      if (current === '') break;
      current = this.parents.get(current) ?? parentYamlPath(current);
    }
    return { line: 1, col: 1 };
  }
}
