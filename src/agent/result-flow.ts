// The one fan-out of a finished probe to its sinks: status store, metrics, logs.
import type { Logger } from 'pino';
import type { PathSpec } from '../catalog/types.js';
import type { PathSeries } from '../metrics/path-series.js';
import type { ProbeOutcome } from '../probe/types.js';
import type { StateChange, StatusStore } from './status-store.js';

/** What the result flow writes to. */
export interface ResultSinks {
  status: StatusStore;
  series: PathSeries;
  logger: Logger;
  /** Epoch ms (Date.now by default). */
  now?: () => number;
}

/** Records one finished probe in every sink; `lagMs` is how late its run started. */
export type RecordResult = (path: PathSpec, outcome: ProbeOutcome, lagMs?: number) => void;

/** Logs state changes at info level: path, from, to, result, detail. */
export function logStateChanges(logger: Logger, changes: readonly StateChange[]): void {
  for (const change of changes) {
    const last = change.status.last;
    logger.info(
      {
        path: change.status.spec.name,
        from: change.from,
        to: change.to,
        result: last?.outcome.result ?? null,
        detail: last?.outcome.detail ?? '',
      },
      'path state changed',
    );
  }
}

/** Builds recordResult over the given sinks. */
export function createResultFlow(sinks: ResultSinks): RecordResult {
  const now = sinks.now ?? Date.now;
  return (path, outcome, lagMs) => {
    const at = now();
    const changes = sinks.status.record(path, outcome, at);
    const up = sinks.status.get(path.name)?.last?.up ?? false;
    sinks.series.recordResult(path, outcome, up, at);
    if (sinks.logger.isLevelEnabled('debug')) {
      sinks.logger.debug(
        {
          path: path.name,
          result: outcome.result,
          up,
          durationSeconds: outcome.durationSeconds,
          lagMs: lagMs === undefined ? undefined : Math.round(lagMs * 1000) / 1000,
          detail: outcome.detail,
        },
        'probe finished',
      );
    }
    logStateChanges(sinks.logger, changes);
  };
}
