// DNS message shapes (RFC 1035 §4) shared by the encoder, the decoder and the resolver:
// only the record types the dns check supports are decoded, the rest are kept as raw bytes.
import type { DnsType } from '../../catalog/types.js';

/** Numeric RR type codes of the supported types (RFC 1035, 3596, 2782). */
export const TYPE_CODE: Record<DnsType, number> = { A: 1, CNAME: 5, TXT: 16, AAAA: 28, SRV: 33 };
/** The IN class. */
export const CLASS_IN = 1;

/** Response codes the resolver tells apart (RFC 1035 §4.1.1). */
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

/** Biggest DNS message over TCP (the 16-bit length prefix) and over UDP (we send no EDNS0). */
export const MAX_MESSAGE_BYTES = 65_535;
/** Longest name on the wire (RFC 1035 §2.3.4) and longest label. */
export const MAX_NAME_BYTES = 255;
export const MAX_LABEL_BYTES = 63;

/** Record data of the supported types; anything else is `raw`. */
export type RecordData =
  | { type: 'A'; address: string }
  | { type: 'AAAA'; address: string }
  | { type: 'CNAME'; target: string }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { type: 'TXT'; strings: string[] }
  | { type: 'raw'; code: number; bytes: Buffer };

/** One resource record. Names are lower-case, without the trailing dot. */
export interface ResourceRecord {
  name: string;
  ttl: number;
  data: RecordData;
}

/** One question. */
export interface Question {
  name: string;
  /** Numeric type code (TYPE_CODE or any other). */
  type: number;
  class: number;
}

/** Header flags we read or set. */
export interface MessageFlags {
  response: boolean;
  opcode: number;
  authoritative: boolean;
  truncated: boolean;
  recursionDesired: boolean;
  recursionAvailable: boolean;
  rcode: number;
}

/** A whole message. */
export interface DnsMessage {
  id: number;
  flags: MessageFlags;
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
}

/** A message is malformed or too big: the resolver reports it as dns_error. */
export class DnsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DnsFormatError';
  }
}

/** The DnsType of a numeric code, if supported. */
export function typeName(code: number): DnsType | undefined {
  for (const [name, value] of Object.entries(TYPE_CODE)) if (value === code) return name as DnsType;
  return undefined;
}

/** Lower-cases and strips one trailing dot: the form names are compared in. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Short text of one record's data, for details and the dns check's answer list. */
export function formatRecordData(data: RecordData): string {
  switch (data.type) {
    case 'A':
    case 'AAAA':
      return data.address;
    case 'CNAME':
      return data.target;
    case 'SRV':
      return `${data.priority} ${data.weight} ${data.port} ${data.target}`;
    case 'TXT':
      return data.strings.map((s) => JSON.stringify(s)).join(' ');
    case 'raw':
      return `type${data.code} (${data.bytes.length} bytes)`;
  }
}
