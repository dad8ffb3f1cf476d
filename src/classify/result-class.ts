// The closed set of probe outcome classes (the `result` label). PRODUCT.md is the contract.

/** Every outcome class a probe can end in, in display order. Never extended at run time. */
export const RESULT_CLASSES = [
  'ok',
  'timeout',
  'refused',
  'unreachable',
  'reset',
  'dns_timeout',
  'dns_nxdomain',
  'dns_error',
  'tls_error',
  'http_timeout',
  'http_status',
  'error',
] as const;

/** One outcome class. */
export type ResultClass = (typeof RESULT_CLASSES)[number];

const INDEX = new Map<ResultClass, number>(RESULT_CLASSES.map((c, i) => [c, i]));

/** Position of `result` in RESULT_CLASSES (a map lookup: called per probe). */
export function resultClassIndex(result: ResultClass): number {
  return INDEX.get(result)!;
}

/** One line per class: what it means and the usual cause (status page, docs, alert text). */
export const RESULT_MEANING: Record<ResultClass, { meaning: string; cause: string }> = {
  ok: { meaning: 'connected, expected response, or name resolved', cause: '' },
  timeout: {
    meaning: 'TCP connect got no answer before the timeout',
    cause: 'NetworkPolicy drop (ingress at the destination or egress at the source)',
  },
  refused: {
    meaning: 'TCP RST to the SYN',
    cause: 'nothing listens on the port, or the Service has no ready endpoints',
  },
  unreachable: {
    meaning: 'ICMP host/net unreachable, no route',
    cause: 'REJECT-mode policy (e.g. Cilium policy-deny-response: icmp) or routing',
  },
  reset: { meaning: 'connection accepted, then reset', cause: 'proxy, mesh or application rejection' },
  dns_timeout: { meaning: 'no DNS answer', cause: 'DNS egress denied (UDP/TCP 53 to kube-dns)' },
  dns_nxdomain: { meaning: 'name does not exist', cause: 'wrong name, or the Service is missing' },
  dns_error: {
    meaning: 'SERVFAIL, REFUSED, malformed answer, or no record of the type',
    cause: 'DNS server fault',
  },
  tls_error: { meaning: 'TLS handshake or certificate failure', cause: 'certificate, CA or SNI mismatch' },
  http_timeout: {
    meaning: 'connected, but no complete response in time',
    cause: 'application hung (not a policy drop)',
  },
  http_status: { meaning: 'response status not in expectStatus', cause: 'application fault' },
  error: { meaning: 'anything else (see the log for detail)', cause: '' },
};

/** True when `value` is one of RESULT_CLASSES. */
export function isResultClass(value: string): value is ResultClass {
  return (RESULT_CLASSES as readonly string[]).includes(value);
}
