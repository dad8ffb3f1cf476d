// GET /api/v1/paths built in slices is byte for byte what the route's schema serialiser writes
// for the whole list at once, and the event loop turns while a large list is built.
import t from 'tap';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { StatusStore } from '../../src/agent/status-store.js';
import { PathListSchema, PathViewSchema, type PathView } from '../../src/server/api-schema.js';
import { buildApp } from '../../src/server/app.js';
import type { ExplainReader } from '../../src/server/explain-reader.js';
import { renderPathList } from '../../src/server/paths-list.js';
import { toPathView } from '../../src/server/path-view.js';
import { FIXTURE_NOW, MemoryStatusReader, hostileStatus, platformStatuses } from '../helpers/status-fixtures.js';
import { makePath } from '../fixtures/path-spec.js';
import { countTurns } from '../helpers/loop-turns.js';

t.test('same bytes as the schema serialiser on the whole list (hostile text, policy, a source)', async (t) => {
  const statuses = [...platformStatuses(), hostileStatus()];
  const explain = { get: (name: string) => (name.length % 2 ? { verdict: 'denied_ingress', summary: `no policy <"${name}">` } : undefined) } as ExplainReader;
  // The list as the route used to answer it: one object, serialised by Fastify with PathListSchema.
  const reference = Fastify();
  reference.get('/whole', { schema: { response: { 200: PathListSchema } } }, async (request) => ({
    source: (request.query as { source?: string }).source ?? null,
    generatedAt: new Date(FIXTURE_NOW).toISOString(),
    paths: statuses.map((s) => toPathView(s, explain)),
  }));
  t.teardown(() => reference.close());
  for (const source of [undefined, 'eso']) {
    const app = buildApp({ registry: new Registry(), status: new MemoryStatusReader(statuses, true, source), version: 'x', now: () => FIXTURE_NOW, explain });
    t.teardown(() => app.close());
    const got = await app.inject('/api/v1/paths');
    const want = await reference.inject(`/whole${source ? `?source=${source}` : ''}`);
    t.equal(got.body, want.body, `source ${source ?? 'null'}`);
    t.match(got.headers['content-type'], /^application\/json/);
    const one = await app.inject(`/api/v1/paths?path=${encodeURIComponent(statuses[2]!.spec.name)}`);
    t.same(one.json().paths, [JSON.parse(want.body).paths[2]], '?path= selects one');
  }
});

t.test('slices of any size give the same bytes; the loop turns during a large list', async (t) => {
  const store = new StatusStore();
  const specs = Array.from({ length: 2000 }, (_, i) => makePath(`p-${i}`));
  store.setCatalog(specs, 0);
  for (let k = 0; k < 20; k++) for (const s of specs) store.record(s, { result: 'ok', phases: { total: 0.001 }, durationSeconds: 0.001, detail: 'd' }, 1_700_000_000_000 + k);
  const app = Fastify();
  let serializeView: ((v: PathView) => string) | undefined;
  app.get('/s', async (_request, reply) => {
    serializeView = reply.compileSerializationSchema(PathViewSchema) as (v: PathView) => string;
    return 'ok';
  });
  await app.inject('/s');
  t.teardown(() => app.close());
  const input = { source: null, generatedAt: '2025-01-01T00:00:00.000Z', statuses: store.list(), serializeView: serializeView! };
  const whole = (await renderPathList(input, 1_000_000)).toString();
  t.equal(JSON.parse(whole).paths.length, 2000);
  for (const slice of [1, 7, 25]) t.equal((await renderPathList(input, slice)).toString(), whole, `slice ${slice}`);
  const { turns } = await countTurns(() => renderPathList(input, 25));
  t.ok(turns >= 50, `${turns} turns of the loop while 2,000 paths were serialised`);
  t.same((await renderPathList({ ...input, statuses: [] })).toString(), '{"source":null,"generatedAt":"2025-01-01T00:00:00.000Z","paths":[]}', 'an empty list');
});
