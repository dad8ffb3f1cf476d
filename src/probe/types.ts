// The one prober signature and the outcome every prober returns. Failures are data.
import type { ResultClass } from '../classify/result-class.js';
import type { PathSpec } from '../catalog/types.js';
import type { PhaseTimings } from './phases.js';

/** What one probe observed. Never thrown; a network failure is an outcome. */
export interface ProbeOutcome {
  result: ResultClass;
  /** Seconds per phase reached; `total` always present. */
  phases: PhaseTimings;
  durationSeconds: number;
  /** Human detail for logs, JSON and the status page: never used as a label value. */
  detail: string;
  /** http: the final status code, when a response arrived. */
  status?: number;
  /** tcp/http: the address connected to; dns: the answers (bounded). */
  addresses?: string[];
  /** The probe failed for want of a file descriptor (EMFILE, ENFILE); never shown, the agent lowers its in-flight cap. */
  outOfDescriptors?: boolean;
}

/** Per-probe context: the deadline's signal and the environment the prober may read. */
export interface ProbeContext {
  /** Aborts at the path's timeout (or on shutdown). */
  signal: AbortSignal;
  /**
   * performance.now() ms at which `signal` aborts with deadlineError(path.timeoutMs) (probe/deadline.ts),
   * when the caller guarantees it (the scheduler does): the prober then uses `signal` as its deadline
   * instead of starting its own timer. Absent: the prober keeps its own deadline.
   */
  deadlineAt?: number;
  /** Path of resolv.conf to honour (default /etc/resolv.conf). */
  resolvConfPath?: string;
  /** Path of the hosts file to honour (default /etc/hosts). */
  hostsPath?: string;
}

/** Every prober has this signature. It must resolve (never reject) by the path's timeout + a small grace. */
export type Prober = (path: PathSpec, ctx: ProbeContext) => Promise<ProbeOutcome>;
