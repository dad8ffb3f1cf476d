import t from 'tap';
import { KubeConfigTransport } from '../../src/k8s/api-transport.js';
import { ClusterInformers } from '../../src/k8s/cluster-informers.js';
import type { ClusterEvent } from '../../src/k8s/events.js';
import { FakeApiServer } from '../helpers/fake-apiserver.js';
import { defaultDenyIngress, endpointSlice, namespace, pod, service } from '../helpers/k8s-objects.js';
import { until } from '../helpers/until.js';

const TOKEN = 'test-token';

async function setup(t: { teardown(fn: () => unknown): void }, seed = true) {
  const fake = await FakeApiServer.start({ token: TOKEN });
  if (seed) {
    fake.apply(namespace('vault'));
    fake.apply(namespace('external-secrets'));
    fake.apply(pod('vault', 'vault-0', { app: 'vault' }, '10.0.1.5', [8200]));
    fake.apply(service('vault', 'vault', { app: 'vault' }, 8200));
    fake.apply(endpointSlice('vault', 'vault', 8200, [{ ip: '10.0.1.5', ready: true }]));
    fake.apply(defaultDenyIngress('vault'));
  }
  const transport = new KubeConfigTransport(fake.kubeConfig());
  const informers = new ClusterInformers({
    transport, backoff: { initialMs: 20, maxMs: 200 }, watchTimeoutSeconds: 60,
  });
  const events: ClusterEvent[] = [];
  informers.on((e) => events.push(e));
  t.teardown(async () => {
    await informers.stop();
    await transport.close();
    await fake.close();
  });
  return { fake, informers, events, transport };
}

t.test('initial LIST of every kind, then WATCH from the list resourceVersion with bookmarks; synced after all', async (t) => {
  const { fake, informers, events } = await setup(t);
  const listRv = String(fake.resourceVersion);
  t.equal(informers.synced(), false);
  informers.start();
  await informers.whenSynced(AbortSignal.timeout(5000));
  t.equal(informers.synced(), true);
  t.same(informers.list('Pod').map((p) => p.metadata?.name), ['vault-0']);
  t.equal(informers.list('Pod')[0]?.kind, 'Pod', 'list items get their kind back');
  t.equal(informers.get('NetworkPolicy', 'vault/default-deny-ingress')?.spec?.podSelector !== undefined, true);
  t.equal(informers.list('Namespace').length, 2);
  t.equal(events.filter((e) => e.type === 'add').length, 6, 'the initial list arrives as adds');

  await fake.waitForWatches(5);
  for (const path of ['/api/v1/namespaces', '/api/v1/pods', '/api/v1/services',
    '/apis/discovery.k8s.io/v1/endpointslices', '/apis/networking.k8s.io/v1/networkpolicies']) {
    const list = fake.requests.find((r) => r.path === path && !r.watch);
    t.ok(list, `listed ${path}`);
    const watch = fake.requests.find((r) => r.path === path && r.watch);
    t.match(watch?.query, { resourceVersion: listRv, allowWatchBookmarks: 'true', timeoutSeconds: '60' }, `watched ${path}`);
  }
  t.ok(fake.requests.every((r) => r.method === 'GET'), 'only GET, never a write');
  t.ok(fake.requests.every((r) => r.authorization === `Bearer ${TOKEN}`), 'the kubeconfig token is sent');
});

t.test('synced() waits for the slowest informer', async (t) => {
  const { fake, informers } = await setup(t);
  fake.fail = (r) => (r.path.endsWith('/networkpolicies') ? 503 : undefined);
  informers.start();
  await until('four informers listed, one failing', () => informers.status().filter((s) => s.synced).length === 4
    && informers.status().some((s) => s.kind === 'NetworkPolicy' && s.lastError !== undefined));
  t.equal(informers.synced(), false);
  t.match(informers.status().find((s) => s.kind === 'NetworkPolicy'), { synced: false, lastError: /503/ });
  fake.fail = undefined;
  await informers.whenSynced(AbortSignal.timeout(5000));
  t.equal(informers.synced(), true);
});

t.test('ADDED, MODIFIED and DELETED reach the listeners and the cache', async (t) => {
  const { fake, informers, events } = await setup(t);
  informers.start();
  await informers.whenSynced(AbortSignal.timeout(5000));
  await fake.waitForWatches(5);
  events.length = 0;

  fake.apply(pod('vault', 'vault-1', { app: 'vault' }, '10.0.1.6', [8200]));
  fake.apply(pod('vault', 'vault-1', { app: 'vault', tier: 'db' }, '10.0.1.6', [8200]));
  fake.delete('NetworkPolicy', 'default-deny-ingress', 'vault');
  await until('three events', () => events.length === 3);

  // Each kind has its own watch: order holds within a kind, not across kinds.
  const pods = events.filter((e) => e.kind === 'Pod');
  t.match(pods[0], { type: 'add', object: { metadata: { name: 'vault-1' } } });
  t.match(pods[1], { type: 'update', object: { metadata: { labels: { tier: 'db' } } }, previous: { metadata: { labels: { app: 'vault' } } } });
  t.notOk((pods[1]?.previous?.metadata?.labels as Record<string, string>)['tier'], 'previous is the old object');
  t.match(events.find((e) => e.kind === 'NetworkPolicy'), { type: 'delete', object: { metadata: { name: 'default-deny-ingress' } } });
  t.equal(informers.list('NetworkPolicy').length, 0);
  t.equal(informers.get('Pod', 'vault/vault-1')?.metadata?.labels?.['tier'], 'db');
  t.equal(informers.resourceVersion('Pod'), String(fake.resourceVersion - 1));
  t.equal(informers.resourceVersion('NetworkPolicy'), String(fake.resourceVersion));
});

t.test('a BOOKMARK advances the resourceVersion without an event', async (t) => {
  const { fake, informers, events } = await setup(t);
  informers.start();
  await informers.whenSynced(AbortSignal.timeout(5000));
  await fake.waitForWatches(5);
  fake.apply(namespace('team-a')); // moves the global resourceVersion; pods do not see it
  await until('namespace event', () => events.some((e) => e.kind === 'Namespace' && e.object.metadata?.name === 'team-a'));
  const before = informers.resourceVersion('Pod');
  t.not(before, String(fake.resourceVersion));
  events.length = 0;
  t.equal(fake.bookmark(), 5, 'every watch asked for bookmarks');
  await until('pod informer at the bookmark', () => informers.resourceVersion('Pod') === String(fake.resourceVersion));
  t.equal(events.length, 0, 'a bookmark is no change');
});

t.test('a dropped watch resumes from the last resourceVersion, without a relist, and misses nothing', async (t) => {
  const { fake, informers, events } = await setup(t);
  informers.start();
  await informers.whenSynced(AbortSignal.timeout(5000));
  await fake.waitForWatches(5);
  fake.apply(pod('vault', 'vault-1', { app: 'vault' }, '10.0.1.6'));
  await until('add', () => informers.get('Pod', 'vault/vault-1') !== undefined);
  const lastRv = informers.resourceVersion('Pod');
  const lists = fake.requests.filter((r) => !r.watch).length;

  const mark = fake.requests.length;
  fake.dropWatches();
  fake.apply(pod('vault', 'vault-2', { app: 'vault' }, '10.0.1.7')); // while no watch is open
  const resumed = await fake.waitForRequest((r) => r.watch && r.path === '/api/v1/pods', 5000, mark);
  t.equal(resumed.query['resourceVersion'], lastRv, 'the watch restarts from the last resourceVersion seen');
  await until('the missed add', () => informers.get('Pod', 'vault/vault-2') !== undefined);
  t.equal(fake.requests.filter((r) => !r.watch).length, lists, 'no LIST');
  t.equal(events.filter((e) => e.object.metadata?.name === 'vault-2').length, 1);
});

for (const goneMode of ['event', 'http'] as const) {
  t.test(`410 Gone (${goneMode === 'event' ? 'ERROR event' : 'HTTP status'}) → relist and emit the difference`, async (t) => {
    const { fake, informers, events } = await setup(t);
    fake.goneMode = goneMode;
    fake.apply(pod('vault', 'vault-1', { app: 'vault' }, '10.0.1.6'));
    informers.start();
    await informers.whenSynced(AbortSignal.timeout(5000));
    await fake.waitForWatches(5);
    const lists = fake.requests.filter((r) => !r.watch && r.path === '/api/v1/pods').length;

    await fake.down();
    fake.delete('Pod', 'vault-0', 'vault');                                      // deleted while disconnected
    fake.apply(pod('vault', 'vault-1', { app: 'vault', v: '2' }, '10.0.1.6'));   // changed
    fake.apply(pod('vault', 'vault-3', { app: 'vault' }, '10.0.1.8'));           // added
    fake.compact();
    events.length = 0;
    await fake.up();

    await until('relisted pods', () => informers.get('Pod', 'vault/vault-3') !== undefined && informers.get('Pod', 'vault/vault-0') === undefined);
    t.equal(fake.requests.filter((r) => !r.watch && r.path === '/api/v1/pods').length, lists + 1, 'one new LIST');
    const podEvents = events.filter((e) => e.kind === 'Pod').map((e) => `${e.type} ${e.object.metadata?.name}`).sort();
    t.same(podEvents, ['add vault-3', 'delete vault-0', 'update vault-1']);
    t.equal(events.filter((e) => e.kind === 'Namespace').length, 0, 'unchanged objects emit nothing');
    t.same(informers.list('Pod').map((p) => p.metadata?.name).sort(), ['vault-1', 'vault-3']);
    t.equal(informers.resourceVersion('Pod'), String(fake.resourceVersion));
  });
}

t.test('API down: the cache stays served, retries back off, and it catches up when the API returns', async (t) => {
  const { fake, informers, events } = await setup(t);
  informers.start();
  await informers.whenSynced(AbortSignal.timeout(5000));
  await fake.waitForWatches(5);
  await fake.down();
  await until('every informer found the API unreachable', () => informers.status().every(
    (s) => !s.watching && s.consecutiveErrors > 1 && /cannot reach the API server/.test(s.lastError ?? '')));
  t.equal(informers.connected(), false);
  t.equal(informers.synced(), true, 'synced stays true');
  t.equal(informers.list('Pod').length, 1, 'last known objects still served');

  fake.apply(pod('vault', 'vault-9', { app: 'vault' }, '10.0.1.9'));
  await fake.up();
  await until('recovered', () => informers.get('Pod', 'vault/vault-9') !== undefined, 5000);
  await until('all watching', () => informers.connected());
  t.ok(events.some((e) => e.type === 'add' && e.object.metadata?.name === 'vault-9'));
  // A watch counts as recovered once it delivered an event or stayed open for a second.
  await until('errors cleared', () => informers.status().every((s) => s.consecutiveErrors === 0 && s.lastError === undefined), 5000);
});

t.test('errors back off exponentially instead of hammering the API server', async (t) => {
  const { fake, informers } = await setup(t);
  fake.fail = () => 500;
  informers.start();
  await new Promise((r) => setTimeout(r, 1000));
  const pods = fake.requests.filter((r) => r.path === '/api/v1/pods').length;
  // initial 20 ms doubling to a 200 ms cap, jittered to [d/2, d]: at most ~14 attempts in a second.
  t.ok(pods >= 4 && pods <= 16, `${pods} attempts in 1 s`);
  t.ok((informers.status()[1]?.consecutiveErrors ?? 0) >= 4);
  t.equal(informers.synced(), false);
});

t.test('a watch that fails as soon as it is accepted backs off exponentially too', async (t) => {
  const { fake, informers } = await setup(t);
  informers.start();
  await informers.whenSynced(AbortSignal.timeout(5000));
  await fake.waitForWatches(5);
  const mark = fake.requests.length;
  // 200, then an ERROR event that is not 410 (e.g. etcd unavailable): the watch never got going.
  fake.watchReply = () => `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500, reason: 'InternalError', message: 'etcd unavailable' } })}\n`;
  fake.dropWatches();
  await new Promise((r) => setTimeout(r, 1000));
  const watches = fake.requests.slice(mark).filter((r) => r.path === '/api/v1/pods' && r.watch).length;
  // initial 20 ms doubling to a 200 ms cap, jittered to [d/2, d]: at most ~14 attempts in a second.
  t.ok(watches >= 4 && watches <= 16, `${watches} watch attempts in 1 s`);
  t.ok((informers.status()[1]?.consecutiveErrors ?? 0) >= 4, 'the failures count up');
  t.equal(fake.requests.slice(mark).filter((r) => !r.watch).length, 0, 'no LIST: not a 410');
});

t.test('a LIST is paged with limit/continue', async (t) => {
  const fake = await FakeApiServer.start();
  for (let i = 0; i < 5; i++) fake.apply(pod('team-a', `p${i}`, {}, `10.0.2.${i}`));
  const transport = new KubeConfigTransport(fake.kubeConfig());
  const informers = new ClusterInformers({ transport, pageSize: 2, watchTimeoutSeconds: 60 });
  t.teardown(async () => {
    await informers.stop();
    await transport.close();
    await fake.close();
  });
  informers.start();
  await informers.whenSynced(AbortSignal.timeout(5000));
  t.equal(informers.list('Pod').length, 5);
  const pages = fake.requests.filter((r) => r.path === '/api/v1/pods' && !r.watch);
  t.equal(pages.length, 3);
  t.ok(pages.every((p) => p.query['limit'] === '2'));
  t.ok(pages.slice(1).every((p) => p.query['continue']));
});

t.test('a 403 names the RBAC the explainer needs', async (t) => {
  const { fake, informers } = await setup(t);
  fake.fail = (r) => (r.path === '/api/v1/pods' ? 403 : undefined);
  informers.start();
  await until('error', () => informers.status()[1]?.lastError !== undefined);
  const { KubeApiError } = await import('../../src/k8s/api-errors.js');
  const err = new KubeApiError('x', 403);
  t.match(err.hint, /get\/list\/watch on namespaces, pods, services, endpointslices or networkpolicies/);
  t.match(informers.status()[1]?.lastError, /403/);
});

t.test('a 403 is logged with the RBAC the explainer needs as the hint', async (t) => {
  const fake = await FakeApiServer.start();
  fake.fail = (r) => (r.path === '/api/v1/pods' ? 403 : undefined);
  const transport = new KubeConfigTransport(fake.kubeConfig());
  const warnings: Array<Record<string, unknown>> = [];
  const logger = { debug() {}, info() {}, warn(obj: object) { warnings.push(obj as Record<string, unknown>); } };
  const informers = new ClusterInformers({ transport, logger, backoff: { initialMs: 20, maxMs: 200 }, watchTimeoutSeconds: 60 });
  t.teardown(async () => {
    await informers.stop();
    await transport.close();
    await fake.close();
  });
  informers.start();
  const warning = await until('a warning about pods', () => warnings.find((w) => w['kind'] === 'Pod'));
  t.match(warning['err'], /LIST \/api\/v1\/pods failed with 403/);
  t.match(warning['hint'], /get\/list\/watch on namespaces, pods, services, endpointslices or networkpolicies/);
});

t.test('whenSynced: an aborted wait rejects and leaves no waiter behind; an already aborted signal rejects at once', async (t) => {
  const { informers } = await setup(t);
  // Not started: it never syncs on its own.
  const waits = Array.from({ length: 100 }, () => {
    const controller = new AbortController();
    const wait = informers.whenSynced(controller.signal);
    controller.abort(new Error('gave up'));
    return wait;
  });
  for (const wait of waits) await t.rejects(wait, /gave up/);
  t.equal(informers.pendingSyncWaits, 0, 'no waiter kept for aborted waits');
  await t.rejects(informers.whenSynced(AbortSignal.abort(new Error('before'))), /before/, 'an aborted signal rejects at once');
  t.equal(informers.pendingSyncWaits, 0);
  const kept = informers.whenSynced(AbortSignal.timeout(5000));
  t.equal(informers.pendingSyncWaits, 1);
  informers.start();
  await kept;
  t.equal(informers.pendingSyncWaits, 0, 'a wait that resolves is gone too');
});
