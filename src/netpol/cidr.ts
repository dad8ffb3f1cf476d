// Small IPv4/IPv6 address and CIDR arithmetic for NetworkPolicy ipBlock (cidr + except).
// Addresses are held as bigint so both families share one code path.
import { isIPv4, isIPv6 } from 'node:net';

/** A parsed address. */
export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

/** A parsed CIDR; `network` has its host bits cleared. */
export interface Cidr {
  family: 4 | 6;
  network: bigint;
  prefix: number;
  text: string;
}

function parseV4(text: string): bigint {
  let v = 0n;
  for (const part of text.split('.')) v = (v << 8n) | BigInt(Number(part));
  return v;
}

function parseV6(text: string): bigint {
  let s = text;
  let tail: bigint[] = [];
  // An embedded IPv4 tail (::ffff:10.0.0.1) stands for the last two groups.
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    const v4 = parseV4(s.slice(lastColon + 1));
    tail = [(v4 >> 16n) & 0xffffn, v4 & 0xffffn];
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const [head = '', rest] = s.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - headGroups.length - restGroups.length;
  const groups = [...headGroups, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...restGroups];
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(parseInt(g, 16));
  if (tail.length === 2) v = (v & ~0xffffffffn) | (tail[0]! << 16n) | tail[1]!;
  return v;
}

/** Parses an IPv4 or IPv6 address (zone ids are dropped); undefined when not an address. */
export function parseIp(text: string): IpAddress | undefined {
  const t = text.trim().replace(/%.*$/, '');
  if (isIPv4(t)) return { family: 4, value: parseV4(t) };
  if (isIPv6(t)) return { family: 6, value: parseV6(t) };
  return undefined;
}

/** Parses `addr/prefix`; undefined when malformed. Host bits are cleared, as net.ParseCIDR does. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const bits = ip.family === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  const shift = BigInt(bits - prefix);
  return { family: ip.family, network: (ip.value >> shift) << shift, prefix, text };
}

/** True when `ip` lies inside `cidr` (never across families). */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.family !== ip.family) return false;
  const shift = BigInt((cidr.family === 4 ? 32 : 128) - cidr.prefix);
  return ip.value >> shift === cidr.network >> shift;
}

/** True when `inner` is inside `outer` (equal counts as inside). */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.family === outer.family && inner.prefix >= outer.prefix &&
    cidrContains(outer, { family: inner.family, value: inner.network });
}

/** The host CIDR of an address: `/32` or `/128`. */
export function hostCidr(ip: string): string {
  const parsed = parseIp(ip);
  return `${ip}/${parsed?.family === 6 ? 128 : 32}`;
}
