import t from 'tap';
import { formatDuration, formatRelative, formatUtc } from '../../src/server/page/format.js';
import { overallOf, verdictSentence } from '../../src/server/page/header.js';
import { RESULT_CLASSES } from '../../src/classify/result-class.js';
import { familyOf, RESULT_FAMILIES, resultClasses } from '../../src/server/page/result-style.js';

t.test('durations and relative times read naturally', async (t) => {
  t.equal(formatDuration(null), '—');
  t.equal(formatDuration(0.00042), '0.4 ms');
  t.equal(formatDuration(0.0042), '4.2 ms');
  t.equal(formatDuration(0.25), '250 ms');
  t.equal(formatDuration(5.0011), '5.00 s');
  const now = Date.parse('2025-03-04T10:15:00Z');
  const ago = (s: number) => new Date(now - s * 1000).toISOString();
  t.equal(formatRelative(null, now), '—');
  t.equal(formatRelative(ago(2), now), 'just now');
  t.equal(formatRelative(ago(-30), now), 'just now', 'clock skew never shows a future time');
  t.equal(formatRelative(ago(64), now), '64 s ago');
  t.equal(formatRelative(ago(7 * 60), now), '7 min ago');
  t.equal(formatRelative(ago(5 * 3600), now), '5 h ago');
  t.equal(formatRelative(ago(3 * 86400), now), '3 d ago');
  t.equal(formatUtc(now), '2025-03-04 10:15:00 UTC');
});

t.test('the summary sentence and overall state', async (t) => {
  const c = (up: number, down: number, inconclusive: number, pending: number) => ({ up, down, inconclusive, pending });
  t.equal(verdictSentence(c(0, 0, 0, 0)), 'No paths scheduled');
  t.equal(verdictSentence(c(1, 0, 0, 0)), 'All 1 path behaves as declared');
  t.equal(verdictSentence(c(5, 0, 0, 0)), 'All 5 paths behave as declared');
  t.equal(verdictSentence(c(3, 1, 1, 1)), '2 of 6 paths failing');
  t.equal(verdictSentence(c(3, 0, 0, 2)), 'Waiting for the first result of 2 of 5 paths');
  t.equal(overallOf(c(5, 0, 0, 0)), 'good');
  t.equal(overallOf(c(5, 0, 1, 0)), 'bad');
  t.equal(overallOf(c(5, 0, 0, 1)), 'wait');
  t.equal(overallOf(c(0, 0, 0, 0)), 'wait');
});

t.test('every result class has exactly one colour family', async (t) => {
  const all = RESULT_FAMILIES.flatMap((f) => f.classes);
  t.same([...all].sort(), [...RESULT_CLASSES].sort());
  t.equal(familyOf('timeout').id, 'drop');
  t.equal(familyOf('refused').id, 'rejected');
  t.not(familyOf('timeout').id, familyOf('refused').id, 'timeout and refused never look alike');
  t.equal(resultClasses(null), 'fam-pending');
  t.equal(resultClasses('http_status'), 'fam-app rc-http_status');
});
