// Parses `k=v,k2=v2` label lists given on the explain command line.
import { UsageError } from '../errors.js';

/** Parses `k=v,k2=v2` into labels; throws a UsageError naming the option on a bad entry. */
export function parseLabelSelectorText(text: string, option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UsageError(`${option}: "${part}" is not key=value`, `write ${option} key=value,key2=value2`);
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  if (Object.keys(out).length === 0) throw new UsageError(`${option} needs at least one key=value`);
  return out;
}
