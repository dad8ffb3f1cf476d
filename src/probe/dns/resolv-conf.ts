// Reads resolv.conf the way glibc does (resolv.conf(5)): nameserver (at most 3), search/domain
// (the last one wins), options ndots/timeout/attempts/use-vc, with glibc's defaults and caps;
// plus `nameserver IP#port` for resolvers on a high port (tests, labs).
import { isIP } from 'node:net';
import { changedFileReader } from './changed-file.js';

/** One nameserver. */
export interface NameServer {
  host: string;
  port: number;
}

/** The resolver configuration a pod's libc would use. */
export interface ResolvConf {
  nameservers: NameServer[];
  search: string[];
  ndots: number;
  /** Seconds per attempt. */
  timeout: number;
  attempts: number;
  /** `options use-vc`: query over TCP. */
  useTcp: boolean;
}

/** glibc's defaults (resolv.h: RES_TIMEOUT 5, RES_DFLRETRY 2, ndots 1, MAXNS 3). */
export const RESOLV_DEFAULTS: ResolvConf = {
  nameservers: [{ host: '127.0.0.1', port: 53 }],
  search: [],
  ndots: 1,
  timeout: 5,
  attempts: 2,
  useTcp: false,
};
const MAX_NAMESERVERS = 3;
const MAX_SEARCH_DOMAINS = 32;
/** glibc caps: ndots ≤ 15, timeout ≤ 30 s, attempts ≤ 5. */
const CAPS = { ndots: 15, timeout: 30, attempts: 5 };

/** Parses resolv.conf text. Unknown lines and options are ignored, as libc does. */
export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { ...RESOLV_DEFAULTS, nameservers: [], search: [] };
  for (const rawLine of text.split('\n')) {
    // A comment starts with # or ; as its own word (so `IP#port` survives).
    const words = rawLine.trim().split(/\s+/);
    const end = words.findIndex((w) => w.startsWith('#') || w.startsWith(';'));
    const [keyword, ...args] = end < 0 ? words : words.slice(0, end);
    if (!keyword) continue;
    switch (keyword) {
      case 'nameserver': {
        const server = parseNameserver(args[0] ?? '');
        if (server && conf.nameservers.length < MAX_NAMESERVERS) conf.nameservers.push(server);
        break;
      }
      case 'domain':
        conf.search = args[0] ? [stripDot(args[0])] : [];
        break;
      case 'search':
        conf.search = args.map(stripDot).filter((d) => d !== '').slice(0, MAX_SEARCH_DOMAINS);
        break;
      case 'options':
        for (const option of args) applyOption(conf, option);
        break;
      default:
        break;
    }
  }
  if (conf.nameservers.length === 0) conf.nameservers = [...RESOLV_DEFAULTS.nameservers];
  return conf;
}

function applyOption(conf: ResolvConf, option: string): void {
  const [name, value] = option.split(':', 2);
  const n = value === undefined ? NaN : Number.parseInt(value, 10);
  switch (name) {
    case 'ndots':
      if (n >= 0) conf.ndots = Math.min(n, CAPS.ndots);
      break;
    case 'timeout':
      if (n >= 1) conf.timeout = Math.min(n, CAPS.timeout);
      break;
    case 'attempts':
      if (n >= 1) conf.attempts = Math.min(n, CAPS.attempts);
      break;
    case 'use-vc':
      conf.useTcp = true;
      break;
    default:
      break;
  }
}

/**
 * `IP`, or `IP#port` — an extension (dnsmasq/BIND notation) so tests and labs can point at a
 * resolver on a high port; libc ignores such a line, and kubelet never writes one.
 */
function parseNameserver(token: string): NameServer | undefined {
  const [host = '', portText] = token.split('#', 2);
  const port = portText === undefined ? 53 : Number(portText);
  if (!isIP(host.replace(/%.*$/, '')) || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host, port };
}

function stripDot(domain: string): string {
  return domain.endsWith('.') ? domain.slice(0, -1) : domain;
}

/** `conf` frozen, its nameservers and search list included: one parse is shared by every probe. */
function frozen(conf: ResolvConf): ResolvConf {
  for (const server of conf.nameservers) Object.freeze(server);
  Object.freeze(conf.nameservers);
  Object.freeze(conf.search);
  return Object.freeze(conf);
}

const DEFAULTS = frozen({ ...RESOLV_DEFAULTS, nameservers: RESOLV_DEFAULTS.nameservers.map((n) => ({ ...n })), search: [] });
const readResolvConf = changedFileReader((bytes) => frozen(parseResolvConf(bytes.toString('utf8'))));

/**
 * Reads and parses a resolv.conf; a missing or unreadable file yields glibc's defaults. The file
 * is read again only when it changed (see changed-file.ts). The result is shared and frozen (no
 * copy per probe): a caller that wants to change it makes its own.
 */
export async function loadResolvConf(path = '/etc/resolv.conf'): Promise<ResolvConf> {
  const conf = await readResolvConf(path);
  return conf ?? DEFAULTS;
}
