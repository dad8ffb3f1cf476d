// Go-style durations as the catalog writes them (`500ms`, `5s`, `1m30s`, `1h`): parsing to
// milliseconds and formatting back for messages.

/** Pattern a duration must match; published in the JSON Schema. */
export const DURATION_PATTERN = '^([0-9]+(h|m|s|ms))+$';

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
const UNIT_ORDER = ['h', 'm', 's', 'ms'];
/** Longest duration accepted anywhere in a catalog (a day); larger values are typos. */
export const MAX_DURATION_MS = 86_400_000;

/**
 * Parses a duration such as `1m30s` to milliseconds. Units must appear at most once and from
 * largest to smallest. Returns an error message (no location) instead of throwing.
 */
export function parseDuration(text: string): { ms: number } | { error: string } {
  const shape = `"${text}" is not a duration; write e.g. 500ms, 5s, 1m or 1m30s`;
  if (!new RegExp(DURATION_PATTERN).test(text) || text.length > 32) return { error: shape };
  let ms = 0;
  let lastUnit = -1;
  for (const m of text.matchAll(/([0-9]+)(ms|h|m|s)/g)) {
    const unit = m[2] ?? '';
    const order = UNIT_ORDER.indexOf(unit);
    if (order <= lastUnit) return { error: `${shape} (units largest first, each once)` };
    lastUnit = order;
    ms += Number(m[1]) * (UNIT_MS[unit] ?? 0);
  }
  if (ms <= 0) return { error: `duration "${text}" must be greater than zero` };
  if (ms > MAX_DURATION_MS) return { error: `duration "${text}" is longer than 24h` };
  return { ms };
}

/** Formats milliseconds the way a catalog would write them (`90000` → `1m30s`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of UNIT_ORDER) {
    const size = UNIT_MS[unit] ?? 1;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
