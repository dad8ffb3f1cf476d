// Supply-chain gate for CI: `npm audit --omit=dev --audit-level=high`, told apart by outcome.
// High or critical advisories in the production tree fail the run. A registry that serves no
// advisory data (a mirror answering the audit request with an HTTP error) cannot be audited:
// that is reported loudly and, unless PATHPROBE_AUDIT_STRICT=1, does not fail the run.
// AUDIT_JSON_FILE=path reads a saved `npm audit --json` answer instead (for the tests).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const strict = process.env.PATHPROBE_AUDIT_STRICT === '1';
function runAudit() {
  const run = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  // npm that cannot run is a broken gate, not a registry without advisory data.
  if (run.error) {
    console.error(`npm audit could not run: ${run.error.message}`);
    process.exit(1);
  }
  return run.stdout;
}
const text = process.env.AUDIT_JSON_FILE ? readFileSync(process.env.AUDIT_JSON_FILE, 'utf8') : runAudit();

let report;
try {
  report = JSON.parse(text);
  if (report === null || typeof report !== 'object') throw new Error('not an object');
} catch {
  console.error('npm audit: unreadable output');
  process.exit(1);
}
const counts = report?.metadata?.vulnerabilities;
if (counts) {
  const bad = (counts.high ?? 0) + (counts.critical ?? 0);
  const names = Object.values(report.vulnerabilities ?? {})
    .filter((v) => v.severity === 'high' || v.severity === 'critical')
    .map((v) => `${v.name} (${v.severity})`);
  if (bad > 0) {
    console.error(`npm audit: ${bad} high or critical advisories in production dependencies: ${names.join(', ')}`);
    process.exit(1);
  }
  console.log(`npm audit: no high or critical advisories in production dependencies (${counts.total ?? 0} advisories of lower severity)`);
  process.exit(0);
}
const why = report?.message ?? report?.error?.summary ?? 'no advisory data';
console.log(`::warning::npm audit could not run against this registry: ${why}`);
process.exit(strict ? 1 : 0);
