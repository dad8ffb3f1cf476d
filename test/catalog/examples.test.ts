// Every shipped example in probes/examples/ is a valid catalog; the catalog's own examples also
// draw no warnings.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { formatProblem, loadCatalogFiles } from '../../src/catalog/load.js';

const dir = fileURLToPath(new URL('../../probes/examples/', import.meta.url));
const OWN = ['platform.yaml', 'minimal.yaml'];
const examples = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();

t.ok(examples.includes('platform.yaml') && examples.includes('minimal.yaml'), 'the examples are there');

for (const name of examples) {
  t.test(name, async (t) => {
    const r = await loadCatalogFiles([`${dir}${name}`]);
    t.same(r.errors.map(formatProblem), [], 'no errors');
    if (OWN.includes(name)) t.same(r.warnings.map(formatProblem), [], 'no warnings');
    t.ok((r.catalog?.paths.length ?? 0) > 0, 'has paths');
  });
}

t.test('platform.yaml expands as documented', async (t) => {
  const r = await loadCatalogFiles([`${dir}platform.yaml`]);
  const paths = r.catalog?.paths ?? [];
  t.same(
    paths.map((p) => `${p.name} ${p.source.name} ${p.check} ${p.host}:${p.port} ${p.toNamespace} ${p.expect}${p.control ? ` control=${p.control}` : ''}`),
    [
      'eso-to-vault eso tcp vault.vault.svc.cluster.local:8200 vault reachable',
      'compass-to-typedb compass-api tcp typedb.f3iai.svc.cluster.local:1729 f3iai reachable',
      'traefik-to-mcp-server traefik http mcp-server.f3iai.svc.cluster.local:8080 f3iai reachable',
      'grafana-to-keycloak monitoring-grafana http keycloak.identity.svc.cluster.local:80 identity reachable',
      'tenant-dns@team-a team-a dns kubernetes.default.svc.cluster.local:0 default reachable',
      'tenant-dns@team-b team-b dns kubernetes.default.svc.cluster.local:0 default reachable',
      'tenant-dns@team-c team-c dns kubernetes.default.svc.cluster.local:0 default reachable',
      'production-api-to-postgres production-api tcp postgres.production.svc.cluster.local:5432 production reachable',
      'staging-never-reaches-prod-db staging tcp postgres.production.svc.cluster.local:5432 production blocked control=production-api-to-postgres',
    ],
  );
  t.same(paths.find((p) => p.name === 'grafana-to-keycloak')?.http?.expectStatus, [200, 302]);
});
