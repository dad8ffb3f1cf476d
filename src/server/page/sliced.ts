// Builds the status page in slices that yield to the event loop: at 10,000 paths the page is
// ~9 MB of HTML and building it in one go held the agent's loop for ~0.2 s (every probe due
// meanwhile started late). The per-path work (the view, its matrix chip and table row) runs
// SLICE paths at a time; only the final assembly of the ready fragments runs in one piece.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { PathStatus } from '../../agent/path-status.js';
import type { PathView } from '../api-schema.js';
import type { ExplainReader } from '../explain-reader.js';
import { toPathView } from '../path-view.js';
import { SafeHtml } from './escape.js';
import { chip } from './matrix.js';
import type { StatusPageModel } from './model.js';
import { statusPageSegments } from './render-page.js';
import { row } from './table.js';

/** Paths handled between two turns of the event loop. */
export const PAGE_SLICE = 100;
/** Characters of matrix or table rows encoded between two turns. */
const PIECE = 64 * 1024;

export interface SlicedPageInput extends Omit<StatusPageModel, 'paths'> {
  statuses: readonly PathStatus[];
  explain?: ExplainReader;
}

/**
 * The status page's HTML as bytes (the same as renderStatusPage on the same model), built in
 * slices: the per-path views and fragments, then the matrix and table rows, each encoded as it
 * is made, so no turn of the loop handles more than `slice` paths or rows.
 */
export async function renderStatusPageSliced(input: SlicedPageInput, slice = PAGE_SLICE): Promise<Buffer> {
  const { statuses, explain, ...rest } = input;
  const paths: PathView[] = [];
  const chips: SafeHtml[] = [];
  const rows: SafeHtml[] = [];
  for (let start = 0; start < statuses.length; start += slice) {
    if (start > 0) await yieldToLoop();
    const end = Math.min(statuses.length, start + slice);
    for (let i = start; i < end; i++) {
      const view = toPathView(statuses[i]!, explain, { history: false });
      paths.push(view);
      chips.push(chip(view, i));
      rows.push(row(view, i, rest.now, rest.showPolicy));
    }
  }
  await yieldToLoop();
  const { text, matrix, table } = statusPageSegments({ ...rest, paths }, { chips, rows });
  const out: Buffer[] = [Buffer.from(text[0])];
  for (const [element, next] of [[matrix, text[1]], [table, text[2]]] as const) {
    if (element instanceof SafeHtml) out.push(Buffer.from(element.value));
    else {
      out.push(Buffer.from(element.open.value));
      // A matrix row holds every chip of its source (hundreds): slices end at `slice` rows or PIECE characters.
      let piece = '';
      let inPiece = 0;
      for (const makeRow of element.rows) {
        piece += makeRow().value;
        if (++inPiece < slice && piece.length < PIECE) continue;
        out.push(Buffer.from(piece));
        piece = '';
        inPiece = 0;
        await yieldToLoop();
      }
      out.push(Buffer.from(piece));
      out.push(Buffer.from(element.close.value));
    }
    out.push(Buffer.from(next));
  }
  return Buffer.concat(out);
}
