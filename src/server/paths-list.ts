// GET /api/v1/paths as bytes, built a slice of paths at a time. At 10,000 paths with a full
// history (60 results each) the list is ~55 MB of JSON, and building it in one go held the
// agent's event loop for ~1.3 s: every probe due meanwhile started late. Here each slice of
// PATHS_PER_SLICE paths is turned into views, serialised with the route's own compiled schema
// serialiser and encoded, and the loop turns between slices. Same bytes as serialising the
// whole list at once (test/server/paths-list.test.ts).
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { PathStatus } from '../agent/path-status.js';
import type { PathView } from './api-schema.js';
import type { ExplainReader } from './explain-reader.js';
import { toPathView } from './path-view.js';

/** Paths turned into JSON between two turns of the event loop (~3 ms at 60 history entries each). */
export const PATHS_PER_SLICE = 25;

export interface PathListInput {
  source: string | null;
  generatedAt: string;
  statuses: readonly PathStatus[];
  explain?: ExplainReader;
  /** The compiled serialiser of one PathView (the route's schema). */
  serializeView: (view: PathView) => string;
}

/** `{"source":…,"generatedAt":…,"paths":[…]}` as PathListSchema lays it out. */
export async function renderPathList(input: PathListInput, slice = PATHS_PER_SLICE): Promise<Buffer> {
  const { statuses, explain, serializeView } = input;
  const out: Buffer[] = [Buffer.from(`{"source":${JSON.stringify(input.source)},"generatedAt":${JSON.stringify(input.generatedAt)},"paths":[`)];
  for (let start = 0; start < statuses.length; start += slice) {
    if (start > 0) await yieldToLoop();
    let piece = start > 0 ? ',' : '';
    const end = Math.min(statuses.length, start + slice);
    for (let i = start; i < end; i++) piece += (i > start ? ',' : '') + serializeView(toPathView(statuses[i]!, explain));
    out.push(Buffer.from(piece));
  }
  out.push(Buffer.from(']}'));
  return Buffer.concat(out);
}
