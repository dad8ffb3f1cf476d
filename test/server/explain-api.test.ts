import t from 'tap';
import { Registry } from 'prom-client';
import { buildApp } from '../../src/server/app.js';
import type { ExplainApi } from '../../src/server/explain-api-schema.js';
import { MemoryStatusReader, platformStatuses, FIXTURE_NOW } from '../helpers/status-fixtures.js';

const report: ExplainApi = {
  generatedAt: new Date(FIXTURE_NOW).toISOString(),
  synced: true,
  connected: false,
  informers: [{ kind: 'Pod', synced: true, watching: false, resourceVersion: '42', objects: 3 }],
  paths: [{
    path: 'eso-to-vault', expect: 'reachable', verdict: 'denied_ingress', matches: false,
    egress: { isolated: false, allowedBy: [] }, ingress: { isolated: true, allowedBy: [] },
    suggestion: 'kind: NetworkPolicy', notes: ['no policy in vault allows ingress'],
  } as ExplainApi['paths'][number]],
};

t.test('GET /api/v1/explain serves the report, engine extras kept; absent without an explainer', async (t) => {
  const status = new MemoryStatusReader(platformStatuses(), true);
  const withReport = buildApp({ registry: new Registry(), status, version: '1', explainReport: { report: () => report } });
  const without = buildApp({ registry: new Registry(), status, version: '1' });
  t.teardown(async () => {
    await withReport.close();
    await without.close();
  });
  const res = await withReport.inject('/api/v1/explain');
  t.equal(res.statusCode, 200);
  t.same(res.json(), report);
  t.equal(res.headers['cache-control'], 'no-store');
  t.equal((await without.inject('/api/v1/explain')).statusCode, 404);
});
