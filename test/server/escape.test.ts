import t from 'tap';
import { escapeHtml, html, httpUrlOrUndefined, SafeHtml, trustedHtml } from '../../src/server/page/escape.js';
import { HOSTILE } from '../helpers/status-fixtures.js';

t.test('escapeHtml neutralises markup, quotes and ampersands, and keeps unicode', async (t) => {
  t.equal(escapeHtml(`<script>alert("x" & 'y')</script>`), '&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;');
  t.equal(escapeHtml('`'), '&#96;');
  t.equal(escapeHtml('&amp;'), '&amp;amp;', 'already-escaped text is escaped again (it is text)');
  t.equal(escapeHtml('ünïcødé ✓ 日本語 \u202e'), 'ünïcødé ✓ 日本語 \u202e');
  for (const value of Object.values(HOSTILE)) {
    const out = escapeHtml(value);
    t.notMatch(out, /[<>"'`]/, value);
  }
});

t.test('the html tag escapes values and passes fragments through', async (t) => {
  const name = HOSTILE.name;
  const inner = html`<b>${name}</b>`;
  t.ok(inner instanceof SafeHtml);
  const outer = html`<td title="${name}">${inner}${[html`<i>${'<x>'}</i>`, '<y>']}${null}${undefined}${false}${0}</td>`;
  t.notMatch(outer.value, /<script>|<img /);
  t.equal(
    outer.value,
    `<td title="${escapeHtml(name)}"><b>${escapeHtml(name)}</b><i>&lt;x&gt;</i>&lt;y&gt;0</td>`,
  );
  t.equal(html`${trustedHtml('<hr>')}`.value, '<hr>');
});

t.test('only absolute http(s) URLs become links', async (t) => {
  t.equal(httpUrlOrUndefined('https://runbooks.example.com/a b?x="1"'), 'https://runbooks.example.com/a%20b?x=%221%22');
  t.equal(httpUrlOrUndefined('http://wiki.internal/x'), 'http://wiki.internal/x');
  for (const bad of [HOSTILE.runbook, 'JavaScript:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>', 'vbscript:x', '//evil.example/x', '/relative', 'see the wiki', 'ftp://x/y', '']) {
    t.equal(httpUrlOrUndefined(bad), undefined, JSON.stringify(bad));
  }
});
