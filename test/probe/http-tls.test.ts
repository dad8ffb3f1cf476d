import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import t from 'tap';
import { probeHttp } from '../../src/probe/http.js';
import { httpPath } from '../helpers/paths.js';
import { unmet } from '../helpers/need.js';
import { hasOpenssl, makeTestCerts, type TestCerts } from '../helpers/tls-cert.js';

if (!hasOpenssl()) {
  unmet(t, 'openssl not found: the TLS tests need it');
} else {
  let certs: TestCerts;
  let dir: string;
  let port = 0;
  let plainPort = 0;
  const servernames: Array<string | false | null> = [];
  const servers: Array<https.Server | net.Server> = [];
  t.before(async () => {
    certs = await makeTestCerts();
    dir = await mkdtemp(join(tmpdir(), 'pathprobe-https-'));
    await writeFile(join(dir, 'hosts'), '127.0.0.1 svc.test other.test\n');
    const server = https.createServer({ key: certs.key, cert: certs.cert }, (_req, res) => res.end('secure'));
    server.on('secureConnection', (s: TLSSocket) => servernames.push(s.servername));
    // Accepts TCP but never speaks TLS: the handshake hangs after the TCP handshake.
    const plain = net.createServer((s) => s.resume());
    for (const s of [server, plain]) await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
    plainPort = (plain.address() as net.AddressInfo).port;
    servers.push(server, plain);
  });
  t.teardown(async () => {
    for (const s of servers) {
      if ('closeAllConnections' in s) s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
    await certs?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const ctx = () => ({ signal: new AbortController().signal, hostsPath: join(dir, 'hosts'), resolvConfPath: join(dir, 'none') });
  const tls = (extra: object) => ({ tls: { insecureSkipVerify: false, ...extra } });

  t.test('ok with caFile: SNI is the URL host, tls phase timed', async (t) => {
    const out = await probeHttp(httpPath(`https://svc.test:${port}/`, tls({ caFile: certs.caFile })), ctx());
    t.equal(out.result, 'ok', out.detail);
    t.equal(servernames.at(-1), 'svc.test');
    t.ok((out.phases.tls ?? -1) >= 0, 'tls phase');
    t.ok((out.phases.connect ?? -1) >= 0, 'connect phase');
  });

  t.test('tls_error: certificate from an unknown CA', async (t) => {
    const out = await probeHttp(httpPath(`https://svc.test:${port}/`), ctx());
    t.equal(out.result, 'tls_error', out.detail);
    t.match(out.detail, /UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    t.equal(out.phases.processing, undefined, 'never got to send the request');
  });

  t.test('tls_error: the certificate does not name the host', async (t) => {
    const out = await probeHttp(httpPath(`https://other.test:${port}/`, tls({ caFile: certs.caFile })), ctx());
    t.equal(out.result, 'tls_error', out.detail);
    t.match(out.detail, /ERR_TLS_CERT_ALTNAME_INVALID/);
    t.ok(out.durationSeconds < 1, 'no reconnect loop');
  });

  t.test('tls.serverName overrides SNI and the name checked', async (t) => {
    const out = await probeHttp(
      httpPath(`https://other.test:${port}/`, tls({ caFile: certs.caFile, serverName: 'svc.test' })), ctx());
    t.equal(out.result, 'ok', out.detail);
    t.equal(servernames.at(-1), 'svc.test');
    const byIp = await probeHttp(httpPath(`https://127.0.0.1:${port}/`, tls({ caFile: certs.caFile })), ctx());
    t.equal(byIp.result, 'ok', `an IP URL is checked against the IP SAN: ${byIp.detail}`);
  });

  t.test('insecureSkipVerify accepts the unknown CA', async (t) => {
    const out = await probeHttp(httpPath(`https://svc.test:${port}/`, tls({ insecureSkipVerify: true })), ctx());
    t.equal(out.result, 'ok', out.detail);
  });

  t.test('a TLS handshake that never completes is http_timeout (TCP was up)', async (t) => {
    const out = await probeHttp(httpPath(`https://svc.test:${plainPort}/`, {}, 300), ctx());
    t.equal(out.result, 'http_timeout', out.detail);
    t.ok((out.phases.tls ?? 0) >= 0.25, 'the wait is in tls');
  });

  t.test('a missing caFile is a configuration error, not tls_error', async (t) => {
    const out = await probeHttp(httpPath(`https://svc.test:${port}/`, tls({ caFile: join(dir, 'nope.pem') })), ctx());
    t.equal(out.result, 'error');
    t.match(out.detail, /caFile/);
  });
}
