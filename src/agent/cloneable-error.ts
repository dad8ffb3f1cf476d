// What the probe thread sends the agent's thread as an error: something postMessage can copy.

/**
 * An error as it can cross to the agent's thread. An Error clones with its name, message, stack
 * and cause, unless the cause holds a function or symbol: then it crosses with the cause as text.
 * Anything else that does not clone crosses as text. (One uncloneable value would make the whole
 * batch's postMessage throw, and its results would be lost.)
 */
export function cloneable(error: unknown): unknown {
  try {
    structuredClone(error);
    return error;
  } catch {
    if (!(error instanceof Error)) return String(error);
    const copy = new Error(error.message, { cause: String(error.cause) });
    copy.name = error.name;
    if (error.stack !== undefined) copy.stack = error.stack;
    return copy;
  }
}
