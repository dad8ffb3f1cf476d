// Realistic PathStatus data for server and page tests: PathSpecs as the catalog loader would
// produce them, ProbeOutcomes worded as the probers word them, and an in-memory StatusReader.
import type { HistoryEntry, PathState, PathStatus, StatusReader } from '../../src/agent/path-status.js';
import type { PathSpec } from '../../src/catalog/types.js';
import type { ResultClass } from '../../src/classify/result-class.js';
import type { ProbeOutcome } from '../../src/probe/types.js';

/** A fixed "now" so relative times in assertions are stable: 2025-03-04 10:15:00 UTC. */
export const FIXTURE_NOW = Date.parse('2025-03-04T10:15:00.000Z');

/** A PathSpec with catalog defaults (30 s interval, 5 s timeout, critical, reachable). */
export function pathSpec(p: Partial<PathSpec> & { name: string; target: string }): PathSpec {
  const [host, port] = p.target.startsWith('http')
    ? [new URL(p.target).hostname, Number(new URL(p.target).port || (p.target.startsWith('https') ? 443 : 80))]
    : p.target.includes(':')
      ? [p.target.split(':')[0] ?? '', Number(p.target.split(':')[1])]
      : [p.target, 0];
  return {
    baseName: p.name,
    source: { name: 'default', namespace: 'default', labels: {} },
    check: 'tcp',
    host,
    port,
    toNamespace: /\.([a-z0-9-]+)\.svc(\.|$)/.exec(host)?.[1] ?? '',
    expect: 'reachable',
    intervalMs: 30_000,
    timeoutMs: 5_000,
    severity: 'critical',
    location: { file: 'probes/platform.yaml', line: 1, col: 5 },
    ...p,
  };
}

/** A ProbeOutcome worded as a prober would word `result`. */
export function outcome(result: ResultClass, o: Partial<ProbeOutcome> = {}): ProbeOutcome {
  const typical: Record<ResultClass, { total: number; detail: string; phases?: ProbeOutcome['phases'] }> = {
    ok: { total: 0.0042, detail: 'connected to 10.96.41.7:8200', phases: { resolve: 0.0011, connect: 0.0031 } },
    timeout: { total: 5.0011, detail: 'connect to 10.96.41.7:8200: no answer to SYN within 5000 ms', phases: { resolve: 0.0009 } },
    refused: { total: 0.0012, detail: 'connect to 10.96.88.12:5432: ECONNREFUSED', phases: { resolve: 0.0008, connect: 0.0004 } },
    unreachable: { total: 0.0021, detail: 'connect to 10.96.88.12:5432: EHOSTUNREACH (ICMP host unreachable)' },
    reset: { total: 0.0103, detail: 'connection reset by peer after connect (ECONNRESET)' },
    dns_timeout: { total: 10.0022, detail: 'no answer from 10.96.0.10:53 after 2 attempts of 5000 ms' },
    dns_nxdomain: { total: 0.0034, detail: 'NXDOMAIN for kubernetes.default.svc.cluster.local' },
    dns_error: { total: 0.0041, detail: 'SERVFAIL from 10.96.0.10:53' },
    tls_error: { total: 0.0213, detail: 'certificate has expired (CERT_HAS_EXPIRED)' },
    http_timeout: { total: 5.0004, detail: 'connected, no response headers within 5000 ms' },
    http_status: { total: 0.0452, detail: 'status 503 not in expectStatus [200, 302]' },
    error: { total: 0.0001, detail: 'unexpected error: EMFILE too many open files' },
  };
  const t = typical[result];
  return {
    result,
    phases: { ...(t.phases ?? {}), total: t.total },
    durationSeconds: t.total,
    detail: t.detail,
    ...o,
  };
}

/** Whether `result` behaves as `spec` declares (PRODUCT.md: blocked is up on timeout/unreachable). */
export function behavesAsDeclared(spec: PathSpec, result: ResultClass): boolean {
  return spec.expect === 'blocked' ? result === 'timeout' || result === 'unreachable' : result === 'ok';
}

/** One probe in a fixture's history: when it finished (ms before `now`) and its outcome. */
export interface FixtureProbe {
  agoMs: number;
  outcome: ProbeOutcome;
}

/**
 * The PathStatus an agent would hold after `probes` (oldest first). `controlUp: false` makes an
 * up blocked path inconclusive, as the agent does when its control path is not up.
 */
export function statusAfter(spec: PathSpec, probes: FixtureProbe[], opts: { now?: number; controlUp?: boolean } = {}): PathStatus {
  const now = opts.now ?? FIXTURE_NOW;
  let state: PathState = 'pending';
  let lastChangeAt: number | undefined;
  let lastSuccessAt: number | undefined;
  const history: HistoryEntry[] = [];
  let last: PathStatus['last'];
  for (const probe of probes) {
    const at = now - probe.agoMs;
    const up = behavesAsDeclared(spec, probe.outcome.result);
    const next: PathState = up ? (opts.controlUp === false ? 'inconclusive' : 'up') : 'down';
    if (next !== state) lastChangeAt = at;
    state = next;
    if (up) lastSuccessAt = at;
    history.push({ at, result: probe.outcome.result, up, durationSeconds: probe.outcome.durationSeconds });
    last = { outcome: probe.outcome, at, up };
  }
  return { spec, state, last, lastChangeAt, lastSuccessAt, history };
}

/** `count` probes of `result`, one interval apart, the last `lastAgoMs` ago. */
export function steady(result: ResultClass, count: number, lastAgoMs = 4_000, o: Partial<ProbeOutcome> = {}): FixtureProbe[] {
  return Array.from({ length: count }, (_, i) => ({ agoMs: lastAgoMs + (count - 1 - i) * 30_000, outcome: outcome(result, o) }));
}

/** An in-memory StatusReader, as the agent's status store would answer. */
export class MemoryStatusReader implements StatusReader {
  constructor(
    public statuses: PathStatus[],
    public isReady = true,
    public source: string | undefined = undefined,
  ) {}
  list(): PathStatus[] {
    return this.statuses;
  }
  get(name: string): PathStatus | undefined {
    return this.statuses.find((s) => s.spec.name === name);
  }
  ready(): boolean {
    return this.isReady;
  }
  sourceFilter(): string | undefined {
    return this.source;
  }
}

const src = (name: string, namespace: string) => ({ name, namespace, labels: { 'app.kubernetes.io/name': name } });

/**
 * A platform catalog mid-incident: eso→vault dropped by policy (down, timeout), team-b DNS egress
 * denied (down, dns_timeout), prod-app→postgres refused (down), an isolation test made
 * inconclusive by that dead control, passing http/dns/blocked paths, and one pending path.
 */
export function platformStatuses(now = FIXTURE_NOW): PathStatus[] {
  const vault = pathSpec({
    name: 'eso-to-vault', source: src('eso', 'external-secrets'), target: 'vault.vault.svc.cluster.local:8200',
    owner: 'platform-security', runbook: 'https://runbooks.example.com/pathprobe/eso-to-vault',
  });
  const keycloak = pathSpec({
    name: 'grafana-to-keycloak', source: src('grafana', 'monitoring'), check: 'http', severity: 'warning',
    target: 'http://keycloak.identity.svc.cluster.local/realms/master',
  });
  const dnsA = pathSpec({
    name: 'team-a-dns@team-a', baseName: 'team-a-dns', source: src('team-a', 'team-a'), check: 'dns',
    target: 'kubernetes.default.svc.cluster.local',
  });
  const dnsB = { ...dnsA, name: 'team-a-dns@team-b', source: src('team-b', 'team-b') };
  const db = pathSpec({
    name: 'prod-app-to-db', source: src('prod-app', 'production'), target: 'postgres.production.svc.cluster.local:5432',
    runbook: 'https://runbooks.example.com/pathprobe/prod-db', owner: 'dba',
  });
  const isolation = pathSpec({
    name: 'staging-never-reaches-prod-db', source: src('staging', 'staging'), expect: 'blocked', control: 'prod-app-to-db',
    target: 'postgres.production.svc.cluster.local:5432',
  });
  const isolationVault = pathSpec({
    name: 'staging-never-reaches-vault', source: src('staging', 'staging'), expect: 'blocked', severity: 'warning',
    target: 'vault.vault.svc.cluster.local:8200', runbook: 'see the platform wiki, page "isolation"',
  });
  const aws = pathSpec({ name: 'eso-to-aws-secrets-manager', source: src('eso', 'external-secrets'), target: 'secretsmanager.eu-west-1.amazonaws.com:443' });
  return [
    statusAfter(vault, [...steady('ok', 5, 4_000 + 3 * 30_000), ...steady('timeout', 3)], { now }),
    statusAfter(keycloak, steady('ok', 6, 9_000, { status: 302, detail: 'HTTP 302 from 10.96.7.21:80' }), { now }),
    statusAfter(dnsA, steady('ok', 4, 2_000, { detail: 'resolved to 10.96.0.1' }), { now }),
    statusAfter(dnsB, [...steady('ok', 3, 3_000 + 60 * 60_000), ...steady('dns_timeout', 2, 3_000)], { now }),
    statusAfter(db, steady('refused', 3, 6_000), { now }),
    statusAfter(isolation, steady('timeout', 3, 7_000), { now, controlUp: false }),
    statusAfter(isolationVault, steady('timeout', 3, 8_000), { now }),
    statusAfter(aws, [], { now }),
  ];
}

/** Strings that break pages that forget to escape: script, attribute breakouts, entities, unicode. */
export const HOSTILE = {
  name: '"><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">',
  detail: `</td><script>alert('x')</script> & "quotes" 'single' \`tick\` — ünïcødé ✓ 日本語 \u202e`,
  runbook: 'javascript:window.__pwned=3',
  owner: '<b onmouseover="window.__pwned=4">owner</b>',
} as const;

/** A down path whose every catalog- or probe-derived string is hostile. */
export function hostileStatus(now = FIXTURE_NOW): PathStatus {
  const spec = pathSpec({
    name: HOSTILE.name, source: src('<svg onload=alert(1)>', 'ns-<i>'), target: 'evil.<x>.svc.cluster.local:1',
    runbook: HOSTILE.runbook, owner: HOSTILE.owner,
  });
  return statusAfter(spec, steady('refused', 2, 5_000, { detail: HOSTILE.detail }), { now });
}
