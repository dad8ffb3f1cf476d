// The stub resolver: search-list expansion (glibc res_search order and stop rules), then per name
// the servers × attempts loop (glibc res_send: next server on SERVFAIL/REFUSED/timeout, TCP on a
// truncated UDP answer), each attempt bounded by resolv.conf's timeout and the probe deadline.
import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DnsType } from '../../catalog/types.js';
import type { DnsFailureKind } from '../../classify/classify.js';
import { encodeQuery, nameLabels } from './encode.js';
import { canonicalName, RCODE, TYPE_CODE, type DnsMessage, type ResourceRecord } from './message.js';
import type { NameServer, ResolvConf } from './resolv-conf.js';
import { searchPlan } from './search-list.js';
import { exchange, type ExchangeResult } from './transport.js';

/** How to look a name up. */
export interface LookupOptions {
  conf: ResolvConf;
  /** Servers to ask instead of conf.nameservers. */
  servers?: NameServer[];
  /** Default: TCP when conf.useTcp, else UDP (with TCP on truncation). */
  transport?: 'udp' | 'tcp';
  /** Aborts the lookup (the probe deadline). */
  signal: AbortSignal;
  /** performance.now() value after which no attempt starts. */
  deadline: number;
}

/** A lookup that found records of the type. */
export interface LookupAnswer {
  ok: true;
  /** The candidate name that answered. */
  name: string;
  records: ResourceRecord[];
  /** Names queried, in order. */
  tried: string[];
}

/** A lookup that found nothing usable. */
export interface LookupFailure {
  ok: false;
  kind: DnsFailureKind;
  detail: string;
  tried: string[];
}

export type LookupResult = LookupAnswer | LookupFailure;

type CandidateResult = { kind: 'answer'; records: ResourceRecord[] } | { kind: DnsFailureKind; detail: string };

/** Kinds after which res_search moves on to the next search domain; any other kind stops it. */
const SEARCH_CONTINUES: ReadonlySet<string> = new Set(['nxdomain', 'nodata', 'servfail']);
/** When a name got no answer from any server, the most telling failure seen wins, in this order. */
const FAILURE_RANK: DnsFailureKind[] = ['servfail', 'refused', 'formerr', 'malformed', 'neterror', 'timeout'];
/** An attempt with less time left than this is not started (it could only send a query and give up). */
const MIN_ATTEMPT_MS = 20;
/** Most CNAME hops followed inside one answer. */
const MAX_CNAME_HOPS = 16;

/** Resolves `name` (search list and ndots from conf unless it ends with a dot) to records of `type`. */
export async function lookup(name: string, type: DnsType, options: LookupOptions): Promise<LookupResult> {
  try {
    nameLabels(name);
  } catch (e) {
    return { ok: false, kind: 'malformed', detail: `cannot ask for "${name}": ${(e as Error).message}`, tried: [] };
  }
  const plan = searchPlan(name, options.conf.search, options.conf.ndots);
  const tried: string[] = [];
  const failures: Array<{ name: string; kind: DnsFailureKind; detail: string }> = [];
  for (const candidate of plan.candidates) {
    tried.push(candidate);
    const result = await queryName(candidate, type, options);
    if (result.kind === 'answer') return { ok: true, name: candidate, records: result.records, tried };
    failures.push({ name: candidate, kind: result.kind, detail: result.detail });
    const isAsIsFirst = plan.asIsFirst && failures.length === 1;
    if (!isAsIsFirst && !SEARCH_CONTINUES.has(result.kind)) break;
  }
  return { ok: false, kind: finalKind(failures, plan.asIsFirst), detail: describeFailures(failures), tried };
}

/** glibc's choice of the reported error: the as-is name's when tried first, else NODATA, else SERVFAIL, else the last. */
function finalKind(failures: Array<{ kind: DnsFailureKind }>, asIsFirst: boolean): DnsFailureKind {
  const kinds = failures.map((f) => f.kind);
  let kind: DnsFailureKind = (asIsFirst ? kinds[0] : undefined) ??
    (kinds.includes('nodata') ? 'nodata' : kinds.includes('servfail') ? 'servfail' : kinds[kinds.length - 1]) ??
    'timeout';
  // "No answer from any server" only when no server answered anything at all.
  if (kind === 'timeout') kind = kinds.find((k) => k !== 'timeout' && k !== 'nxdomain' && k !== 'nodata') ?? 'timeout';
  return kind;
}

function describeFailures(failures: Array<{ name: string; kind: DnsFailureKind; detail: string }>): string {
  const text = failures.map((f) => `${f.name}: ${f.detail}`).join('; ');
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}

/** Asks the servers about one fully qualified name (res_send). */
async function queryName(name: string, type: DnsType, options: LookupOptions): Promise<CandidateResult> {
  const servers = options.servers ?? options.conf.nameservers;
  const transport = options.transport ?? (options.conf.useTcp ? 'tcp' : 'udp');
  const seen: Array<{ kind: DnsFailureKind; detail: string }> = [];
  for (let attempt = 0; attempt < options.conf.attempts; attempt++) {
    for (const server of servers) {
      const remaining = options.deadline - performance.now();
      if (remaining < MIN_ATTEMPT_MS || options.signal.aborted) return pickFailure(seen, 'deadline reached');
      const at = `${server.host}:${server.port}`;
      const timeoutMs = Math.min(options.conf.timeout * 1000, remaining);
      let result = await ask(server, transport, name, type, timeoutMs, options.signal);
      if (result.kind === 'message' && result.message.flags.truncated && transport === 'udp') {
        result = await ask(server, 'tcp', name, type, Math.min(options.conf.timeout * 1000, options.deadline - performance.now()), options.signal);
      }
      const judged = judge(result, name, type, at);
      if (judged.kind === 'answer' || judged.kind === 'nxdomain' || judged.kind === 'nodata') return judged;
      seen.push(judged);
    }
  }
  return pickFailure(seen, 'no answer');
}

function pickFailure(seen: Array<{ kind: DnsFailureKind; detail: string }>, fallback: string): CandidateResult {
  for (const kind of FAILURE_RANK) {
    const hit = seen.find((s) => s.kind === kind);
    if (hit) return hit;
  }
  return { kind: 'timeout', detail: fallback };
}

function ask(
  server: NameServer, transport: 'udp' | 'tcp', name: string, type: DnsType, timeoutMs: number, signal: AbortSignal,
): Promise<ExchangeResult> {
  const id = randomInt(0, 0x10000);
  let query: Buffer;
  try {
    query = encodeQuery(id, name, TYPE_CODE[type]);
  } catch (e) {
    // The search plan leaves out names that cannot be asked; this keeps any other from throwing.
    return Promise.resolve({ kind: 'malformed', detail: `cannot ask for "${name}": ${(e as Error).message}` });
  }
  return exchange(server, transport, query, { id, name, type: TYPE_CODE[type] }, timeoutMs, signal);
}

/** Turns one exchange into a per-name outcome. */
function judge(result: ExchangeResult, name: string, type: DnsType, at: string): CandidateResult {
  switch (result.kind) {
    case 'timeout':
      return { kind: 'timeout', detail: `no answer from ${at}` };
    case 'malformed':
      return { kind: 'malformed', detail: `${result.detail} from ${at}` };
    case 'neterror':
      return { kind: 'neterror', detail: `${result.detail} (${at})` };
    case 'message':
      break;
  }
  const { message } = result;
  if (message.flags.truncated) return { kind: 'malformed', detail: `truncated answer over TCP from ${at}` };
  switch (message.flags.rcode) {
    case RCODE.NOERROR: {
      const records = recordsOfType(message, name, type);
      if (records.length > 0) return { kind: 'answer', records };
      return { kind: 'nodata', detail: `no ${type} record (NOERROR) from ${at}` };
    }
    case RCODE.NXDOMAIN:
      return { kind: 'nxdomain', detail: `NXDOMAIN from ${at}` };
    case RCODE.SERVFAIL:
      return { kind: 'servfail', detail: `SERVFAIL from ${at}` };
    case RCODE.REFUSED:
    case RCODE.NOTIMP:
      return { kind: 'refused', detail: `${message.flags.rcode === RCODE.REFUSED ? 'REFUSED' : 'NOTIMP'} from ${at}` };
    case RCODE.FORMERR:
      return { kind: 'formerr', detail: `FORMERR from ${at}` };
    default:
      return { kind: 'malformed', detail: `rcode ${message.flags.rcode} from ${at}` };
  }
}

/** The answer records of `type` owned by `name` or by a name its CNAME chain leads to. */
export function recordsOfType(message: DnsMessage, name: string, type: DnsType): ResourceRecord[] {
  const chain = new Set([canonicalName(name)]);
  if (type !== 'CNAME') {
    for (let hop = 0; hop < MAX_CNAME_HOPS; hop++) {
      const next = message.answers.find(
        (rr) => rr.data.type === 'CNAME' && chain.has(rr.name) && !chain.has(rr.data.target),
      );
      if (!next || next.data.type !== 'CNAME') break;
      chain.add(next.data.target);
    }
  }
  return message.answers.filter((rr) => rr.data.type === type && chain.has(rr.name));
}
