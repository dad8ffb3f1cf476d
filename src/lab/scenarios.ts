// The lab's scenarios as data: who runs where, what policy each namespace enforces, what the
// agents probe, and which result class each path must end in. Tests and `npm run lab` share them.
import type { LabScenario, PodSpec } from './scenario-types.js';

const DNS_ALLOW = { pod: 'kube-dns', ports: [{ port: 53, protocol: 'udp' as const }, { port: 53, protocol: 'tcp' as const }] };

/** Default-deny ingress drops the SYN (timeout); an allow added while the agent runs fixes it. */
export const INGRESS_DROP: LabScenario = {
  name: 'ingress-drop',
  summary: 'default-deny ingress silently drops frontend → backend (timeout); an allow rule then opens it without restarting the agent',
  pods: [
    { name: 'web', namespace: 'frontend', agent: true },
    { name: 'api', namespace: 'backend', servers: [{ kind: 'tcp', port: 8080 }], ingress: { deny: 'drop', allow: [] } },
  ],
  paths: [
    { name: 'web-to-api', from: 'web', to: 'api.backend.svc.cluster.local:8080', check: 'tcp' },
    { name: 'web-dns', from: 'web', to: 'api.backend.svc.cluster.local', check: 'dns' },
  ],
  expect: {
    'web-to-api': { result: 'timeout', state: 'down' },
    'web-dns': { result: 'ok', state: 'up' },
  },
  steps: [{
    description: 'allow ingress to api:8080 from web (like applying an allow NetworkPolicy)',
    allow: { pod: 'api', direction: 'ingress', rule: { pod: 'web', ports: [{ port: 8080 }] } },
    expect: {
      'web-to-api': { result: 'ok', state: 'up' },
      'web-dns': { result: 'ok', state: 'up' },
    },
  }],
};

/** Default-deny egress without a DNS allow: DNS breaks first, for dns and tcp paths alike. */
export const EGRESS_DNS: LabScenario = {
  name: 'egress-dns',
  summary: 'default-deny egress that allows the backend but forgets DNS: names time out (dns_timeout) while the IP works; then DNS is allowed',
  pods: [
    { name: 'app', namespace: 'team-a', agent: true, egress: { deny: 'drop', allow: [{ pod: 'db', ports: [{ port: 5432 }] }] } },
    { name: 'db', namespace: 'team-b', servers: [{ kind: 'tcp', port: 5432 }] },
  ],
  paths: [
    { name: 'app-dns', from: 'app', to: 'db.team-b.svc.cluster.local', check: 'dns' },
    { name: 'app-to-db', from: 'app', to: 'db.team-b.svc.cluster.local:5432', check: 'tcp' },
    { name: 'app-to-db-ip', from: 'app', to: '{{db}}:5432', check: 'tcp' },
  ],
  expect: {
    'app-dns': { result: 'dns_timeout', state: 'down' },
    'app-to-db': { result: 'dns_timeout', state: 'down' },
    'app-to-db-ip': { result: 'ok', state: 'up' },
  },
  steps: [{
    description: 'allow egress to kube-dns on UDP and TCP 53',
    allow: { pod: 'app', direction: 'egress', rule: DNS_ALLOW },
    expect: {
      'app-dns': { result: 'ok', state: 'up' },
      'app-to-db': { result: 'ok', state: 'up' },
      'app-to-db-ip': { result: 'ok', state: 'up' },
    },
  }],
};

/** Packets that come back: no listener, ICMP reject, TCP reset reject, accept-then-reset. */
export const REJECTIONS: LabScenario = {
  name: 'rejections',
  summary: 'answers that are not drops: no listener (refused), REJECT with ICMP host-unreachable (unreachable), REJECT with tcp reset (refused), accept-then-reset (reset)',
  pods: [
    { name: 'client', namespace: 'shop', agent: true },
    { name: 'orders', namespace: 'shop', servers: [{ kind: 'tcp', port: 8080 }, { kind: 'reset', port: 7000 }] },
    { name: 'payments', namespace: 'billing', servers: [{ kind: 'tcp', port: 8443 }], ingress: { deny: 'reject', allow: [] } },
    { name: 'ledger', namespace: 'billing', servers: [{ kind: 'tcp', port: 9000 }], ingress: { deny: 'tcp-reset', allow: [] } },
  ],
  paths: [
    { name: 'client-to-orders', from: 'client', to: 'orders:8080', check: 'tcp' },
    { name: 'client-to-orders-closed-port', from: 'client', to: 'orders:9999', check: 'tcp' },
    { name: 'client-to-orders-resetting', from: 'client', to: 'orders:7000', check: 'tcp' },
    { name: 'client-to-payments', from: 'client', to: 'payments.billing.svc.cluster.local:8443', check: 'tcp' },
    { name: 'client-to-ledger', from: 'client', to: 'ledger.billing:9000', check: 'tcp' },
  ],
  expect: {
    'client-to-orders': { result: 'ok', state: 'up' },
    'client-to-orders-closed-port': { result: 'refused', state: 'down' },
    'client-to-orders-resetting': { result: 'reset', state: 'down' },
    'client-to-payments': { result: 'unreachable', state: 'down' },
    'client-to-ledger': { result: 'refused', state: 'down' },
  },
};

/** Connected, but the application misbehaves; and names that do not exist. */
export const APP_FAULTS: LabScenario = {
  name: 'app-faults',
  summary: 'the network is fine, the application is not: hung app (http_timeout, not timeout), wrong status (http_status), missing Service (dns_nxdomain)',
  pods: [
    { name: 'grafana', namespace: 'monitoring', agent: true },
    {
      name: 'keycloak',
      namespace: 'identity',
      servers: [
        { kind: 'http', port: 80, status: 200 },
        { kind: 'http', port: 81, status: 503 },
        { kind: 'http-hang', port: 82 },
        { kind: 'http-hang-body', port: 83 },
      ],
    },
  ],
  paths: [
    { name: 'grafana-to-keycloak', from: 'grafana', to: 'http://keycloak.identity.svc.cluster.local/realms/master', check: 'http' },
    { name: 'grafana-to-keycloak-admin', from: 'grafana', to: 'http://keycloak.identity.svc.cluster.local:81/admin', check: 'http', http: { expectStatus: [200, 302] } },
    { name: 'grafana-to-keycloak-hung', from: 'grafana', to: 'http://keycloak.identity.svc.cluster.local:82/', check: 'http' },
    { name: 'grafana-to-keycloak-hung-body', from: 'grafana', to: 'http://keycloak.identity.svc.cluster.local:83/', check: 'http' },
    { name: 'grafana-to-missing-service', from: 'grafana', to: 'http://loki.monitoring.svc.cluster.local/ready', check: 'http' },
    { name: 'grafana-dns-missing', from: 'grafana', to: 'tempo.monitoring.svc.cluster.local', check: 'dns' },
  ],
  expect: {
    'grafana-to-keycloak': { result: 'ok', state: 'up' },
    'grafana-to-keycloak-admin': { result: 'http_status', state: 'down' },
    'grafana-to-keycloak-hung': { result: 'http_timeout', state: 'down' },
    'grafana-to-keycloak-hung-body': { result: 'http_timeout', state: 'down' },
    'grafana-to-missing-service': { result: 'dns_nxdomain', state: 'down' },
    'grafana-dns-missing': { result: 'dns_nxdomain', state: 'down' },
  },
};

/** Must-stay-blocked paths: held, leaking, and unprovable because the destination is down. */
export const ISOLATION: LabScenario = {
  name: 'isolation',
  summary: 'expect: blocked paths: one held by policy (up), one leaking (isolation breach), then the destination goes down and its control fails (inconclusive, never green); two agents',
  pods: [
    { name: 'staging-app', namespace: 'staging', agent: true },
    {
      name: 'postgres',
      namespace: 'production',
      servers: [{ kind: 'tcp', port: 5432 }, { kind: 'http', port: 8080, status: 200 }],
      ingress: { deny: 'drop', allow: [{ pod: 'staging-app', ports: [{ port: 8080 }] }, { pod: 'prod-app', ports: [{ port: 5432 }] }] },
    },
    { name: 'redis', namespace: 'production', servers: [{ kind: 'tcp', port: 6379 }] },
    { name: 'prod-app', namespace: 'production', agent: true },
  ],
  paths: [
    { name: 'staging-sees-postgres-health', from: 'staging-app', to: 'http://postgres.production.svc.cluster.local:8080/healthz', check: 'http' },
    {
      name: 'staging-never-reaches-postgres', from: 'staging-app', to: 'postgres.production.svc.cluster.local:5432', check: 'tcp',
      expect: 'blocked', control: 'staging-sees-postgres-health',
    },
    { name: 'staging-never-reaches-redis', from: 'staging-app', to: 'redis.production.svc.cluster.local:6379', check: 'tcp', expect: 'blocked' },
    { name: 'prod-app-to-postgres', from: 'prod-app', to: 'postgres:5432', check: 'tcp' },
  ],
  expect: {
    'staging-sees-postgres-health': { result: 'ok', state: 'up' },
    'staging-never-reaches-postgres': { result: 'timeout', state: 'up' },
    'staging-never-reaches-redis': { result: 'ok', state: 'down' },
    'prod-app-to-postgres': { result: 'ok', state: 'up' },
  },
  steps: [{
    description: 'postgres goes down (its servers stop): the control fails, so the blocked path is inconclusive',
    stopServers: 'postgres',
    expect: {
      'staging-sees-postgres-health': { result: 'refused', state: 'down' },
      'staging-never-reaches-postgres': { result: 'timeout', state: 'inconclusive' },
      'staging-never-reaches-redis': { result: 'ok', state: 'down' },
      'prod-app-to-postgres': { result: 'refused', state: 'down' },
    },
  }],
};

/** Every scenario, in the order `npm run lab` lists them. */
export const SCENARIOS: LabScenario[] = [INGRESS_DROP, EGRESS_DNS, REJECTIONS, APP_FAULTS, ISOLATION];

/** The scenario's pods that run an agent. */
export function agentPods(scenario: LabScenario): PodSpec[] {
  return scenario.pods.filter((p) => p.agent);
}

/** The scenario named `name`, if any. */
export function findScenario(name: string): LabScenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
