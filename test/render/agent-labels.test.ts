import t from 'tap';
import { agentPodLabels, reservedLabelProblem, selectorMatches } from '../../src/render/agent-labels.js';

t.test('the source labels win over the standard labels; pathprobe/agent names the source', async (t) => {
  const { labels, overridden } = agentPodLabels({ name: 'grafana', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'grafana', tier: 'web' } });
  t.same(labels, {
    'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/part-of': 'pathprobe', 'pathprobe/agent': 'grafana', tier: 'web',
  });
  t.same(Object.keys(labels), Object.keys(labels).sort(), 'keys sorted');
  t.same(overridden, ['app.kubernetes.io/name']);
});

t.test('a label-less source gets the standard labels', async (t) => {
  const { labels, overridden } = agentPodLabels({ name: 'team-a', namespace: 'team-a', labels: {} });
  t.same(labels, { 'app.kubernetes.io/name': 'pathprobe-agent', 'app.kubernetes.io/part-of': 'pathprobe', 'pathprobe/agent': 'team-a' });
  t.same(overridden, []);
});

t.test('pathprobe/agent is reserved', async (t) => {
  t.match(reservedLabelProblem({ name: 'x', namespace: 'n', labels: { 'pathprobe/agent': 'y' } }), /reserved label pathprobe\/agent/);
  t.equal(reservedLabelProblem({ name: 'x', namespace: 'n', labels: { app: 'y' } }), undefined);
});

t.test('selector matching: all pairs must match; an empty selector selects nothing', async (t) => {
  t.ok(selectorMatches({ app: 'web' }, { app: 'web', tier: 'x' }));
  t.notOk(selectorMatches({ app: 'web', tier: 'y' }, { app: 'web', tier: 'x' }));
  t.notOk(selectorMatches({}, { app: 'web' }));
});
