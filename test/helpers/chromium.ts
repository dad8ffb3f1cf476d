// Debian's Chromium driven by playwright-core, for tests that look at a page in a real browser.
import { chromium, type Browser } from 'playwright-core';
import { needPrograms, type Guarded } from './need.js';

const CHROMIUM = '/usr/bin/chromium';

/** True when Chromium is installed; otherwise skips (fails under CI=true) through need.ts. */
export function needChromium(t: Guarded): boolean {
  return needPrograms(t, [CHROMIUM], 'apt-get install chromium');
}

/** Launches a headless Chromium with no network chatter of its own; closed at `t` teardown. */
export async function launchChromium(t: { teardown(fn: () => unknown): void }): Promise<Browser> {
  let browser: Browser | undefined;
  t.teardown(() => browser?.close());
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return browser;
}
