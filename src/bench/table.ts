// The benchmark table: one row per figure, with its target and whether it was met.

export interface FigureRow {
  section: string;
  figure: string;
  value: number;
  unit: string;
  /** Upper bound the issue sets, when there is one. */
  target?: number;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  return abs >= 100 ? v.toFixed(0) : abs >= 1 ? v.toFixed(2) : v.toPrecision(3);
}

/** Whether a row meets its target ('' when it has none). */
export function verdict(row: FigureRow): '' | 'met' | 'MISSED' {
  if (row.target === undefined) return '';
  return row.value <= row.target ? 'met' : 'MISSED';
}

/** The rows as an aligned text table. */
export function renderTable(rows: readonly FigureRow[]): string {
  const cells = [
    ['section', 'figure', 'value', 'unit', 'target', ''],
    ...rows.map((r) => [r.section, r.figure, fmt(r.value), r.unit, r.target === undefined ? '' : `≤ ${fmt(r.target)}`, verdict(r)]),
  ];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  return cells.map((c) => c.map((cell, i) => (i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}
