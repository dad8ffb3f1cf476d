// loadCatalogOffThread: the same result and errors as loadCatalogFiles, loaded in a worker thread
// so the event loop keeps turning while a 10,000-path catalog is parsed.
import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogYaml, mixedPaths } from '../../src/bench/catalog.js';
import { CatalogReadError, loadCatalogFiles } from '../../src/catalog/load.js';
import { loadCatalogOffThread } from '../../src/catalog/load-off-thread.js';

const TARGETS = { tcpPort: 7, httpPort: 8, dnsPort: 53 } as Parameters<typeof catalogYaml>[1];

t.test('same result as on the main thread, without blocking it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-bench-offthread-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const big = join(dir, 'big.yaml');
  await writeFile(big, catalogYaml(mixedPaths('p', 10_000, 10), TARGETS));
  const bad = join(dir, 'bad.yaml');
  await writeFile(bad, 'apiVersion: pathprobe/v1\nkind: PathCatalog\npaths: [{name: x}]\n');

  const started = performance.now();
  const here = await loadCatalogFiles([big]);
  const hereMs = performance.now() - started;
  // A 5 ms timer counts the loop's turns while the worker parses: it must keep turning.
  let ticks = 0;
  let maxGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    ticks++;
  }, 5);
  const off = await loadCatalogOffThread([big]);
  clearInterval(timer);
  t.equal(off.catalog?.paths.length, 10_000);
  t.same(off, here, 'the same catalog, problems and warnings');
  t.ok(ticks >= 5, `the loop turned ${ticks} times during the load`);
  t.ok(maxGap < hereMs, `longest gap ${maxGap.toFixed(0)} ms < the ${hereMs.toFixed(0)} ms of loading on the main thread`);

  t.same(await loadCatalogOffThread([bad]), await loadCatalogFiles([bad]), 'an invalid catalog: the same problems');
  await t.rejects(loadCatalogOffThread([join(dir, 'missing.yaml')]), CatalogReadError, 'a missing file: CatalogReadError');
  await t.rejects(loadCatalogOffThread([join(dir, 'missing.yaml')]), { code: 'PP_CATALOG_READ' });
});
