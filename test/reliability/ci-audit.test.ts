// The CI entry point audits the production dependency tree for high and critical advisories
// (.ci/audit.mjs), after installing and before testing (docs/security.md, "Supply chain").
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const AUDIT = fileURLToPath(new URL('../../.ci/audit.mjs', import.meta.url));

t.test('.ci/run runs the audit between npm ci and npm test, and cannot ignore its status', async (t) => {
  const lines = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8').split('\n').map((l) => l.trim());
  t.match(lines[2] ?? '', /^set -euo pipefail$/, 'a failing step fails the run');
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
  const ci = at(/^npm ci\b/);
  const audit = at(/^node \.ci\/audit\.mjs$/);
  const test = at(/^npm test$/);
  t.ok(ci >= 0 && audit > ci && test > audit, `order: npm ci (${ci}) < audit (${audit}) < npm test (${test})`);
  t.match(readFileSync(AUDIT, 'utf8'), /'audit', '--omit=dev', '--audit-level=high', '--json'/, 'audits the production tree at level high');
});

/** npm audit's JSON (report version 2) with these counts. */
const report = (high: number, critical: number, moderate = 0) => ({
  auditReportVersion: 2,
  vulnerabilities: Object.fromEntries([
    ...Array.from({ length: high }, (_, i) => [`h${i}`, { name: `h${i}`, severity: 'high' }]),
    ...Array.from({ length: critical }, (_, i) => [`c${i}`, { name: `c${i}`, severity: 'critical' }]),
    ...Array.from({ length: moderate }, (_, i) => [`m${i}`, { name: `m${i}`, severity: 'moderate' }]),
  ]),
  metadata: { vulnerabilities: { info: 0, low: 0, moderate, high, critical, total: high + critical + moderate } },
});

t.test('.ci/audit.mjs: findings fail, a clean tree passes, a registry without advisories is reported', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-rel-audit-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const run = async (body: unknown, strict = false) => {
    const file = join(dir, 'audit.json');
    await writeFile(file, JSON.stringify(body));
    const env = { ...process.env, AUDIT_JSON_FILE: file, PATHPROBE_AUDIT_STRICT: strict ? '1' : '0' };
    const r = spawnSync(process.execPath, [AUDIT], { env, encoding: 'utf8' });
    return { code: r.status, out: r.stdout + r.stderr };
  };
  t.match(await run(report(0, 0, 3)), { code: 0, out: /no high or critical advisories/ });
  t.match(await run(report(1, 0)), { code: 1, out: /1 high or critical advisories in production dependencies: h0 \(high\)/ });
  t.match(await run(report(0, 2)), { code: 1, out: /c0 \(critical\), c1 \(critical\)/ });
  const unavailable = { message: '405 Method Not Allowed - POST advisories/bulk', statusCode: 405, error: { summary: '' } };
  t.match(await run(unavailable), { code: 0, out: /::warning::npm audit could not run against this registry: 405/ });
  t.match(await run(unavailable, true), { code: 1 }, 'PATHPROBE_AUDIT_STRICT=1 fails when it cannot audit');
  const garbage = join(dir, 'garbage.json');
  await writeFile(garbage, 'not json');
  t.equal(spawnSync(process.execPath, [AUDIT], { env: { ...process.env, AUDIT_JSON_FILE: garbage } }).status, 1, 'unreadable output fails');
});
