// IPv4/IPv6 text <-> bytes for A/AAAA record data (node:net has isIP but no inet_pton/ntop).
import { isIPv4, isIPv6 } from 'node:net';

/** The 4 bytes of a dotted IPv4 address; throws on anything else. */
export function ipv4ToBytes(text: string): Buffer {
  if (!isIPv4(text)) throw new Error(`not an IPv4 address: ${text}`);
  return Buffer.from(text.split('.').map(Number));
}

/** The 16 bytes of an IPv6 address (with `::` and an embedded IPv4 tail); throws on anything else. */
export function ipv6ToBytes(text: string): Buffer {
  const bare = text.replace(/%.*$/, '');
  if (!isIPv6(bare)) throw new Error(`not an IPv6 address: ${text}`);
  let groups: string[];
  const tail = bare.match(/(\d+\.\d+\.\d+\.\d+)$/);
  let head = bare;
  const v4: number[] = [];
  if (tail?.[1]) {
    v4.push(...ipv4ToBytes(tail[1]));
    head = bare.slice(0, -tail[1].length) + '0:0';
  }
  const [left = '', right] = head.split('::');
  const leftGroups = left === '' ? [] : left.split(':');
  if (right === undefined) {
    groups = leftGroups;
  } else {
    const rightGroups = right === '' ? [] : right.split(':');
    groups = [...leftGroups, ...Array<string>(8 - leftGroups.length - rightGroups.length).fill('0'), ...rightGroups];
  }
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  if (v4.length === 4) Buffer.from(v4).copy(out, 12);
  return out;
}

/** Dotted text of 4 bytes. */
export function bytesToIpv4(bytes: Buffer): string {
  return [...bytes.subarray(0, 4)].join('.');
}

/** RFC 5952 text of 16 bytes: lower-case, leading zeros dropped, the longest zero run as `::`. */
export function bytesToIpv6(bytes: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
