// The one place that turns "what happened, and in which phase" into a ResultClass. Pure: no I/O,
// no clocks. Probers report facts (error, phase, deadline hit); this file decides the class.
import { collectErrorFacts, describeFacts, type ErrorFacts } from './error-facts.js';
import type { ResultClass } from './result-class.js';

/** Where a probe was when it failed. The TCP handshake completes between `connect` and `tls`. */
export const PROBE_STAGES = ['resolve', 'connect', 'tls', 'request', 'response', 'body'] as const;
export type ProbeStage = (typeof PROBE_STAGES)[number];

/** What happened. */
export interface FailureFacts {
  /** The thrown value, if any (any depth of `.cause` / `AggregateError` wrapping). */
  error?: unknown;
  /** The stage the probe was in when it failed. */
  phase: ProbeStage;
  /** True when the probe's deadline fired (the prober aborted the attempt itself). */
  timedOut: boolean;
}

/** A class plus one line of human detail (for logs and JSON, never for labels). */
export interface Classification {
  result: ResultClass;
  detail: string;
  /** The process or system ran out of file descriptors (EMFILE, ENFILE): the agent runs fewer probes at once. */
  outOfDescriptors?: boolean;
}

/** How a DNS lookup ended when it found no usable answer. */
export const DNS_FAILURE_KINDS = [
  'nxdomain', 'nodata', 'servfail', 'refused', 'formerr', 'malformed', 'neterror', 'timeout',
] as const;
export type DnsFailureKind = (typeof DNS_FAILURE_KINDS)[number];

const REFUSED_CODES = new Set(['ECONNREFUSED']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);
/**
 * The agent's own host could not give the connection a local address (ephemeral ports used up,
 * no source address): nothing was sent. It used to count as `unreachable`, so a blocked path
 * passed its isolation test on a fault of the agent's node.
 */
const LOCAL_ADDRESS_CODES = new Set(['EADDRNOTAVAIL']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
  'ABORT_ERR', 'UND_ERR_ABORTED', 'ERR_SOCKET_CONNECTION_TIMEOUT',
]);
const TIMEOUT_NAMES = new Set(['AbortError', 'TimeoutError']);
/** Certificate verification codes OpenSSL/Node report (see node:tls "X509 certificate error codes"). */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'CRL_SIGNATURE_FAILURE', 'CRL_NOT_YET_VALID', 'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD', 'ERROR_IN_CERT_NOT_AFTER_FIELD', 'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD', 'INVALID_CA', 'PATH_LENGTH_EXCEEDED', 'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH', 'UND_ERR_PRX_TLS',
]);
const TLS_CODE_PREFIXES = ['CERT_', 'ERR_TLS_', 'ERR_SSL_'];
/** Codes that only mean "TLS failed" when seen during the handshake. */
const TLS_PHASE_ONLY = new Set(['EPROTO']);
const TLS_PHASE_ONLY_PREFIXES = ['ERR_OSSL_'];
/** "other side closed" / "socket hang up": undici and node:http wording for a peer close. */
const RESET_MESSAGES = [/other side closed/i, /socket hang up/i, /socket disconnected before secure tls/i];

const AFTER_HANDSHAKE: ReadonlySet<ProbeStage> = new Set(['tls', 'request', 'response', 'body']);

/** The class a deadline hit gets in a stage: before the TCP handshake `timeout`, after it `http_timeout`. */
export function timeoutClassFor(phase: ProbeStage): ResultClass {
  if (phase === 'resolve') return 'dns_timeout';
  return AFTER_HANDSHAKE.has(phase) ? 'http_timeout' : 'timeout';
}

/**
 * Classifies a failed probe step. Precedence, when a wrapped or aggregated error carries
 * several causes (e.g. happy-eyeballs tried two addresses): the deadline flag first, then the
 * most specific evidence of having reached something — tls_error, reset, refused, unreachable —
 * then timeout codes, then `error`.
 */
export function classifyFailure(facts: FailureFacts): Classification {
  const found = collectErrorFacts(facts.error);
  const detail = facts.error === undefined ? '' : describeFacts(found);
  const { phase } = facts;
  const outOfDescriptors = isOutOfDescriptors(found);
  const withDetail = (result: ResultClass, prefix: string): Classification => ({
    result,
    detail: detail === '' ? prefix : `${prefix}: ${detail}`,
    ...(outOfDescriptors ? { outOfDescriptors } : {}),
  });

  if (facts.timedOut) return withDetail(timeoutClassFor(phase), `deadline reached during ${phase}`);
  if (phase === 'resolve') return classifyResolveError(found, detail);

  if (isTlsFailure(found, phase)) return withDetail('tls_error', 'TLS failure');
  if (hasCode(found, RESET_CODES) || found.messages.some((m) => RESET_MESSAGES.some((r) => r.test(m)))) {
    return withDetail('reset', 'connection reset');
  }
  if (hasCode(found, REFUSED_CODES)) return withDetail('refused', 'connection refused');
  if (hasCode(found, LOCAL_ADDRESS_CODES)) return withDetail('error', 'no local address for the connection (ephemeral ports used up?); nothing was sent');
  if (hasCode(found, UNREACHABLE_CODES)) return withDetail('unreachable', 'destination unreachable');
  if (hasCode(found, TIMEOUT_CODES) || found.names.some((n) => TIMEOUT_NAMES.has(n))) {
    return withDetail(timeoutClassFor(phase), `timed out during ${phase}`);
  }
  return withDetail('error', `failed during ${phase}`);
}

/** A resolve-stage failure always lands in a dns_* class, never `error`. */
function classifyResolveError(found: ErrorFacts, detail: string): Classification {
  const text = detail === '' ? 'name resolution failed' : detail;
  if (found.codes.includes('ENOTFOUND')) return { result: 'dns_nxdomain', detail: text };
  if (hasCode(found, TIMEOUT_CODES) || found.codes.includes('EAI_AGAIN') ||
      found.names.some((n) => TIMEOUT_NAMES.has(n))) {
    return { result: 'dns_timeout', detail: text };
  }
  return { result: 'dns_error', detail: text };
}

/** Maps how a DNS lookup ended to its class (see docs/probers.md for the search-list rules). */
export function classifyDnsFailure(kind: DnsFailureKind): ResultClass {
  switch (kind) {
    case 'nxdomain':
      return 'dns_nxdomain';
    case 'timeout':
      return 'dns_timeout';
    default:
      return 'dns_error';
  }
}

const OUT_OF_DESCRIPTORS = new Set(['EMFILE', 'ENFILE']);

/** True when the error says the process (EMFILE) or the system (ENFILE) has no file descriptor left. */
export function isOutOfDescriptors(found: ErrorFacts): boolean {
  return hasCode(found, OUT_OF_DESCRIPTORS);
}

function hasCode(found: ErrorFacts, set: ReadonlySet<string>): boolean {
  return found.codes.some((c) => set.has(c));
}

function isTlsFailure(found: ErrorFacts, phase: ProbeStage): boolean {
  for (const code of found.codes) {
    if (TLS_CODES.has(code) || TLS_CODE_PREFIXES.some((p) => code.startsWith(p))) return true;
    if (phase === 'tls' && (TLS_PHASE_ONLY.has(code) || TLS_PHASE_ONLY_PREFIXES.some((p) => code.startsWith(p)))) {
      return true;
    }
  }
  return phase === 'tls' && found.libraries.some((l) => /ssl|x509/i.test(l));
}
