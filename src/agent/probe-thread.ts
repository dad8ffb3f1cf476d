// The probe thread of a ThreadEngine (probe-engine.ts): the scheduler and the built-in probers,
// with nothing else on this thread's event loop or heap. What they report is batched and sent to
// the agent's thread at most PROBE_BATCH_MS later; a reply to a request always follows the
// batches before it, so the agent sees every result of the old paths before it commits new ones.
import { parentPort, workerData } from 'node:worker_threads';
import { runProbe } from '../probe/probers.js';
import type { ProbeOutcome } from '../probe/types.js';
import { hookedScheduler, PROBE_BATCH_MS, type EngineOptions, type FromProbeThread, type ProbeBatch, type ToProbeThread } from './probe-engine.js';
import { currentThreadId, threadIds, yieldToThisThread } from './thread-priority.js';
import { cloneable } from './cloneable-error.js';

/** How often the other threads' priority is checked again: a thread started by this one (which keeps its priority) is not lowered by inheritance. */
const PRIORITY_SWEEP_MS = 10_000;

const port = parentPort!;
let batch: ProbeBatch = emptyBatch();
let flushTimer: NodeJS.Timeout | undefined;

function emptyBatch(): ProbeBatch {
  return { t: 'batch', results: [], lags: [], skips: [], errors: [] };
}

function flush(): void {
  if (flushTimer !== undefined) clearTimeout(flushTimer);
  flushTimer = undefined;
  const b = batch;
  if (b.results.length + b.lags.length + b.skips.length + b.errors.length === 0 && b.inFlight === undefined && b.cap === undefined && b.priority === undefined) return;
  batch = emptyBatch();
  port.postMessage(b satisfies FromProbeThread);
}

/** The batch to add to; the first event of a batch arms its flush. */
function current(): ProbeBatch {
  flushTimer ??= setTimeout(flush, PROBE_BATCH_MS);
  return batch;
}

const scheduler = hookedScheduler(
  runProbe,
  {
    result: (path, outcome: ProbeOutcome, lagMs) => void current().results.push(path.name, outcome, lagMs),
    started: (lagMs) => void current().lags.push(lagMs),
    skipped: (path, reason, count) => void current().skips.push(path.name, reason, count),
    inFlight: (count) => void (current().inFlight = count),
    error: (error, path) => void current().errors.push(cloneable(error), path?.name ?? null),
    pressure: (cap) => {
      const b = current();
      b.cap = Math.min(b.cap ?? cap, cap);
    },
  },
  workerData as EngineOptions,
);

// The probes get the CPU first: the agent's main thread and every thread started after this one
// (metrics render, catalog parse) are set to a lower priority, now and again every
// PRIORITY_SWEEP_MS for threads started since.
const { serveNice } = workerData as EngineOptions;
if (serveNice !== undefined && serveNice > 0) {
  // Spared: the threads started before this one (V8's helpers, which also collect this thread's
  // garbage, and libuv's pool), but not the agent's main thread. Thread ids grow in creation order
  // (until they wrap at pid_max, when a thread may keep or lose its priority wrongly: harmless).
  const self = currentThreadId() ?? 0;
  const spare = new Set((threadIds() ?? []).filter((id) => id < self && id !== process.pid));
  const sweep = (first: boolean) => {
    let done;
    try {
      done = yieldToThisThread(serveNice, spare);
    } catch (error) {
      current().errors.push(cloneable(error), null);
      return;
    }
    if (first || (done !== undefined && done.lowered + done.failed > 0)) current().priority = { nice: serveNice, first, done };
  };
  sweep(true);
  setInterval(() => sweep(false), PRIORITY_SWEEP_MS).unref();
}

port.on('message', (message: ToProbeThread) => {
  if (message.t === 'update') {
    // Results of the old paths go first: the agent commits the new ones when the reply arrives.
    flush();
    let reply: FromProbeThread;
    try {
      scheduler.patch(message.patch);
      reply = { t: 'updated', id: message.id };
    } catch (error) {
      reply = { t: 'update-failed', id: message.id, error: cloneable(error) };
    }
    port.postMessage(reply);
    return;
  }
  void scheduler.stop(message.timeoutMs).then((abandoned) => {
    flush();
    port.postMessage({ t: 'stopped', id: message.id, abandoned } satisfies FromProbeThread);
  });
});
