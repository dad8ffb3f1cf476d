// Ingress conformance: truth tables for isolation, peers (the AND/OR trap), selectors and
// union of policies, each written from the networking.k8s.io/v1 API documentation.
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

runScenarios(t, [
  { name: 'no policy: nothing is isolated', policies: '', tables: [{ port: 80, expect: ALL_ALLOWED }] },
  {
    name: 'deny-all ingress with policyTypes [Ingress]',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-ingress, namespace: x}
spec: {podSelector: {}, policyTypes: [Ingress]}`,
    tables: [{ port: 80, expect: X_COLUMNS_DENIED }, { port: 81, protocol: 'UDP', expect: X_COLUMNS_DENIED }],
  },
  {
    name: 'deny-all ingress by inference: no policyTypes, no rules',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-inferred, namespace: x}
spec: {podSelector: {}}`,
    tables: [{ port: 80, expect: X_COLUMNS_DENIED }],
  },
  {
    // The API server never required podSelector (nor spec): an absent one is the empty selector.
    name: 'podSelector omitted or null selects every pod of the namespace, as {} does',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-no-selector, namespace: x}
spec: {policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-null-selector, namespace: x}
spec: {podSelector: null}`,
    tables: [{ port: 80, expect: X_COLUMNS_DENIED }],
  },
  {
    name: 'a NetworkPolicy without spec defaults to an ingress deny-all of its namespace',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: no-spec, namespace: x}`,
    tables: [{ port: 80, expect: X_COLUMNS_DENIED }],
  },
  {
    name: 'deny-all ingress with an explicit empty list ingress: []',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-empty-list, namespace: x}
spec: {podSelector: {}, ingress: []}`,
    tables: [{ port: 80, expect: X_COLUMNS_DENIED }],
  },
  {
    name: 'a rule {} allows all ingress, even next to a deny-all',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-ingress, namespace: x}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-all-ingress, namespace: x}
spec: {podSelector: {}, ingress: [{}]}`,
    tables: [{ port: 80, expect: ALL_ALLOWED }, { port: 81, protocol: 'SCTP', expect: ALL_ALLOWED }],
  },
  {
    name: 'allow same namespace: from podSelector {} means the policy namespace only',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-same-namespace, namespace: x}
spec:
  podSelector: {}
  ingress:
    - from: [{podSelector: {}}]`,
    tables: [{
      port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   .   .   .   .   .   .   .   .   .
x/b   .   .   .   .   .   .   .   .   .
x/c   .   .   .   .   .   .   .   .   .
y/a   X   X   X   .   .   .   .   .   .
y/b   X   X   X   .   .   .   .   .   .
y/c   X   X   X   .   .   .   .   .   .
z/a   X   X   X   .   .   .   .   .   .
z/b   X   X   X   .   .   .   .   .   .
z/c   X   X   X   .   .   .   .   .   .`,
    }],
  },
  {
    name: 'podSelector-only peer: pod b of the policy namespace, not of others',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-b-to-a, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{podSelector: {matchLabels: {pod: b}}}]`,
    tables: [{ port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   .   .   .   .   .   .   .   .
x/b   .   .   .   .   .   .   .   .   .
x/c   X   .   .   .   .   .   .   .   .
y/a   X   .   .   .   .   .   .   .   .
y/b   X   .   .   .   .   .   .   .   .
y/c   X   .   .   .   .   .   .   .   .
z/a   X   .   .   .   .   .   .   .   .
z/b   X   .   .   .   .   .   .   .   .
z/c   X   .   .   .   .   .   .   .   .` }],
  },
  {
    name: 'namespaceSelector-only peer: every pod of the matching namespaces',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-ns-y, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {ns: y}}}]`,
    tables: [{ port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   .   .   .   .   .   .   .   .
x/b   X   .   .   .   .   .   .   .   .
x/c   X   .   .   .   .   .   .   .   .
y/a   .   .   .   .   .   .   .   .   .
y/b   .   .   .   .   .   .   .   .   .
y/c   .   .   .   .   .   .   .   .   .
z/a   X   .   .   .   .   .   .   .   .
z/b   X   .   .   .   .   .   .   .   .
z/c   X   .   .   .   .   .   .   .   .` }],
  },
  {
    name: 'namespaceSelector AND podSelector in one element: pod b of namespace y only',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-y-b-and, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from:
        - namespaceSelector: {matchLabels: {ns: y}}
          podSelector: {matchLabels: {pod: b}}`,
    tables: [{ port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   .   .   .   .   .   .   .   .
x/b   X   .   .   .   .   .   .   .   .
x/c   X   .   .   .   .   .   .   .   .
y/a   X   .   .   .   .   .   .   .   .
y/b   .   .   .   .   .   .   .   .   .
y/c   X   .   .   .   .   .   .   .   .
z/a   X   .   .   .   .   .   .   .   .
z/b   X   .   .   .   .   .   .   .   .
z/c   X   .   .   .   .   .   .   .   .` }],
  },
  {
    name: 'namespaceSelector OR podSelector in two elements: all of y, plus pod b of x',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-y-or-b, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from:
        - namespaceSelector: {matchLabels: {ns: y}}
        - podSelector: {matchLabels: {pod: b}}`,
    tables: [{ port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   .   .   .   .   .   .   .   .
x/b   .   .   .   .   .   .   .   .   .
x/c   X   .   .   .   .   .   .   .   .
y/a   .   .   .   .   .   .   .   .   .
y/b   .   .   .   .   .   .   .   .   .
y/c   .   .   .   .   .   .   .   .   .
z/a   X   .   .   .   .   .   .   .   .
z/b   X   .   .   .   .   .   .   .   .
z/c   X   .   .   .   .   .   .   .   .` }],
  },
  {
    name: 'namespaceSelector {} selects every namespace',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-all-namespaces, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{namespaceSelector: {}}]`,
    tables: [{ port: 80, expect: ALL_ALLOWED }],
  },
  {
    name: 'namespaceSelector {} with podSelector: pod b of every namespace',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-b-anywhere, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{namespaceSelector: {}, podSelector: {matchLabels: {pod: b}}}]`,
    tables: [{ port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   .   .   .   .   .   .   .   .
x/b   .   .   .   .   .   .   .   .   .
x/c   X   .   .   .   .   .   .   .   .
y/a   X   .   .   .   .   .   .   .   .
y/b   .   .   .   .   .   .   .   .   .
y/c   X   .   .   .   .   .   .   .   .
z/a   X   .   .   .   .   .   .   .   .
z/b   .   .   .   .   .   .   .   .   .
z/c   X   .   .   .   .   .   .   .   .` }],
  },
  {
    name: 'the automatic kubernetes.io/metadata.name label selects a namespace by name',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-from-z, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: z}}}]`,
    tables: [{ port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   .   .   .   .   .   .   .   .
x/b   X   .   .   .   .   .   .   .   .
x/c   X   .   .   .   .   .   .   .   .
y/a   X   .   .   .   .   .   .   .   .
y/b   X   .   .   .   .   .   .   .   .
y/c   X   .   .   .   .   .   .   .   .
z/a   .   .   .   .   .   .   .   .   .
z/b   .   .   .   .   .   .   .   .   .
z/c   .   .   .   .   .   .   .   .   .` }],
  },
  {
    name: 'matchExpressions In on namespaces',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-in, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{namespaceSelector: {matchExpressions: [{key: ns, operator: In, values: [y, z]}]}}]`,
    tables: [{ port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   .   .   .   .   .   .   .   .
x/b   X   .   .   .   .   .   .   .   .
x/c   X   .   .   .   .   .   .   .   .
y/a   .   .   .   .   .   .   .   .   .
y/b   .   .   .   .   .   .   .   .   .
y/c   .   .   .   .   .   .   .   .   .
z/a   .   .   .   .   .   .   .   .   .
z/b   .   .   .   .   .   .   .   .   .
z/c   .   .   .   .   .   .   .   .   .` }],
  },
  {
    name: 'matchExpressions NotIn on pods, in every namespace',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-notin, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from:
        - namespaceSelector: {}
          podSelector: {matchExpressions: [{key: pod, operator: NotIn, values: [b]}]}`,
    tables: [{ port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   .   .   .   .   .   .   .   .   .
x/b   X   .   .   .   .   .   .   .   .
x/c   .   .   .   .   .   .   .   .   .
y/a   .   .   .   .   .   .   .   .   .
y/b   X   .   .   .   .   .   .   .   .
y/c   .   .   .   .   .   .   .   .   .
z/a   .   .   .   .   .   .   .   .   .
z/b   X   .   .   .   .   .   .   .   .
z/c   .   .   .   .   .   .   .   .   .` }],
  },
  {
    name: 'matchExpressions Exists: only namespaces carrying the key',
    namespaceLabels: { y: { team: 'blue' } },
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-exists, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{namespaceSelector: {matchExpressions: [{key: team, operator: Exists}]}}]`,
    tables: [{ port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   .   .   .   .   .   .   .   .
x/b   X   .   .   .   .   .   .   .   .
x/c   X   .   .   .   .   .   .   .   .
y/a   .   .   .   .   .   .   .   .   .
y/b   .   .   .   .   .   .   .   .   .
y/c   .   .   .   .   .   .   .   .   .
z/a   X   .   .   .   .   .   .   .   .
z/b   X   .   .   .   .   .   .   .   .
z/c   X   .   .   .   .   .   .   .   .` }],
  },
  {
    name: 'matchExpressions DoesNotExist: namespaces without the key (including the own one)',
    namespaceLabels: { y: { team: 'blue' } },
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-does-not-exist, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{namespaceSelector: {matchExpressions: [{key: team, operator: DoesNotExist}]}}]`,
    tables: [{ port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   .   .   .   .   .   .   .   .   .
x/b   .   .   .   .   .   .   .   .   .
x/c   .   .   .   .   .   .   .   .   .
y/a   X   .   .   .   .   .   .   .   .
y/b   X   .   .   .   .   .   .   .   .
y/c   X   .   .   .   .   .   .   .   .
z/a   .   .   .   .   .   .   .   .   .
z/b   .   .   .   .   .   .   .   .   .
z/c   .   .   .   .   .   .   .   .   .` }],
  },
  {
    name: 'matchLabels and matchExpressions in one selector are ANDed',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-and-expressions, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from:
        - namespaceSelector:
            matchLabels: {ns: z}
            matchExpressions: [{key: ns, operator: NotIn, values: [y]}]
          podSelector:
            matchExpressions: [{key: pod, operator: In, values: [a, c]}]`,
    tables: [{ port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   .   .   .   .   .   .   .   .
x/b   X   .   .   .   .   .   .   .   .
x/c   X   .   .   .   .   .   .   .   .
y/a   X   .   .   .   .   .   .   .   .
y/b   X   .   .   .   .   .   .   .   .
y/c   X   .   .   .   .   .   .   .   .
z/a   .   .   .   .   .   .   .   .   .
z/b   X   .   .   .   .   .   .   .   .
z/c   .   .   .   .   .   .   .   .   .` }],
  },
  {
    name: 'two policies selecting the same pod: their allows are unioned',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-y-a, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: a}}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-z-c, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {ns: z}}, podSelector: {matchLabels: {pod: c}}}]`,
    tables: [{ port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   .   .   .   .   .   .   .   .
x/b   X   .   .   .   .   .   .   .   .
x/c   X   .   .   .   .   .   .   .   .
y/a   .   .   .   .   .   .   .   .   .
y/b   X   .   .   .   .   .   .   .   .
y/c   X   .   .   .   .   .   .   .   .
z/a   X   .   .   .   .   .   .   .   .
z/b   X   .   .   .   .   .   .   .   .
z/c   .   .   .   .   .   .   .   .   .` }],
  },
  {
    name: 'a policy in another namespace never selects pods of x',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-in-y-for-pod-a, namespace: y}
spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress]}`,
    tables: [{
      port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   .   .   .   X   .   .   .   .   .
x/b   .   .   .   X   .   .   .   .   .
x/c   .   .   .   X   .   .   .   .   .
y/a   .   .   .   X   .   .   .   .   .
y/b   .   .   .   X   .   .   .   .   .
y/c   .   .   .   X   .   .   .   .   .
z/a   .   .   .   X   .   .   .   .   .
z/b   .   .   .   X   .   .   .   .   .
z/c   .   .   .   X   .   .   .   .   .`,
    }],
  },
  {
    name: 'ipBlock with except on ingress applies to source pod IPs',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-cidr, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{ipBlock: {cidr: 10.2.0.0/16, except: [10.2.0.2/32]}}]`,
    tables: [{ port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   .   .   .   .   .   .   .   .
x/b   X   .   .   .   .   .   .   .   .
x/c   X   .   .   .   .   .   .   .   .
y/a   .   .   .   .   .   .   .   .   .
y/b   X   .   .   .   .   .   .   .   .
y/c   .   .   .   .   .   .   .   .   .
z/a   X   .   .   .   .   .   .   .   .
z/b   X   .   .   .   .   .   .   .   .
z/c   X   .   .   .   .   .   .   .   .` }],
  },
  {
    name: 'ingress-only isolation leaves egress of the same pods open',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-ingress-a, namespace: x}
spec: {podSelector: {matchLabels: {pod: a}}, policyTypes: [Ingress]}`,
    tables: [{ port: 80, expect: `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   X   .   .   .   .   .   .   .   .
x/b   X   .   .   .   .   .   .   .   .
x/c   X   .   .   .   .   .   .   .   .
y/a   X   .   .   .   .   .   .   .   .
y/b   X   .   .   .   .   .   .   .   .
y/c   X   .   .   .   .   .   .   .   .
z/a   X   .   .   .   .   .   .   .   .
z/b   X   .   .   .   .   .   .   .   .
z/c   X   .   .   .   .   .   .   .   .` }],
  },
  {
    name: 'from: [] (empty list) matches all sources; ports restrict',
    policies: `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-any-source-80, namespace: x}
spec:
  podSelector: {}
  ingress:
    - from: []
      ports: [{port: 80}]`,
    tables: [{ port: 80, expect: ALL_ALLOWED }, { port: 81, expect: X_COLUMNS_DENIED }],
  },
]);
