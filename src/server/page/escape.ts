// The one way HTML is produced: the `html` tag escapes every interpolated value unless it is
// already SafeHtml. Catalog names, probe detail and URLs all pass through escapeHtml.

/** A fragment of HTML that is already escaped (built by `html` or from a trusted constant). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for use in HTML content and in double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Template tag: `html\`<td>${name}</td>\`` escapes `name`; nested `html` fragments and arrays of
 * them pass through. null/undefined/false render as nothing, so `${cond && html\`...\`}` works.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i] as Interpolation) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** Marks a trusted constant (never remote or catalog input) as HTML. */
export function trustedHtml(constant: string): SafeHtml {
  return new SafeHtml(constant);
}

/** The URL when it is an absolute http(s) URL (normalised), else undefined: only these become links. */
export function httpUrlOrUndefined(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}
