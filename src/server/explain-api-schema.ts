// JSON Schema (TypeBox) of GET /api/v1/explain: the `explain --output json` document of PRODUCT.md
// plus the live cluster's state. Path entries may carry more than listed (the engine's notes,
// connection counts): they are kept, not stripped.
import { Type, type Static } from '@sinclair/typebox';

const Verdict = Type.Unsafe<'allowed' | 'denied_ingress' | 'denied_egress' | 'unknown'>({
  type: 'string', enum: ['allowed', 'denied_ingress', 'denied_egress', 'unknown'],
});

const Direction = Type.Object(
  { isolated: Type.Boolean(), allowedBy: Type.Array(Type.Unknown()) },
  { additionalProperties: true },
);

/** One path's explanation. */
export const ExplanationSchema = Type.Object(
  {
    path: Type.String(),
    expect: Type.String(),
    verdict: Verdict,
    matches: Type.Boolean(),
    egress: Direction,
    ingress: Direction,
    suggestion: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: true },
);

/** Per watched kind: whether its initial list is in and its watch open. */
const InformerStateSchema = Type.Object(
  {
    kind: Type.String(),
    synced: Type.Boolean(),
    watching: Type.Boolean(),
    resourceVersion: Type.String(),
    objects: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/** The whole answer. */
export const ExplainApiSchema = Type.Object(
  {
    generatedAt: Type.String({ format: 'date-time' }),
    /** Every informer finished its initial list and the model was built. */
    synced: Type.Boolean(),
    /** Every watch is open; false while the API server is unreachable (verdicts are the last known). */
    connected: Type.Boolean(),
    informers: Type.Array(InformerStateSchema),
    paths: Type.Array(ExplanationSchema),
  },
  { additionalProperties: false },
);
export type ExplainApi = Static<typeof ExplainApiSchema>;
