// Encodes DNS messages (RFC 1035 §4) with name compression: queries for the resolver, and whole
// responses for the test DNS server.
import { ipv4ToBytes, ipv6ToBytes } from './ip-address.js';
import {
  CLASS_IN, DnsFormatError, MAX_LABEL_BYTES, MAX_MESSAGE_BYTES, MAX_NAME_BYTES, TYPE_CODE,
  type DnsMessage, type MessageFlags, type RecordData, type ResourceRecord,
} from './message.js';

/** Builds a standard query for one name and type (recursion desired). Throws DnsFormatError on a bad name. */
export function encodeQuery(id: number, name: string, typeCode: number): Buffer {
  return encodeMessage({
    id,
    flags: { response: false, opcode: 0, authoritative: false, truncated: false, recursionDesired: true, recursionAvailable: false, rcode: 0 },
    questions: [{ name, type: typeCode, class: CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: [],
  });
}

/** Splits a name into validated labels (no trailing dot, no empty label, ≤63 bytes each, ≤255 in all). */
export function nameLabels(name: string): Buffer[] {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  if (trimmed === '') return [];
  const labels = trimmed.split('.').map((l) => Buffer.from(l, 'utf8'));
  let wire = 1;
  for (const label of labels) {
    if (label.length === 0) throw new DnsFormatError(`empty label in name "${name}"`);
    if (label.length > MAX_LABEL_BYTES) throw new DnsFormatError(`label longer than ${MAX_LABEL_BYTES} bytes in "${name}"`);
    wire += label.length + 1;
  }
  if (wire > MAX_NAME_BYTES) throw new DnsFormatError(`name longer than ${MAX_NAME_BYTES} bytes: "${name}"`);
  return labels;
}

/** Encodes a whole message. Names in questions, owners and CNAME targets are compressed. */
export function encodeMessage(message: DnsMessage): Buffer {
  const writer = new Writer();
  writer.u16(message.id);
  writer.u16(flagsWord(message.flags));
  writer.u16(message.questions.length);
  writer.u16(message.answers.length);
  writer.u16(message.authorities.length);
  writer.u16(message.additionals.length);
  for (const q of message.questions) {
    writer.name(q.name, true);
    writer.u16(q.type);
    writer.u16(q.class);
  }
  for (const rr of [...message.answers, ...message.authorities, ...message.additionals]) writeRecord(writer, rr);
  const out = writer.finish();
  if (out.length > MAX_MESSAGE_BYTES) throw new DnsFormatError(`message of ${out.length} bytes is too big`);
  return out;
}

function flagsWord(f: MessageFlags): number {
  return (
    (f.response ? 0x8000 : 0) | ((f.opcode & 0xf) << 11) | (f.authoritative ? 0x0400 : 0) |
    (f.truncated ? 0x0200 : 0) | (f.recursionDesired ? 0x0100 : 0) | (f.recursionAvailable ? 0x0080 : 0) |
    (f.rcode & 0xf)
  );
}

function writeRecord(writer: Writer, rr: ResourceRecord): void {
  writer.name(rr.name, true);
  writer.u16(rr.data.type === 'raw' ? rr.data.code : TYPE_CODE[rr.data.type]);
  writer.u16(CLASS_IN);
  writer.u32(rr.ttl);
  const lengthAt = writer.reserveU16();
  const start = writer.length;
  writeData(writer, rr.data);
  writer.patchU16(lengthAt, writer.length - start);
}

function writeData(writer: Writer, data: RecordData): void {
  switch (data.type) {
    case 'A':
      return writer.bytes(ipv4ToBytes(data.address));
    case 'AAAA':
      return writer.bytes(ipv6ToBytes(data.address));
    case 'CNAME':
      return writer.name(data.target, true);
    case 'SRV':
      writer.u16(data.priority);
      writer.u16(data.weight);
      writer.u16(data.port);
      // RFC 2782: the SRV target is not compressed.
      return writer.name(data.target, false);
    case 'TXT':
      for (const s of data.strings) {
        const bytes = Buffer.from(s, 'utf8');
        if (bytes.length > 255) throw new DnsFormatError('TXT string longer than 255 bytes');
        writer.bytes(Buffer.from([bytes.length]));
        writer.bytes(bytes);
      }
      return;
    case 'raw':
      return writer.bytes(data.bytes);
  }
}

/** Growable buffer that remembers where each name suffix was written, for compression pointers. */
class Writer {
  private buf = Buffer.alloc(512);
  length = 0;
  private suffixes = new Map<string, number>();

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }
  u16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16BE(v & 0xffff, this.length);
    this.length += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.length);
    this.length += 4;
  }
  bytes(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.length);
    this.length += b.length;
  }
  reserveU16(): number {
    this.u16(0);
    return this.length - 2;
  }
  patchU16(at: number, v: number): void {
    this.buf.writeUInt16BE(v, at);
  }
  name(name: string, compress: boolean): void {
    const labels = nameLabels(name);
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).map((l) => l.toString('utf8').toLowerCase()).join('.');
      const at = this.suffixes.get(suffix);
      if (compress && at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.length < 0x3fff) this.suffixes.set(suffix, this.length);
      const label = labels[i] as Buffer;
      this.bytes(Buffer.from([label.length]));
      this.bytes(label);
    }
    this.bytes(Buffer.from([0]));
  }
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.length));
  }
}
