// Flattens a thrown value into the facts the classifier needs: every `code`, `name` and message
// found along `.cause` chains and inside `AggregateError.errors` (undici, net and Node's
// happy-eyeballs wrap the OS error several levels deep).

/** What a thrown value (and everything it wraps) says about itself. */
export interface ErrorFacts {
  /** Every string `code` met, outermost first, deduplicated. */
  codes: string[];
  /** Every error `name` met (e.g. AbortError, TimeoutError). */
  names: string[];
  /** Every message met, outermost first, deduplicated. */
  messages: string[];
  /** OpenSSL `library` fields met (e.g. "SSL routines"). */
  libraries: string[];
}

/** Most errors visited in one graph; a guard against pathological or cyclic error objects. */
const MAX_VISITED = 64;

/** Walks `.cause` and `.errors` breadth-first, bounded and cycle-safe, and collects the facts. */
export function collectErrorFacts(error: unknown): ErrorFacts {
  const facts: ErrorFacts = { codes: [], names: [], messages: [], libraries: [] };
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < MAX_VISITED) {
    const item = queue.shift();
    if (item === undefined || item === null || seen.has(item)) continue;
    seen.add(item);
    if (typeof item !== 'object') {
      addUnique(facts.messages, String(item));
      continue;
    }
    const record = item as Record<string, unknown>;
    if (typeof record.code === 'string') addUnique(facts.codes, record.code);
    if (typeof record.name === 'string') addUnique(facts.names, record.name);
    if (typeof record.message === 'string' && record.message !== '') addUnique(facts.messages, record.message);
    if (typeof record.library === 'string') addUnique(facts.libraries, record.library);
    if ('cause' in record) queue.push(record.cause);
    if (Array.isArray(record.errors)) queue.push(...(record.errors as unknown[]).slice(0, MAX_VISITED));
    // An AbortSignal's reason is carried on some abort errors.
    if ('reason' in record && typeof record.reason === 'object') queue.push(record.reason);
  }
  return facts;
}

function addUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/** One line of human detail from the facts, bounded: codes first, then the innermost messages. */
export function describeFacts(facts: ErrorFacts, maxLength = 300): string {
  const parts: string[] = [];
  if (facts.codes.length > 0) parts.push(facts.codes.join(','));
  if (facts.messages.length > 0) parts.push(facts.messages.join(': '));
  const text = parts.join(' ') || 'unknown failure';
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
