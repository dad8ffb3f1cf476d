// Builds the status page in slices that yield to the event loop: at 10,000 paths the page is
// ~9 MB of HTML and building it in one go held the agent's loop for ~0.2 s (every probe due
// meanwhile started late). The per-path work (the view, its matrix chip and table row) runs
// SLICE paths at a time; only the final assembly of the ready fragments runs in one piece.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { PathStatus } from '../../agent/path-status.js';
import type { PathView } from '../api-schema.js';
import type { ExplainReader } from '../explain-reader.js';
import { toPathView } from '../path-view.js';
import type { SafeHtml } from './escape.js';
import { chip } from './matrix.js';
import type { StatusPageModel } from './model.js';
import { renderStatusPage } from './render-page.js';
import { row } from './table.js';

/** Paths handled between two turns of the event loop. */
export const PAGE_SLICE = 250;

export interface SlicedPageInput extends Omit<StatusPageModel, 'paths'> {
  statuses: readonly PathStatus[];
  explain?: ExplainReader;
}

/** The status page's HTML (the same as renderStatusPage on the same model), built in slices. */
export async function renderStatusPageSliced(input: SlicedPageInput, slice = PAGE_SLICE): Promise<string> {
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
  return renderStatusPage({ ...rest, paths }, { chips, rows });
}
