// Runs the live explainer until stopped: load the catalog, start the informers, serve /metrics,
// /-/healthy, /-/ready, /api/v1/explain and the status page, reload the catalog when its
// file (or mounted ConfigMap) changes, and on SIGHUP.
import { resolve as resolvePath } from 'node:path';
import { hashCatalogFiles, watchCatalog } from '../agent/catalog-watcher.js';
import pino from 'pino';
import { Registry } from 'prom-client';
import { formatProblem, loadCatalogFiles } from '../catalog/load.js';
import type { Catalog } from '../catalog/types.js';
import type { CommandIO } from '../cli/command.js';
import { KubeConfigTransport } from '../k8s/api-transport.js';
import type { BackoffOptions } from '../k8s/backoff.js';
import { ClusterInformers } from '../k8s/cluster-informers.js';
import { loadKubeConfig } from '../k8s/kube-config.js';
import { createExplainerMetrics } from '../metrics/explainer-metrics.js';
import { buildApp } from '../server/app.js';
import { listen } from '../server/listen.js';
import { VERSION } from '../version.js';
import { explainerReportReader, explainerStatusReader, explainerVerdictReader } from './explainer-readers.js';
import { LiveExplainer, type ExplainEngine, type LiveExplanation } from './live-explainer.js';

/** What `pathprobe explainer` was asked to do. */
export interface ExplainerRunOptions {
  catalog: string[];
  listen?: string;
  kubeconfig?: string;
  /** Test hooks: faster retries and watch timeouts than production defaults. */
  backoff?: BackoffOptions;
  watchTimeoutSeconds?: number;
}

/** Runs until io.stopSignal; resolves to the exit status (1 when the first catalog is invalid). */
export async function runExplainer(
  opts: ExplainerRunOptions, io: CommandIO, createEngine: () => ExplainEngine<LiveExplanation>,
): Promise<number> {
  const logger = pino({ base: { component: 'explainer' } }, io.stderr as pino.DestinationStream);
  const first = await loadCatalog(opts.catalog, io);
  if (!first) return 1;

  const kc = loadKubeConfig({ ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}), env: io.env });
  const transport = new KubeConfigTransport(kc, `pathprobe-explainer/${VERSION}`);
  const informers = new ClusterInformers({
    transport, logger: logger.child({ part: 'informer' }),
    ...(opts.backoff ? { backoff: opts.backoff } : {}),
    ...(opts.watchTimeoutSeconds ? { watchTimeoutSeconds: opts.watchTimeoutSeconds } : {}),
  });
  const registry = new Registry();
  const live = new LiveExplainer({ informers, createEngine, metrics: createExplainerMetrics(registry), logger });
  live.setCatalog(first);

  const app = buildApp({
    registry, version: VERSION, logger,
    status: explainerStatusReader(live),
    explain: explainerVerdictReader(live),
    explainReport: explainerReportReader(live, informers),
  });
  // Relative catalog paths are read from io.cwd; watch and hash the same files.
  const catalogFiles = opts.catalog.map((p) => resolvePath(io.cwd, p));
  let lastHash = await hashCatalogFiles(catalogFiles);
  const reload = () => {
    void hashCatalogFiles(catalogFiles).then((hash) => {
      if (hash === lastHash) return;
      lastHash = hash;
      return loadCatalog(opts.catalog, io).then((catalog) => {
        if (catalog) {
          live.setCatalog(catalog);
          logger.info({ paths: catalog.paths.length }, 'catalog reloaded');
        } else {
          logger.warn({}, 'the new catalog is invalid; keeping the last good one');
        }
      });
    }).catch((err: Error) => logger.warn({ err: err.message }, 'cannot read the catalog; keeping the last good one'));
  };
  const onSighup = () => { lastHash = ''; reload(); };
  process.on('SIGHUP', onSighup);
  const watcher = await watchCatalog({
    paths: catalogFiles, onChange: reload, onError: (err) => logger.warn({ err: err.message }, 'catalog watch error'),
  });
  try {
    const where = await listen(app, opts.listen);
    logger.info({ url: where.url, server: kc.getCurrentCluster()?.server }, 'explainer listening');
    informers.start();
    live.start();
    if (!io.stopSignal.aborted) await new Promise((resolve) => io.stopSignal.addEventListener('abort', resolve, { once: true }));
  } finally {
    process.off('SIGHUP', onSighup);
    watcher.close();
    live.stop();
    await informers.stop();
    await app.close();
    await transport.close();
  }
  return 0;
}

/** Loads the catalog; prints located problems and returns undefined when invalid. */
async function loadCatalog(paths: string[], io: CommandIO): Promise<Catalog | undefined> {
  const result = await loadCatalogFiles(paths, { cwd: io.cwd });
  for (const p of result.errors) io.stderr.write(`${formatProblem(p)}\n`);
  return result.errors.length === 0 ? result.catalog : undefined;
}
