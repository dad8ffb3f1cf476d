// Ready endpoints of a path's target Service, counted from the EndpointSlices in the informer cache.
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import type { PathSpec } from '../catalog/types.js';
import { isIP } from 'node:net';

/** The Service a path connects to (`name.ns[.svc[.domain]]` or a bare name in the source namespace), if any. */
export function targetService(path: PathSpec): { namespace: string; name: string } | undefined {
  // dns paths resolve a name; the connection they make goes to the cluster DNS, not to that Service.
  if (path.check === 'dns' || path.toNamespace === '' || isIP(path.host) !== 0) return undefined;
  const name = path.host.split('.')[0];
  return name ? { namespace: path.toNamespace, name } : undefined;
}

/** EndpointSlices say which Service they belong to with this label. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * Ready endpoints of `service` for the Service port `port`: distinct endpoints (by target pod,
 * else address) whose `conditions.ready` is not false — the API says an unset `ready` reads as
 * ready. Only slices carrying the Service port's name count when the port is found on the Service.
 */
export function countReadyEndpoints(service: V1Service | undefined, slices: readonly V1EndpointSlice[], port: number): number {
  if (!service) return 0;
  const ns = service.metadata?.namespace;
  const name = service.metadata?.name;
  const servicePort = service.spec?.ports?.find((p) => p.port === port);
  const portName = servicePort ? (servicePort.name ?? '') : undefined;
  const ready = new Set<string>();
  for (const slice of slices) {
    if (slice.metadata?.namespace !== ns || slice.metadata?.labels?.[SERVICE_NAME_LABEL] !== name) continue;
    if (portName !== undefined && !(slice.ports ?? []).some((p) => (p.name ?? '') === portName)) continue;
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      ready.add(ep.targetRef?.uid ?? ep.addresses.join(','));
    }
  }
  return ready.size;
}
