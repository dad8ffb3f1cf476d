// The seam through which the NetworkPolicy explainer's verdicts reach the API and status page.
// The explainer fills it; the server only reads it and shows nothing when it is absent.

/** What the explainer concluded for one path. */
export interface PolicyVerdict {
  /** `allowed`, `denied_ingress`, `denied_egress` or `unknown` (PRODUCT.md). */
  verdict: string;
  /** One human line, e.g. "no policy in vault allows ingress from external-secrets on 8200". */
  summary: string;
}

/** Read-only view of the explainer's verdicts, by path name. */
export interface ExplainReader {
  get(path: string): PolicyVerdict | undefined;
}
