import t from 'tap';
import { compileSelector, describeSelector } from '../../src/netpol/selector.js';

t.test('{} selects everything; matchLabels and expressions are ANDed', async (t) => {
  t.ok(compileSelector({}).selector.matchesAll);
  const { selector } = compileSelector({ matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] });
  t.ok(selector.matches({ app: 'api', tier: 'a' }));
  t.notOk(selector.matches({ app: 'api', tier: 'c' }));
  t.notOk(selector.matches({ app: 'web', tier: 'a' }));
  t.notOk(selector.matches({ app: 'api' }), 'In needs the key');
});

t.test('NotIn matches objects without the key; Exists and DoesNotExist', async (t) => {
  const notIn = compileSelector({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }).selector;
  t.ok(notIn.matches({}));
  t.ok(notIn.matches({ env: 'dev' }));
  t.notOk(notIn.matches({ env: 'prod' }));
  const exists = compileSelector({ matchExpressions: [{ key: 'env', operator: 'Exists' }] }).selector;
  t.ok(exists.matches({ env: '' }));
  t.notOk(exists.matches({}));
  const absent = compileSelector({ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }).selector;
  t.ok(absent.matches({ other: 'x' }));
  t.notOk(absent.matches({ env: 'x' }));
  t.equal(describeSelector({ matchLabels: { a: '1' }, matchExpressions: [{ key: 'b', operator: 'NotIn', values: ['x', 'y'] }, { key: 'c', operator: 'DoesNotExist' }] }), 'a=1,b notin (x,y),!c');
});

t.test('invalid selectors are reported and select nothing', async (t) => {
  for (const [raw, message] of [
    [{ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] }, /operator must be one of/],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, /needs at least one value/],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, /takes no values/],
    [{ matchLabels: { a: 1 } }, /must be a string/],
    ['app=x', /must be a mapping/],
  ] as const) {
    const c = compileSelector(raw);
    t.match(c.problems[0]?.message, message);
    t.notOk(c.selector.matches({ a: 'x' }));
  }
});
