import t from 'tap';
import { deriveSourceName } from '../../src/catalog/sources.js';
import { checkDns1123Label } from '../../src/catalog/k8s-names.js';

t.test('derived names of inline sources are deterministic and label-safe', async (t) => {
  t.equal(deriveSourceName('staging', {}), 'staging');
  t.equal(deriveSourceName('monitoring', { 'app.kubernetes.io/name': 'grafana', app: 'x' }), 'monitoring-grafana');
  t.equal(deriveSourceName('monitoring', { app: 'Grafana_OSS.v2' }), 'monitoring-grafana-oss-v2');
  const hashed = deriveSourceName('team-a', { tier: 'web' });
  t.match(hashed, /^team-a-[0-9a-f]{8}$/);
  t.equal(deriveSourceName('team-a', { tier: 'web' }), hashed, 'stable');
  t.not(deriveSourceName('team-a', { tier: 'db' }), hashed, 'differs by labels');
  const long = deriveSourceName('n'.repeat(63), { app: 'a'.repeat(63) });
  t.equal(long.length, 63);
  t.match(long, /-[0-9a-f]{8}$/);
  for (const name of [hashed, long, deriveSourceName('m', { app: '---' })]) t.equal(checkDns1123Label(name, 'n'), undefined, name);
});
