// The dns check: resolve the path's name with its record type, through path.dns.server or the
// resolv.conf nameservers, honouring the resolv.conf search list and ndots (a trailing dot makes
// the name absolute) — what an application in the same pod would experience.
import type { DnsOptions, PathSpec } from '../catalog/types.js';
import { classifyDnsFailure } from '../classify/classify.js';
import { startDeadline } from './deadline.js';
import { formatRecordData } from './dns/message.js';
import { loadResolvConf } from './dns/resolv-conf.js';
import { lookup } from './dns/resolver.js';
import { PhaseClock } from './phase-clock.js';
import type { ProbeContext, ProbeOutcome } from './types.js';

/** Used when a path carries no dns options (the loader normally fills them). */
export const DNS_DEFAULTS: DnsOptions = { type: 'A', transport: 'udp' };
/** Most answers reported, and the longest text of one. */
export const MAX_REPORTED_ANSWERS = 10;
const MAX_ANSWER_CHARS = 120;

/** Probes a dns path: `ok` when the name has at least one record of the type. */
export async function probeDns(path: PathSpec, ctx: ProbeContext): Promise<ProbeOutcome> {
  const clock = new PhaseClock();
  const deadline = startDeadline(ctx.signal, path.timeoutMs, ctx.deadlineAt);
  const options = path.dns ?? DNS_DEFAULTS;
  try {
    clock.enter('resolve');
    const conf = await loadResolvConf(ctx.resolvConfPath ?? '/etc/resolv.conf');
    const result = await lookup(path.host, options.type, {
      conf,
      ...(options.server ? { servers: [options.server] } : {}),
      transport: options.transport,
      signal: deadline.signal,
      deadline: deadline.at,
    });
    clock.stop();
    if (!result.ok) return clock.finish(classifyDnsFailure(result.kind), result.detail);
    const answers = result.records.slice(0, MAX_REPORTED_ANSWERS).map((r) => {
      const text = formatRecordData(r.data);
      return text.length > MAX_ANSWER_CHARS ? `${text.slice(0, MAX_ANSWER_CHARS - 1)}…` : text;
    });
    const more = result.records.length > answers.length ? ` (+${result.records.length - answers.length} more)` : '';
    return clock.finish('ok', `${result.name} ${options.type}: ${answers.join(', ')}${more}`, { addresses: answers });
  } finally {
    deadline.dispose();
  }
}
