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
import { Scheduler, type UpdateSummary } from '../schedule/scheduler.js';
import { buildApp } from '../server/app.js';
import { listen, type Listening } from '../server/listen.js';
import { VERSION } from '../version.js';
import { hashCatalogFiles, watchCatalog, type CatalogWatch } from './catalog-watcher.js';
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
  /** Runs one probe (never rejects). */
  prober: Prober;
  /** resolv.conf / hosts overrides handed to every probe. */
  probeContext?: Omit<ProbeContext, 'signal'>;
  version?: string;
  clock?: Clock;
  /** Epoch ms for timestamps (default Date.now). */
  now?: () => number;
  /** Cap on probe runs in flight (default: min(1024, soft descriptor limit ÷ 2), 256 if unknown). */
  maxInFlight?: number;
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
  scheduler: Scheduler;
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
  // One observation per run: written in place (histogram-slots.ts), not through observe()'s per-call objects.
  const lag = new HistogramSlots(metrics.schedulerLagSeconds, () => ({}));
  // Out of file descriptors: keep some free for the server and catalog reads (see Scheduler.pressure).
  let warnedAt = -Infinity;
  const outOfDescriptors = () => {
    const before = scheduler.inFlightCap;
    scheduler.pressure();
    if (scheduler.inFlightCap < before && now() - warnedAt > 10_000) {
      warnedAt = now();
      logger.warn({ maxInFlight: scheduler.inFlightCap }, 'out of file descriptors (EMFILE): fewer probes run at once until it passes');
    }
  };
  const scheduler: Scheduler = new Scheduler({
    ...(options.clock ? { clock: options.clock } : {}),
    maxInFlight,
    probe: (path, signal, deadlineAt) => options.prober(path, { ...options.probeContext, signal, deadlineAt }),
    onResult: (path, outcome, timing) => {
      if (outcome.outOfDescriptors) outOfDescriptors();
      recordResult(path, outcome, timing);
    },
    onStart: (_path, timing) => lag.observe(0, Math.max(0, timing.lagMs) / 1000),
    onSkip: (path, reason, count) => {
      metrics.probesSkippedTotal.inc({ reason }, count);
      logger.debug({ path: path.name, reason, count }, 'probe run skipped');
    },
    onInFlightChange: (n) => metrics.probesInFlight.set(n),
    onError: (error, path) => logger.error({ err: error, path: path.name }, 'result sink failed'),
  });

  /** Loads and selects; returns the paths, or the formatted problems. */
  const loadPaths = async (): Promise<{ paths: PathSpec[]; warnings: string[] } | { errors: string[] }> => {
    const result = await loadCatalog(options.catalogPaths);
    if (!result.catalog || result.errors.length > 0) return { errors: result.errors.map(formatProblem) };
    const paths = options.source === undefined ? result.catalog.paths : selectPaths(result.catalog, options.source);
    return { paths, warnings: result.warnings.map(formatProblem) };
  };

  const apply = (paths: PathSpec[]): UpdateSummary => {
    const at = now();
    series.applyCatalog(paths);
    logStateChanges(logger, status.setCatalog(paths, at));
    const summary = scheduler.update(paths);
    metrics.catalogLastReloadSuccessful.set(1);
    metrics.catalogLastReloadSuccessTimestampSeconds.set(at / 1000);
    return summary;
  };

  let lastHash = await hashCatalogFiles(options.catalogPaths);
  const first = await loadPaths();
  if ('errors' in first) throw new CatalogInvalidError(first.errors);
  for (const warning of first.warnings) logger.warn({ problem: warning }, 'catalog warning');
  apply(first.paths);
  status.setReady(true);
  logger.info({ paths: first.paths.length, source: options.source ?? null, catalog: options.catalogPaths, maxInFlight }, 'catalog loaded; paths scheduled');
  if (options.source !== undefined && first.paths.length === 0) logger.warn({ source: options.source }, 'the source has no paths');

  // A status page rendered for one viewer serves every viewer for a second (it refreshes every 10 s).
  const app = buildApp({ registry, status, logger, version, pageCacheMs: 1000 });
  // /metrics renders the per-path series in a worker thread (metrics/path-table.ts).
  registry.paths.startWorker((error) => logger.warn({ err: error }, 'metrics render worker stopped: /metrics is rendered on the main thread from now on'));
  let listening: Listening;
  try {
    listening = await listen(app, options.listen);
  } catch (error) {
    await scheduler.stop(0);
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
    const summary = apply(loaded.paths);
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
      const abandoned = await scheduler.stop(timeoutMs);
      if (abandoned > 0) logger.warn({ abandoned }, 'probes still running at shutdown were abandoned');
      await app.close();
      await registry.paths.close();
      logger.info('agent stopped');
    })());

  return { listening, status, registry, metrics, scheduler, app, reload, stop };
}
