// Label values never carry remote input: after a real agent has probed servers answering with
// hostile text (and different text on every round), every label value of every pathprobe_ series
// is a catalog string or a member of a closed set, and no remote text appears in /metrics at all.
import t from 'tap';
import { SKIP_REASONS } from '../../src/schedule/scheduler.js';
import { CHECK_KINDS, EXPECTS, SEVERITIES } from '../../src/catalog/types.js';
import { RESULT_CLASSES } from '../../src/classify/result-class.js';
import { pathInfoLabels } from '../../src/metrics/path-series.js';
import { PHASES } from '../../src/probe/phases.js';
import { VERSION } from '../../src/version.js';
import { needOpenssl } from '../helpers/tls-cert.js';
import { parseSamples } from '../helpers/prom-text.js';
import { until } from '../helpers/until.js';
import { REMOTE, REMOTE_MARKERS, startHostileContentAgent } from './hostile-content.js';

/** Labels whose values are numbers from the code (histogram buckets), not strings from anywhere. */
const NUMERIC = new Set(['le', 'quantile']);

t.test('after hostile answers, every pathprobe_ label value comes from the catalog or a closed set', async (t) => {
  if (!needOpenssl(t, 'for the certificate target')) return;
  const h = await startHostileContentAgent();
  t.teardown(() => h.close());
  const details = h.paths.map((n) => h.agent.status.get(n)?.last?.outcome.detail ?? '');
  t.ok(details.some((d) => d.includes('<script>window.__pwned=1')) && details.some((d) => d.includes(REMOTE.certName)),
    'the remote text reached the probe details (so the test has teeth)');

  const scrape = async () => (await fetch(`${h.agent.listening.url}metrics`)).text();
  const first = await scrape();
  // The remote side changes its answers: new text, same label values.
  h.dns.set('txt.hostile.test', { TXT: [['<i>round two</i> __pwned=9'], ['z'.repeat(200), 'z'.repeat(200)]] });
  const before = h.agent.status.get('hostile-txt')?.history.length ?? 0;
  await until('two more probes of hostile-txt', () => (h.agent.status.get('hostile-txt')?.history.length ?? 0) >= before + 2, 3000);
  t.match(h.agent.status.get('hostile-txt')?.last?.outcome.detail, /round two/, 'the new answer was probed');
  const second = await scrape();

  const catalog = new Set(h.paths.flatMap((n) => Object.values(pathInfoLabels(h.agent.status.get(n)!.spec))));
  const closed = new Set<string>([
    '', ...RESULT_CLASSES, ...PHASES, ...CHECK_KINDS, ...EXPECTS, ...SEVERITIES, ...SKIP_REASONS, VERSION,
  ]);
  const foreign: string[] = [];
  for (const s of parseSamples(second).filter((x) => x.name.startsWith('pathprobe_'))) {
    for (const [k, v] of Object.entries(s.labels)) {
      if (NUMERIC.has(k) ? !/^(\+Inf|\d+(\.\d+)?(e[-+]?\d+)?)$/.test(v) : !catalog.has(v) && !closed.has(v)) foreign.push(`${s.name}{${k}="${v}"}`);
    }
  }
  t.same(foreign, [], 'no label value from outside the catalog and the closed sets');
  for (const marker of [...REMOTE_MARKERS, '__pwned=9', 'round two', 'zzzzzzzz']) {
    t.notOk(second.includes(marker), `remote text ${JSON.stringify(marker)} is nowhere in /metrics`);
  }
  const seriesOf = (text: string) => new Set(parseSamples(text).map((s) => `${s.name}${JSON.stringify(s.labels)}`));
  const added = [...seriesOf(second)].filter((s) => !seriesOf(first).has(s) && s.startsWith('pathprobe_'));
  t.same(added, [], 'new remote answers created no new pathprobe_ series');
});
