// What the status page is rendered from: plain data, so rendering is a pure function.
import type { PathView } from '../api-schema.js';

/** Everything one render of the status page needs. */
export interface StatusPageModel {
  /** The agent's source, or null when it runs every path. */
  source: string | null;
  version: string;
  /** Epoch ms of the render; relative times count from it. */
  now: number;
  ready: boolean;
  /** In catalog order. */
  paths: PathView[];
  /** True when an explainer is wired in: the table gets a policy column. */
  showPolicy: boolean;
  refreshSeconds: number;
}
