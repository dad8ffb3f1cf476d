// The HTML document around the page's sections: head (charset, refresh, title, favicon, style).
import { html, trustedHtml, type SafeHtml } from './escape.js';
import { PAGE_CSS, PAGE_CSS_HASH } from './styles.js';

/** Overall state shown in the favicon. */
export type Overall = 'good' | 'bad' | 'wait';

const FAVICON_COLOUR: Record<Overall, string> = { good: '#009E73', bad: '#D55E00', wait: '#8c959f' };

/** A 16px dot in the overall colour, so a browser tab says at a glance whether anything fails. */
function favicon(overall: Overall): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="${FAVICON_COLOUR[overall]}"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** The page's Content-Security-Policy: no script at all, only the hashed inline stylesheet. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src ${PAGE_CSS_HASH}`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The whole document. `title` and `body` are escaped by their builders. */
export function layout(opts: { title: string; overall: Overall; refreshSeconds: number; body: SafeHtml }): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${opts.refreshSeconds}">
<meta name="referrer" content="no-referrer">
<title>${opts.title}</title>
<link rel="icon" href="${favicon(opts.overall)}">
<style>${trustedHtml(PAGE_CSS)}</style>
</head>
<body>
${opts.body}
</body>
</html>
`.value;
}
