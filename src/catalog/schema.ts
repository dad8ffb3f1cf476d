// The catalog's raw YAML shape as a TypeBox schema: the single source of the structural rules.
// The strict decoder (decode.ts) interprets it and catalog.schema.json is generated from it;
// cross-field rules that JSON Schema cannot say live in rules.ts.
import { Type, type Static, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import { DURATION_PATTERN } from './duration.js';
import { DNS1123_LABEL_PATTERN } from './k8s-names.js';
import { CHECK_KINDS, DNS_TYPES, EXPECTS, SEVERITIES } from './types.js';

/** Bounds that keep hostile input from exploding memory. */
export const LIMITS = {
  /** Paths after fan-out, over all files of one catalog. */
  maxExpandedPaths: 10_000,
  /** Entries under `paths:` in one file. */
  maxPathEntries: 10_000,
  maxSources: 1_000,
  /** Namespaces or source names in one fan-out. */
  maxFanOut: 1_000,
  maxLabels: 64,
  maxHeaders: 32,
  maxUrlLength: 2_048,
  maxTextLength: 1_024,
  /** Bytes of one catalog file. */
  maxFileBytes: 4 * 1024 * 1024,
  /** Alias (`*name`) dereferences in one file; YAML alias bombs die here. */
  maxAliases: 100,
  /** Errors (and, separately, warnings) reported for one load; the rest are counted in one line. */
  maxProblems: 100,
  /** Nesting depth of the YAML structure (the example catalogs need 7). */
  maxYamlDepth: 64,
  /** YAML nodes visited in one file, aliases expanded. */
  maxNodes: 500_000,
  maxBodyBytes: 16 * 1024 * 1024,
  maxRedirects: 10,
} as const;

const dnsLabelMessage =
  "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit";

function literals<const T extends readonly string[]>(values: T, description: string): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  ) as TUnion<TLiteral<T[number]>[]>;
}

/** A DNS-1123 label (namespaces, path names, source names). */
const Dns1123Label = (description: string) =>
  Type.String({ minLength: 1, maxLength: 63, pattern: DNS1123_LABEL_PATTERN, patternErrorMessage: dnsLabelMessage, description });

const Duration = (description: string) =>
  Type.String({
    maxLength: 32,
    pattern: DURATION_PATTERN,
    patternErrorMessage: 'must be a duration such as 500ms, 5s, 1m or 1m30s',
    description,
  });

const Text = (description: string, maxLength: number = LIMITS.maxTextLength) =>
  Type.String({ minLength: 1, maxLength, description });

const Labels = Type.Record(Type.String(), Type.String({ maxLength: 63 }), {
  maxProperties: LIMITS.maxLabels,
  description: 'Pod labels the agent wears (Kubernetes label keys and values).',
});

/** An agent identity: namespace + pod labels. */
export const SourceSchema = Type.Object(
  {
    namespace: Dns1123Label('Namespace the agent runs in.'),
    labels: Type.Optional(Labels),
  },
  { additionalProperties: false, description: 'An agent identity: the namespace it stands in and the labels it wears.' },
);

/** `from:` — a source name, a list of source names, or an inline identity (optionally fanned out). */
export const FromSchema = Type.Union(
  [
    Dns1123Label('Name of a source declared under `sources:`.'),
    Type.Array(Dns1123Label('Name of a declared source.'), {
      minItems: 1,
      maxItems: LIMITS.maxFanOut,
      uniqueItems: true,
      description: 'Fan-out over declared sources: one path per source.',
    }),
    Type.Object(
      {
        namespace: Type.Optional(Dns1123Label('Namespace of the inline source.')),
        namespaces: Type.Optional(
          Type.Array(Dns1123Label('A namespace to fan out over.'), {
            minItems: 1,
            maxItems: LIMITS.maxFanOut,
            uniqueItems: true,
            description: 'Fan-out: one path per namespace, named <name>@<namespace>.',
          }),
        ),
        labels: Type.Optional(Labels),
      },
      { additionalProperties: false, description: 'Inline source: `namespace` (one path) or `namespaces` (fan-out), plus labels.' },
    ),
  ],
  { description: 'Who probes: a source name, a list of source names, or an inline {namespace|namespaces, labels}.' },
);

const TlsSchema = Type.Object(
  {
    caFile: Type.Optional(Text('PEM file of CAs to trust instead of the system roots.')),
    serverName: Type.Optional(Text('SNI and certificate name to verify, if not the URL host.', 253)),
    insecureSkipVerify: Type.Optional(Type.Boolean({ description: 'Skip certificate verification (default false).' })),
  },
  { additionalProperties: false },
);

/** Settings of an http check (every field optional; defaults fill the rest). */
export const HttpSchema = Type.Object(
  {
    method: Type.Optional(literals(['GET', 'HEAD'] as const, 'HTTP method (default GET).')),
    expectStatus: Type.Optional(
      Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), {
        minItems: 1,
        maxItems: 64,
        uniqueItems: true,
        description: 'Statuses that count as ok (default [200]).',
      }),
    ),
    bodyMatch: Type.Optional(Text('Regular expression the body must match.')),
    maxBodyBytes: Type.Optional(
      Type.Integer({ minimum: 0, maximum: LIMITS.maxBodyBytes, description: 'Most body bytes read (default 65536).' }),
    ),
    followRedirects: Type.Optional(
      Type.Integer({ minimum: 0, maximum: LIMITS.maxRedirects, description: 'Redirects followed (default 0).' }),
    ),
    headers: Type.Optional(
      Type.Record(Type.String(), Type.String({ maxLength: LIMITS.maxTextLength }), {
        maxProperties: LIMITS.maxHeaders,
        description: 'Request headers.',
      }),
    ),
    tls: Type.Optional(TlsSchema),
  },
  { additionalProperties: false, description: 'Settings of an http check.' },
);

/** Settings of a dns check (every field optional). */
export const DnsSchema = Type.Object(
  {
    type: Type.Optional(literals(DNS_TYPES, 'Record type to ask for (default A).')),
    server: Type.Optional(Text('Server IP, optionally :port (default: resolv.conf).', 64)),
    transport: Type.Optional(literals(['udp', 'tcp'] as const, 'DNS transport (default udp).')),
  },
  { additionalProperties: false, description: 'Settings of a dns check.' },
);

const common = {
  interval: Type.Optional(Duration('Time between probes (default 30s, at least 1s).')),
  timeout: Type.Optional(Duration('Deadline of one probe (default 5s, shorter than interval).')),
  severity: Type.Optional(literals(SEVERITIES, 'Alert severity (default critical).')),
  owner: Type.Optional(Text('Team owning the path; becomes the `owner` label.', 128)),
  runbook: Type.Optional(Text('http(s) URL of the runbook; becomes `runbook_url`.', LIMITS.maxUrlLength)),
};

/** `defaults:` — values every path of the file inherits. */
export const DefaultsSchema = Type.Object(
  { ...common, http: Type.Optional(HttpSchema), dns: Type.Optional(DnsSchema) },
  { additionalProperties: false, description: 'Values every path of this file inherits.' },
);

/** One entry under `paths:`. */
export const PathEntrySchema = Type.Object(
  {
    name: Dns1123Label('Unique name; becomes the `path` label (fanned-out paths add @<namespace>).'),
    from: FromSchema,
    to: Text('tcp: host:port; http: http(s) URL; dns: the name to resolve.', LIMITS.maxUrlLength),
    check: literals(CHECK_KINDS, 'Check kind.'),
    expect: Type.Optional(literals(EXPECTS, 'reachable (default) or blocked.')),
    control: Type.Optional(
      Text('For expect: blocked — a reachable path to the same destination (entry or <name>@<namespace>).', 127),
    ),
    ...common,
    http: Type.Optional(HttpSchema),
    dns: Type.Optional(DnsSchema),
  },
  { additionalProperties: false, description: 'One network path that must work (or stay blocked).' },
);

/** A whole catalog file. */
export const CatalogSchema = Type.Object(
  {
    apiVersion: Type.Literal('pathprobe/v1'),
    kind: Type.Literal('PathCatalog'),
    defaults: Type.Optional(DefaultsSchema),
    sources: Type.Optional(
      Type.Record(Type.String(), SourceSchema, {
        maxProperties: LIMITS.maxSources,
        propertyNames: { pattern: DNS1123_LABEL_PATTERN, maxLength: 63, patternErrorMessage: dnsLabelMessage },
        description: 'Agent identities by name (names are DNS-1123 labels).',
      }),
    ),
    paths: Type.Array(PathEntrySchema, { maxItems: LIMITS.maxPathEntries, description: 'The paths to probe.' }),
  },
  {
    additionalProperties: false,
    title: 'pathprobe PathCatalog',
    description: 'Network paths a default-deny Kubernetes cluster must keep open (and closed).',
  },
);

export type RawCatalog = Static<typeof CatalogSchema>;
export type RawPathEntry = Static<typeof PathEntrySchema>;
export type RawDefaults = Static<typeof DefaultsSchema>;
export type RawHttp = Static<typeof HttpSchema>;
export type RawDns = Static<typeof DnsSchema>;
export type RawSource = Static<typeof SourceSchema>;
export type RawFrom = Static<typeof FromSchema>;

/** The JSON Schema document published as probes/catalog.schema.json. */
export function catalogJsonSchema(): Record<string, unknown> {
  // The JSON round trip drops TypeBox's symbol-keyed metadata.
  const plain = JSON.parse(JSON.stringify(CatalogSchema as TSchema)) as Record<string, unknown>;
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...plain };
}

/** The exact text of probes/catalog.schema.json (what `npm run schema` writes). */
export function renderCatalogJsonSchema(): string {
  return `${JSON.stringify(catalogJsonSchema(), null, 2)}\n`;
}
