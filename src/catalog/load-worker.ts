// Worker-thread entry of loadCatalogOffThread: loads the catalog files given in workerData and
// posts the result (plain data) or the error that loading threw.
import { parentPort, workerData } from 'node:worker_threads';
import { loadCatalogFiles, type LoadOptions } from './load.js';

const { paths, options } = workerData as { paths: string[]; options: LoadOptions };
try {
  parentPort!.postMessage({ ok: true, result: await loadCatalogFiles(paths, options) });
} catch (error) {
  const e = error as { name?: string; code?: string; message?: string; hint?: string };
  parentPort!.postMessage({ ok: false, error: { name: e.name, code: e.code, message: e.message ?? String(error), hint: e.hint } });
}
