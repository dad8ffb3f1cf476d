// Render worker of PathTable (path-table.ts): keeps a copy of every row's label text, and on
// request renders the per-path families from a consistent snapshot of the shared table.
import { parentPort } from 'node:worker_threads';
import { BufferOut, renderPathFamilies, SLOTS, type RowLabels, type TableView } from './path-families.js';
import type { FromWorker, SharedTable, ToWorker } from './path-table.js';

/** Copies of a row tried at once before the copier sleeps between tries. */
const SPINS = 100;
/** How long a row written meanwhile is waited for before its last copy is used as it is. */
const ROW_WAIT_MS = 100;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

let table: SharedTable | undefined;
const labels: (RowLabels | undefined)[] = [];
/** Size of the last render: the next one starts with room for it. */
let lastBytes = 1 << 20;

/**
 * Copies the table. A row written meanwhile (its sequence number odd, or changed by the end of
 * the copy) is copied again on its own until a copy is taken while it is still: spinning, then
 * sleeping 1 ms between tries (the writer was descheduled mid-write), for up to ROW_WAIT_MS, after
 * which the last copy is kept. A row is never left out: a series missing from one scrape would
 * end it for Prometheus (a staleness marker), which is worse than one value written a moment late.
 */
export function snapshot(shared: SharedTable, rows: number): Omit<TableView, 'labels'> {
  const { seq } = shared;
  const before = new Int32Array(rows);
  for (let r = 0; r < rows; r++) before[r] = Atomics.load(seq, r);
  const values = shared.values.slice(0, rows * SLOTS);
  const present = shared.present.slice(0, rows * SLOTS);
  const gens = shared.gens.slice(0, rows);
  for (let r = 0; r < rows; r++) {
    if ((before[r]! & 1) === 0 && Atomics.load(seq, r) === before[r]) continue;
    const from = r * SLOTS;
    let giveUpAt = 0;
    for (let attempt = 1; ; attempt++) {
      const s = Atomics.load(seq, r);
      values.set(shared.values.subarray(from, from + SLOTS), from);
      present.set(shared.present.subarray(from, from + SLOTS), from);
      gens[r] = shared.gens[r]!;
      if ((s & 1) === 0 && Atomics.load(seq, r) === s) break;
      if (attempt < SPINS) continue;
      if (giveUpAt === 0) giveUpAt = performance.now() + ROW_WAIT_MS;
      else if (performance.now() > giveUpAt) break;
      Atomics.wait(sleeper, 0, 0, 1);
    }
  }
  return { values, present, gens };
}

function render(head: string, tail: string): BufferOut {
  // Room for the last render's size and a little more; it grows (a copy here) if paths were added.
  const out = new BufferOut(lastBytes + (lastBytes >> 6) + head.length * 3 + tail.length * 3);
  out.write(head);
  if (table !== undefined) {
    const rows = Math.min(labels.length, table.gens.length);
    renderPathFamilies({ ...snapshot(table, rows), labels }, out);
  }
  out.write(tail);
  return out;
}

parentPort?.on('message', (message: ToWorker) => {
  switch (message.t) {
    case 'shared':
      table = message.table;
      break;
    case 'labels':
      for (let i = 0; i < message.rows.length; i++) labels[message.rows[i]!] = message.labels[i] ?? undefined;
      break;
    case 'render': {
      const bytes = render(message.head, message.tail).bytes();
      lastBytes = bytes.length;
      const reply: FromWorker = { id: message.id, buffer: bytes.buffer as ArrayBuffer, length: bytes.length };
      parentPort!.postMessage(reply, [bytes.buffer as ArrayBuffer]);
      break;
    }
  }
});
