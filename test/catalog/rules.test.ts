// Every cross-field rule has a bad-input fixture; each test pins the exact message, line:col and
// YAML path, and that it is the only error.
import t from 'tap';
import { loadFixture } from './fixtures.js';

interface Case {
  fixture: string;
  at: string;
  yamlPath: string;
  message: string;
}

const CASES: Case[] = [
  { fixture: 'duplicate-path-name.yaml', at: '9:11', yamlPath: 'paths[1].name',
    message: 'path name "eso-to-vault" is already used at duplicate-path-name.yaml:5:11' },
  { fixture: 'timeout-not-below-interval.yaml', at: '9:14', yamlPath: 'paths[0].timeout',
    message: 'timeout 10s must be shorter than interval 10s' },
  { fixture: 'timeout-vs-default-interval.yaml', at: '10:14', yamlPath: 'paths[0].timeout',
    message: 'timeout 9s must be shorter than interval 8s (from defaults)' },
  { fixture: 'defaults-interval-below-builtin-timeout.yaml', at: '4:13', yamlPath: 'defaults.interval',
    message: 'timeout 5s (built-in default) must be shorter than interval 3s (from defaults)' },
  { fixture: 'interval-below-minimum.yaml', at: '8:15', yamlPath: 'paths[0].interval',
    message: 'interval 500ms is shorter than the minimum of 1s' },
  { fixture: 'duration-units-out-of-order.yaml', at: '8:15', yamlPath: 'paths[0].interval',
    message: '"30s1m" is not a duration; write e.g. 500ms, 5s, 1m or 1m30s (units largest first, each once)' },
  { fixture: 'tcp-target-without-port.yaml', at: '6:9', yamlPath: 'paths[0].to',
    message: 'tcp target "vault.vault.svc" needs a port: write host:port' },
  { fixture: 'tcp-target-port-out-of-range.yaml', at: '6:9', yamlPath: 'paths[0].to',
    message: 'tcp target "vault.vault.svc:70000" has port 70000; a port is a number from 1 to 65535' },
  { fixture: 'tcp-target-bare-ipv6.yaml', at: '6:9', yamlPath: 'paths[0].to',
    message: 'tcp target "fd00::10:8200" looks like a bare IPv6 address; write IPv6 in brackets, e.g. [fd00::1]:443' },
  { fixture: 'tcp-target-is-url.yaml', at: '6:9', yamlPath: 'paths[0].to',
    message: 'tcp target "http://vault.vault.svc:8200" is a URL; write host:port (or use check: http)' },
  { fixture: 'http-target-not-http.yaml', at: '6:9', yamlPath: 'paths[0].to',
    message: 'http target "ftp://keycloak.identity.svc/" must use http:// or https://' },
  { fixture: 'http-target-with-credentials.yaml', at: '6:9', yamlPath: 'paths[0].to',
    message: 'http target "http://admin:secret@keycloak.identity.svc/" must not carry credentials (it is exported as a label)' },
  { fixture: 'dns-target-with-port.yaml', at: '6:9', yamlPath: 'paths[0].to',
    message: 'dns target "kubernetes.default.svc:53" must be a bare host name (no scheme, no port); set dns.server for the server' },
  { fixture: 'http-block-on-tcp-check.yaml', at: '8:5', yamlPath: 'paths[0].http',
    message: 'http settings apply only to check: http (this path is check: tcp)' },
  { fixture: 'dns-block-on-http-check.yaml', at: '8:5', yamlPath: 'paths[0].dns',
    message: 'dns settings apply only to check: dns (this path is check: http)' },
  { fixture: 'tls-on-plain-http.yaml', at: '9:7', yamlPath: 'paths[0].http.tls',
    message: 'http.tls applies only to https:// targets' },
  { fixture: 'header-name-invalid.yaml', at: '10:9', yamlPath: 'paths[0].http.headers["X Bad"]',
    message: 'header name "X Bad" is not a valid HTTP token' },
  { fixture: 'header-framing.yaml', at: '10:9', yamlPath: 'paths[0].http.headers.Content-Length',
    message: 'header "Content-Length" is set by the prober (it sends no body and one request per connection)' },
  { fixture: 'header-value-unsendable.yaml', at: '10:17', yamlPath: 'paths[0].http.headers.x-note',
    message: 'header "x-note" may hold only tab, printable ASCII and characters U+0080–U+00FF (as Node.js sends them)' },
  { fixture: 'body-match-invalid.yaml', at: '9:18', yamlPath: 'paths[0].http.bodyMatch',
    message: 'bodyMatch is not a valid regular expression: Invalid regular expression: /(unclosed/: Unterminated group' },
  { fixture: 'body-match-not-linear.yaml', at: '9:18', yamlPath: 'paths[0].http.bodyMatch',
    message: 'bodyMatch must be matchable in linear time, so that no response body can stall the agent: no lookahead, lookbehind or backreference, and no repeat count over a few hundred' },
  { fixture: 'dns-server-not-ip.yaml', at: '8:19', yamlPath: 'paths[0].dns.server',
    message: 'dns.server "kube-dns.kube-system" must be an IP address, optionally with :port' },
  { fixture: 'unknown-source.yaml', at: '7:11', yamlPath: 'paths[0].from',
    message: 'unknown source "esoo" (declared: eso)' },
  { fixture: 'unknown-source-in-list.yaml', at: '7:20', yamlPath: 'paths[0].from[1]',
    message: 'unknown source "team-b" (declared: team-a)' },
  { fixture: 'control-on-reachable-path.yaml', at: '12:5', yamlPath: 'paths[1].control',
    message: 'control applies only to expect: blocked paths' },
  { fixture: 'control-unknown.yaml', at: '9:14', yamlPath: 'paths[0].control',
    message: 'control "api-to-dbb" names no path in the catalog' },
  { fixture: 'runbook-not-url.yaml', at: '8:14', yamlPath: 'paths[0].runbook',
    message: 'runbook "wiki/eso-vault" is not an absolute http:// or https:// URL' },
  { fixture: 'label-key-invalid.yaml', at: '6:14', yamlPath: 'sources.eso.labels["-app.example/name"]',
    message: 'label key "-app.example/name" has an invalid prefix; it must be a DNS subdomain such as app.kubernetes.io' },
  { fixture: 'label-value-invalid.yaml', at: '5:49', yamlPath: 'paths[0].from.labels.app',
    message: `label value "grafana oss" of "app" must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit` },
  { fixture: 'from-namespace-and-namespaces.yaml', at: '5:31', yamlPath: 'paths[0].from.namespaces',
    message: 'from takes "namespace" or "namespaces", not both' },
  { fixture: 'from-without-namespace.yaml', at: '5:11', yamlPath: 'paths[0].from',
    message: 'from needs "namespace" (one source) or "namespaces" (fan-out)' },
  { fixture: 'inline-source-collides-with-declared.yaml', at: '11:11', yamlPath: 'paths[1].from',
    message: 'inline source derives the name "monitoring", which a declared source at inline-source-collides-with-declared.yaml:4:3 uses for a different identity; declare this source under sources: and name it' },
];

for (const c of CASES) {
  t.test(c.fixture, async (t) => {
    const result = loadFixture(`bad/${c.fixture}`);
    t.equal(result.catalog, undefined, 'no catalog for an invalid file');
    t.same(
      result.errors.map((e) => ({ at: `${e.line}:${e.col}`, yamlPath: e.yamlPath, message: e.message })),
      [{ at: c.at, yamlPath: c.yamlPath, message: c.message }],
    );
    t.ok(result.errors.every((e) => e.file === c.fixture), 'problems name the file');
  });
}

t.test('a blocked path whose control is blocked too is reported on both', async (t) => {
  const result = loadFixture('bad/control-is-blocked.yaml');
  t.same(
    result.errors.map((e) => `${e.line}:${e.col} ${e.yamlPath}: ${e.message}`),
    [
      '9:14 paths[0].control: control "staging-never-reaches-prod-db" must be a reachable path, but it is expect: blocked',
      '15:14 paths[1].control: control "dev-never-reaches-prod-db" must be a reachable path, but it is expect: blocked',
    ],
  );
});

t.test('a fanned-out control without an expansion in the namespace is named per namespace', async (t) => {
  const result = loadFixture('bad/control-fanout-missing-namespace.yaml');
  const hint = 'name one of its paths, e.g. "prod-db-clients@api", "prod-db-clients@worker"';
  t.same(
    result.errors.map((e) => `${e.line}:${e.col} ${e.yamlPath}: ${e.message}`),
    ['team-a', 'team-b'].map(
      (ns) => `14:14 paths[1].control: control "prod-db-clients" is fanned out but has no path from namespace "${ns}"; ${hint}`,
    ),
  );
});
