import t from 'tap';
import { createHash } from 'node:crypto';
import { Registry } from 'prom-client';
import { RESULT_CLASSES, RESULT_MEANING } from '../../src/classify/result-class.js';
import { buildApp } from '../../src/server/app.js';
import type { ExplainReader } from '../../src/server/explain-reader.js';
import { escapeHtml } from '../../src/server/page/escape.js';
import { PAGE_CSP } from '../../src/server/page/layout.js';
import { FIXTURE_NOW, HOSTILE, MemoryStatusReader, hostileStatus, platformStatuses } from '../helpers/status-fixtures.js';
import type { PathStatus } from '../../src/agent/path-status.js';

async function page(t: { teardown(fn: () => unknown): void }, statuses: PathStatus[], opts: { ready?: boolean; explain?: ExplainReader } = {}) {
  const status = new MemoryStatusReader(statuses, opts.ready ?? true, 'eso');
  const app = buildApp({ registry: new Registry(), status, version: '1.2.3', now: () => FIXTURE_NOW, explain: opts.explain });
  t.teardown(() => app.close());
  return app.inject('/');
}

/** The opening tag of the element carrying `data-path="<name>"` with class `cls`. */
function tagOf(body: string, cls: string, name: string): string {
  const m = new RegExp(`<[a-z]+ [^>]*class="${cls}[^"]*"[^>]*data-path="${escapeHtml(name)}"[^>]*>`).exec(body);
  return m?.[0] ?? '';
}

t.test('the page is HTML with a strict CSP whose hash matches the inline stylesheet', async (t) => {
  const res = await page(t, platformStatuses());
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  t.equal(res.headers['content-security-policy'], PAGE_CSP);
  t.notMatch(PAGE_CSP, /unsafe|script-src|\*/);
  const css = /<style>([\s\S]*?)<\/style>/.exec(res.body)?.[1] ?? '';
  t.ok(css.length > 1000);
  const hash = createHash('sha256').update(css).digest('base64');
  t.match(PAGE_CSP, `style-src 'sha256-${hash}'`);
  t.notMatch(res.body, /<script|style="|\ssrc=|<link rel="stylesheet"/, 'no script, style attributes or loaded assets');
  const hrefs = [...res.body.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
  t.ok(hrefs.length > 10);
  for (const href of hrefs) t.match(href, /^(#path-\d+|\/api\/v1\/paths|\/metrics|data:image\/svg\+xml,|https:\/\/runbooks\.example\.com\/)/, href.slice(0, 60));
  t.match(res.body, '<meta http-equiv="refresh" content="10">');
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.equal(res.headers['cache-control'], 'no-store');
});

t.test('header, counts and the one-line verdict', async (t) => {
  const res = await page(t, platformStatuses(), { ready: false });
  t.match(res.body, '<title>✗ 4 failing · pathprobe eso</title>');
  t.match(res.body, /agent source <b>eso<\/b>/);
  t.match(res.body, 'v1.2.3');
  t.match(res.body, 'updated 2025-03-04 10:15:00 UTC');
  t.match(res.body, '>4 of 8 paths failing<');
  for (const [state, n] of [['up', 3], ['down', 3], ['inconclusive', 1], ['pending', 1]] as const) {
    t.match(res.body, new RegExp(`id="count-${state}"><span class="n">${n}</span>`), state);
  }
  t.match(res.body, '<b>Not ready.</b>');
  const ready = await page(t, platformStatuses());
  t.notMatch(ready.body, 'Not ready.');
});

t.test('matrix: rows are sources, columns destinations, cells coloured by result with text', async (t) => {
  const { body } = await page(t, platformStatuses());
  const matrix = /<table class="matrix"[\s\S]*?<\/table>/.exec(body)?.[0] ?? '';
  const columns = [...(/<thead>([\s\S]*?)<\/thead>/.exec(matrix)?.[1] ?? '').matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]);
  t.same(columns, ['source ↓ · destination →', 'vault', 'identity', 'default', 'production', 'secretsmanager.eu-west-1.amazonaws.com']);
  const rows = [...matrix.matchAll(/<th scope="row" class="row">([^<]*)</g)].map((m) => m[1]);
  t.same(rows, ['eso', 'grafana', 'team-a', 'team-b', 'prod-app', 'staging']);

  const vault = tagOf(matrix, 'chip', 'eso-to-vault');
  t.match(vault, 'class="chip fam-drop rc-timeout is-down"');
  t.match(matrix, /data-path="eso-to-vault"><span class="mark" aria-hidden="true">✗<\/span> <span class="res">timeout<\/span>/);
  t.match(tagOf(matrix, 'chip', 'prod-app-to-db'), 'fam-rejected rc-refused is-down');
  t.match(tagOf(matrix, 'chip', 'team-a-dns@team-b'), 'fam-dns rc-dns_timeout is-down');
  t.match(tagOf(matrix, 'chip', 'staging-never-reaches-vault'), 'fam-drop rc-timeout is-up', 'a blocked path that times out is up');
  t.match(tagOf(matrix, 'chip', 'staging-never-reaches-prod-db'), 'is-inconclusive');
  t.match(tagOf(matrix, 'chip', 'eso-to-aws-secrets-manager'), 'fam-pending is-pending');

  const legend = /<div class="legend"[\s\S]*?<\/div>/.exec(body)?.[0] ?? '';
  for (const c of RESULT_CLASSES) t.match(legend, new RegExp(`\\b${c}\\b`), `legend names ${c}`);
  t.match(legend, 'sw fam-drop');
});

t.test('table: failing first, with result, expect, latency, last change, detail and runbook', async (t) => {
  const { body } = await page(t, platformStatuses());
  const table = /<table class="paths"[\s\S]*?<\/table>/.exec(body)?.[0] ?? '';
  const order = [...table.matchAll(/<tr id="path-\d+" class="row-(\w+)" data-path="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
  t.same(order, [
    'down eso-to-vault', 'down team-a-dns@team-b', 'down prod-app-to-db',
    'inconclusive staging-never-reaches-prod-db', 'pending eso-to-aws-secrets-manager',
    'up grafana-to-keycloak', 'up team-a-dns@team-a', 'up staging-never-reaches-vault',
  ]);
  const vaultRow = /<tr id="path-0"[\s\S]*?<\/tr>/.exec(table)?.[0] ?? '';
  t.match(vaultRow, '✗ down');
  t.match(vaultRow, '<span class="badge fam-drop rc-timeout">timeout</span>');
  t.match(vaultRow, '<td>reachable</td>');
  t.match(vaultRow, '5.00 s');
  t.match(vaultRow, /<time datetime="2025-03-04T10:13:56.000Z" title="2025-03-04 10:13:56 UTC">64 s ago<\/time>/);
  t.match(vaultRow, 'connect to 10.96.41.7:8200: no answer to SYN within 5000 ms');
  t.match(vaultRow, '<a href="https://runbooks.example.com/pathprobe/eso-to-vault" rel="noopener noreferrer">runbook</a>');
  t.match(vaultRow, 'owner platform-security');
  t.match(table, /<span class="sub">see the platform wiki, page &quot;isolation&quot;<\/span>/, 'a non-URL runbook is text');
  t.match(table, /HTTP 302/);
  t.notMatch(table, '<th scope="col">policy</th>', 'no policy column without an explainer');
  t.match(table, '1.2 ms');
});

t.test('the result guide explains every class', async (t) => {
  const { body } = await page(t, platformStatuses());
  for (const c of RESULT_CLASSES) {
    const row = new RegExp(`<tr id="result-${c}">[\\s\\S]*?</tr>`).exec(body)?.[0] ?? '';
    t.match(row, escapeHtml(RESULT_MEANING[c].meaning), c);
  }
  t.match(body, /<b>timeout<\/b> means the packets were silently dropped/);
});

t.test('explainer verdicts get a column', async (t) => {
  const explain: ExplainReader = {
    get: (p) => (p === 'eso-to-vault' ? { verdict: 'denied_ingress', summary: 'no policy in <vault> allows ingress' } : undefined),
  };
  const { body } = await page(t, platformStatuses(), { explain });
  t.match(body, '<th scope="col">policy</th>');
  t.match(body, '<span class="mono">denied_ingress</span><span class="sub">no policy in &lt;vault&gt; allows ingress</span>');
});

t.test('hostile catalog and probe text is shown as text, never as markup', async (t) => {
  const { body } = await page(t, [...platformStatuses(), hostileStatus()], {
    explain: { get: () => ({ verdict: '<script>v()</script>', summary: '"><img src=x onerror=alert(1)>' }) },
  });
  t.notMatch(body, '<script', 'no raw <script> anywhere');
  t.notMatch(body, /<img|<svg|<b onmouseover|<i>/, 'no injected elements');
  t.notMatch(body, /href="javascript:/i, 'javascript: runbooks are not links');
  t.notMatch(body, HOSTILE.name);
  t.notMatch(body, HOSTILE.detail);
  t.match(body, escapeHtml(HOSTILE.name), 'the escaped name is on the page');
  t.match(body, escapeHtml(HOSTILE.detail), 'the escaped detail, unicode intact');
  t.match(body, escapeHtml(HOSTILE.runbook));
  t.match(body, '&lt;svg onload=alert(1)&gt;');
  t.match(body, '&lt;script&gt;v()&lt;/script&gt;');
});

t.test('no paths: a calm empty page', async (t) => {
  const res = await page(t, [], { ready: false });
  t.equal(res.statusCode, 200);
  t.match(res.body, '>No paths scheduled<');
  t.match(res.body, 'No paths scheduled yet.');
  t.notMatch(res.body, '<table class="matrix"');
});
