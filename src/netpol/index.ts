// The explainer engine's public surface: what the CLI, the live explainer and the status page use.
export { PolicyExplainer, type ExplainerOptions, type ObjectChange } from './explainer.js';
export { ClusterModel, NAMESPACE_NAME_LABEL, type ChangeScope, type ModelUpdate, type OpaquePolicy } from './model.js';
export { explainPath, foldVerdict, overlayLookup } from './explain.js';
export { evaluateConnection, evaluateEgress, evaluateIngress, type Connection, type ConnectionResult, type Destination, type DirectionVerdict, type PolicyLookup, type RuleRef } from './evaluate.js';
export { resolvePath, type ClusterDnsOptions, type ResolveOptions, type ResolvedPath } from './resolve.js';
export { suggestPolicies, suggestionName, renderPolicies } from './suggest.js';
export { readManifests, parseManifestText, locateProblem, ManifestReadError, type ManifestReadResult } from './manifests.js';
export { VERDICTS, verdictMatches, type Verdict, type PathExplanation, type DirectionSummary, type ExplainReport } from './types.js';
export type { KubeObject, LocatedObject, ManifestProblem } from './objects.js';
