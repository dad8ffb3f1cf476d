// The schema helper must reject what the API server would reject (else the kustomize test proves nothing).
import t from 'tap';
import { validateAgainstSchema } from './k8s-schema.js';

t.test('accepts a valid object and rejects invalid ones', async (t) => {
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'ns' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  };
  await t.resolves(validateAgainstSchema(deployment));
  const badPort = structuredClone(deployment) as any;
  badPort.spec.template.spec.containers[0].ports = [{ containerPort: 'metrics' }];
  await t.rejects(validateAgainstSchema(badPort), /containerPort must be integer/);
  const noSelector = structuredClone(deployment) as any;
  delete noSelector.spec.selector;
  await t.rejects(validateAgainstSchema(noSelector), /selector/);
  await t.rejects(validateAgainstSchema({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'x' }, spec: { podMetricsEndpoints: 'metrics', selector: {} } }));
  await t.rejects(validateAgainstSchema({ apiVersion: 'example.com/v1', kind: 'Widget' }), /no schema/);
});
