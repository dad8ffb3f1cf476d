// The shape of a lab scenario: pods, the servers they run, their policy, the catalog the agents
// probe, and the results expected, all as data (scenarios.ts holds them).
import type { ResultClass } from '../classify/result-class.js';
import type { PathStateName } from '../server/api-schema.js';

/** A listener a pod runs (src/lab/serve.ts implements each kind). */
export type ServerSpec =
  | { kind: 'tcp'; port: number }
  | { kind: 'http'; port: number; status: number }
  /** accepts and reads the request, never answers */
  | { kind: 'http-hang'; port: number }
  /** answers with headers, then never sends the body */
  | { kind: 'http-hang-body'; port: number }
  /** accepts, then resets the connection (RST) */
  | { kind: 'reset'; port: number };

/** One allowed peer: a pod (by name) and optionally ports; no ports means every port. */
export interface AllowRule {
  pod: string;
  ports?: Array<{ port: number; protocol?: 'tcp' | 'udp' }>;
}

/** Isolation in one direction, as a CNI enforces it: what is not allowed is dropped or rejected. */
export interface DirectionPolicy {
  /** drop: silent (timeout); reject: ICMP host-unreachable for any packet, TCP reset for tcp-reset. */
  deny: 'drop' | 'reject' | 'tcp-reset';
  allow: AllowRule[];
}

/** A simulated pod: one network namespace. */
export interface PodSpec {
  /** Pod name, unique in the scenario; also its source name when it runs an agent. */
  name: string;
  /** Kubernetes namespace: the DNS name is `<name>.<namespace>.svc.cluster.local`. */
  namespace: string;
  labels?: Record<string, string>;
  servers?: ServerSpec[];
  /** Ingress isolation (absent: not isolated). */
  ingress?: DirectionPolicy;
  /** Egress isolation (absent: not isolated). */
  egress?: DirectionPolicy;
  /** Runs a `pathprobe run --source <name>` agent. */
  agent?: boolean;
}

/** A catalog path; `from` is the name of a pod with an agent. */
export interface LabPath {
  name: string;
  from: string;
  to: string;
  check: 'tcp' | 'http' | 'dns';
  expect?: 'reachable' | 'blocked';
  control?: string;
  http?: { expectStatus: number[] };
}

/** What a path must show on the agent's /api/v1/paths and /metrics. */
export interface Expectation {
  result: ResultClass;
  state: PathStateName;
}

/** A change made while the agents run, and what the paths show after it. */
export interface LabStep {
  description: string;
  /** Add an allow rule to a pod's ingress or egress policy (nftables replaced atomically). */
  allow?: { pod: string; direction: 'ingress' | 'egress'; rule: AllowRule };
  /** Stop every server of a pod (the destination goes down). */
  stopServers?: string;
  expect: Record<string, Expectation>;
}

/** One scenario. */
export interface LabScenario {
  name: string;
  summary: string;
  pods: PodSpec[];
  paths: LabPath[];
  /** Expected right after start (every path listed). */
  expect: Record<string, Expectation>;
  steps?: LabStep[];
}
