// Reads resolv.conf the way glibc does (resolv.conf(5)): nameserver (at most 3), search/domain
// (the last one wins), options ndots/timeout/attempts/use-vc, with glibc's defaults and caps;
// plus `nameserver IP#port` for resolvers on a high port (tests, labs).
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';

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

/**
 * The last parse of each file, used while its inode, size and times are unchanged and for at most
 * RESOLV_CONF_REUSE_MS (file times are coarse: a same-size rewrite within one tick keeps them).
 */
const parsed = new Map<string, { stamp: string; readAt: number; conf: ResolvConf }>();

/** Longest a parse is reused without reading the file again. */
export const RESOLV_CONF_REUSE_MS = 1000;

function copyConf(conf: ResolvConf): ResolvConf {
  return { ...conf, nameservers: conf.nameservers.map((n) => ({ ...n })), search: [...conf.search] };
}

/**
 * Reads and parses a resolv.conf; a missing or unreadable file yields glibc's defaults. The file
 * is read again only when it changed (one stat per call instead of open/fstat/read/close on the
 * thread pool for every probe: the profile at 1,000 probes/s showed that as the largest cost of
 * a dns probe).
 */
export async function loadResolvConf(path = '/etc/resolv.conf'): Promise<ResolvConf> {
  let stamp: string;
  try {
    const st = statSync(path, { bigint: true });
    stamp = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    parsed.delete(path);
    return { ...RESOLV_DEFAULTS };
  }
  const known = parsed.get(path);
  const now = performance.now();
  if (known?.stamp === stamp && now - known.readAt < RESOLV_CONF_REUSE_MS) return copyConf(known.conf);
  try {
    const conf = parseResolvConf(await readFile(path, 'utf8'));
    parsed.set(path, { stamp, readAt: now, conf: copyConf(conf) });
    return conf;
  } catch {
    parsed.delete(path);
    return { ...RESOLV_DEFAULTS };
  }
}
