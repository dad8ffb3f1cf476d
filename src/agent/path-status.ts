// What the agent knows about each path: the read model the server, status page and API show.
// Written by the agent's result sink; the server only reads it.
import type { PathSpec } from '../catalog/types.js';
import type { ProbeOutcome } from '../probe/types.js';
import type { ResultClass } from '../classify/result-class.js';

/** One past probe, kept in a bounded ring per path. */
export interface HistoryEntry {
  /** Epoch milliseconds when the probe finished. */
  at: number;
  result: ResultClass;
  up: boolean;
  durationSeconds: number;
}

/**
 * The state of one path: `pending` before the first result; `up`/`down` from the last probe
 * judged against `expect`; `inconclusive` for a blocked path whose control path is not up.
 */
export type PathState = 'pending' | 'up' | 'down' | 'inconclusive';

/** Everything known about one path. */
export interface PathStatus {
  spec: PathSpec;
  state: PathState;
  last?: { outcome: ProbeOutcome; at: number; up: boolean };
  /** Epoch ms of the last change of `state`. */
  lastChangeAt?: number;
  /** Epoch ms of the last probe that behaved as declared. */
  lastSuccessAt?: number;
  /** Most recent last, bounded. */
  history: HistoryEntry[];
}

/** Read-only view the server uses. */
export interface StatusReader {
  /** Every scheduled path, in catalog order. */
  list(): PathStatus[];
  get(name: string): PathStatus | undefined;
  /** True once a catalog is loaded and every path has been scheduled. */
  ready(): boolean;
  /** The source this agent runs as, or undefined when it runs every path. */
  sourceFilter(): string | undefined;
}
