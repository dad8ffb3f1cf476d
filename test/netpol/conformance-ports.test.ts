// Port conformance: numbers, named ports (resolved on the destination pod's containerPorts, for
// ingress and egress), endPort ranges, protocols TCP/UDP/SCTP and the TCP default.
import t from 'tap';
import { ALL_ALLOWED, runScenarios } from './truth-table.js';

const X_COLUMNS_DENIED = `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   X   X   .   .   .   .   .   .
x/b   X   X   X   .   .   .   .   .   .
x/c   X   X   X   .   .   .   .   .   .
y/a   X   X   X   .   .   .   .   .   .
y/b   X   X   X   .   .   .   .   .   .
y/c   X   X   X   .   .   .   .   .   .
z/a   X   X   X   .   .   .   .   .   .
z/b   X   X   X   .   .   .   .   .   .
z/c   X   X   X   .   .   .   .   .   .`;

const X_ROWS_DENIED = `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   X   X   X   X   X   X   X   X
x/b   X   X   X   X   X   X   X   X   X
x/c   X   X   X   X   X   X   X   X   X
y/a   .   .   .   .   .   .   .   .   .
y/b   .   .   .   .   .   .   .   .   .
y/c   .   .   .   .   .   .   .   .   .
z/a   .   .   .   .   .   .   .   .   .
z/b   .   .   .   .   .   .   .   .   .
z/c   .   .   .   .   .   .   .   .   .`;

runScenarios(t, [
  {
    name: 'numbered port without protocol means TCP',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-80, namespace: x}
spec:
  podSelector: {}
  ingress: [{ports: [{port: 80}]}]`,
    tables: [
      { port: 80, expect: ALL_ALLOWED },
      { port: 81, expect: X_COLUMNS_DENIED },
      { port: 80, protocol: 'UDP', expect: X_COLUMNS_DENIED },
      { port: 80, protocol: 'SCTP', expect: X_COLUMNS_DENIED },
    ],
  },
  {
    name: 'named port resolves on the destination pod: serve-81-tcp is 81/TCP',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-named-81, namespace: x}
spec:
  podSelector: {}
  ingress: [{ports: [{port: serve-81-tcp}]}]`,
    tables: [{ port: 81, expect: ALL_ALLOWED }, { port: 80, expect: X_COLUMNS_DENIED }],
  },
  {
    name: 'a named port needs its protocol too: serve-80-udp with protocol UDP',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-named-udp, namespace: x}
spec:
  podSelector: {}
  ingress: [{ports: [{port: serve-80-udp, protocol: UDP}]}]`,
    tables: [{ port: 80, protocol: 'UDP', expect: ALL_ALLOWED }, { port: 80, expect: X_COLUMNS_DENIED }],
  },
  {
    name: 'a UDP port name with the default protocol TCP matches nothing',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-named-wrong-protocol, namespace: x}
spec:
  podSelector: {}
  ingress: [{ports: [{port: serve-80-udp}]}]`,
    tables: [{ port: 80, protocol: 'UDP', expect: X_COLUMNS_DENIED }, { port: 80, expect: X_COLUMNS_DENIED }],
  },
  {
    name: 'endPort opens the inclusive range port..endPort',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-range, namespace: x}
spec:
  podSelector: {}
  ingress: [{ports: [{port: 80, endPort: 81, protocol: TCP}]}]`,
    tables: [
      { port: 80, expect: ALL_ALLOWED },
      { port: 81, expect: ALL_ALLOWED },
      { port: 82, expect: X_COLUMNS_DENIED },
      { port: 79, expect: X_COLUMNS_DENIED },
    ],
  },
  {
    name: 'SCTP only',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-sctp, namespace: x}
spec:
  podSelector: {}
  ingress: [{ports: [{port: 80, protocol: SCTP}]}]`,
    tables: [{ port: 80, protocol: 'SCTP', expect: ALL_ALLOWED }, { port: 80, expect: X_COLUMNS_DENIED }],
  },
  {
    name: 'a protocol with no port matches every port of that protocol',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-all-udp, namespace: x}
spec:
  podSelector: {}
  ingress: [{ports: [{protocol: UDP}]}]`,
    tables: [
      { port: 80, protocol: 'UDP', expect: ALL_ALLOWED },
      { port: 81, protocol: 'UDP', expect: ALL_ALLOWED },
      { port: 81, expect: X_COLUMNS_DENIED },
    ],
  },
  {
    name: 'ports: [] (empty list) matches all ports',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-y-any-port, namespace: x}
spec:
  podSelector: {}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
      ports: []`,
    tables: [{
      port: 81, protocol: 'SCTP', expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   X   X   .   .   .   .   .   .
x/b   X   X   X   .   .   .   .   .   .
x/c   X   X   X   .   .   .   .   .   .
y/a   .   .   .   .   .   .   .   .   .
y/b   .   .   .   .   .   .   .   .   .
y/c   .   .   .   .   .   .   .   .   .
z/a   X   X   X   .   .   .   .   .   .
z/b   X   X   X   .   .   .   .   .   .
z/c   X   X   X   .   .   .   .   .   .`,
    }],
  },
  {
    name: 'egress named port resolves on the destination (peer) pod',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-named, namespace: x}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{ports: [{port: serve-81-tcp}]}]`,
    tables: [{ port: 81, expect: ALL_ALLOWED }, { port: 80, expect: X_ROWS_DENIED }],
  },
  {
    name: 'two port rules in separate rules are ORed per peer',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: split-rules, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
      ports: [{port: 80}]
    - from: [{namespaceSelector: {matchLabels: {ns: z}}}]
      ports: [{port: 81}]`,
    tables: [{
      port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   .   .   .   .   .   .   .   .
x/b   X   .   .   .   .   .   .   .   .
x/c   X   .   .   .   .   .   .   .   .
y/a   .   .   .   .   .   .   .   .   .
y/b   .   .   .   .   .   .   .   .   .
y/c   .   .   .   .   .   .   .   .   .
z/a   X   .   .   .   .   .   .   .   .
z/b   X   .   .   .   .   .   .   .   .
z/c   X   .   .   .   .   .   .   .   .`,
    }, {
      port: 81, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   .   .   .   .   .   .   .   .
x/b   X   .   .   .   .   .   .   .   .
x/c   X   .   .   .   .   .   .   .   .
y/a   X   .   .   .   .   .   .   .   .
y/b   X   .   .   .   .   .   .   .   .
y/c   X   .   .   .   .   .   .   .   .
z/a   .   .   .   .   .   .   .   .   .
z/b   .   .   .   .   .   .   .   .   .
z/c   .   .   .   .   .   .   .   .   .`,
    }],
  },
]);
