// Test helper: validates a Kubernetes object against the API schema shipped by kubernetes-models
// (core + prometheus-operator CRDs). An apiVersion/kind it does not know is an error, never a pass.
import { PathprobeError } from '../../src/errors.js';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

function modulePath(apiVersion: string, kind: string): string | undefined {
  if (!/^[A-Za-z]+$/.test(kind)) return undefined;
  if (apiVersion === 'v1') return `kubernetes-models/v1/${kind}`;
  if (apiVersion.startsWith('monitoring.coreos.com/')) {
    return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  }
  if (/^[a-z0-9.-]+\/v[0-9a-z]+$/.test(apiVersion)) return `kubernetes-models/${apiVersion}/${kind}`;
  return undefined;
}

/** Throws with the schema's message when `object` is not a valid instance of its kind. */
export async function validateAgainstSchema(object: Record<string, unknown>): Promise<void> {
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  const path = modulePath(apiVersion, kind);
  if (!path) throw new PathprobeError('TEST_SCHEMA', `no schema for ${apiVersion} ${kind}`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(path)) as Record<string, unknown>;
  } catch (err) {
    throw new PathprobeError('TEST_SCHEMA', `no schema for ${apiVersion} ${kind}: ${(err as Error).message}`);
  }
  const Model = mod[kind] as ModelClass | undefined;
  if (!Model) throw new PathprobeError('TEST_SCHEMA', `no model ${kind} in ${path}`);
  new Model(object).validate();
}
