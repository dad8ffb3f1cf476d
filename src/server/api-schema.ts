// JSON Schemas (TypeBox) of everything the HTTP server answers: the paths API and the error body.
// The TypeScript types of the API derive from these schemas, so the two cannot drift apart.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CHECK_KINDS, EXPECTS, SEVERITIES } from '../catalog/types.js';
import { RESULT_CLASSES } from '../classify/result-class.js';
import { PHASES } from '../probe/phases.js';

/** `T | null`, written as `type: [T, 'null']` so fast-json-stringify serialises it directly. */
function nullable<T extends TSchema & { type: string }>(schema: T) {
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
}

function enumOf<const V extends readonly string[]>(values: V) {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values] });
}

/** ISO 8601 UTC timestamp with milliseconds, e.g. `2025-01-31T12:00:00.000Z`. */
const Timestamp = Type.String({ format: 'date-time' });

/** Path states, in the order the page counts them. */
export const PATH_STATES = ['up', 'down', 'inconclusive', 'pending'] as const;

const ResultClassOrNull = Type.Unsafe<(typeof RESULT_CLASSES)[number] | null>({
  type: ['string', 'null'],
  enum: [...RESULT_CLASSES, null],
});

/** Seconds per phase the last probe reached; `{}` while pending. */
export const PhasesSchema = Type.Object(
  Object.fromEntries(PHASES.map((p) => [p, Type.Optional(Type.Number({ minimum: 0 }))])),
  { additionalProperties: false },
);

/** One past probe. */
export const HistoryEntrySchema = Type.Object(
  {
    at: Timestamp,
    result: enumOf(RESULT_CLASSES),
    up: Type.Boolean(),
    durationSeconds: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/** The policy explainer's verdict for a path, when an explainer is wired in. */
export const PolicyVerdictSchema = Type.Object(
  { verdict: Type.String(), summary: Type.String() },
  { additionalProperties: false },
);

/** One path as the API (and the status page) shows it. */
export const PathViewSchema = Type.Object(
  {
    name: Type.String(),
    baseName: Type.String(),
    source: Type.String(),
    fromNamespace: Type.String(),
    check: enumOf(CHECK_KINDS),
    target: Type.String(),
    /** '' when the target is not a cluster Service name. */
    toNamespace: Type.String(),
    expect: enumOf(EXPECTS),
    control: nullable(Type.String()),
    severity: enumOf(SEVERITIES),
    owner: nullable(Type.String()),
    runbook: nullable(Type.String()),
    intervalSeconds: Type.Number({ minimum: 0 }),
    timeoutSeconds: Type.Number({ minimum: 0 }),
    state: enumOf(PATH_STATES),
    /** null while pending. */
    up: nullable(Type.Boolean()),
    result: ResultClassOrNull,
    detail: nullable(Type.String()),
    /** http: the final HTTP status code of the last probe. */
    status: nullable(Type.Integer()),
    durationSeconds: nullable(Type.Number({ minimum: 0 })),
    phases: PhasesSchema,
    lastProbeAt: nullable(Timestamp),
    lastChangeAt: nullable(Timestamp),
    lastSuccessAt: nullable(Timestamp),
    /** Oldest first, bounded by the agent. */
    history: Type.Array(HistoryEntrySchema),
    /** null when no explainer is wired in or it knows nothing of this path. */
    policy: Type.Union([PolicyVerdictSchema, Type.Null()]),
  },
  { additionalProperties: false },
);

/** GET /api/v1/paths */
export const PathListSchema = Type.Object(
  {
    /** The source this agent runs as; null when it runs every path of the catalog. */
    source: nullable(Type.String()),
    generatedAt: Timestamp,
    paths: Type.Array(PathViewSchema),
  },
  { additionalProperties: false },
);

/** Every error the server answers with JSON. */
export const ApiErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String(),
    message: Type.String(),
  },
  { additionalProperties: false },
);

export type PathView = Static<typeof PathViewSchema>;
export type PathList = Static<typeof PathListSchema>;
export type ApiError = Static<typeof ApiErrorSchema>;
export type PathStateName = (typeof PATH_STATES)[number];
