// One probe of each path, concurrently but bounded, judged like the agent judges (the `check`
// command): a blocked path whose control was probed too and failed is inconclusive.
import type { PathSpec } from '../catalog/types.js';
import type { ProbeContext, ProbeOutcome, Prober } from '../probe/types.js';
import type { PathState } from './path-status.js';
import { StatusStore } from './status-store.js';

/** One path's judged outcome. */
export interface OnceResult {
  path: PathSpec;
  outcome: ProbeOutcome;
  state: Exclude<PathState, 'pending'>;
  /** True only when the path behaved as declared and is not inconclusive. */
  up: boolean;
}

/** Default number of probes run at once by probeOnce. */
export const DEFAULT_ONCE_CONCURRENCY = 32;

/** Probes every path once (at most `concurrency` at a time), each bounded by its own timeout. */
export async function probeOnce(
  paths: readonly PathSpec[],
  prober: Prober,
  options: { concurrency?: number; probeContext?: Omit<ProbeContext, 'signal'>; signal?: AbortSignal } = {},
): Promise<OnceResult[]> {
  const outcomes: ProbeOutcome[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < paths.length; i = next++) {
      const path = paths[i]!;
      const deadline = AbortSignal.timeout(path.timeoutMs);
      const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
      const started = performance.now();
      try {
        outcomes[i] = await prober(path, { ...options.probeContext, signal });
      } catch (error) {
        const seconds = (performance.now() - started) / 1000;
        outcomes[i] = { result: 'error', phases: { total: seconds }, durationSeconds: seconds, detail: `prober failed: ${(error as Error).message}` };
      }
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? DEFAULT_ONCE_CONCURRENCY, paths.length));
  await Promise.all(Array.from({ length: concurrency }, worker));

  const store = new StatusStore();
  store.setCatalog(paths, 0);
  paths.forEach((path, i) => store.record(path, outcomes[i]!, 0));
  return paths.map((path, i) => {
    const state = store.get(path.name)?.state ?? 'down';
    const judged: OnceResult['state'] = state === 'pending' ? 'down' : state;
    return { path, outcome: outcomes[i]!, state: judged, up: judged === 'up' };
  });
}
