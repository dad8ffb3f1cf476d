// The status page in a real browser (Debian's Chromium via playwright-core): what a person sees,
// that the CSP still lets the stylesheet apply, and that hostile names stay text.
import t from 'tap';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { buildApp } from '../../src/server/app.js';
import { listen } from '../../src/server/listen.js';
import { launchChromium, needChromium } from '../helpers/chromium.js';
import { HOSTILE, MemoryStatusReader, hostileStatus, platformStatuses } from '../helpers/status-fixtures.js';

// Browser globals used inside page.evaluate() callbacks (the project compiles without the DOM lib).
interface El { dataset: Record<string, string | undefined>; querySelector(sel: string): { textContent: string | null } | null }
declare const window: { __pwned?: unknown; getComputedStyle(el: unknown): { borderLeftColor: string; backgroundColor: string } };
declare const document: { scripts: unknown[]; images: unknown[]; links: { protocol: string }[] };

t.test(
  'a person sees the matrix, the table and the legend; hostile names stay text',
  async (t) => {
    if (!needChromium(t)) return;
    const app = buildApp({
      registry: new Registry(),
      status: new MemoryStatusReader([...platformStatuses(Date.now()), hostileStatus(Date.now())], true, undefined),
      version: '0.1.0',
      refreshSeconds: 300, // no reload while the test looks at the page
    });
    t.teardown(() => app.close());
    const { url } = await listen(app, '127.0.0.1:0');
    const dir = await mkdtemp(join(tmpdir(), 'pathprobe-page-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));

    const browser = await launchChromium(t);
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.setDefaultTimeout(15_000);
    const dialogs: string[] = [];
    const consoleErrors: string[] = [];
    const foreignRequests: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('request', (r) => { if (!r.url().startsWith(url) && !r.url().startsWith('data:')) foreignRequests.push(r.url()); });

    const response = await page.goto(url, { waitUntil: 'load' });
    t.equal(response?.status(), 200);

    t.equal(await page.locator('#verdict').innerText(), '5 of 9 paths failing');
    t.equal(await page.locator('#count-down .n').innerText(), '4');
    t.match(await page.title(), /^✗ 5 failing · pathprobe/);

    // The failing eso→vault path: its matrix cell says "✗ timeout" and is painted as a policy drop.
    const chip = page.locator('#matrix a.chip[data-path="eso-to-vault"]');
    t.match(await chip.innerText(), /✗\s+timeout\s+tcp · eso-to-vault/);
    t.match(await chip.getAttribute('class'), /\bfam-drop\b.*\brc-timeout\b.*\bis-down\b/);
    const look = await chip.evaluate((el) => {
      const s = window.getComputedStyle(el);
      return { edge: s.borderLeftColor, fill: s.backgroundColor, visible: el.getBoundingClientRect().width > 50 };
    });
    t.same(look, { edge: 'rgb(230, 159, 0)', fill: 'rgb(253, 241, 216)', visible: true }, 'the hashed stylesheet applied under the CSP');
    const okEdge = await page.locator('#matrix a.chip[data-path="grafana-to-keycloak"]').evaluate((el) => window.getComputedStyle(el).borderLeftColor);
    t.equal(okEdge, 'rgb(0, 158, 115)', 'ok is painted differently from a drop');

    const rows = await page.locator('#paths tbody tr').evaluateAll((trs) =>
      (trs as unknown as El[]).map((tr) => ({ path: tr.dataset.path, state: tr.querySelector('.state')?.textContent, result: tr.querySelector('.badge')?.textContent })));
    t.equal(rows.length, 9);
    t.same(rows[0], { path: 'eso-to-vault', state: '✗ down', result: 'timeout' }, 'failing first');
    t.same(rows.at(-1), { path: 'staging-never-reaches-vault', state: '✓ up', result: 'timeout' });
    t.match(await page.locator('#paths tbody tr[data-path="eso-to-vault"] a').getAttribute('href'), /^https:\/\/runbooks\.example\.com\//);

    const legend = await page.locator('#legend').innerText();
    t.match(legend, /timeout, unreachable — dropped by the network: check NetworkPolicy/);
    t.match(legend, /refused, reset — reached the host/);
    t.ok(await page.locator('#legend').isVisible());
    t.equal(await page.locator('#result-guide tbody tr').count(), 12);

    // Hostile input: shown verbatim as text, never parsed or run.
    const hostileName = await page.locator('#paths tbody tr').evaluateAll(
      (trs, name) => (trs as unknown as El[]).find((tr) => tr.dataset.path === name)?.querySelector('.pathcell b')?.textContent,
      HOSTILE.name,
    );
    t.equal(hostileName, HOSTILE.name);
    t.ok((await page.locator('body').innerText()).includes(HOSTILE.detail.replace('\u202e', '').slice(0, 40)));
    const dom = await page.evaluate(() => ({
      pwned: window.__pwned,
      scripts: document.scripts.length,
      imgs: document.images.length,
      jsLinks: [...document.links].filter((a) => a.protocol !== 'http:' && a.protocol !== 'https:').length,
    }));
    t.same(dom, { pwned: undefined, scripts: 0, imgs: 0, jsLinks: 0 });
    t.same(dialogs, [], 'no dialog fired');
    t.same(consoleErrors, [], 'no console errors (a CSP violation would show here)');
    t.same(foreignRequests, [], 'the page loads nothing from elsewhere');

    const shot = join(dir, 'status-page.png');
    await page.screenshot({ path: shot, fullPage: true });
    t.ok((await stat(shot)).size > 20_000, 'screenshot written');
    if (process.env.PATHPROBE_SCREENSHOT) {
      await copyFile(shot, process.env.PATHPROBE_SCREENSHOT);
      t.comment(`screenshot: ${process.env.PATHPROBE_SCREENSHOT}`);
    }
  },
);
