// The resolved, validated catalog: what the loader hands to the scheduler, probers, metrics,
// render and explain. Raw YAML shapes live in catalog/schema.ts; this is the output side.

/** Check kinds a path can declare. */
export const CHECK_KINDS = ['tcp', 'http', 'dns'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/** What a path is declared to do. */
export const EXPECTS = ['reachable', 'blocked'] as const;
export type Expect = (typeof EXPECTS)[number];

/** Alert severity of a path. */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** DNS record types the dns check can ask for. */
export const DNS_TYPES = ['A', 'AAAA', 'CNAME', 'SRV', 'TXT'] as const;
export type DnsType = (typeof DNS_TYPES)[number];

/** Where a node came from in the user's YAML (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/** An agent identity: the namespace it stands in and the labels it wears. */
export interface SourceIdentity {
  /** Name from `sources:`, or a derived name for an inline `from` (see catalog/README). */
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

/** TLS settings for http checks. */
export interface TlsOptions {
  caFile?: string;
  serverName?: string;
  insecureSkipVerify: boolean;
}

/** Settings of an http check, defaults applied. */
export interface HttpOptions {
  method: 'GET' | 'HEAD';
  expectStatus: number[];
  /** Regular expression (source text) the body must match, if set. */
  bodyMatch?: string;
  /** Most body bytes read; the rest is discarded and the connection closed. */
  maxBodyBytes: number;
  /** Redirects followed; 0 (the default) means a 3xx is judged as the response. */
  followRedirects: number;
  headers: Record<string, string>;
  tls: TlsOptions;
}

/** Settings of a dns check, defaults applied. */
export interface DnsOptions {
  type: DnsType;
  /** Server to ask; absent means the nameservers of resolv.conf. */
  server?: { host: string; port: number };
  transport: 'udp' | 'tcp';
}

/** One probed path after defaults and fan-out: the unit the scheduler runs. */
export interface PathSpec {
  /** Unique; `<base>@<namespace>` for a fanned-out entry. Becomes the `path` label. */
  name: string;
  /** The catalog entry's own name (equal to `name` unless fanned out). */
  baseName: string;
  source: SourceIdentity;
  check: CheckKind;
  /** The `to` string as written. */
  target: string;
  /** tcp/http: host to connect to; dns: the name to resolve. */
  host: string;
  /** tcp/http: port (http defaults 80/443); dns: 0. */
  port: number;
  /** http only: full URL. */
  url?: string;
  /** Namespace of the destination when the target is a cluster Service name, else ''. */
  toNamespace: string;
  expect: Expect;
  /** Name of the (expanded) reachable path this blocked path is controlled by. */
  control?: string;
  intervalMs: number;
  timeoutMs: number;
  severity: Severity;
  owner?: string;
  runbook?: string;
  http?: HttpOptions;
  dns?: DnsOptions;
  location: SourceLocation;
}

/** A loaded catalog. */
export interface Catalog {
  sources: Record<string, SourceIdentity>;
  paths: PathSpec[];
  files: string[];
}

/** A user mistake in a catalog, located in the file. */
export interface CatalogProblem {
  file: string;
  line: number;
  col: number;
  /** YAML path of the bad node, e.g. `paths[2].http.expectStatus[0]`. */
  yamlPath: string;
  message: string;
}

/** Result of loading: user mistakes come back as data, never thrown. */
export interface CatalogLoadResult {
  catalog?: Catalog;
  errors: CatalogProblem[];
  warnings: CatalogProblem[];
}
