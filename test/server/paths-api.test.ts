import t from 'tap';
import { Ajv } from 'ajv';
import { Registry } from 'prom-client';
import { buildApp } from '../../src/server/app.js';
import { ApiErrorSchema, PathListSchema, PathViewSchema } from '../../src/server/api-schema.js';
import { HTTP_ERRORS } from '../../src/server/http-errors.js';
import type { ExplainReader } from '../../src/server/explain-reader.js';
import { FIXTURE_NOW, MemoryStatusReader, hostileStatus, platformStatuses, HOSTILE } from '../helpers/status-fixtures.js';

// Strict validation of what actually went over the wire (not of what the handler returned).
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(s) && !Number.isNaN(Date.parse(s)));
const validList = ajv.compile(PathListSchema);
const validPath = ajv.compile(PathViewSchema);
const validError = ajv.compile(ApiErrorSchema);

function setup(t: { teardown(fn: () => unknown): void }, opts: { explain?: ExplainReader; source?: string } = {}) {
  const status = new MemoryStatusReader([...platformStatuses(), hostileStatus()], true, opts.source);
  const app = buildApp({ registry: new Registry(), status, version: '0.1.0', now: () => FIXTURE_NOW, explain: opts.explain });
  t.teardown(() => app.close());
  return { app, status };
}

t.test('GET /api/v1/paths conforms to its schema and keeps catalog order', async (t) => {
  const { app, status } = setup(t);
  const res = await app.inject('/api/v1/paths');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json/);
  const body = res.json();
  t.ok(validList(body), JSON.stringify(validList.errors));
  t.equal(body.source, null, 'null source: this agent runs every path');
  t.equal(body.generatedAt, '2025-03-04T10:15:00.000Z');
  t.same(body.paths.map((p: { name: string }) => p.name), status.list().map((s) => s.spec.name));
  t.same(Object.keys(body.paths[0]), [
    'name', 'baseName', 'source', 'fromNamespace', 'check', 'target', 'toNamespace', 'expect', 'control',
    'severity', 'owner', 'runbook', 'intervalSeconds', 'timeoutSeconds', 'state', 'up', 'result', 'detail',
    'status', 'durationSeconds', 'phases', 'lastProbeAt', 'lastChangeAt', 'lastSuccessAt', 'history', 'policy',
  ]);
});

t.test('a failing path reports what the agent observed, with ISO timestamps', async (t) => {
  const { app } = setup(t);
  const vault = (await app.inject('/api/v1/paths/eso-to-vault')).json();
  t.ok(validPath(vault), JSON.stringify(validPath.errors));
  t.match(vault, {
    name: 'eso-to-vault', source: 'eso', fromNamespace: 'external-secrets', check: 'tcp',
    target: 'vault.vault.svc.cluster.local:8200', toNamespace: 'vault', expect: 'reachable', control: null,
    severity: 'critical', owner: 'platform-security', runbook: 'https://runbooks.example.com/pathprobe/eso-to-vault',
    intervalSeconds: 30, timeoutSeconds: 5, state: 'down', up: false, result: 'timeout', status: null,
    durationSeconds: 5.0011, phases: { resolve: 0.0009, total: 5.0011 },
    lastProbeAt: '2025-03-04T10:14:56.000Z',
    // 3 timeouts 30 s apart, the last 4 s ago: the change happened at the first of them
    lastChangeAt: '2025-03-04T10:13:56.000Z',
    lastSuccessAt: '2025-03-04T10:13:26.000Z',
    policy: null,
  });
  t.match(vault.detail, /no answer to SYN/);
  t.notOk(validPath({ ...vault, state: 'sideways' }), 'the schema is strict: a bad state fails');
  t.notOk(validPath({ ...vault, extra: 1 }), 'the schema is strict: unknown keys fail');
  t.equal(vault.history.length, 8);
  t.same(vault.history.at(-1), { at: '2025-03-04T10:14:56.000Z', result: 'timeout', up: false, durationSeconds: 5.0011 });
  t.equal(vault.history[0].result, 'ok', 'history is oldest first');
});

t.test('pending, blocked and inconclusive paths', async (t) => {
  const { app } = setup(t);
  const pending = (await app.inject('/api/v1/paths/eso-to-aws-secrets-manager')).json();
  t.ok(validPath(pending), JSON.stringify(validPath.errors));
  t.match(pending, { state: 'pending', up: null, result: null, detail: null, durationSeconds: null, lastProbeAt: null, history: [], phases: {}, toNamespace: '' });
  const isolation = (await app.inject('/api/v1/paths/staging-never-reaches-prod-db')).json();
  t.match(isolation, { expect: 'blocked', control: 'prod-app-to-db', result: 'timeout', up: true, state: 'inconclusive' });
  const http = (await app.inject('/api/v1/paths/grafana-to-keycloak')).json();
  t.match(http, { check: 'http', result: 'ok', status: 302, state: 'up' });
});

t.test('?path= keeps only the exact name; fanned-out names with @ work in the URL', async (t) => {
  const { app } = setup(t);
  const one = (await app.inject('/api/v1/paths?path=team-a-dns%40team-b')).json();
  t.ok(validList(one));
  t.same(one.paths.map((p: { name: string }) => p.name), ['team-a-dns@team-b']);
  t.equal(one.paths[0].baseName, 'team-a-dns');
  const prefix = (await app.inject('/api/v1/paths?path=team-a-dns')).json();
  t.same(prefix.paths, [], 'exact match only, no prefix match');
  for (const url of ['/api/v1/paths/team-a-dns@team-b', '/api/v1/paths/team-a-dns%40team-b']) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 200, url);
    t.equal(res.json().result, 'dns_timeout');
  }
  const hostile = await app.inject('/api/v1/paths/' + encodeURIComponent(HOSTILE.name));
  t.equal(hostile.statusCode, 200);
  t.equal(hostile.json().name, HOSTILE.name, 'JSON carries names verbatim');
  // A name over 512 characters is the same error whichever way the URL carries it.
  for (const url of ['/api/v1/paths/' + 'x'.repeat(513), '/api/v1/paths?path=' + 'x'.repeat(513)]) {
    const tooLong = await app.inject(url);
    t.equal(tooLong.statusCode, 414, url.slice(0, 20));
    t.ok(validError(tooLong.json()));
    t.equal(tooLong.json().code, HTTP_ERRORS.uriTooLong.code);
  }
  const longest = await app.inject('/api/v1/paths?path=' + 'x'.repeat(512));
  t.equal(longest.statusCode, 200, '512 characters is still a name');
  t.same(longest.json().paths, []);
  const empty = await app.inject('/api/v1/paths?path=');
  t.equal(empty.statusCode, 400);
  t.ok(validError(empty.json()));
  t.equal(empty.json().code, HTTP_ERRORS.badRequest.code);
});

t.test('unknown path: 404 JSON error', async (t) => {
  const { app } = setup(t);
  const res = await app.inject('/api/v1/paths/no-such-path');
  t.equal(res.statusCode, 404);
  const body = res.json();
  t.ok(validError(body), JSON.stringify(validError.errors));
  t.same(body, { statusCode: 404, code: 'PP_PATH_NOT_FOUND', message: 'no path named "no-such-path"' });
});

t.test('source filter and explainer verdicts show up', async (t) => {
  const explain: ExplainReader = {
    get: (p) => (p === 'eso-to-vault' ? { verdict: 'denied_ingress', summary: 'no policy in vault allows ingress from external-secrets on 8200' } : undefined),
  };
  const { app } = setup(t, { explain, source: 'eso' });
  const body = (await app.inject('/api/v1/paths')).json();
  t.ok(validList(body), JSON.stringify(validList.errors));
  t.equal(body.source, 'eso');
  t.same(body.paths[0].policy, { verdict: 'denied_ingress', summary: 'no policy in vault allows ingress from external-secrets on 8200' });
  t.equal(body.paths[1].policy, null);
});
