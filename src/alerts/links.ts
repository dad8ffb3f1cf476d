// Where the runbook lives: one base URL, one anchor per alert (GitHub's lower-cased heading).

/** The project's runbook document; anchors are the lower-cased alert names. */
export const RUNBOOK_BASE_URL = 'https://github.com/pathprobe/pathprobe/blob/main/docs/runbook.md';

/** The runbook section of one alert, e.g. `.../runbook.md#pathprobeblocked`. */
export function runbookAnchor(alert: string): string {
  return `${RUNBOOK_BASE_URL}#${alert.toLowerCase()}`;
}
