// Hostile and broken targets on loopback, each a real server on an ephemeral port: endless
// bodies, a huge Content-Length, slowloris headers, endless headers, redirect loops, a gzip bomb,
// bad certificates, accept-and-close, garbage, and DNS servers that lie in the wire format.
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { createServer as createTls } from 'node:tls';
import { gzipSync } from 'node:zlib';
import { decodeMessage } from '../../src/probe/dns/decode.js';
import { encodeMessage } from '../../src/probe/dns/encode.js';
import { RCODE, type DnsMessage } from '../../src/probe/dns/message.js';
import type { TestCerts } from '../helpers/tls-cert.js';

/** Something to close at the end of a test. */
export type Closer = () => Promise<void>;

/** Tracks sockets and servers so a test can close everything, whatever state it is in. */
export class Closers {
  private readonly list: Closer[] = [];
  add(c: Closer): void {
    this.list.push(c);
  }
  async closeAll(): Promise<void> {
    await Promise.allSettled(this.list.splice(0).map((c) => c()));
  }
}

/** A raw TCP server: `onSocket` does whatever it likes with each connection. */
export async function rawTcp(closers: Closers, onSocket: (s: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    onSocket(s);
  });
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, r));
  closers.add(() => new Promise<void>((r) => {
    for (const s of sockets) s.destroy();
    server.close(() => r());
  }));
  return (server.address() as net.AddressInfo).port;
}

/** An HTTP server with `handler`. */
export async function httpServer(closers: Closers, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  const server = createHttp(handler);
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, r));
  closers.add(() => new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  }));
  return (server.address() as net.AddressInfo).port;
}

/** Writes 64 KiB chunks as fast as the peer reads, until it goes away (or 1 GiB). */
function pump(socketOrRes: { write(b: Buffer): boolean; once(e: 'drain', f: () => void): unknown; destroyed?: boolean }, stop: () => boolean): void {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let sent = 0;
  const go = (): void => {
    while (!stop() && sent < 1024 ** 3) {
      sent += chunk.length;
      if (!socketOrRes.write(chunk)) return void socketOrRes.once('drain', go);
    }
  };
  go();
}

/** The HTTP targets, by name: each returns the port of a fresh server. */
export const HTTP_TARGETS = {
  /** 200, then a body that never ends. */
  endlessBody: (c: Closers) => httpServer(c, (req, res) => {
    res.writeHead(200);
    let closed = false;
    req.socket.on('close', () => (closed = true));
    pump(res, () => closed);
  }),
  /** Claims an 8 PB body, sends a little, then stalls. */
  hugeContentLength: (c: Closers) => rawTcp(c, (s) => {
    s.once('data', () => s.write(`HTTP/1.1 200 OK\r\nContent-Length: 9007199254740991\r\n\r\n${'y'.repeat(1000)}`));
  }),
  /** Claims an 8 PB body and streams it as fast as it can. */
  hugeContentLengthStreaming: (c: Closers) => rawTcp(c, (s) => {
    s.once('data', () => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 9007199254740991\r\n\r\n');
      pump(s, () => s.destroyed);
    });
  }),
  /** Slowloris: a status line, then one header byte every 50 ms, forever. */
  slowlorisHeaders: (c: Closers) => rawTcp(c, (s) => {
    s.once('data', () => {
      s.write('HTTP/1.1 200 OK\r\nX-Slow: ');
      const timer = setInterval(() => (s.destroyed ? clearInterval(timer) : s.write('a')), 50);
      s.on('close', () => clearInterval(timer));
    });
  }),
  /** Headers that never end, as fast as possible. */
  endlessHeaders: (c: Closers) => rawTcp(c, (s) => {
    s.once('data', () => {
      s.write('HTTP/1.1 200 OK\r\n');
      const line = Buffer.from(`X-Junk: ${'j'.repeat(1000)}\r\n`);
      const go = (): void => {
        while (!s.destroyed) if (!s.write(line)) return void s.once('drain', go);
      };
      go();
    });
  }),
  /** 302 to itself, forever. */
  redirectLoop: (c: Closers) => httpServer(c, (req, res) => res.writeHead(302, { location: req.url ?? '/' }).end()),
  /** 10 MiB of zeroes gzipped to ~10 KiB, sent as Content-Encoding: gzip. */
  gzipBomb: (c: Closers) => {
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024));
    return httpServer(c, (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': bomb.length }).end(bomb));
  },
  /** 64 KiB of 'a' then '!': catastrophic for a pattern like ^(a+)+$. */
  redosBody: (c: Closers) => httpServer(c, (_req, res) => res.writeHead(200).end(`${'a'.repeat(64 * 1024 - 1)}!`)),
  /** Accepts the connection and closes it at once. */
  acceptAndClose: (c: Closers) => rawTcp(c, (s) => s.end()),
  /** Accepts the connection and resets it at once. */
  acceptAndReset: (c: Closers) => rawTcp(c, (s) => s.resetAndDestroy()),
  /** Answers the request with bytes that are not HTTP. */
  garbageResponse: (c: Closers) => rawTcp(c, (s) => s.once('data', () => s.end(Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 13, 10, 13, 10])))),
  /** Answers a TLS ClientHello with garbage. */
  notTls: (c: Closers) => rawTcp(c, (s) => s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'))),
} as const;

/** Writes the TLS targets' certificates next to makeTestCerts' CA: expired.* and self.* (self-signed). */
export async function badCerts(certs: TestCerts): Promise<void> {
  const p = (f: string): string => join(certs.dir, f);
  const run = (args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore', timeout: 10_000 });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', ...ec, '-keyout', p('expired.key'), '-out', p('expired.csr'), '-subj', '/CN=127.0.0.1']);
  // -days -1: notAfter lies before now, the certificate is expired (signed by the trusted CA).
  run(['x509', '-req', '-in', p('expired.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial',
    '-out', p('expired.crt'), '-days', '-1', '-extfile', p('ext.cnf')]);
  run(['req', '-x509', ...ec, '-keyout', p('self.key'), '-out', p('self.crt'), '-subj', '/CN=127.0.0.1', '-days', '2',
    '-addext', 'subjectAltName=IP:127.0.0.1']);
}

/** An HTTPS server presenting `key`/`cert`, answering 200. */
export async function httpsServer(closers: Closers, key: Buffer, cert: Buffer): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = createTls({ key, cert }, (s) => {
    s.on('error', () => {});
    s.once('data', () => s.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
  });
  server.on('connection', (s: net.Socket) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  server.on('tlsClientError', () => {});
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, r));
  closers.add(() => new Promise<void>((r) => {
    for (const s of sockets) s.destroy();
    server.close(() => r());
  }));
  return (server.address() as net.AddressInfo).port;
}

/** A UDP DNS server whose answer to each query is `reply(query)` (undefined: silence). */
export async function rawDnsUdp(closers: Closers, reply: (q: DnsMessage, raw: Buffer) => Buffer | Buffer[] | undefined): Promise<number> {
  const udp = dgram.createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    let q: DnsMessage;
    try {
      q = decodeMessage(msg);
    } catch {
      return;
    }
    const out = reply(q, msg);
    for (const b of out === undefined ? [] : Array.isArray(out) ? out : [out]) udp.send(b, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  closers.add(() => new Promise<void>((r) => udp.close(() => r())));
  return udp.address().port;
}

/** The answer skeleton echoing `q`. */
export function answerTo(q: DnsMessage, patch: Partial<DnsMessage> = {}): DnsMessage {
  return {
    id: q.id,
    flags: { ...q.flags, response: true, authoritative: true, recursionAvailable: true, truncated: false, rcode: RCODE.NOERROR },
    questions: q.questions,
    answers: [],
    authorities: [],
    additionals: [],
    ...patch,
  };
}

/** The DNS targets (UDP), by name. */
export const DNS_TARGETS = {
  /** TC bit set and nothing on TCP: the retry over TCP is refused. */
  truncatedNoTcp: (c: Closers) => rawDnsUdp(c, (q) => encodeMessage(answerTo(q, { flags: { ...answerTo(q).flags, truncated: true } }))),
  /** Right id, then bytes that stop in the middle of the answer section. */
  malformed: (c: Closers) => rawDnsUdp(c, (q) => {
    const good = encodeMessage(answerTo(q, { answers: [{ name: q.questions[0]!.name, ttl: 5, data: { type: 'A', address: '10.0.0.1' } }] }));
    return good.subarray(0, good.length - 3);
  }),
  /** A compression pointer that points at itself. */
  pointerLoop: (c: Closers) => rawDnsUdp(c, (q) => {
    const head = encodeMessage(answerTo(q));
    const buf = Buffer.concat([head, Buffer.from([0xc0, head.length, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 10, 0, 0, 1])]);
    buf.writeUInt16BE(1, 6);
    return buf;
  }),
  /** Only answers with the wrong id (a spoofer that guesses badly). */
  wrongId: (c: Closers) => rawDnsUdp(c, (q) => encodeMessage({ ...answerTo(q), id: (q.id + 1) & 0xffff })),
  /** A flood of spoofed answers with wrong ids, then silence. */
  spoofFlood: (c: Closers) => rawDnsUdp(c, (q) => Array.from({ length: 200 }, (_, i) => encodeMessage({ ...answerTo(q), id: (q.id + 1 + i) & 0xffff }))),
  /** An oversized UDP answer: 3,000 A records (~48 KB, far past 512 bytes without EDNS). */
  oversized: (c: Closers) => rawDnsUdp(c, (q) => encodeMessage(answerTo(q, {
    answers: Array.from({ length: 3000 }, (_, i) => ({ name: q.questions[0]!.name, ttl: 5, data: { type: 'A' as const, address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` } })),
  }))),
  /** Silence: never answers. */
  silent: (c: Closers) => rawDnsUdp(c, () => undefined),
} as const;

/** DNS over TCP targets, by name. */
export const DNS_TCP_TARGETS = {
  /** A length prefix of 65535, then an endless stream of bytes. */
  endlessTcp: (c: Closers) => rawTcp(c, (s) => s.once('data', () => {
    s.write(Buffer.from([0xff, 0xff]));
    pump(s, () => s.destroyed);
  })),
  /** Accepts and closes without an answer. */
  closeTcp: (c: Closers) => rawTcp(c, (s) => s.end()),
} as const;

/** Every hostile server by name; the TLS ones need the certificate directory badCerts filled. */
export function allTargetServers(certDir?: string): Record<string, (c: Closers) => Promise<number>> {
  const tls = (name: string) => async (c: Closers) =>
    httpsServer(c, await readFile(join(certDir as string, `${name}.key`)), await readFile(join(certDir as string, `${name}.crt`)));
  return {
    ...HTTP_TARGETS, ...DNS_TARGETS, ...DNS_TCP_TARGETS,
    ...(certDir ? { tlsExpired: tls('expired'), tlsSelfSigned: tls('self'), tlsUnknownCa: tls('server') } : {}),
  };
}
