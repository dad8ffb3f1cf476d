// loadCatalogFiles in a worker thread, so that parsing a large catalog (~0.6 s of YAML for
// 10,000 paths) does not block the agent's event loop and the probes it schedules. Same result
// and errors as loadCatalogFiles; falls back to loading on this thread if no worker can start.
import { siblingModule, startWorker } from '../worker-entry.js';
import { CatalogReadError, loadCatalogFiles, type LoadOptions } from './load.js';
import { PathprobeError } from '../errors.js';
import type { CatalogLoadResult } from './types.js';

type Reply = { ok: true; result: CatalogLoadResult } | { ok: false; error: { name?: string; code?: string; message: string; hint?: string } };

const WORKER = siblingModule(import.meta.url, 'load-worker');

/** Loads the catalog files in a worker thread; see loadCatalogFiles. */
export async function loadCatalogOffThread(paths: string[], options: LoadOptions = {}): Promise<CatalogLoadResult> {
  let reply: Reply | undefined;
  try {
    reply = await new Promise<Reply | undefined>((resolve, reject) => {
      const worker = startWorker(WORKER, { workerData: { paths, options } });
      worker.once('message', (message: Reply) => {
        resolve(message);
        void worker.terminate();
      });
      worker.once('error', reject);
      worker.once('exit', () => resolve(undefined));
    });
  } catch {
    reply = undefined;
  }
  // No worker (out of threads or descriptors, a failed start): load here.
  if (reply === undefined) return loadCatalogFiles(paths, options);
  if (reply.ok) return reply.result;
  const { error } = reply;
  if (error.code === 'PP_CATALOG_READ') throw new CatalogReadError(error.message, error.hint ?? '');
  if (error.code !== undefined) throw new PathprobeError(error.code, error.message, error.hint ?? '');
  throw new Error(error.message);
}
