import t from 'tap';
import { formatDuration, parseDuration } from '../../src/catalog/duration.js';

t.test('parses Go-style durations', async (t) => {
  const table: Array<[string, number]> = [
    ['500ms', 500], ['5s', 5_000], ['1m', 60_000], ['1m30s', 90_000], ['1h', 3_600_000], ['1h2m3s4ms', 3_723_004],
  ];
  for (const [text, ms] of table) t.same(parseDuration(text), { ms }, text);
});

t.test('rejects malformed, reordered, repeated, zero and huge durations', async (t) => {
  const table: Array<[string, string]> = [
    ['5', '"5" is not a duration; write e.g. 500ms, 5s, 1m or 1m30s'],
    ['1.5s', '"1.5s" is not a duration; write e.g. 500ms, 5s, 1m or 1m30s'],
    ['30s1m', '"30s1m" is not a duration; write e.g. 500ms, 5s, 1m or 1m30s (units largest first, each once)'],
    ['1s1s', '"1s1s" is not a duration; write e.g. 500ms, 5s, 1m or 1m30s (units largest first, each once)'],
    ['0s', 'duration "0s" must be greater than zero'],
    ['25h', 'duration "25h" is longer than 24h'],
  ];
  for (const [text, error] of table) t.same(parseDuration(text), { error }, text);
});

t.test('formats milliseconds back', async (t) => {
  t.equal(formatDuration(90_000), '1m30s');
  t.equal(formatDuration(500), '500ms');
  t.equal(formatDuration(3_600_000), '1h');
  t.equal(formatDuration(0), '0s');
});
