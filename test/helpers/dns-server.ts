// A small real DNS server for tests: UDP and TCP on the same 127.0.0.1 port (port 0 picked),
// serving configured records, or misbehaving on purpose per name (NXDOMAIN, SERVFAIL, REFUSED,
// silence, truncation to force TCP, wrong id, malformed bytes). Reusable by any test.
import dgram from 'node:dgram';
import net from 'node:net';
import { decodeMessage } from '../../src/probe/dns/decode.js';
import { encodeMessage } from '../../src/probe/dns/encode.js';
import { canonicalName, RCODE, typeName, type DnsMessage, type ResourceRecord } from '../../src/probe/dns/message.js';

/** How the server treats a name. `answer` serves its records (NOERROR with none = NODATA). */
export type DnsBehaviour =
  | 'answer' | 'nxdomain' | 'servfail' | 'refused' | 'formerr' | 'drop' | 'truncate' | 'wrong-id' | 'malformed';

/** Records and behaviour of one name. */
export interface ZoneEntry {
  A?: string[];
  AAAA?: string[];
  CNAME?: string;
  SRV?: Array<{ priority: number; weight: number; port: number; target: string }>;
  TXT?: string[][];
  behaviour?: DnsBehaviour;
  /** Delay before answering, ms. */
  delayMs?: number;
}

/** One query the server saw. */
export interface SeenQuery {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
}

export interface TestDnsServer {
  host: '127.0.0.1';
  port: number;
  /** Every query received, in order. */
  queries: SeenQuery[];
  /** Replaces or adds a name. */
  set(name: string, entry: ZoneEntry): void;
  close(): Promise<void>;
}

/** Starts the server. Names not in the zone get `unknown` (default `nxdomain`). */
export async function startDnsServer(
  zone: Record<string, ZoneEntry>, options: { unknown?: DnsBehaviour } = {},
): Promise<TestDnsServer> {
  const entries = new Map(Object.entries(zone).map(([k, v]) => [canonicalName(k), v]));
  const queries: SeenQuery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const respond = (buf: Buffer, transport: 'udp' | 'tcp', send: (b: Buffer) => void): void => {
    let query: DnsMessage;
    try {
      query = decodeMessage(buf);
    } catch {
      return;
    }
    const q = query.questions[0];
    if (!q) return;
    const type = typeName(q.type) ?? String(q.type);
    queries.push({ name: q.name, type, transport });
    const entry = entries.get(q.name);
    const behaviour = entry ? entry.behaviour ?? 'answer' : options.unknown ?? 'nxdomain';
    const reply = buildReply(query, entry, behaviour, transport, entries);
    if (!reply) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      send(reply);
    }, entry?.delayMs ?? 0);
    timers.add(timer);
  };

  const { udp, tcp, port } = await bindBoth();
  udp.on('message', (msg, rinfo) => respond(msg, 'udp', (b) => udp.send(b, rinfo.port, rinfo.address)));
  const sockets = new Set<net.Socket>();
  tcp.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const msg = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + msg.length);
        respond(msg, 'tcp', (b) => {
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(b.length);
          if (!socket.destroyed) socket.write(Buffer.concat([prefix, b]));
        });
      }
    });
  });
  return {
    host: '127.0.0.1',
    port,
    queries,
    set: (name, entry) => entries.set(canonicalName(name), entry),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((r) => udp.close(() => r())),
        new Promise<void>((r) => tcp.close(() => r())),
      ]);
    },
  };
}

/** UDP on an ephemeral port, then TCP on the same number (retried when TCP's is taken). */
async function bindBoth(): Promise<{ udp: dgram.Socket; tcp: net.Server; port: number }> {
  for (let tries = 0; tries < 20; tries++) {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, '127.0.0.1', () => resolve());
    });
    const port = udp.address().port;
    const tcp = net.createServer();
    const ok = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) return { udp, tcp, port };
    udp.close();
  }
  throw new Error('could not bind UDP and TCP on one port');
}

function buildReply(
  query: DnsMessage, entry: ZoneEntry | undefined, behaviour: DnsBehaviour, transport: 'udp' | 'tcp',
  zone: Map<string, ZoneEntry>,
): Buffer | undefined {
  const q = query.questions[0];
  if (!q || behaviour === 'drop') return undefined;
  const base: DnsMessage = {
    id: query.id,
    flags: { ...query.flags, response: true, authoritative: true, recursionAvailable: true, truncated: false, rcode: RCODE.NOERROR },
    questions: [q],
    answers: [],
    authorities: [],
    additionals: [],
  };
  switch (behaviour) {
    case 'nxdomain':
      return encodeMessage({ ...base, flags: { ...base.flags, rcode: RCODE.NXDOMAIN } });
    case 'servfail':
      return encodeMessage({ ...base, flags: { ...base.flags, rcode: RCODE.SERVFAIL } });
    case 'refused':
      return encodeMessage({ ...base, flags: { ...base.flags, rcode: RCODE.REFUSED } });
    case 'formerr':
      return encodeMessage({ ...base, flags: { ...base.flags, rcode: RCODE.FORMERR } });
    case 'malformed': {
      // Right id and question, but the header promises an answer that is cut off.
      const good = encodeMessage({ ...base, answers: recordsFor(q.name, entry, q.type, zone) });
      const bad = Buffer.from(good.subarray(0, good.length - 3));
      bad.writeUInt16BE(Math.max(1, bad.readUInt16BE(6)), 6);
      return bad;
    }
    case 'truncate':
      if (transport === 'udp') return encodeMessage({ ...base, flags: { ...base.flags, truncated: true } });
      break;
    case 'wrong-id':
      return encodeMessage({ ...base, id: (query.id + 1) & 0xffff, answers: recordsFor(q.name, entry, q.type, zone) });
    default:
      break;
  }
  return encodeMessage({ ...base, answers: recordsFor(q.name, entry, q.type, zone) });
}

function recordsFor(name: string, entry: ZoneEntry | undefined, typeCode: number, zone: Map<string, ZoneEntry>, hops = 0): ResourceRecord[] {
  if (!entry) return [];
  const ttl = 5;
  const out: ResourceRecord[] = [];
  const type = typeName(typeCode);
  if (entry.CNAME) {
    out.push({ name, ttl, data: { type: 'CNAME', target: entry.CNAME } });
    // Like a recursive server: follow the alias inside the zone (a few hops at most).
    const target = canonicalName(entry.CNAME);
    if (type !== 'CNAME' && hops < 8) out.push(...recordsFor(target, zone.get(target), typeCode, zone, hops + 1));
    return out;
  }
  if (type === 'A') for (const address of entry.A ?? []) out.push({ name, ttl, data: { type: 'A', address } });
  if (type === 'AAAA') for (const address of entry.AAAA ?? []) out.push({ name, ttl, data: { type: 'AAAA', address } });
  if (type === 'SRV') for (const srv of entry.SRV ?? []) out.push({ name, ttl, data: { type: 'SRV', ...srv } });
  if (type === 'TXT') for (const strings of entry.TXT ?? []) out.push({ name, ttl, data: { type: 'TXT', strings } });
  return out;
}
