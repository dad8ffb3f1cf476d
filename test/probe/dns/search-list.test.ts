import t from 'tap';
import { searchPlan } from '../../../src/probe/dns/search-list.js';

const POD_SEARCH = ['team-a.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];

t.test('ndots:5 in a pod: short names try the search domains first, then themselves', async (t) => {
  t.same(searchPlan('kubernetes.default', POD_SEARCH, 5), {
    candidates: [
      'kubernetes.default.team-a.svc.cluster.local', 'kubernetes.default.svc.cluster.local',
      'kubernetes.default.cluster.local', 'kubernetes.default',
    ],
    asIsFirst: false,
    absolute: false,
  });
  // 4 dots < 5: even a full service name walks the search list first (the ndots:5 cost).
  t.equal(searchPlan('vault.vault.svc.cluster.local', POD_SEARCH, 5).candidates[0], 'vault.vault.svc.cluster.local.team-a.svc.cluster.local');
  t.equal(searchPlan('vault.vault.svc.cluster.local', POD_SEARCH, 5).candidates.at(-1), 'vault.vault.svc.cluster.local');
});

t.test('names with at least ndots dots are tried as-is first', async (t) => {
  const plan = searchPlan('a.b.c.d.e.f', POD_SEARCH, 5);
  t.equal(plan.asIsFirst, true);
  t.same(plan.candidates, ['a.b.c.d.e.f', ...POD_SEARCH.map((d) => `a.b.c.d.e.f.${d}`)]);
  t.same(searchPlan('example.com', ['corp'], 1).candidates, ['example.com', 'example.com.corp']);
});

t.test('a trailing dot is absolute: one query, no search', async (t) => {
  t.same(searchPlan('kubernetes.default.svc.cluster.local.', POD_SEARCH, 5), {
    candidates: ['kubernetes.default.svc.cluster.local'], asIsFirst: true, absolute: true,
  });
});

t.test('single labels search; overlong expansions are skipped; no search list = the name', async (t) => {
  t.same(searchPlan('vault', ['ns.svc.cluster.local'], 1).candidates, ['vault.ns.svc.cluster.local', 'vault']);
  t.same(searchPlan('x', [], 5).candidates, ['x']);
  const long = 'a'.repeat(63) + '.' + 'b'.repeat(63) + '.' + 'c'.repeat(63);
  t.same(searchPlan(long, ['d'.repeat(63)], 5).candidates, [long]);
});

t.test('a search domain that cannot make a valid name is skipped, not asked (and never throws)', async (t) => {
  // A bad resolv.conf line: an empty label, a label over 63 bytes, and one that fits 255
  // characters but not 255 bytes in UTF-8. The good domain is kept, in its place.
  const bad = ['a..b', `${'x'.repeat(64)}.test`, Array(4).fill('é'.repeat(31)).join('.')];
  t.same(searchPlan('svc', [...bad, 'ns.svc.cluster.local'], 5).candidates, ['svc.ns.svc.cluster.local', 'svc']);
  t.same(searchPlan('svc', bad, 5).candidates, ['svc']);
});
