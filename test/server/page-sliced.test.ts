// The status page built in slices is the page renderStatusPage builds in one piece, and the
// event loop turns while it is built.
import t from 'tap';
import { StatusStore } from '../../src/agent/status-store.js';
import { RESULT_CLASSES } from '../../src/classify/result-class.js';
import { renderStatusPage } from '../../src/server/page/render-page.js';
import { renderStatusPageSliced } from '../../src/server/page/sliced.js';
import { toPathView } from '../../src/server/path-view.js';
import type { ExplainReader } from '../../src/server/explain-reader.js';
import { FIXTURE_NOW, hostileStatus, platformStatuses } from '../helpers/status-fixtures.js';
import { makePath } from '../fixtures/path-spec.js';
import { countTurns } from '../helpers/loop-turns.js';

t.test('same HTML as the one-piece render, hostile names and a policy column included', async (t) => {
  const explain: ExplainReader = { get: (name) => (name.length % 2 ? { verdict: 'denied_ingress', summary: `no policy admits <${name}>` } : undefined) } as ExplainReader;
  for (const [label, statuses] of [['platform', platformStatuses()], ['hostile', [hostileStatus(), ...platformStatuses()]]] as const) {
    for (const withExplain of [false, true]) {
      const base = { source: 'eso', version: '1.2.3', now: FIXTURE_NOW, ready: true, showPolicy: withExplain, refreshSeconds: 10 };
      const expected = renderStatusPage({ ...base, paths: statuses.map((s) => toPathView(s, withExplain ? explain : undefined)) });
      for (const slice of [1, 3, 1000]) {
        const got = (await renderStatusPageSliced({ ...base, statuses, ...(withExplain ? { explain } : {}) }, slice)).toString();
        t.equal(got, expected, `${label}, policy ${withExplain}, slice ${slice}`);
      }
    }
  }
});

t.test('the event loop turns while 3,000 paths are rendered', async (t) => {
  const store = new StatusStore();
  const specs = Array.from({ length: 3000 }, (_, i) => makePath(`p-${i}`, { toNamespace: `ns-${i % 40}` }));
  store.setCatalog(specs, 0);
  for (const [i, spec] of specs.entries()) {
    const result = RESULT_CLASSES[i % RESULT_CLASSES.length]!;
    store.record(spec, { result, phases: { total: 0.01 }, durationSeconds: 0.01, detail: `d${i}` }, 1_700_000_000_000);
  }
  const { result, turns } = await countTurns(() => renderStatusPageSliced({ source: null, version: 'x', now: 1_700_000_001_000, ready: true, statuses: store.list(), showPolicy: false, refreshSeconds: 10 }, 250));
  const html = result.toString();
  t.ok(turns >= 10, `${turns} turns of the loop during the render`);
  t.equal((html.match(/<tr id="path-/g) ?? []).length, 3000, 'every path has its row');
  t.equal((html.match(/class="chip /g) ?? []).length, 3000, 'and its chip');
});
