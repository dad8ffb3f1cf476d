// Starts a worker thread on a module of this package. Built (dist/), the module is a .js file and
// runs as it is. Under tsx (the tests), the worker is a fresh thread that does not inherit tsx's
// loader on Node.js 20, so a .ts module is loaded through a small bootstrap that registers tsx in
// the worker first; without it the worker would fail and every caller fall back to its own thread,
// and the worker code would go untested.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `./name.js` next to `base` (an import.meta.url), or `./name.ts` when `base` is TypeScript source. */
export function siblingModule(base: string, name: string): URL {
  return new URL(base.endsWith('.ts') ? `./${name}.ts` : `./${name}.js`, base);
}

/** A Worker on `module` (see siblingModule). */
export function startWorker(module: URL, options: WorkerOptions = {}): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, options);
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
