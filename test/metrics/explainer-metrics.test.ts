import t from 'tap';
import { Registry } from 'prom-client';
import { createExplainerMetrics } from '../../src/metrics/explainer-metrics.js';

t.test('the verdict is a state set; ready endpoints absent for non-Service targets; forget removes a path', async (t) => {
  const registry = new Registry();
  const m = createExplainerMetrics(registry);
  m.setVerdict('eso-to-vault', 'denied_ingress');
  m.setReadyEndpoints('eso-to-vault', 2);
  m.setReadyEndpoints('to-ip', undefined);
  let text = await registry.metrics();
  t.match(text, /^pathprobe_policy_verdict\{path="eso-to-vault",verdict="denied_ingress"\} 1$/m);
  for (const v of ['allowed', 'denied_egress', 'unknown']) t.match(text, new RegExp(`^pathprobe_policy_verdict\\{path="eso-to-vault",verdict="${v}"\\} 0$`, 'm'));
  t.match(text, /^pathprobe_path_ready_endpoints\{path="eso-to-vault"\} 2$/m);
  t.notMatch(text, /to-ip/);

  m.setVerdict('eso-to-vault', 'something-else');
  text = await registry.metrics();
  t.match(text, /verdict="unknown"\} 1$/m, 'a verdict outside the set is exported as unknown');
  t.notMatch(text, /something-else/);

  m.forget('eso-to-vault');
  t.notMatch(await registry.metrics(), /eso-to-vault/);
});
