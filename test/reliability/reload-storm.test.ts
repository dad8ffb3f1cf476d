// A reload storm: the catalog file replaced every few milliseconds for seconds, with valid and
// invalid content, atomically (rename) and in place. Afterwards the last good catalog runs, an
// invalid one is still refused, and the agent holds exactly what it held before the storm — same
// timers, watchers, sockets and descriptors — and, once stopped, what the process held before it.
// Duration: STORM_SECONDS (default 3).
import t from 'tap';
import { watch } from 'node:fs';
import { createServer } from 'node:net';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { startAgent } from '../../src/agent/agent.js';
import { CatalogReadError, loadCatalogFiles } from '../../src/catalog/load.js';
import { until } from '../helpers/until.js';
import { parseSamples, sum } from '../helpers/prom-text.js';
import { resourcesAtRest } from './helpers/resources.js';
import { generateCatalog, tempDir } from './helpers/targets.js';

const STORM_MS = Number(process.env.STORM_SECONDS ?? 3) * 1000;

t.test(`reload storm for ${STORM_MS / 1000} s: last good catalog kept, nothing leaked`, async (t) => {
  const target = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => target.listen({ host: '127.0.0.1', port: 0 }, resolve));
  t.teardown(() => new Promise<void>((resolve) => target.close(() => resolve())));
  const port = (target.address() as { port: number }).port;
  const dir = await tempDir(t);
  const file = join(dir, 'catalog.yaml');
  const valid = (n: number, prefix = 'storm') => generateCatalog({ count: n, check: 'tcp', port, interval: '1s', timeout: '500ms', prefix });
  const invalid = [
    valid(5).replace('check: tcp', 'check: ftp'),
    valid(5).replace('paths:', 'paths: [oops'),
    valid(5).replace('apiVersion: pathprobe/v1', 'apiVersion: pathprobe/v9'),
    '',
    '\u0000\u0001binary\uffff garbage',
    valid(5).replace('  - {name: storm-0,', '  - {name: storm-1,'),
  ];
  const initial = valid(20);
  await writeFile(file, initial);

  // libuv opens one inotify descriptor per process on the first fs.watch and keeps it for
  // good: open it before the baseline so that only what the agent holds is compared.
  watch(dir).close();
  const before = await resourcesAtRest();
  let reloads = { applied: 0, rejected: 0 };
  const logger = pino({ level: 'info' }, {
    write: (line: string) => {
      if (line.includes('"msg":"catalog reloaded"')) reloads.applied++;
      else if (line.includes('keeping the last good catalog')) reloads.rejected++;
    },
  });
  // No prober given: the scheduler and probes run on the agent's probe thread, as in `pathprobe run`.
  const agent = await startAgent({ catalogPaths: [file], listen: '127.0.0.1:0', logger, watch: { debounceMs: 5, pollIntervalMs: 500 } });
  t.ok(agent.engine.offThread, 'the probe thread runs');
  let stopped = false;
  t.teardown(() => (stopped ? undefined : agent.stop(1000)));
  await until('first results', () => agent.status.list().every((s) => s.last !== undefined), 5000);
  const running = await resourcesAtRest();

  // The storm: every ~10 ms a new file, two writes in three atomic (write + rename), the third in place.
  let writes = 0;
  const end = Date.now() + STORM_MS;
  while (Date.now() < end) {
    const text = writes % 3 === 2 ? invalid[writes % invalid.length]! : valid(10 + (writes % 17));
    if (writes % 3 === 1) await writeFile(file, text);
    else {
      await writeFile(join(dir, `.tmp-${writes}`), text);
      await rename(join(dir, `.tmp-${writes}`), file);
    }
    writes++;
    await sleep(10);
  }
  t.comment(`storm: ${writes} writes in ${STORM_MS} ms; reloads applied ${reloads.applied}, rejected ${reloads.rejected}`);
  t.ok(reloads.applied > 0 && reloads.rejected > 0, 'the storm made the agent both apply and reject catalogs');

  // Settle on a known good catalog, then an invalid one: the good one must keep running.
  await writeFile(file, valid(20));
  await until('the final catalog', () => agent.status.list().length === 20 && agent.engine.paths().length === 20, 5000);
  const rejectedBefore = reloads.rejected;
  await writeFile(file, invalid[0]!);
  await until('the invalid catalog rejected', () => reloads.rejected > rejectedBefore, 5000);
  const names = agent.status.list().map((s) => s.spec.name);
  t.same(names, Array.from({ length: 20 }, (_, i) => `storm-${i}`), 'the last good catalog is kept');
  t.same(agent.engine.paths().map((p) => p.name), names, 'and scheduled');
  const samples = parseSamples(await agent.registry.metrics());
  t.equal(sum(samples, 'pathprobe_catalog_last_reload_successful'), 0, 'the rejection shows in the metrics');
  t.equal(sum(samples, 'pathprobe_catalog_paths'), 20);
  const lastAt = () => agent.status.get('storm-19')?.last?.at ?? 0;
  const probedAt = lastAt();
  await until('still probing', () => lastAt() > probedAt, 3000);

  // Back to the content it started with: it holds what it held then.
  const appliedBefore = reloads.applied;
  await writeFile(file, initial);
  await until('the initial catalog applied', () => reloads.applied > appliedBefore, 5000);
  await sleep(300);
  const after = await resourcesAtRest();
  t.same(after, running, 'after the storm: the same handles, timers, watchers and descriptors as before it');
  t.comment(`at rest while running: ${JSON.stringify(running)}`);

  stopped = true;
  await agent.stop(2000);
  await sleep(100);
  t.same(await resourcesAtRest(), before, 'stopped: back to what the process held before the agent');
});

t.test('a catalog that could not be read (EMFILE) is tried again, not taken as seen', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'catalog.yaml');
  await writeFile(file, generateCatalog({ count: 2, check: 'tcp', port: 9, prefix: 'before' }));
  let failNext = false;
  const agent = await startAgent({
    catalogPaths: [file],
    listen: '127.0.0.1:0',
    logger: pino({ level: 'silent' }),
    prober: async () => ({ result: 'ok', phases: { total: 0 }, durationSeconds: 0, detail: '' }),
    loadCatalog: async (paths) => {
      if (failNext) {
        failNext = false;
        throw new CatalogReadError('cannot read catalog file: EMFILE: too many open files', 'retry', Object.assign(new Error('EMFILE'), { code: 'EMFILE' }));
      }
      return loadCatalogFiles(paths);
    },
    watch: false,
  });
  t.teardown(() => agent.stop(0));
  await writeFile(file, generateCatalog({ count: 3, check: 'tcp', port: 9, prefix: 'after' }));
  failNext = true;
  const first = await agent.reload();
  t.equal(first.kind, 'rejected', 'the unreadable catalog is rejected');
  t.same(agent.status.list().map((s) => s.spec.name), ['before-0', 'before-1'], 'the last good one runs');
  const second = await agent.reload();
  t.equal(second.kind, 'applied', 'the same content is loaded on the next try (not "unchanged")');
  t.same(agent.status.list().map((s) => s.spec.name), ['after-0', 'after-1', 'after-2']);
});
