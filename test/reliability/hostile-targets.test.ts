// Hostile and broken targets, each a real loopback server, probed through runProbe (the entry
// point the agent uses): every one is classified, returns by its timeout plus the grace, and
// holds bounded memory; then one agent probes them all while a healthy path keeps its schedule.
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { startAgent } from '../../src/agent/agent.js';
import type { PathSpec } from '../../src/catalog/types.js';
import type { ResultClass } from '../../src/classify/result-class.js';
import { PROBE_GRACE_MS, runProbe } from '../../src/probe/probers.js';
import { dnsPath, httpPath, tcpPath } from '../helpers/paths.js';
import { hasOpenssl, makeTestCerts, type TestCerts } from '../helpers/tls-cert.js';
import { unmet } from '../helpers/need.js';
import { histogramBuckets, parseSamples, select, sum } from '../helpers/prom-text.js';
import { writeTempCatalog } from './helpers/targets.js';
import { badCerts, Closers, rawTcp } from './hostile-servers.js';

const TIMEOUT_MS = 1000;
/** Slack for a loaded CI machine (test files run in parallel) on top of timeout + grace. */
const SLACK_MS = 1000;
/** Most extra heap + buffer memory one probe may hold at its peak. */
const MEMORY_BOUND_BYTES = 32 * 1024 * 1024;

interface Target {
  name: string;
  /** The path to probe, given the port of its hostile server. */
  path: (port: number) => PathSpec;
  /** Which server of hostile-servers.ts (allTargetServers) it probes. */
  server: string;
  expect: ResultClass;
  /** What the detail must say (the reason, not just the class). */
  detail: RegExp;
}

const closers = new Closers();
t.teardown(() => closers.closeAll());
const ctx = () => ({ signal: new AbortController().signal, hostsPath: '/nonexistent', resolvConfPath: '/nonexistent' });
const http = (extra: Parameters<typeof httpPath>[1] = {}) => (port: number) => httpPath(`http://127.0.0.1:${port}/`, extra, TIMEOUT_MS);
const dns = (transport: 'udp' | 'tcp' = 'udp') => (port: number) => dnsPath('x.test.', { server: { host: '127.0.0.1', port }, transport }, TIMEOUT_MS);

const TARGETS: Target[] = [
  { name: 'endless body', server: 'endlessBody', path: http(), expect: 'ok', detail: /65536 body bytes, stopped at maxBodyBytes/ },
  { name: 'huge Content-Length, then a stall', server: 'hugeContentLength', path: http(), expect: 'http_timeout', detail: /deadline reached during body/ },
  { name: 'huge Content-Length, streamed', server: 'hugeContentLengthStreaming', path: http(), expect: 'ok', detail: /65536 body bytes, stopped at maxBodyBytes/ },
  { name: 'slowloris headers', server: 'slowlorisHeaders', path: http(), expect: 'http_timeout', detail: /deadline reached during response/ },
  { name: 'endless headers', server: 'endlessHeaders', path: http(), expect: 'error', detail: /HPE_HEADER_OVERFLOW/ },
  { name: 'redirect loop (followRedirects 10)', server: 'redirectLoop', path: http({ followRedirects: 10 }), expect: 'http_status', detail: /^[^]*status 302(?:[^→]*→){10}[^→]*$/ },
  { name: 'gzip bomb (10 MiB of zeroes as ~10 KiB)', server: 'gzipBomb', path: http({ bodyMatch: '^\\x1f' }), expect: 'ok', detail: /status 200 \(\d{4,5} body bytes\)/ },
  { name: 'catastrophic bodyMatch on a hostile body', server: 'redosBody', path: http({ bodyMatch: '^(a+)+$' }), expect: 'http_status', detail: /does not match/ },
  { name: 'accept and close', server: 'acceptAndClose', path: http(), expect: 'reset', detail: /socket hang up/ },
  { name: 'accept and reset', server: 'acceptAndReset', path: http(), expect: 'reset', detail: /ECONNRESET/ },
  { name: 'accept and reset (tcp check)', server: 'acceptAndReset', path: (port) => tcpPath('127.0.0.1', port, TIMEOUT_MS), expect: 'reset', detail: /ECONNRESET/ },
  { name: 'garbage instead of HTTP', server: 'garbageResponse', path: http(), expect: 'error', detail: /Parse Error: Expected HTTP\// },
  { name: 'plain HTTP where TLS is expected', server: 'notTls', path: (port) => httpPath(`https://127.0.0.1:${port}/`, {}, TIMEOUT_MS), expect: 'tls_error', detail: /TLS failure/ },
  { name: 'DNS: TC bit set, TCP refused', server: 'truncatedNoTcp', path: dns(), expect: 'dns_error', detail: /ECONNREFUSED/ },
  { name: 'DNS: malformed answer', server: 'malformed', path: dns(), expect: 'dns_error', detail: /malformed answer: truncated message/ },
  { name: 'DNS: compression pointer loop', server: 'pointerLoop', path: dns(), expect: 'dns_error', detail: /compression pointer/ },
  { name: 'DNS: wrong id only', server: 'wrongId', path: dns(), expect: 'dns_error', detail: /only unusable answers: answer with id/ },
  { name: 'DNS: flood of 200 spoofed answers', server: 'spoofFlood', path: dns(), expect: 'dns_error', detail: /only unusable answers/ },
  { name: 'DNS: oversized answer (3,000 records)', server: 'oversized', path: dns(), expect: 'ok', detail: /\(\+2990 more\)$/ },
  { name: 'DNS: silence', server: 'silent', path: dns(), expect: 'dns_timeout', detail: /no answer/ },
  { name: 'DNS over TCP: endless answer', server: 'endlessTcp', path: dns('tcp'), expect: 'dns_error', detail: /TCP answer too long/ },
  { name: 'DNS over TCP: accept and close', server: 'closeTcp', path: dns('tcp'), expect: 'dns_error', detail: /closed without an answer/ },
];

/** Runs one probe, sampling heap + buffer memory every 5 ms; returns the outcome and the peak growth. */
async function probeMeasured(path: PathSpec) {
  const used = (): number => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const base = used();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, used())), 5);
  const started = performance.now();
  try {
    const outcome = await runProbe(path, ctx());
    peak = Math.max(peak, used());
    return { outcome, ms: performance.now() - started, growth: peak - base };
  } finally {
    clearInterval(sampler);
  }
}

const https = (tls: { caFile?: string } = {}) => (port: number) =>
  httpPath(`https://127.0.0.1:${port}/`, { tls: { insecureSkipVerify: false, ...tls } }, TIMEOUT_MS);

let certs: TestCerts | undefined;
let fleet: ChildProcess | undefined;
let ports: Record<string, number> = {};
t.before(async () => {
  if (hasOpenssl()) {
    certs = await makeTestCerts();
    await badCerts(certs);
    TARGETS.push(
      { name: 'expired certificate (trusted CA)', server: 'tlsExpired', path: https({ caFile: certs.caFile }), expect: 'tls_error', detail: /CERT_HAS_EXPIRED/ },
      { name: 'self-signed certificate', server: 'tlsSelfSigned', path: https(), expect: 'tls_error', detail: /SELF_SIGNED/ },
      { name: 'certificate from an unknown CA', server: 'tlsUnknownCa', path: https(), expect: 'tls_error', detail: /UNABLE_TO_VERIFY_LEAF_SIGNATURE/ },
    );
  }
  // The hostile servers run in their own process: their CPU and memory are not the prober's.
  const script = fileURLToPath(new URL('./hostile-fleet.ts', import.meta.url));
  fleet = spawn(process.execPath, ['--import=tsx', script, ...(certs ? [certs.dir] : [])], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  fleet.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 20_000;
  while (!out.includes('\n') && Date.now() < deadline && fleet.exitCode === null) await sleep(25);
  ports = JSON.parse(out.split('\n')[0] ?? '{}') as Record<string, number>;
});
t.teardown(async () => {
  if (fleet && fleet.exitCode === null) {
    fleet.stdin?.end();
    const exited = once(fleet, 'exit');
    const timer = setTimeout(() => fleet?.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
});
t.teardown(() => certs?.cleanup());

t.test('each hostile target is classified, on time, in bounded memory', async (t) => {
  // Without openssl the other targets still run; the certificate ones show as a skip (a failure under CI).
  if (!certs) t.test('certificate targets', async (t) => void unmet(t, 'openssl is needed for the certificate targets'));
  for (const target of TARGETS) {
    const port = ports[target.server] as number;
    t.ok(port > 0, `${target.name}: server ${target.server} is up`);
    const { outcome, ms, growth } = await probeMeasured(target.path(port));
    t.equal(outcome.result, target.expect, `${target.name}: ${target.expect}`);
    t.match(outcome.detail, target.detail, `${target.name}: says why (${outcome.detail.slice(0, 120)})`);
    t.ok(ms <= TIMEOUT_MS + PROBE_GRACE_MS + SLACK_MS, `${target.name}: returned in ${ms.toFixed(0)} ms`);
    t.ok(outcome.detail.length <= 4096, `${target.name}: detail bounded (${outcome.detail.length} chars)`);
    t.ok(growth < MEMORY_BOUND_BYTES, `${target.name}: peak memory growth ${(growth / 1024 / 1024).toFixed(1)} MiB`);
  }
  t.comment(`hostile targets tried: ${TARGETS.length}`);
});

t.test('an agent probing every hostile target keeps probing a healthy path on schedule', async (t) => {
  // The healthy path: a tcp listener that accepts (the agent's tcp check closes cleanly).
  const healthyPort = await rawTcp(closers, () => {});
  const entries: string[] = [];
  const dnsEntries: string[] = [];
  for (const [i, target] of TARGETS.entries()) {
    const port = ports[target.server] as number;
    const spec = target.path(port);
    const name = `hostile-${i}`;
    if (spec.check === 'dns') {
      dnsEntries.push(`  - {name: ${name}, from: a, to: "x.test.", check: dns, dns: {server: "127.0.0.1:${port}", transport: ${spec.dns?.transport ?? 'udp'}}}`);
    } else {
      const tls = spec.http?.tls.caFile ? `, tls: {caFile: ${JSON.stringify(spec.http.tls.caFile)}}` : '';
      const match = spec.http?.bodyMatch ? `, bodyMatch: ${JSON.stringify(spec.http.bodyMatch)}` : '';
      const http = spec.check === 'http' ? `, http: {followRedirects: ${spec.http?.followRedirects ?? 0}${tls}${match}}` : '';
      entries.push(`  - {name: ${name}, from: a, to: ${JSON.stringify(spec.url ?? spec.target)}, check: ${spec.check}${http}}`);
    }
  }
  const file = await writeTempCatalog(t, `apiVersion: pathprobe/v1
kind: PathCatalog
defaults: {interval: 1s, timeout: 900ms}
sources:
  a: {namespace: team-a}
paths:
  - {name: healthy, from: a, to: "127.0.0.1:${healthyPort}", check: tcp, timeout: 500ms}
${entries.join('\n')}
${dnsEntries.join('\n')}
`);
  const logger = pino({ level: 'silent' });
  const agent = await startAgent({ catalogPaths: [file], listen: '127.0.0.1:0', logger, prober: runProbe, watch: false,
    probeContext: { hostsPath: '/nonexistent', resolvConfPath: '/nonexistent' } });
  t.teardown(() => agent.stop(3000));
  const runForMs = 6000;
  await sleep(runForMs);
  const history = agent.status.get('healthy')?.history ?? [];
  t.ok(history.length >= runForMs / 1000 - 2, `healthy path probed ${history.length} times in ${runForMs / 1000} s at a 1 s interval`);
  t.ok(history.every((h) => h.result === 'ok'), 'and every time ok');
  const gaps = history.slice(1).map((h, i) => h.at - (history[i] as { at: number }).at);
  // No run of the healthy path was lost: the gaps stay under two intervals (near one when idle).
  t.ok(gaps.every((g) => g < 2000), `gaps between its probes stay under two intervals (max ${Math.max(...gaps)} ms)`);
  for (const [i, target] of TARGETS.entries()) {
    const last = agent.status.get(`hostile-${i}`)?.last;
    t.equal(last?.outcome.result, target.expect, `agent: ${target.name} → ${target.expect}`);
  }
  const metrics = await (await fetch(`${agent.listening.url}metrics`)).text();
  // A hostile path may overrun its 1 s interval (900 ms timeout + grace): its next run is then
  // skipped and counted as still_running, never silently lost, and never at the healthy path's cost.
  const samples = parseSamples(metrics);
  const stillRunning = select(samples, 'pathprobe_probes_skipped_total', { reason: 'still_running' });
  t.equal(stillRunning.length, 1, 'the still_running skip counter is exported');
  const skipped = sum(samples, 'pathprobe_probes_skipped_total', { reason: 'still_running' });
  t.match(metrics, /^pathprobe_probes_skipped_total\{reason="max_in_flight"\} 0$/m, 'no run skipped for the in-flight cap');
  t.ok(skipped <= TARGETS.length, `${skipped} overrunning hostile runs skipped and counted`);
  const lag = histogramBuckets(samples, 'pathprobe_scheduler_lag_seconds');
  const bucket = (le: number): number | undefined => lag.get(le);
  const count = sum(samples, 'pathprobe_scheduler_lag_seconds_count');
  t.ok(count > TARGETS.length * 4, `${count} runs started`);
  // Lag within 100 ms depends on what else the machine runs (CI runs test files in parallel): reported, not held.
  t.comment(`${bucket(0.1)}/${count} runs started within 100 ms of plan, ${bucket(1)} within 1 s`);
});
