import t from 'tap';
import { destinationNamespace, parseDnsTarget, parseHostPort, parseHttpTarget, parseTcpTarget } from '../../src/catalog/target.js';

t.test('tcp targets', async (t) => {
  t.same(parseTcpTarget('vault.vault.svc.cluster.local:8200'), { host: 'vault.vault.svc.cluster.local', port: 8200 });
  t.same(parseTcpTarget('10.0.0.7:5432'), { host: '10.0.0.7', port: 5432 });
  t.same(parseTcpTarget('[fd00::7]:443'), { host: 'fd00::7', port: 443 });
  t.same(parseTcpTarget('[fd00::7]'), { error: 'tcp target "[fd00::7]" needs a port: write host:port' });
  t.same(parseTcpTarget('[10.0.0.1]:80'), { error: 'tcp target "10.0.0.1" in brackets is not an IPv6 address' });
  t.same(parseTcpTarget(':80'), { error: 'tcp target ":80" has no host' });
  t.same(parseTcpTarget('bad_host!:80'), { error: 'tcp target "bad_host!:80" does not start with a valid host name or IP address' });
  t.same(parseTcpTarget('db:0'), { error: 'tcp target "db:0" has port 0; a port is a number from 1 to 65535' });
  t.same(parseTcpTarget('db:http'), { error: 'tcp target "db:http" has port http; a port is a number from 1 to 65535' });
});

t.test('http targets default the port by scheme and drop IPv6 brackets from host', async (t) => {
  t.same(parseHttpTarget('http://keycloak.identity.svc/realms/master'), {
    host: 'keycloak.identity.svc', port: 80, url: 'http://keycloak.identity.svc/realms/master',
  });
  t.same(parseHttpTarget('https://[fd00::1]:8443/x'), { host: 'fd00::1', port: 8443, url: 'https://[fd00::1]:8443/x' });
  t.same(parseHttpTarget('https://a.b'), { host: 'a.b', port: 443, url: 'https://a.b/' });
  t.same(parseHttpTarget('keycloak:80'), { error: 'http target "keycloak:80" must use http:// or https://' });
  t.same(parseHttpTarget('/x'), { error: 'http target "/x" is not an absolute http:// or https:// URL' });
});

t.test('dns targets are bare host names', async (t) => {
  t.same(parseDnsTarget('kubernetes.default.svc.cluster.local'), { host: 'kubernetes.default.svc.cluster.local', port: 0 });
  t.same(parseDnsTarget('_https._tcp.example.org.'), { host: '_https._tcp.example.org.', port: 0 });
  t.same(parseDnsTarget('10.0.0.1'), { error: 'dns target "10.0.0.1" is an IP address; write the name to resolve' });
  t.same(parseDnsTarget('http://x'), { error: 'dns target "http://x" must be a bare host name (no scheme, no port); set dns.server for the server' });
  t.same(parseDnsTarget('a..b'), { error: 'dns target "a..b" is not a valid host name' });
});

t.test('host:port with a default port (dns.server)', async (t) => {
  t.same(parseHostPort('10.96.0.10', 53), { host: '10.96.0.10', port: 53 });
  t.same(parseHostPort('[fd00::a]', 53), { host: 'fd00::a', port: 53 });
  t.same(parseHostPort('10.96.0.10:5353', 53), { host: '10.96.0.10', port: 5353 });
});

t.test('destination namespace of Service names', async (t) => {
  const table: Array<[string, string]> = [
    ['vault.vault.svc.cluster.local', 'vault'],
    ['vault.vault.svc.cluster.local.', 'vault'],
    ['keycloak.identity.svc', 'identity'],
    ['redis.redis', 'redis'],
    ['db.prod.svc.my.cluster', 'prod'],
    ['postgres', 'home'],
    ['localhost', ''],
    ['openrouter.ai.', ''],
    ['db.prod.', ''],
    ['api.anthropic.com', ''],
    ['10.0.0.1', ''],
    ['fd00::1', ''],
  ];
  for (const [host, ns] of table) t.equal(destinationNamespace(host, 'home'), ns, host);
});
