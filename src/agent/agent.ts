// The agent: loads the catalog, schedules the paths of its source, fans results out to the
// sinks, serves the HTTP endpoints, and reloads the catalog when its files change.
import type { Logger } from 'pino';
import { AgentRegistry } from '../metrics/agent-registry.js';
import { HistogramSlots } from '../metrics/histogram-slots.js';
import type { Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { Catalog, CatalogLoadResult, CatalogProblem, PathSpec } from '../catalog/types.js';
import { filterBySource, formatProblem as formatCatalogProblem, loadCatalogFiles } from '../catalog/load.js';
import { PathprobeError } from '../errors.js';
import { createMetrics, type AgentMetrics } from '../metrics/metrics.js';
import { PathSeries } from '../metrics/path-series.js';
import type { ProbeContext, Prober } from '../probe/types.js';
import type { Clock } from '../schedule/clock.js';
import { defaultMaxInFlight } from '../schedule/in-flight-cap.js';
import type { UpdateSummary } from '../schedule/scheduler.js';
import { buildApp } from '../server/app.js';
import { listen, type Listening } from '../server/listen.js';
import { VERSION } from '../version.js';
import { hashCatalogFiles, watchCatalog, type CatalogWatch } from './catalog-watcher.js';
import { isNiceValue, LOWEST_PRIORITY } from './thread-priority.js';
import { LocalEngine, ThreadEngine, type EngineHooks, type ProbeEngine } from './probe-engine.js';
import { createResultFlow, logStateChanges } from './result-flow.js';
import { StatusStore } from './status-store.js';

/** Options of startAgent. */
export interface AgentOptions {
  /** Catalog files or directories, loaded as one catalog. */
  catalogPaths: string[];
  /** Run only this source's paths; all paths when absent. */
  source?: string;
  /** `host:port` to serve on (see server/listen.ts); default 0.0.0.0:9477. */
  listen?: string;
  logger: Logger;
  /** Loads catalog files (default: the catalog loader, loadCatalogFiles). */
  loadCatalog?: (paths: string[]) => Promise<CatalogLoadResult>;
  /** The paths one source runs; throws a PathprobeError for an unknown source (default filterBySource). */
  selectPaths?: (catalog: Catalog, source: string) => PathSpec[];
  /** Formats a located catalog problem as `file:line:col: message` (default the loader's). */
  formatProblem?: (problem: CatalogProblem) => string;
  /**
   * Runs one probe (never rejects), on the agent's thread. Absent: the built-in probers run with
   * the scheduler on a probe thread of their own (agent/probe-engine.ts), the way `pathprobe run` runs.
   */
  prober?: Prober;
  /** resolv.conf / hosts overrides handed to every probe. */
  probeContext?: Omit<ProbeContext, 'signal' | 'deadlineAt'>;
  version?: string;
  /** The scheduler's clock; given, the scheduler runs on the agent's thread (a clock cannot cross threads). */
  clock?: Clock;
  /** Epoch ms for timestamps (default Date.now). */
  now?: () => number;
  /** Cap on probe runs in flight (default: min(1024, soft descriptor limit ÷ 2), 256 if unknown). */
  maxInFlight?: number;
  /**
   * Nice value (0–19) the probe thread gives the agent's main thread and the threads started after
   * it (metrics render, catalog parse) so that probes start and are timed first when the CPUs are
   * busy; 0 or absent leaves them (agent/thread-priority.ts). `pathprobe run` uses 19 (--serve-nice).
   */
  serveNice?: number;
  /** Catalog file watching; false disables it (reload() still works). */
  watch?: false | { debounceMs?: number; pollIntervalMs?: number };
}

/** What a reload did. */
export type ReloadOutcome =
  | { kind: 'applied'; summary: UpdateSummary }
  | { kind: 'unchanged' }
  | { kind: 'rejected'; errors: string[] };

/** A running agent. */
export interface Agent {
  listening: Listening;
  status: StatusStore;
  registry: Registry;
  metrics: AgentMetrics;
  /** The scheduler: on a probe thread, or on this one (LocalEngine) when a prober or clock was given. */
  engine: ProbeEngine;
  app: FastifyInstance;
  /** Loads the catalog files again when their content changed. */
  reload(): Promise<ReloadOutcome>;
  /** Stops scheduling, waits for in-flight probes up to `timeoutMs` (default 5 s), closes the server. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Invalid catalog at start: the located problems in the message. */
export class CatalogInvalidError extends PathprobeError {
  constructor(readonly problems: string[]) {
    super('PP_CATALOG_INVALID', `the catalog is invalid:\n  ${problems.join('\n  ')}`, 'fix the problems above; `pathprobe validate PATH` checks a catalog without running it');
    this.name = 'CatalogInvalidError';
  }
}

/**
 * Starts the agent. Throws CatalogInvalidError (PP_CATALOG_INVALID) when the catalog is invalid,
 * the loader's and selector's PathprobeErrors, and PP_LISTEN when it cannot listen.
 */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const version = options.version ?? VERSION;
  const formatProblem = options.formatProblem ?? formatCatalogProblem;
  const selectPaths = options.selectPaths ?? filterBySource;
  const loadCatalog = options.loadCatalog ?? loadCatalogFiles;
  const registry = new AgentRegistry();
  const metrics = createMetrics(registry, { version });
  const series = new PathSeries(metrics);
  const status = new StatusStore(options.source === undefined ? {} : { source: options.source });
  const recordResult = createResultFlow({ status, series, logger, now });
  const maxInFlight = options.maxInFlight ?? defaultMaxInFlight();
  if (options.serveNice !== undefined && !isNiceValue(options.serveNice)) {
    throw new RangeError(`serveNice must be a whole number from 0 to ${LOWEST_PRIORITY}, got ${options.serveNice}`);
  }
  // One observation per run: written in place (histogram-slots.ts), not through observe()'s per-call objects.
  const lag = new HistogramSlots(metrics.schedulerLagSeconds, () => ({}));
  // Out of file descriptors: the engine lowered its cap to keep some free for the server and catalog reads.
  let warnedAt = -Infinity;
  let warnedPriority = false;
  const hooks: EngineHooks = {
    result: (path, outcome, lagMs) => recordResult(path, outcome, lagMs),
    started: (lagMs) => lag.observe(0, Math.max(0, lagMs) / 1000),
    skipped: (path, reason, count) => {
      metrics.probesSkippedTotal.inc({ reason }, count);
      logger.debug({ path: path.name, reason, count }, 'probe run skipped');
    },
    inFlight: (count) => metrics.probesInFlight.set(count),
    error: (error, path) => logger.error({ err: error, path: path?.name ?? null }, 'result sink failed'),
    pressure: (cap) => {
      if (now() - warnedAt <= 10_000) return;
      warnedAt = now();
      logger.warn({ maxInFlight: cap }, 'out of file descriptors (EMFILE): fewer probes run at once until it passes');
    },
    lost: (error) => logger.warn({ err: error }, 'probe thread stopped: probes run on the main thread from now on'),
    priority: ({ nice, first, done }) => {
      if (done === undefined) {
        if (first) logger.info({ serveNice: nice }, 'thread priorities cannot be set here (no /proc/thread-self): every thread keeps its own');
        return;
      }
      const fields = { probeThreadId: done.thread, serveNice: nice, lowered: done.lowered, spared: done.spared, failed: done.failed, ...(done.firstError === undefined ? {} : { error: done.firstError }) };
      if (done.failed > 0 && !warnedPriority) {
        warnedPriority = true;
        logger.warn(fields, 'some threads could not be given a lower priority than the probe thread');
      } else if (first) logger.info(fields, "the probe thread runs first: the agent's other threads run at a lower priority");
      else logger.debug(fields, 'threads started since were given a lower priority');
    },
  };
  const engineOptions = {
    maxInFlight,
    ...(options.probeContext ? { probeContext: options.probeContext } : {}),
    ...(options.serveNice ? { serveNice: options.serveNice } : {}),
  };
  const engine: ProbeEngine =
    options.prober !== undefined || options.clock !== undefined
      ? new LocalEngine(hooks, { ...engineOptions, ...(options.prober ? { prober: options.prober } : {}), ...(options.clock ? { clock: options.clock } : {}) })
      : new ThreadEngine(hooks, engineOptions);

  /** Loads and selects; returns the paths, or the formatted problems. */
  const loadPaths = async (): Promise<{ paths: PathSpec[]; warnings: string[] } | { errors: string[] }> => {
    const result = await loadCatalog(options.catalogPaths);
    if (!result.catalog || result.errors.length > 0) return { errors: result.errors.map(formatProblem) };
    const paths = options.source === undefined ? result.catalog.paths : selectPaths(result.catalog, options.source);
    return { paths, warnings: result.warnings.map(formatProblem) };
  };

  // The status and series take the new paths when the engine commits them: results of the old
  // paths still arriving from a probe thread are recorded against the old ones.
  const apply = async (paths: PathSpec[]): Promise<UpdateSummary> => {
    const summary = await engine.update(paths, () => {
      series.applyCatalog(paths);
      logStateChanges(logger, status.setCatalog(paths, now()));
    });
    metrics.catalogLastReloadSuccessful.set(1);
    metrics.catalogLastReloadSuccessTimestampSeconds.set(now() / 1000);
    return summary;
  };

  // The probe thread starts while the catalog loads; it ends if the catalog cannot be run.
  let lastHash: string;
  let first: { paths: PathSpec[]; warnings: string[] };
  try {
    lastHash = await hashCatalogFiles(options.catalogPaths);
    const loaded = await loadPaths();
    if ('errors' in loaded) throw new CatalogInvalidError(loaded.errors);
    first = loaded;
    for (const warning of first.warnings) logger.warn({ problem: warning }, 'catalog warning');
    await apply(first.paths);
  } catch (error) {
    await engine.stop(0);
    throw error;
  }
  status.setReady(true);
  logger.info(
    { paths: first.paths.length, source: options.source ?? null, catalog: options.catalogPaths, maxInFlight, probeThread: engine.offThread },
    'catalog loaded; paths scheduled',
  );
  if (options.source !== undefined && first.paths.length === 0) logger.warn({ source: options.source }, 'the source has no paths');

  // A status page rendered for one viewer serves every viewer for a second (it refreshes every 10 s).
  const app = buildApp({ registry, status, logger, version, pageCacheMs: 1000 });
  // /metrics renders the per-path series in a worker thread (metrics/path-table.ts).
  registry.paths.startWorker((error) => logger.warn({ err: error }, 'metrics render worker stopped: /metrics is rendered on the main thread from now on'));
  let listening: Listening;
  try {
    listening = await listen(app, options.listen);
  } catch (error) {
    await engine.stop(0);
    await app.close();
    await registry.paths.close();
    throw error;
  }
  logger.info({ url: listening.url }, 'serving /metrics, /-/healthy, /-/ready, /api/v1/paths and the status page');

  // Reloads run one at a time; a change seen while one runs is picked up by the next.
  let queue: Promise<unknown> = Promise.resolve();
  const reloadNow = async (): Promise<ReloadOutcome> => {
    const hash = await hashCatalogFiles(options.catalogPaths);
    if (hash === lastHash) return { kind: 'unchanged' };
    const previousHash = lastHash;
    lastHash = hash;
    let loaded: Awaited<ReturnType<typeof loadPaths>>;
    try {
      loaded = await loadPaths();
    } catch (error) {
      // The files could not be read (EMFILE, a ConfigMap swap in progress): nothing was judged,
      // so the content is not marked as seen and the next event or poll tries it again.
      lastHash = previousHash;
      const message = error instanceof Error ? error.message : String(error);
      loaded = { errors: [message] };
    }
    if ('errors' in loaded) {
      metrics.catalogLastReloadSuccessful.set(0);
      logger.error({ errors: loaded.errors }, `catalog reload rejected; keeping the last good catalog:\n  ${loaded.errors.join('\n  ')}`);
      return { kind: 'rejected', errors: loaded.errors };
    }
    for (const warning of loaded.warnings) logger.warn({ problem: warning }, 'catalog warning');
    const summary = await apply(loaded.paths);
    logger.info(
      { paths: loaded.paths.length, added: summary.added, changed: summary.changed, removed: summary.removed },
      'catalog reloaded',
    );
    return { kind: 'applied', summary };
  };
  const reload = (): Promise<ReloadOutcome> => {
    const next = queue.then(reloadNow, reloadNow);
    queue = next.catch(() => undefined);
    return next;
  };

  let watcher: CatalogWatch | undefined;
  if (options.watch !== false) {
    watcher = await watchCatalog({
      paths: options.catalogPaths,
      ...options.watch,
      onChange: () => {
        reload().catch((error: unknown) => logger.error({ err: error }, 'catalog reload failed'));
      },
      onError: (error) => logger.warn({ err: error }, 'catalog watch error; polling continues'),
    });
  }

  let stopped: Promise<void> | undefined;
  const stop = (timeoutMs = 5000): Promise<void> =>
    (stopped ??= (async () => {
      status.setReady(false);
      watcher?.close();
      await queue;
      const abandoned = await engine.stop(timeoutMs);
      if (Number.isNaN(abandoned)) logger.warn('the probe thread did not answer the stop in time and was ended; its probes in flight were abandoned');
      else if (abandoned > 0) logger.warn({ abandoned }, 'probes still running at shutdown were abandoned');
      await app.close();
      await registry.paths.close();
      logger.info('agent stopped');
    })());

  return { listening, status, registry, metrics, engine, app, reload, stop };
}
