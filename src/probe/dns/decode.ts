// Decodes DNS messages (RFC 1035 §4) defensively: every length is checked against the buffer,
// compression pointers must point backwards (no loops), names stay ≤255 bytes, and the record
// counts are bounded before any work is done. Anything off throws DnsFormatError.
import { bytesToIpv4, bytesToIpv6 } from './ip-address.js';
import {
  DnsFormatError, MAX_MESSAGE_BYTES, MAX_NAME_BYTES, typeName,
  type DnsMessage, type MessageFlags, type Question, type RecordData, type ResourceRecord,
} from './message.js';

const HEADER_BYTES = 12;
/** Smallest question (root name + type + class) and smallest record (root name + 10 bytes). */
const MIN_QUESTION_BYTES = 5;
const MIN_RECORD_BYTES = 11;
/** Most compression jumps followed in one name. */
const MAX_POINTER_JUMPS = 64;

/** Decodes a whole message; throws DnsFormatError when it is malformed or oversized. */
export function decodeMessage(buf: Buffer): DnsMessage {
  if (buf.length < HEADER_BYTES) throw new DnsFormatError(`message of ${buf.length} bytes is shorter than a header`);
  if (buf.length > MAX_MESSAGE_BYTES) throw new DnsFormatError(`message of ${buf.length} bytes is too big`);
  const id = buf.readUInt16BE(0);
  const flags = decodeFlags(buf.readUInt16BE(2));
  const counts = [4, 6, 8, 10].map((at) => buf.readUInt16BE(at)) as [number, number, number, number];
  const [qd, an, ns, ar] = counts;
  const room = buf.length - HEADER_BYTES;
  if (qd * MIN_QUESTION_BYTES + (an + ns + ar) * MIN_RECORD_BYTES > room) {
    throw new DnsFormatError(`header promises ${qd}/${an}/${ns}/${ar} entries, more than ${room} bytes can hold`);
  }
  const reader = { buf, pos: HEADER_BYTES };
  const questions: Question[] = [];
  for (let i = 0; i < qd; i++) {
    const name = readName(reader);
    need(reader, 4);
    questions.push({ name, type: buf.readUInt16BE(reader.pos), class: buf.readUInt16BE(reader.pos + 2) });
    reader.pos += 4;
  }
  const section = (n: number): ResourceRecord[] => Array.from({ length: n }, () => readRecord(reader));
  return { id, flags, questions, answers: section(an), authorities: section(ns), additionals: section(ar) };
}

/** The id of a message, or undefined when it is too short to carry one. */
export function peekId(buf: Buffer): number | undefined {
  return buf.length >= 2 ? buf.readUInt16BE(0) : undefined;
}

function decodeFlags(word: number): MessageFlags {
  return {
    response: (word & 0x8000) !== 0,
    opcode: (word >> 11) & 0xf,
    authoritative: (word & 0x0400) !== 0,
    truncated: (word & 0x0200) !== 0,
    recursionDesired: (word & 0x0100) !== 0,
    recursionAvailable: (word & 0x0080) !== 0,
    rcode: word & 0xf,
  };
}

interface Reader {
  buf: Buffer;
  pos: number;
}

function need(r: Reader, n: number): void {
  if (r.pos + n > r.buf.length) throw new DnsFormatError(`truncated message: need ${n} bytes at offset ${r.pos}`);
}

/** Reads a possibly compressed name at r.pos and advances past it (not past pointer targets). */
function readName(r: Reader): string {
  const labels: string[] = [];
  let pos = r.pos;
  let end = -1;
  let jumps = 0;
  let wire = 1;
  for (;;) {
    if (pos >= r.buf.length) throw new DnsFormatError('name runs past the end of the message');
    const len = r.buf[pos] as number;
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= r.buf.length) throw new DnsFormatError('truncated compression pointer');
      const target = ((len & 0x3f) << 8) | (r.buf[pos + 1] as number);
      // Only backward pointers: a forward or self pointer could loop.
      if (target >= pos) throw new DnsFormatError(`compression pointer at ${pos} does not point backwards`);
      if (++jumps > MAX_POINTER_JUMPS) throw new DnsFormatError('too many compression pointers');
      if (end < 0) end = pos + 2;
      pos = target;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new DnsFormatError(`unsupported label type 0x${len.toString(16)}`);
    if (len === 0) {
      if (end < 0) end = pos + 1;
      break;
    }
    if (pos + 1 + len > r.buf.length) throw new DnsFormatError('label runs past the end of the message');
    wire += len + 1;
    if (wire > MAX_NAME_BYTES) throw new DnsFormatError(`name longer than ${MAX_NAME_BYTES} bytes`);
    labels.push(r.buf.toString('latin1', pos + 1, pos + 1 + len).toLowerCase());
    pos += 1 + len;
  }
  r.pos = end;
  return labels.join('.');
}

function readRecord(r: Reader): ResourceRecord {
  const name = readName(r);
  need(r, 10);
  const code = r.buf.readUInt16BE(r.pos);
  const ttl = r.buf.readUInt32BE(r.pos + 4);
  const rdlength = r.buf.readUInt16BE(r.pos + 8);
  r.pos += 10;
  need(r, rdlength);
  const start = r.pos;
  const data = readData(r, code, rdlength);
  r.pos = start + rdlength;
  return { name, ttl, data };
}

function readData(r: Reader, code: number, rdlength: number): RecordData {
  const start = r.pos;
  const end = start + rdlength;
  const type = typeName(code);
  const exact = (n: number): void => {
    if (rdlength !== n) throw new DnsFormatError(`${type} record data of ${rdlength} bytes, expected ${n}`);
  };
  const nameWithin = (): string => {
    const name = readName(r);
    if (r.pos > end) throw new DnsFormatError(`${type} name runs past its record data`);
    return name;
  };
  switch (type) {
    case 'A':
      exact(4);
      return { type, address: bytesToIpv4(r.buf.subarray(start, end)) };
    case 'AAAA':
      exact(16);
      return { type, address: bytesToIpv6(r.buf.subarray(start, end)) };
    case 'CNAME':
      return { type, target: nameWithin() };
    case 'SRV': {
      if (rdlength < 7) throw new DnsFormatError(`SRV record data of ${rdlength} bytes is too short`);
      const [priority, weight, port] = [0, 2, 4].map((o) => r.buf.readUInt16BE(start + o)) as [number, number, number];
      r.pos = start + 6;
      return { type, priority, weight, port, target: nameWithin() };
    }
    case 'TXT': {
      const strings: string[] = [];
      let pos = start;
      while (pos < end) {
        const len = r.buf[pos] as number;
        if (pos + 1 + len > end) throw new DnsFormatError('TXT string runs past its record data');
        strings.push(r.buf.toString('utf8', pos + 1, pos + 1 + len));
        pos += 1 + len;
      }
      return { type, strings };
    }
    default:
      return { type: 'raw', code, bytes: Buffer.from(r.buf.subarray(start, end)) };
  }
}
