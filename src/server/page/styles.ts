// The status page's one stylesheet (inline, so the page works offline) and its CSP hash.
import { createHash } from 'node:crypto';

/** The stylesheet, placed verbatim in a <style> element. */
export const PAGE_CSS = `
:root{--ink:#1f2328;--muted:#59636e;--line:#d8dee4;--bg:#f6f8fa;--card:#fff;
--ok:#009E73;--ok-t:#e3f4ee;--drop:#E69F00;--drop-t:#fdf1d8;--rejected:#D55E00;--rejected-t:#fae3d4;
--dns:#CC79A7;--dns-t:#f7e6f0;--app:#0072B2;--app-t:#deecf6;--error:#6e7781;--error-t:#eceff2}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
main{max-width:1440px;margin:0 auto;padding:0 24px 48px}
code,.mono{font-family:ui-monospace,SFMono-Regular,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12.5px}
a{color:#0550ae}
h2{font-size:16px;margin:32px 0 4px}
p.lead{margin:0 0 12px;color:var(--muted)}
.topbar{background:#24292f;color:#f6f8fa;padding:12px 24px}
.topbar .inner{max-width:1392px;margin:0 auto;display:flex;flex-wrap:wrap;gap:6px 24px;align-items:baseline}
.brand{font-weight:700;font-size:18px;letter-spacing:.2px}
.topbar .meta{color:#c9d1d9;font-size:13px}
.topbar .meta b{color:#fff;font-weight:600}
.topbar .right{margin-left:auto}
.banner{margin:16px 0 0;padding:10px 14px;border-radius:6px;border:1px solid var(--drop);background:var(--drop-t)}
.summary{display:flex;flex-wrap:wrap;gap:12px;align-items:stretch;margin:20px 0 4px}
.verdict{flex:1 1 280px;padding:12px 16px;border-radius:8px;background:var(--card);border:1px solid var(--line);font-size:17px;font-weight:600;display:flex;flex-direction:column;justify-content:center;gap:2px}
.verdict .sub{font-size:13px}
.verdict.bad{border-left:6px solid var(--rejected)}
.verdict.good{border-left:6px solid var(--ok)}
.verdict.wait{border-left:6px solid var(--error)}
.count{min-width:118px;padding:10px 14px;border-radius:8px;background:var(--card);border:1px solid var(--line)}
.count .n{display:block;font-size:26px;font-weight:700;line-height:1.1}
.count .l{color:var(--muted);font-size:12.5px}
.count.down.nonzero{border-color:var(--rejected);background:var(--rejected-t)}
.count.inconclusive.nonzero{border-color:var(--drop);background:var(--drop-t)}
.panel{background:var(--card);border:1px solid var(--line);border-radius:8px;overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:8px 10px;border-bottom:1px solid var(--line)}
tr:last-child td,tr:last-child th{border-bottom:0}
thead th{background:#f0f3f6;color:var(--muted);font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.4px;white-space:nowrap}
.matrix th.row{white-space:nowrap}
.matrix td{min-width:120px;max-width:230px}
.matrix thead th{white-space:normal;overflow-wrap:anywhere;min-width:90px}
.sub{display:block;color:var(--muted);font-size:12px;font-weight:400}
.chips{display:flex;flex-direction:column;gap:4px}
.chip{display:block;max-width:210px;padding:4px 8px;border-radius:4px;border:1px solid transparent;border-left-width:5px;text-decoration:none;color:var(--ink)}
.chip:hover{text-decoration:underline}
.chip .res{font-weight:600}
.chip .sub{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
/* failing: a dark frame on three sides; the left edge keeps the result colour */
.chip.is-down,.chip.is-inconclusive{border-top-color:#24292f;border-right-color:#24292f;border-bottom-color:#24292f;border-width:2px 2px 2px 5px}
.badge{display:inline-block;padding:1px 7px;border-radius:4px;border:1px solid transparent;border-left-width:4px;font-weight:600;white-space:nowrap}
/* legend swatch: one class only, so the family rules below set its left edge */
.sw{display:inline-block;width:20px;height:14px;border-radius:3px;border:1px solid transparent;border-left-width:5px}
.fam-ok{background:var(--ok-t);border-left-color:var(--ok)}
.fam-drop{background:var(--drop-t);border-left-color:var(--drop)}
.fam-rejected{background:var(--rejected-t);border-left-color:var(--rejected)}
.fam-dns{background:var(--dns-t);border-left-color:var(--dns)}
.fam-app{background:var(--app-t);border-left-color:var(--app)}
.fam-error{background:var(--error-t);border-left-color:var(--error)}
.fam-pending{background:#fff;border:1px dashed #8c959f}
.legend{display:flex;flex-wrap:wrap;gap:8px 18px;padding:10px 12px;border-top:1px solid var(--line);font-size:12.5px;color:var(--muted)}
.legend .item{display:flex;gap:6px;align-items:center}
.legend .marks{display:block;flex-basis:100%}
.state{white-space:nowrap;font-weight:600}
.state.down{color:#a1330a}
.state.inconclusive{color:#7d5200}
.state.pending{color:var(--muted)}
.state.up{color:#00704f}
tr.row-down td:first-child{box-shadow:inset 4px 0 0 var(--rejected)}
tr.row-inconclusive td:first-child{box-shadow:inset 4px 0 0 var(--drop)}
.paths td{white-space:nowrap}
.paths td.pathcell,.paths td.detail,.paths td.policy,.paths td.runbook{white-space:normal;overflow-wrap:anywhere}
.paths td.pathcell{min-width:270px}
.paths td.detail{min-width:210px}
.paths td.policy{min-width:150px}
.paths td.runbook{min-width:80px}
.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.guide td:first-child{white-space:nowrap}
.callout{margin:8px 0 12px;padding:10px 14px;background:var(--card);border:1px solid var(--line);border-radius:8px}
.empty{padding:24px;color:var(--muted);text-align:center}
footer{margin-top:32px;color:var(--muted);font-size:12px}
`;

/** The CSP source expression that allows exactly PAGE_CSS. */
export const PAGE_CSS_HASH = `'sha256-${createHash('sha256').update(PAGE_CSS).digest('base64')}'`;
