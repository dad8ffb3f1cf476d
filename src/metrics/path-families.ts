// The per-path metric families (PRODUCT.md "Metrics": info, up, result state set, probe counters,
// phases, last probe/success, interval) as a fixed slot layout over a numeric table, and their
// text exposition. The same render runs on the agent's thread (registry.metrics()) and in the
// render worker (/metrics): it reads plain arrays and strings only.
import { RESULT_CLASSES } from '../classify/result-class.js';
import { PHASES } from '../probe/phases.js';

// Slots of a path's row: up, path_result × RESULT_CLASSES, probes_total × RESULT_CLASSES,
// phase_seconds × PHASES, last probe, last success, interval.
export const UP = 0;
export const RESULT = 1;
export const TOTAL = RESULT + RESULT_CLASSES.length;
export const PHASE = TOTAL + RESULT_CLASSES.length;
export const LAST_PROBE = PHASE + PHASES.length;
export const LAST_SUCCESS = LAST_PROBE + 1;
export const INTERVAL = LAST_PROBE + 2;
/** Slots per row. */
export const SLOTS = INTERVAL + 1;

/** A row's label text, formatted and escaped once when the catalog is applied. */
export interface RowLabels {
  /** Which use of the row these labels belong to (a freed and reused row gets a new one). */
  gen: number;
  /** The escaped path name (inside `path="…"`). */
  path: string;
  /** pathprobe_path_up's labels: `k="v",…`. */
  up: string;
  /** pathprobe_path_info's labels: `k="v",…`. */
  info: string;
}

/** The table as the render reads it (a consistent snapshot, see path-table.ts). */
export interface TableView {
  values: Float64Array;
  /** 1 where the series exists (a counter at 0 exists; a phase never reached does not). */
  present: Uint8Array;
  /** Per row: the use whose values these are; rendered only when it matches the labels' gen. */
  gens: Int32Array;
  /** Per row, or undefined for a free row. */
  labels: readonly (RowLabels | undefined)[];
}

type Family =
  | { name: string; help: string; type: 'gauge' | 'counter'; kind: 'info' | 'up' }
  | { name: string; help: string; type: 'gauge' | 'counter'; kind: 'byPath'; slot: number }
  | { name: string; help: string; type: 'gauge' | 'counter'; kind: 'byKey'; slot: number; key: string; values: readonly string[] };

/** The families, in exposition order, with the help text prom-client used to carry. */
export const PATH_FAMILIES: readonly Family[] = [
  { name: 'pathprobe_path_info', type: 'gauge', kind: 'info', help: 'A probed path as declared in the catalog; always 1.' },
  {
    name: 'pathprobe_path_up', type: 'gauge', kind: 'up',
    help: '1 when the last probe of the path behaved as declared (reachable: ok; blocked: timeout or unreachable).',
  },
  {
    name: 'pathprobe_path_result', type: 'gauge', kind: 'byKey', slot: RESULT, key: 'result', values: RESULT_CLASSES,
    help: 'State set: 1 for the result class of the last probe of the path, 0 for every other class.',
  },
  {
    name: 'pathprobe_probes_total', type: 'counter', kind: 'byKey', slot: TOTAL, key: 'result', values: RESULT_CLASSES,
    help: 'Probes run, by path and result class.',
  },
  {
    name: 'pathprobe_probe_phase_seconds', type: 'gauge', kind: 'byKey', slot: PHASE, key: 'phase', values: PHASES,
    help: 'Duration of each phase of the last probe of the path, in seconds.',
  },
  { name: 'pathprobe_path_last_probe_timestamp_seconds', type: 'gauge', kind: 'byPath', slot: LAST_PROBE, help: 'Unix time the last probe of the path finished.' },
  {
    name: 'pathprobe_path_last_success_timestamp_seconds', type: 'gauge', kind: 'byPath', slot: LAST_SUCCESS,
    help: 'Unix time of the last probe of the path that behaved as declared.',
  },
  // Not in the original contract: PathProbeStale needs each path's own interval ("no fresh
  // result for 3 intervals"), and intervals differ per path.
  { name: 'pathprobe_path_interval_seconds', type: 'gauge', kind: 'byPath', slot: INTERVAL, help: 'Declared probe interval of the path, in seconds.' },
];

/** A label value escaped for the text format (backslash, double quote, newline). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** `k="v",…` in the object's key order, values escaped. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const parts: string[] = [];
  for (const key of Object.keys(labels)) parts.push(`${key}="${escapeLabelValue(labels[key]!)}"`);
  return parts.join(',');
}

/** prom-client's number format (util.getValueAsString). */
export function valueString(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}

/** Receives the text in pieces; flushes them wherever it likes (a Buffer, a string). */
export interface TextOut {
  write(text: string): void;
}

/** Characters collected before a piece is handed to the output. */
const PIECE = 64 * 1024;

/**
 * Writes every per-path family (HELP, TYPE, then one line per existing series of every live row)
 * in Prometheus text format, families separated by a blank line as prom-client does, no final
 * newline. Rows whose labels belong to another use of the row than the values are left out.
 */
export function renderPathFamilies(view: TableView, out: TextOut): void {
  const { values, present, gens, labels } = view;
  const rows = Math.min(labels.length, gens.length);
  let text = '';
  for (let f = 0; f < PATH_FAMILIES.length; f++) {
    const family = PATH_FAMILIES[f]!;
    const { name } = family;
    text += `${f === 0 ? '' : '\n\n'}# HELP ${name} ${family.help}\n# TYPE ${name} ${family.type}`;
    // Constant parts of each line, built once per family.
    const open = `\n${name}{`;
    const pathOpen = `\n${name}{path="`;
    const suffixes = family.kind === 'byKey' ? family.values.map((v) => `",${family.key}="${v}"} `) : [];
    for (let r = 0; r < rows; r++) {
      const row = labels[r];
      if (row === undefined || row.gen !== gens[r]) continue;
      const base = r * SLOTS;
      switch (family.kind) {
        case 'info':
          text += open + row.info + '} 1';
          break;
        case 'up':
          if (present[base + UP] === 1) text += open + row.up + '} ' + valueString(values[base + UP]!);
          break;
        case 'byPath': {
          const i = base + family.slot;
          if (present[i] === 1) text += pathOpen + row.path + '"} ' + valueString(values[i]!);
          break;
        }
        case 'byKey':
          for (let k = 0; k < suffixes.length; k++) {
            const i = base + family.slot + k;
            if (present[i] === 1) text += pathOpen + row.path + suffixes[k]! + valueString(values[i]!);
          }
          break;
      }
      if (text.length >= PIECE) {
        out.write(text);
        text = '';
      }
    }
  }
  out.write(text);
}

/** Collects the text into one Buffer with its own ArrayBuffer (transferable between threads). */
export class BufferOut implements TextOut {
  private buffer: Buffer;
  private length = 0;

  constructor(initialBytes = 1 << 20) {
    this.buffer = Buffer.allocUnsafeSlow(initialBytes);
  }

  write(text: string): void {
    const max = Buffer.byteLength(text);
    if (this.length + max > this.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.length + max));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += this.buffer.write(text, this.length);
  }

  /** The text so far (a view of the collected bytes). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
