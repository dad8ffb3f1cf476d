// The timed phases of one probe (the `phase` label of pathprobe_probe_phase_seconds).

/** Phases in the order they happen; `total` spans the whole probe. */
export const PHASES = ['resolve', 'connect', 'tls', 'processing', 'transfer', 'total'] as const;

/** One phase name. */
export type Phase = (typeof PHASES)[number];

/** Seconds spent per phase; a phase the probe never reached is absent. */
export type PhaseTimings = Partial<Record<Phase, number>>;
