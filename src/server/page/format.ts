// Human formats for the status page: durations, relative times, state marks.
import type { PathStateName } from '../api-schema.js';

/** "0.8 ms", "12 ms", "1.25 s"; "—" when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  if (seconds < 0.01) return `${(seconds * 1000).toFixed(1)} ms`;
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  return `${seconds.toFixed(2)} s`;
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago"; "—" when unknown. */
export function formatRelative(iso: string | null, nowMs: number): string {
  if (iso === null) return '—';
  const ageSeconds = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (ageSeconds < 5) return 'just now';
  if (ageSeconds < 90) return `${ageSeconds} s ago`;
  const minutes = Math.round(ageSeconds / 60);
  if (minutes < 90) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

/** "2025-01-31 12:00:03 UTC" for titles and the header. */
export function formatUtc(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A mark per state so that state never relies on colour alone. */
export const STATE_MARK: Record<PathStateName, string> = {
  up: '✓',
  down: '✗',
  inconclusive: '?',
  pending: '…',
};

/** How the page words each state. */
export const STATE_LABEL: Record<PathStateName, string> = {
  up: 'up',
  down: 'down',
  inconclusive: 'inconclusive',
  pending: 'pending',
};

/** Table order: what needs attention first. */
export const STATE_ORDER: Record<PathStateName, number> = { down: 0, inconclusive: 1, pending: 2, up: 3 };
