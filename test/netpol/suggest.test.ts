import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { renderPolicies, suggestionName } from '../../src/netpol/suggest.js';

t.test('rendered YAML reads back as the same objects, tricky scalars included', async (t) => {
  const policies = [
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'a', namespace: 'n' },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ protocol: 'TCP', port: 443 }] }] } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'b', namespace: 'n' },
      spec: { podSelector: { matchLabels: { flag: 'true', version: '8080', odd: 'a: b', empty: '', 'x/y': 'no', dash: '-x', cidr: '10.0.0.0/8', float: '1.5', exp: '1e3', hex: '0x1F', date: '2026-01-02', under: '1_000' } }, ingress: [{}], egress: [] } },
  ];
  const back = parseAllDocuments(renderPolicies(policies)).map((d) => d.toJS());
  t.same(back, policies);
});

t.test('names follow allow-<component>-<direction> and stay valid object names', async (t) => {
  t.equal(suggestionName('eso', 'vault', 'ingress'), 'allow-eso-to-vault-ingress');
  t.equal(suggestionName('Team_A', 'api.example.com', 'egress'), 'allow-team-a-to-api-example-com-egress');
  t.equal(suggestionName('eso', 'vault', 'ingress', 8200), 'allow-eso-to-vault-8200-ingress', 'the port, when given, before the direction');
  t.not(suggestionName('eso', 'vault', 'ingress', 8200), suggestionName('eso', 'vault', 'ingress', 8201), 'two ports, two names');
  const longWithPort = suggestionName('a'.repeat(40), 'b'.repeat(40), 'egress', 65535);
  t.ok(longWithPort.length <= 63 && longWithPort.endsWith('-65535-egress'), longWithPort);
  const long = suggestionName('a'.repeat(40), 'b'.repeat(40), 'ingress');
  t.ok(long.length <= 63 && long.endsWith('-ingress') && /^[a-z0-9-]+$/.test(long), long);
});
