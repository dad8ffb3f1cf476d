// A tiny authoritative DNS responder over UDP for the demo: A records for a fixed set of names,
// NOERROR without answers for other types of those names, NXDOMAIN for everything else.
import { createSocket, type Socket } from 'node:dgram';

const TYPE_A = 1;
const CLASS_IN = 1;
const RCODE_FORMERR = 1;
const RCODE_NXDOMAIN = 3;

/** A parsed question: the name (lower case, no trailing dot), type, and where it ends. */
function readQuestion(msg: Buffer): { name: string; type: number; end: number } | undefined {
  let offset = 12;
  const labels: string[] = [];
  for (let guard = 0; guard < 128; guard++) {
    const length = msg[offset];
    if (length === undefined || length > 63) return undefined;
    offset += 1;
    if (length === 0) break;
    if (offset + length > msg.length) return undefined;
    labels.push(msg.subarray(offset, offset + length).toString('latin1').toLowerCase());
    offset += length;
  }
  if (offset + 4 > msg.length) return undefined;
  return { name: labels.join('.'), type: msg.readUInt16BE(offset), end: offset + 4 };
}

/** Builds the answer to one query, or undefined for something that is not a query. */
export function answerQuery(query: Buffer, records: ReadonlyMap<string, string>): Buffer | undefined {
  if (query.length < 12 || (query[2]! & 0x80) !== 0) return undefined;
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  const rd = query[2]! & 0x01;
  const qdcount = query.readUInt16BE(4);
  const question = qdcount === 1 ? readQuestion(query) : undefined;
  header[2] = 0x80 | 0x04 | rd; // QR, AA, RD copied
  if (!question) {
    header[3] = RCODE_FORMERR;
    return header;
  }
  header.writeUInt16BE(1, 4);
  const address = records.get(question.name);
  const questionBytes = query.subarray(12, question.end);
  if (address === undefined) {
    header[3] = RCODE_NXDOMAIN;
    return Buffer.concat([header, questionBytes]);
  }
  if (question.type !== TYPE_A) return Buffer.concat([header, questionBytes]);
  header.writeUInt16BE(1, 6);
  const answer = Buffer.alloc(16);
  answer.writeUInt16BE(0xc00c, 0); // pointer to the question's name
  answer.writeUInt16BE(TYPE_A, 2);
  answer.writeUInt16BE(CLASS_IN, 4);
  answer.writeUInt32BE(5, 6);
  answer.writeUInt16BE(4, 10);
  address.split('.').forEach((octet, i) => answer.writeUInt8(Number(octet), 12 + i));
  return Buffer.concat([header, questionBytes, answer]);
}

/** A running responder. */
export interface DnsResponder {
  port: number;
  close(): Promise<void>;
}

/** Serves `records` (name → IPv4) on UDP host:port (port 0 picks one). */
export function startDnsResponder(host: string, port: number, records: ReadonlyMap<string, string>): Promise<DnsResponder> {
  return new Promise((resolve, reject) => {
    const socket: Socket = createSocket('udp4');
    socket.once('error', reject);
    socket.on('message', (msg, rinfo) => {
      const reply = answerQuery(msg, records);
      if (reply) socket.send(reply, rinfo.port, rinfo.address);
    });
    socket.bind(port, host, () => {
      socket.off('error', reject);
      socket.on('error', () => {});
      resolve({ port: socket.address().port, close: () => new Promise((done) => socket.close(() => done())) });
    });
  });
}
