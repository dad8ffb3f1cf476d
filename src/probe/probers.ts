// The prober table and runProbe, the one entry point the scheduler and `check` call: it never
// rejects, always returns by the path's timeout plus a small grace, and always fills the total.
import { performance } from 'node:perf_hooks';
import type { CheckKind, PathSpec } from '../catalog/types.js';
import { collectErrorFacts, describeFacts } from '../classify/error-facts.js';
import { isResultClass } from '../classify/result-class.js';
import { probeDns } from './dns.js';
import { probeHttp } from './http.js';
import { probeTcp } from './tcp.js';
import type { ProbeContext, ProbeOutcome, Prober } from './types.js';

/** One prober per check kind. */
export const PROBERS: Record<CheckKind, Prober> = { tcp: probeTcp, http: probeHttp, dns: probeDns };

/** How long after path.timeoutMs runProbe gives up on a prober that has not returned. */
export const PROBE_GRACE_MS = 250;

/**
 * Runs the path's prober. Never rejects: an unexpected throw, an unknown check kind or a prober
 * overrunning its timeout + PROBE_GRACE_MS becomes `error` with detail. `phases.total` and
 * `durationSeconds` are always set, and equal.
 */
export async function runProbe(path: PathSpec, ctx: ProbeContext): Promise<ProbeOutcome> {
  const started = performance.now();
  const fail = (detail: string): ProbeOutcome => {
    const total = (performance.now() - started) / 1000;
    return { result: 'error', phases: { total }, durationSeconds: total, detail };
  };
  const prober = Object.hasOwn(PROBERS, path.check) ? PROBERS[path.check] : undefined;
  if (!prober) return fail(`unknown check kind ${String(path.check)}`);
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<ProbeOutcome>((resolve) => {
    timer = setTimeout(
      () => resolve(fail(`prober did not return within ${path.timeoutMs} ms + ${PROBE_GRACE_MS} ms grace`)),
      path.timeoutMs + PROBE_GRACE_MS,
    );
  });
  try {
    const outcome = await Promise.race([Promise.resolve().then(() => prober(path, ctx)), overrun]);
    if (!outcome || !isResultClass(outcome.result)) return fail('prober returned no valid outcome');
    const total = outcome.phases.total ?? (performance.now() - started) / 1000;
    return { ...outcome, phases: { ...outcome.phases, total }, durationSeconds: total };
  } catch (error) {
    return fail(`prober failed unexpectedly: ${describeFacts(collectErrorFacts(error))}`);
  } finally {
    clearTimeout(timer);
  }
}
