import t from 'tap';
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import type { PathSpec } from '../../src/catalog/types.js';
import { countReadyEndpoints, targetService } from '../../src/k8s/ready-endpoints.js';
import { endpointSlice, service } from '../helpers/k8s-objects.js';

const svc = service('vault', 'vault', { app: 'vault' }, 8200) as unknown as V1Service;
const slice = (eps: Array<{ ip: string; ready: boolean }>, suffix = 'a', port = 8200) =>
  endpointSlice('vault', 'vault', port, eps, suffix) as unknown as V1EndpointSlice;

t.test('counts distinct ready endpoints across the Service\'s slices only', async (t) => {
  const other = { ...slice([{ ip: '10.0.9.9', ready: true }], 'x'), metadata: { name: 'x', namespace: 'vault', labels: { 'kubernetes.io/service-name': 'other' } } };
  t.equal(countReadyEndpoints(svc, [
    slice([{ ip: '10.0.1.5', ready: true }, { ip: '10.0.1.6', ready: false }]),
    slice([{ ip: '10.0.1.7', ready: true }, { ip: '10.0.1.5', ready: true }], 'b'),
    other,
  ], 8200), 2);
});

t.test('an unset ready condition reads as ready; a missing Service has 0', async (t) => {
  const s = slice([{ ip: '10.0.1.5', ready: true }]);
  delete (s.endpoints[0] as { conditions?: unknown }).conditions;
  t.equal(countReadyEndpoints(svc, [s], 8200), 1);
  t.equal(countReadyEndpoints(undefined, [s], 8200), 0);
});

t.test('slices without the Service port\'s name do not count', async (t) => {
  t.equal(countReadyEndpoints(svc, [slice([{ ip: '10.0.1.5', ready: true }], 'a', 9000)], 8200), 0);
});

t.test('targetService: Service names only, never dns checks or IPs', async (t) => {
  const p = (over: Partial<PathSpec>) => ({ check: 'tcp', host: 'vault.vault.svc.cluster.local', port: 8200, toNamespace: 'vault', ...over }) as PathSpec;
  t.same(targetService(p({})), { namespace: 'vault', name: 'vault' });
  t.same(targetService(p({ host: 'vault', toNamespace: 'external-secrets' })), { namespace: 'external-secrets', name: 'vault' });
  t.equal(targetService(p({ check: 'dns', port: 0 })), undefined);
  t.equal(targetService(p({ host: '10.0.1.5', toNamespace: '' })), undefined);
  t.equal(targetService(p({ host: 'example.com', toNamespace: '' })), undefined);
});
