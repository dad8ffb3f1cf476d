// Host resolution for tcp/http checks, as a pod's libc would do it: an IP literal needs no
// lookup; then the hosts file; then DNS (A, and AAAA when the name has no A record) with the
// resolv.conf search list and ndots. A failure is always a dns_* class, never `error`.
import { isIP } from 'node:net';
import { classifyDnsFailure, classifyFailure } from '../classify/classify.js';
import type { ResultClass } from '../classify/result-class.js';
import type { Deadline } from './deadline.js';
import { lookupHostsFile } from './dns/hosts-file.js';
import { loadResolvConf } from './dns/resolv-conf.js';
import { lookup } from './dns/resolver.js';
import type { ProbeContext } from './types.js';

/** Where the addresses came from. */
export type ResolveSource = 'literal' | 'hosts' | 'dns';

/** The host's addresses (IPv4 first), or the dns_* class of the failure. */
export type ResolveResult =
  | { ok: true; addresses: string[]; source: ResolveSource; detail: string }
  | { ok: false; result: ResultClass; detail: string };

/** Most addresses kept from one lookup. */
const MAX_ADDRESSES = 16;

/** Resolves `host` (brackets around an IPv6 literal allowed) before `deadline`. */
export async function resolveHost(host: string, ctx: ProbeContext, deadline: Deadline): Promise<ResolveResult> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare)) return { ok: true, addresses: [bare], source: 'literal', detail: 'IP literal' };
  try {
    const hosts = await lookupHostsFile(ctx.hostsPath ?? '/etc/hosts', bare);
    if (hosts.v4.length + hosts.v6.length > 0) {
      return { ok: true, addresses: [...hosts.v4, ...hosts.v6].slice(0, MAX_ADDRESSES), source: 'hosts', detail: 'hosts file' };
    }
    const conf = await loadResolvConf(ctx.resolvConfPath ?? '/etc/resolv.conf');
    const options = { conf, signal: deadline.signal, deadline: deadline.at };
    const v4 = await lookup(bare, 'A', options);
    if (v4.ok) return fromAnswer(v4.records, v4.name);
    if (v4.kind !== 'nodata') return { ok: false, result: classifyDnsFailure(v4.kind), detail: v4.detail };
    const v6 = await lookup(bare, 'AAAA', options);
    if (v6.ok) return fromAnswer(v6.records, v6.name);
    const kind = v6.kind === 'nodata' ? v4.kind : v6.kind;
    return { ok: false, result: classifyDnsFailure(kind), detail: `${v4.detail}; AAAA: ${v6.detail}` };
  } catch (error) {
    // A name that cannot even be encoded (label > 63 bytes...) is a DNS failure, not a crash.
    const c = classifyFailure({ error, phase: 'resolve', timedOut: deadline.expired() });
    return { ok: false, result: c.result, detail: c.detail };
  }
}

function fromAnswer(records: Array<{ data: { type: string; address?: string } }>, name: string): ResolveResult {
  const addresses = records.flatMap((r) => (r.data.address ? [r.data.address] : [])).slice(0, MAX_ADDRESSES);
  return { ok: true, addresses, source: 'dns', detail: `DNS ${name}` };
}
