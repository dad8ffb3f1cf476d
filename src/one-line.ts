// Text from outside (catalog keys and values, manifests, remote answers) made safe for a line of
// text output.

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text from outside (catalog keys and values, manifests' object names and label values, remote
 * answers) on one line: control characters as escapes. A policy named "x\n::error::..." (the API server would refuse
 * it, explain reads it) must not start a line of its own: under GitHub Actions that line is a
 * workflow command, and in a terminal an ESC sequence drives the terminal.
 */
export function oneLine(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
