// Egress conformance: isolation by policyTypes (explicit and inferred), egress peers, ipBlock
// with except, and the rule that egress at the source AND ingress at the destination must allow.
import t from 'tap';
import { ALL_ALLOWED, runScenarios } from './truth-table.js';

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
    name: 'deny-all egress with policyTypes [Egress]',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-egress, namespace: x}
spec: {podSelector: {}, policyTypes: [Egress]}`,
    tables: [{ port: 80, expect: X_ROWS_DENIED }, { port: 53, protocol: 'UDP', expect: X_ROWS_DENIED }],
  },
  {
    name: 'egress: [] without policyTypes does NOT isolate egress; it is an ingress deny-all',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: looks-like-egress-deny, namespace: x}
spec: {podSelector: {}, egress: []}`,
    tables: [{
      port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   X   X   .   .   .   .   .   .
x/b   X   X   X   .   .   .   .   .   .
x/c   X   X   X   .   .   .   .   .   .
y/a   X   X   X   .   .   .   .   .   .
y/b   X   X   X   .   .   .   .   .   .
y/c   X   X   X   .   .   .   .   .   .
z/a   X   X   X   .   .   .   .   .   .
z/b   X   X   X   .   .   .   .   .   .
z/c   X   X   X   .   .   .   .   .   .`,
    }],
  },
  {
    name: 'egress rules without policyTypes isolate both directions (Ingress is always inferred)',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-within-x, namespace: x}
spec:
  podSelector: {}
  egress:
    - to: [{podSelector: {}}]`,
    tables: [{
      port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   X   X   X   X   X   X   X   X
x/b   X   X   X   X   X   X   X   X   X
x/c   X   X   X   X   X   X   X   X   X
y/a   X   X   X   .   .   .   .   .   .
y/b   X   X   X   .   .   .   .   .   .
y/c   X   X   X   .   .   .   .   .   .
z/a   X   X   X   .   .   .   .   .   .
z/b   X   X   X   .   .   .   .   .   .
z/c   X   X   X   .   .   .   .   .   .`,
    }],
  },
  {
    name: 'policyTypes [Egress] only: the same egress rules leave ingress open',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-within-x, namespace: x}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to: [{podSelector: {}}]`,
    tables: [{
      port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   .   .   .   X   X   X   X   X   X
x/b   .   .   .   X   X   X   X   X   X
x/c   .   .   .   X   X   X   X   X   X
y/a   .   .   .   .   .   .   .   .   .
y/b   .   .   .   .   .   .   .   .   .
y/c   .   .   .   .   .   .   .   .   .
z/a   .   .   .   .   .   .   .   .   .
z/b   .   .   .   .   .   .   .   .   .
z/c   .   .   .   .   .   .   .   .   .`,
    }],
  },
  {
    name: 'egress to one namespace by namespaceSelector',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-to-y, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Egress]
  egress:
    - to: [{namespaceSelector: {matchLabels: {ns: y}}}]`,
    tables: [{
      port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   X   X   .   .   .   X   X   X
x/b   .   .   .   .   .   .   .   .   .
x/c   .   .   .   .   .   .   .   .   .
y/a   .   .   .   .   .   .   .   .   .
y/b   .   .   .   .   .   .   .   .   .
y/c   .   .   .   .   .   .   .   .   .
z/a   .   .   .   .   .   .   .   .   .
z/b   .   .   .   .   .   .   .   .   .
z/c   .   .   .   .   .   .   .   .   .`,
    }],
  },
  {
    name: 'egress AND vs OR: {namespaceSelector z, podSelector c} vs [{namespaceSelector z}, {podSelector c}]',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-and, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: {matchLabels: {ns: z}}
          podSelector: {matchLabels: {pod: c}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-or, namespace: x}
spec:
  podSelector: {matchLabels: {pod: b}}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: {matchLabels: {ns: z}}
        - podSelector: {matchLabels: {pod: c}}`,
    tables: [{
      port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   X   X   X   X   X   X   X   .
x/b   X   X   .   X   X   X   .   .   .
x/c   .   .   .   .   .   .   .   .   .
y/a   .   .   .   .   .   .   .   .   .
y/b   .   .   .   .   .   .   .   .   .
y/c   .   .   .   .   .   .   .   .   .
z/a   .   .   .   .   .   .   .   .   .
z/b   .   .   .   .   .   .   .   .   .
z/c   .   .   .   .   .   .   .   .   .`,
    }],
  },
  {
    name: 'egress ipBlock with except: 10.0.0.0/8 minus namespace z and pod y/b',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-cidr, namespace: x}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.3.0.0/16, 10.2.0.2/32]}}]`,
    tables: [{
      port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   .   .   .   .   X   .   X   X   X
x/b   .   .   .   .   X   .   X   X   X
x/c   .   .   .   .   X   .   X   X   X
y/a   .   .   .   .   .   .   .   .   .
y/b   .   .   .   .   .   .   .   .   .
y/c   .   .   .   .   .   .   .   .   .
z/a   .   .   .   .   .   .   .   .   .
z/b   .   .   .   .   .   .   .   .   .
z/c   .   .   .   .   .   .   .   .   .`,
    }],
  },
  {
    name: 'both directions must allow: x/a may send to y, but y only admits x/b',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: x-a-egress-to-y, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Egress]
  egress:
    - to: [{namespaceSelector: {matchLabels: {ns: y}}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: y-admits-x-b, namespace: y}
spec:
  podSelector: {}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {ns: x}}, podSelector: {matchLabels: {pod: b}}}]`,
    tables: [{
      port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   X   X   X   X   X   X   X   X
x/b   .   .   .   .   .   .   .   .   .
x/c   .   .   .   X   X   X   .   .   .
y/a   .   .   .   X   X   X   .   .   .
y/b   .   .   .   X   X   X   .   .   .
y/c   .   .   .   X   X   X   .   .   .
z/a   .   .   .   X   X   X   .   .   .
z/b   .   .   .   X   X   X   .   .   .
z/c   .   .   .   X   X   X   .   .   .`,
    }],
  },
  {
    name: 'egress to: [] with a port: every destination, on that port only',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-80-anywhere, namespace: x}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to: []
      ports: [{port: 80}]`,
    tables: [{ port: 80, expect: ALL_ALLOWED }, { port: 81, expect: X_ROWS_DENIED }],
  },
  {
    name: 'default deny both ways in every namespace, then one allowed pair (y/b → z/c)',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: x}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: y}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: z}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-b-to-z-c-80-egress, namespace: y}
spec:
  podSelector: {matchLabels: {pod: b}}
  policyTypes: [Egress]
  egress:
    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: z}}, podSelector: {matchLabels: {pod: c}}}]
      ports: [{protocol: TCP, port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-y-b-to-c-80-ingress, namespace: z}
spec:
  podSelector: {matchLabels: {pod: c}}
  policyTypes: [Ingress]
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}, podSelector: {matchLabels: {pod: b}}}]
      ports: [{protocol: TCP, port: 80}]`,
    tables: [{
      port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   X   X   X   X   X   X   X   X
x/b   X   X   X   X   X   X   X   X   X
x/c   X   X   X   X   X   X   X   X   X
y/a   X   X   X   X   X   X   X   X   X
y/b   X   X   X   X   X   X   X   X   .
y/c   X   X   X   X   X   X   X   X   X
z/a   X   X   X   X   X   X   X   X   X
z/b   X   X   X   X   X   X   X   X   X
z/c   X   X   X   X   X   X   X   X   X`,
    }, {
      port: 81, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   X   X   X   X   X   X   X   X
x/b   X   X   X   X   X   X   X   X   X
x/c   X   X   X   X   X   X   X   X   X
y/a   X   X   X   X   X   X   X   X   X
y/b   X   X   X   X   X   X   X   X   X
y/c   X   X   X   X   X   X   X   X   X
z/a   X   X   X   X   X   X   X   X   X
z/b   X   X   X   X   X   X   X   X   X
z/c   X   X   X   X   X   X   X   X   X`,
    }],
  },
]);
