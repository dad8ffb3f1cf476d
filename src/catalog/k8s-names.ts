// Kubernetes naming rules the catalog must respect: DNS-1123 labels (namespaces, path and source
// names), label keys and values. Each check returns a message or undefined.

/** DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, ≤ 63. */
export const DNS1123_LABEL_PATTERN = '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$';
const DNS1123_LABEL = new RegExp(DNS1123_LABEL_PATTERN);
const DNS1123_SUBDOMAIN_PART = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
/** Label name part and label value: alphanumerics, '-', '_', '.', alphanumeric at both ends. */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Checks a DNS-1123 label (namespace, source name, path name); `what` names it in the message. */
export function checkDns1123Label(value: string, what: string): string | undefined {
  if (value.length > 63) return `${what} "${clip(value)}" is longer than 63 characters`;
  if (!DNS1123_LABEL.test(value)) {
    return `${what} "${clip(value)}" must be lower-case letters, digits and '-', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Checks a DNS-1123 subdomain (label key prefixes): dot-separated labels, ≤ 253. */
export function checkDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && value.split('.').every((part) => DNS1123_SUBDOMAIN_PART.test(part));
}

/** Checks a Kubernetes label key: optional `prefix/` (DNS subdomain) and a name of ≤ 63. */
export function checkLabelKey(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix === '' || !checkDns1123Subdomain(prefix))) {
    return `label key "${clip(key)}" has an invalid prefix; it must be a DNS subdomain such as app.kubernetes.io`;
  }
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    return `label key "${clip(key)}" must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (optionally with a prefix/)`;
  }
  return undefined;
}

/** Checks a Kubernetes label value: empty, or ≤ 63 of [A-Za-z0-9-_.] with alphanumeric ends. */
export function checkLabelValue(value: string, key: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !LABEL_NAME.test(value)) {
    return `label value "${clip(value)}" of "${clip(key)}" must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Shortens user text quoted in a message so hostile input cannot bloat output. */
export function clip(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
