// A real agent probing servers whose answers carry hostile text (DNS TXT records, a redirect
// Location, certificate names echoed in the TLS error), from a catalog with hostile free text.
// Shared by the browser test (escaping) and the labels test (no remote input in label values).
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startAgent, type Agent } from '../../src/agent/agent.js';
import { runProbe } from '../../src/probe/probers.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { makeTestCerts } from '../helpers/tls-cert.js';
import { Closers, httpServer, httpsServer } from './hostile-servers.js';

/** Text the remote side sends; none of it may run, and none may become a label value. */
export const REMOTE = {
  txt: '<script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=2">',
  txt2: "</td></tr><svg onload='window.__pwned=3'> second answer",
  location: "/next/'onmouseover='window.__pwned=4'",
  certName: 'x<img/src/onerror=window.__pwned=5>.test',
} as const;

/** Free text written in the catalog (trusted, but still escaped on the page). */
export const CATALOG_TEXT = {
  owner: '<b onmouseover="window.__pwned=6">team</b>',
} as const;

/** Markers that must never appear raw on the page or anywhere in /metrics. */
export const REMOTE_MARKERS = ['__pwned=1', '__pwned=2', '__pwned=3', '__pwned=4', '__pwned=5', 'onerror', 'second answer'];

export interface HostileContentAgent {
  agent: Agent;
  dns: TestDnsServer;
  /** Path names in the catalog. */
  paths: string[];
  close(): Promise<void>;
}

/** Starts the servers and an agent probing them every second; waits for a result on every path. */
export async function startHostileContentAgent(): Promise<HostileContentAgent> {
  const closers = new Closers();
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-rel-content-'));
  closers.add(() => rm(dir, { recursive: true, force: true }));
  const dns = await startDnsServer({ 'txt.hostile.test': { TXT: [[REMOTE.txt], [REMOTE.txt2]] } });
  closers.add(() => dns.close());
  const redirecting = await httpServer(closers, (req, res) => {
    if (req.url === '/') res.writeHead(302, { location: REMOTE.location }).end();
    else res.writeHead(503, { 'x-evil': REMOTE.txt.replace(/"/g, '') }).end(REMOTE.txt);
  });
  const certs = await makeTestCerts();
  closers.add(() => certs.cleanup());
  const p = (f: string): string => join(certs.dir, f);
  await writeFile(p('hostile.cnf'), `subjectAltName=DNS:${REMOTE.certName},DNS:other.test\n`);
  execFileSync('openssl', ['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial',
    '-out', p('hostile.crt'), '-days', '2', '-extfile', p('hostile.cnf')], { stdio: 'ignore', timeout: 10_000 });
  const tlsPort = await httpsServer(closers, certs.key, await readFile(p('hostile.crt')));
  await writeFile(join(dir, 'hosts'), '127.0.0.1 tls.hostile.test web.hostile.test\n');
  const file = join(dir, 'catalog.yaml');
  await writeFile(file, `apiVersion: pathprobe/v1
kind: PathCatalog
defaults: {interval: 1s, timeout: 800ms, owner: ${JSON.stringify(CATALOG_TEXT.owner)}}
sources:
  web: {namespace: team-a, labels: {app: web}}
paths:
  - {name: hostile-txt, from: web, to: "txt.hostile.test.", check: dns, dns: {type: TXT, server: "127.0.0.1:${dns.port}"}}
  - {name: hostile-redirect, from: web, to: "http://web.hostile.test:${redirecting}/", check: http, http: {followRedirects: 2}}
  - {name: hostile-cert, from: web, to: "https://tls.hostile.test:${tlsPort}/", check: http, http: {tls: {caFile: ${JSON.stringify(certs.caFile)}}}}
`);
  const agent = await startAgent({
    catalogPaths: [file], listen: '127.0.0.1:0', logger: pino({ level: 'silent' }), prober: runProbe, watch: false,
    probeContext: { hostsPath: join(dir, 'hosts'), resolvConfPath: join(dir, 'none') },
  });
  const paths = ['hostile-txt', 'hostile-redirect', 'hostile-cert'];
  const deadline = Date.now() + 10_000;
  while (!paths.every((n) => agent.status.get(n)?.last) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return {
    agent, dns, paths,
    close: async () => {
      await agent.stop(3000);
      await closers.closeAll();
    },
  };
}
