// The per-path series as a table of numbers in shared memory: one row per path, one slot per
// series (layout in path-families.ts). A probe result is a handful of writes into typed arrays —
// nothing allocated, nothing for the garbage collector — and /metrics is rendered from the table
// by a worker thread, so a 20 MB exposition at 10,000 paths costs the agent's thread nothing
// but the hand-off. Each row has a sequence number (a seqlock): the writer makes it odd while it
// writes, and the worker keeps only row copies taken while it was even and unchanged, so a scrape
// never sees half of a result (a state set with two 1s or none).
import type { Worker } from 'node:worker_threads';
import { siblingModule, startWorker } from '../worker-entry.js';
import { BufferOut, renderPathFamilies, SLOTS, type RowLabels, type TableView } from './path-families.js';

/** The shared arrays (SharedArrayBuffer-backed), replaced as a whole when the table grows. */
export interface SharedTable {
  values: Float64Array;
  present: Uint8Array;
  gens: Int32Array;
  /** Per row: odd while the agent's thread writes the row. */
  seq: Int32Array;
}

/** Messages to the render worker (path-render-worker.ts). */
export type ToWorker =
  | { t: 'shared'; table: SharedTable }
  | { t: 'labels'; rows: number[]; labels: (RowLabels | null)[] }
  | { t: 'render'; id: number; head: string; tail: string };

/** Replies of the render worker: the text of the per-path families, as bytes. */
export interface FromWorker {
  id: number;
  buffer: ArrayBuffer;
  length: number;
}

function allocate(capacity: number): SharedTable {
  return {
    values: new Float64Array(new SharedArrayBuffer(capacity * SLOTS * 8)),
    present: new Uint8Array(new SharedArrayBuffer(capacity * SLOTS)),
    gens: new Int32Array(new SharedArrayBuffer(capacity * 4)),
    seq: new Int32Array(new SharedArrayBuffer(capacity * 4)),
  };
}

/** Renders made when the worker starts, before any scrape. */
const WARM_UP_RENDERS = 3;

const WORKER = siblingModule(import.meta.url, 'path-render-worker');

/** Rows of per-path series; see the file comment. Written only on the agent's thread. */
export class PathTable {
  private shared: SharedTable;
  private values: Float64Array;
  private present: Uint8Array;
  private readonly labels: (RowLabels | undefined)[] = [];
  private readonly freeRows: number[] = [];
  private nextGen = 1;
  /** Rows whose labels changed since the worker was last told (a set: bounded by the rows). */
  private readonly pendingRows = new Set<number>();
  private worker: Worker | undefined;
  private readonly renders = new Map<number, { resolve: (bytes: Buffer) => void; head: string; tail: string }>();
  private nextRender = 1;
  private layoutVersion = 0;
  /** close() was called: the worker's exit is expected. */
  private closing = false;

  constructor(capacity = 1024) {
    this.shared = allocate(Math.max(1, capacity));
    this.values = this.shared.values;
    this.present = this.shared.present;
  }

  /** Changes whenever a row is added, freed or relabelled (a render of an older layout is out of date). */
  get version(): number {
    return this.layoutVersion;
  }

  /** Rows in use. */
  get size(): number {
    return this.labels.length - this.freeRows.length;
  }

  /** A new row with no series but the info line, for a path with these labels. */
  addRow(labels: Omit<RowLabels, 'gen'>): number {
    const row = this.freeRows.pop() ?? this.labels.length;
    if (row >= this.shared.gens.length) this.grow();
    const gen = this.nextGen++;
    this.begin(row);
    this.present.fill(0, row * SLOTS, (row + 1) * SLOTS);
    this.values.fill(0, row * SLOTS, (row + 1) * SLOTS);
    this.shared.gens[row] = gen;
    this.end(row);
    this.labels[row] = { gen, ...labels };
    this.pendingRows.add(row);
    this.layoutVersion++;
    return row;
  }

  /** Replaces a row's labels (a path whose severity, target… changed keeps its values). */
  setLabels(row: number, labels: Omit<RowLabels, 'gen'>): void {
    const known = this.labels[row];
    if (known === undefined) throw new Error(`row ${row} is free`);
    this.labels[row] = { gen: known.gen, ...labels };
    this.pendingRows.add(row);
    this.layoutVersion++;
  }

  /** Frees a row: its series leave the exposition. */
  freeRow(row: number): void {
    if (this.labels[row] === undefined) return;
    this.begin(row);
    this.shared.gens[row] = 0;
    this.end(row);
    this.labels[row] = undefined;
    this.freeRows.push(row);
    this.pendingRows.add(row);
    this.layoutVersion++;
  }

  /** Starts a write of several slots of a row that must be seen together (end() closes it). */
  begin(row: number): void {
    Atomics.add(this.shared.seq, row, 1);
  }

  end(row: number): void {
    Atomics.add(this.shared.seq, row, 1);
  }

  set(row: number, slot: number, value: number): void {
    const i = row * SLOTS + slot;
    this.values[i] = value;
    this.present[i] = 1;
  }

  /** Adds to a slot (a counter's inc); an absent slot starts at 0. */
  add(row: number, slot: number, delta: number): void {
    const i = row * SLOTS + slot;
    this.values[i] = (this.present[i] === 1 ? this.values[i]! : 0) + delta;
    this.present[i] = 1;
  }

  /** Removes a slot's series from the exposition. */
  clear(row: number, slot: number): void {
    this.present[row * SLOTS + slot] = 0;
  }

  /** The per-path families as text, rendered on this thread (see renderPathFamilies). */
  text(): string {
    let text = '';
    renderPathFamilies(this.view(), { write: (piece) => (text += piece) });
    return text;
  }

  /**
   * `head`, the per-path families and `tail` as bytes, rendered by the worker when it runs
   * (startWorker), else here.
   */
  bytes(head = '', tail = ''): Promise<Buffer> {
    const worker = this.worker;
    if (worker === undefined) return Promise.resolve(this.renderHere(head, tail));
    this.flushLabels();
    const id = this.nextRender++;
    if (this.renders.size === 0) worker.ref();
    worker.postMessage({ t: 'render', id, head, tail } satisfies ToWorker);
    return new Promise((resolve) => this.renders.set(id, { resolve, head, tail }));
  }

  /**
   * Starts the render worker. If it cannot start or dies, renders happen on this thread again
   * (the renders waiting for it included): slower, nothing lost. `onLost` hears of it (not of close()).
   */
  startWorker(onLost?: (error: unknown) => void): void {
    if (this.worker) return;
    let worker: Worker;
    try {
      worker = startWorker(WORKER);
    } catch (error) {
      onLost?.(error);
      return;
    }
    this.closing = false;
    this.worker = worker;
    worker.unref();
    worker.postMessage({ t: 'shared', table: this.shared } satisfies ToWorker);
    for (let row = 0; row < this.labels.length; row++) this.pendingRows.add(row);
    this.flushLabels();
    // Renders nobody waits for: the worker's code is compiled and optimised before the first
    // scrape (the first render at 10,000 paths took ~200 ms, the third ~55 ms). Replies (id 0) are dropped.
    for (let i = 0; i < WARM_UP_RENDERS; i++) worker.postMessage({ t: 'render', id: 0, head: '', tail: '' } satisfies ToWorker);
    worker.on('message', (reply: FromWorker) => {
      const waiting = this.renders.get(reply.id);
      this.renders.delete(reply.id);
      if (this.renders.size === 0 && !this.closing) worker.unref();
      waiting?.resolve(Buffer.from(reply.buffer, 0, reply.length));
    });
    const lost = (error: unknown) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (!this.closing) onLost?.(error ?? new Error('the render worker exited'));
      const waiting = [...this.renders.values()];
      this.renders.clear();
      for (const { resolve, head, tail } of waiting) resolve(this.renderHere(head, tail));
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the render worker exited with code ${code}`)));
  }

  /** True while renders go to the worker. */
  get offThread(): boolean {
    return this.worker !== undefined;
  }

  /** Stops the worker (renders continue on this thread). */
  async close(): Promise<void> {
    const worker = this.worker;
    if (worker === undefined) return;
    this.closing = true;
    // Ref'd again (and kept so: no reply unrefs it while closing) so the process waits for the
    // thread to stop: an unref'd worker's terminate() may never settle if nothing else keeps the
    // loop alive (a failed listen right after start: exit 13, no message).
    worker.ref();
    await worker.terminate();
  }

  private view(): TableView {
    // On this thread the arrays cannot change during a render: no snapshot needed.
    return { values: this.values, present: this.present, gens: this.shared.gens, labels: this.labels };
  }

  private renderHere(head: string, tail: string): Buffer {
    const out = new BufferOut(Math.max(1 << 16, this.size * 2048));
    out.write(head);
    renderPathFamilies(this.view(), out);
    out.write(tail);
    return out.bytes();
  }

  private flushLabels(): void {
    if (this.worker === undefined || this.pendingRows.size === 0) return;
    const rows = [...this.pendingRows];
    this.pendingRows.clear();
    this.worker.postMessage({ t: 'labels', rows, labels: rows.map((row) => this.labels[row] ?? null) } satisfies ToWorker);
  }

  private grow(): void {
    const old = this.shared;
    const next = allocate(old.gens.length * 2);
    next.values.set(old.values);
    next.present.set(old.present);
    next.gens.set(old.gens);
    next.seq.set(old.seq);
    this.shared = next;
    this.values = next.values;
    this.present = next.present;
    // Labels first: the worker may render between the two messages, and rows it has no labels for are left out.
    this.flushLabels();
    this.worker?.postMessage({ t: 'shared', table: next } satisfies ToWorker);
  }
}
