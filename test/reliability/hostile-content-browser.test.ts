// The status page of a real agent, in a real browser (Debian's Chromium via playwright-core),
// after it probed servers answering with hostile text: the text shows, escaped, and nothing runs.
// test/server/status-page-browser.test.ts holds the same for hand-made status fixtures.
import t from 'tap';
import { launchChromium, needChromium } from '../helpers/chromium.js';
import { needOpenssl } from '../helpers/tls-cert.js';
import { CATALOG_TEXT, REMOTE, startHostileContentAgent } from './hostile-content.js';

// Browser globals used inside page.evaluate() callbacks (the project compiles without the DOM lib).
declare const window: { __pwned?: unknown };
declare const document: { scripts: unknown[]; images: unknown[]; querySelectorAll(s: string): { length: number } };

t.test('hostile answers from real probes show as text on the status page; no script runs', async (t) => {
  if (!needChromium(t)) return;
  if (!needOpenssl(t, 'for the certificate target')) return;
  const h = await startHostileContentAgent();
  t.teardown(() => h.close());
  const browser = await launchChromium(t);
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  const dialogs: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  const url = h.agent.listening.url;
  const foreign: string[] = [];
  page.on('request', (r) => { if (!r.url().startsWith(url)) foreign.push(r.url()); });

  t.equal((await page.goto(url, { waitUntil: 'load' }))?.status(), 200);
  const text = await page.locator('body').innerText();
  t.ok(text.includes('<script>window.__pwned=1</script>'), 'the TXT answer shows as text');
  t.ok(text.includes("<svg onload='window.__pwned=3'>"), 'the second TXT answer shows as text');
  t.ok(text.includes(REMOTE.certName), 'the certificate name echoed by the TLS error shows as text');
  t.ok(text.includes("'onmouseover='window.__pwned=4'"), 'the redirect Location shows as text');
  t.ok(text.includes(CATALOG_TEXT.owner), 'the catalog owner shows as text');
  // Hover everything a hostile attribute (onmouseover, …) could have landed on.
  for (const el of await page.locator('#paths tbody tr, #matrix a').all()) await el.hover();
  const dom = await page.evaluate(() => ({
    pwned: window.__pwned,
    scripts: document.scripts.length,
    imgs: document.images.length,
    svgs: document.querySelectorAll('svg[onload], [onmouseover], [onerror]').length,
  }));
  t.same(dom, { pwned: undefined, scripts: 0, imgs: 0, svgs: 0 }, 'no element was injected, no handler ran');
  t.same(dialogs, [], 'no dialog fired');
  t.same(foreign, [], 'the page fetched nothing from elsewhere (an injected <img> would)');

  // The JSON API carries the same text as data, served as JSON with nosniff.
  const api = await page.goto(`${url}api/v1/paths`);
  t.match(api?.headers()['content-type'], /^application\/json/);
  t.equal(api?.headers()['x-content-type-options'], 'nosniff');
  t.equal(await page.evaluate(() => window.__pwned), undefined, 'the API, opened in the browser, runs nothing');
});
