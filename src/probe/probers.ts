// The prober table and runProbe, the one entry point the scheduler and `check` call: it never
// rejects, always returns by the path's timeout plus a small grace, and always fills the total.
import { performance } from 'node:perf_hooks';
import type { CheckKind, PathSpec } from '../catalog/types.js';
import { collectErrorFacts, describeFacts } from '../classify/error-facts.js';
import { isOutOfDescriptors } from '../classify/classify.js';
import { isResultClass } from '../classify/result-class.js';
import { probeDns } from './dns.js';
import { probeHttp } from './http.js';
import { probeTcp } from './tcp.js';
import type { ProbeContext, ProbeOutcome, Prober } from './types.js';

/** One prober per check kind. */
export const PROBERS: Record<CheckKind, Prober> = { tcp: probeTcp, http: probeHttp, dns: probeDns };

/** How long after path.timeoutMs runProbe gives up on a prober that has not returned. */
export const PROBE_GRACE_MS = 250;

/** An `error` outcome `detail`, timed from `started` (performance.now() ms). */
function failure(started: number, detail: string, outOfDescriptors = false): ProbeOutcome {
  const total = (performance.now() - started) / 1000;
  return { result: 'error', phases: { total }, durationSeconds: total, detail, ...(outOfDescriptors ? { outOfDescriptors } : {}) };
}

/** The prober's outcome with `total` and durationSeconds filled and equal (copied only when they are not). */
function completed(outcome: ProbeOutcome, started: number): ProbeOutcome {
  if (!outcome || !isResultClass(outcome.result)) return failure(started, 'prober returned no valid outcome');
  const total = outcome.phases.total;
  if (total !== undefined && outcome.durationSeconds === total) return outcome;
  const filled = total ?? (performance.now() - started) / 1000;
  return { ...outcome, phases: { ...outcome.phases, total: filled }, durationSeconds: filled };
}

/**
 * Runs the path's prober. Never rejects: an unexpected throw, an unknown check kind or a prober
 * overrunning its timeout + PROBE_GRACE_MS becomes `error` with detail. `phases.total` and
 * `durationSeconds` are always set, and equal. One promise and one timer per probe (the guard).
 */
export function runProbe(path: PathSpec, ctx: ProbeContext): Promise<ProbeOutcome> {
  const started = performance.now();
  const prober = Object.hasOwn(PROBERS, path.check) ? PROBERS[path.check] : undefined;
  if (!prober) return Promise.resolve(failure(started, `unknown check kind ${String(path.check)}`));
  return new Promise<ProbeOutcome>((resolve) => {
    let done = false;
    const settle = (outcome: ProbeOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(guard);
      resolve(outcome);
    };
    const guard = setTimeout(() => {
      if (done) return;
      done = true;
      resolve(failure(started, `prober did not return within ${path.timeoutMs} ms + ${PROBE_GRACE_MS} ms grace`));
    }, path.timeoutMs + PROBE_GRACE_MS);
    const failed = (error: unknown): void => {
      const found = collectErrorFacts(error);
      settle(failure(started, `prober failed unexpectedly: ${describeFacts(found)}`, isOutOfDescriptors(found)));
    };
    try {
      Promise.resolve(prober(path, ctx)).then((outcome) => {
        try {
          settle(completed(outcome, started));
        } catch (error) {
          failed(error);
        }
      }, failed);
    } catch (error) {
      failed(error);
    }
  });
}
