// Operational faults talking to the Kubernetes API server: one class with the HTTP status (when
// there was one) so the informer can tell "410 Gone, relist" from "unreachable, back off".
import { PathprobeError } from '../errors.js';

/** A failed list or watch. `statusCode` is the HTTP status, or the code of a watch ERROR event's Status. */
export class KubeApiError extends PathprobeError {
  constructor(
    message: string,
    readonly statusCode?: number,
    readonly reason?: string,
    options?: { cause?: unknown },
  ) {
    super('PP_K8S_API', message, hintFor(statusCode), options);
    this.name = 'KubeApiError';
  }

  /** The resourceVersion asked for is too old (compacted): the informer must list again. */
  get gone(): boolean {
    return this.statusCode === 410;
  }
}

function hintFor(statusCode: number | undefined): string {
  if (statusCode === 401) return 'the API server rejected the credentials; check the service account token or --kubeconfig';
  if (statusCode === 403) {
    return 'the service account lacks get/list/watch on namespaces, pods, services, endpointslices or networkpolicies; see docs/explainer.md';
  }
  if (statusCode === undefined) return 'the API server is unreachable; the explainer keeps serving its last verdicts and retries';
  return 'the explainer retries with backoff';
}

/** A Kubernetes `Status` object as the API server sends it in error bodies and ERROR events. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
}

/** Builds the error for a Status body (HTTP error) or a watch ERROR event's object. */
export function errorFromStatus(status: KubeStatus | undefined, httpStatus: number | undefined, what: string): KubeApiError {
  const code = typeof status?.code === 'number' ? status.code : httpStatus;
  const reason = typeof status?.reason === 'string' ? status.reason : undefined;
  const detail = typeof status?.message === 'string' ? `: ${status.message}` : '';
  return new KubeApiError(`${what} failed with ${code ?? 'no status'}${reason ? ` ${reason}` : ''}${detail}`, code, reason);
}
