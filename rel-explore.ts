import { runProbe } from './src/probe/probers.js';
import { httpPath, dnsPath, tcpPath } from './test/helpers/paths.js';
import { makeTestCerts } from './test/helpers/tls-cert.js';
import { Closers, HTTP_TARGETS, DNS_TARGETS, DNS_TCP_TARGETS, badCerts, httpsServer } from './test/reliability/hostile-servers.js';
const c = new Closers();
const ctx = { signal: new AbortController().signal, hostsPath: '/nonexistent', resolvConfPath: '/nonexistent' };
const show = async (name: string, p: any) => { const t0 = performance.now(); const o = await runProbe(p, ctx); console.log(name.padEnd(28), o.result.padEnd(13), (performance.now()-t0).toFixed(0).padStart(5), 'ms', o.detail.slice(0, 150)); };
for (const [name, f] of Object.entries(HTTP_TARGETS)) {
  const port = await f(c);
  await show(name, httpPath(`http://127.0.0.1:${port}/`, name === 'redirectLoop' ? { followRedirects: 10 } : {}, 1000));
  await show(name + ' tcp', tcpPath('127.0.0.1', port, 1000));
}
const certs = await makeTestCerts(); const bad = await badCerts(certs);
await show('expired', httpPath(`https://127.0.0.1:${await httpsServer(c, bad.expired.key, bad.expired.cert)}/`, { tls: { caFile: certs.caFile, insecureSkipVerify: false } }, 1000));
await show('selfSigned', httpPath(`https://127.0.0.1:${await httpsServer(c, bad.selfSigned.key, bad.selfSigned.cert)}/`, {}, 1000));
await show('unknownCa', httpPath(`https://127.0.0.1:${await httpsServer(c, certs.key, certs.cert)}/`, {}, 1000));
await show('goodCa', httpPath(`https://127.0.0.1:${await httpsServer(c, certs.key, certs.cert)}/`, { tls: { caFile: certs.caFile, insecureSkipVerify: false } }, 1000));
await show('notTls', httpPath(`https://127.0.0.1:${await HTTP_TARGETS.notTls(c)}/`, {}, 1000));
for (const [name, f] of Object.entries(DNS_TARGETS)) { const port = await f(c); await show(name, dnsPath('x.test.', { server: { host: '127.0.0.1', port } }, 1000)); }
for (const [name, f] of Object.entries(DNS_TCP_TARGETS)) { const port = await f(c); await show(name, dnsPath('x.test.', { server: { host: '127.0.0.1', port }, transport: 'tcp' }, 1000)); }
await c.closeAll(); await certs.cleanup();
