// The CI entry point audits the production dependency tree for high and critical advisories,
// after installing and before testing (docs/security.md, "Supply chain").
import t from 'tap';
import { readFileSync } from 'node:fs';

t.test('.ci/run runs npm audit --omit=dev --audit-level=high between npm ci and npm test', async (t) => {
  const lines = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8').split('\n').map((l) => l.trim());
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
  const ci = at(/^npm ci\b/);
  const audit = at(/^npm audit --omit=dev --audit-level=high$/);
  const test = at(/^npm test$/);
  t.ok(ci >= 0 && audit > ci && test > audit, `order: npm ci (${ci}) < npm audit (${audit}) < npm test (${test})`);
  t.notOk(lines.some((l) => /npm audit.*\|\|\s*true/.test(l)), 'the audit is not allowed to fail silently');
});
