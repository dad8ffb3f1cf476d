import t from 'tap';
import { RESULT_CLASSES, RESULT_MEANING, isResultClass } from '../../src/classify/result-class.js';

t.test('the result classes are the closed set of the contract', async (t) => {
  t.same([...RESULT_CLASSES].sort(), [
    'dns_error', 'dns_nxdomain', 'dns_timeout', 'error', 'http_status', 'http_timeout',
    'ok', 'refused', 'reset', 'timeout', 'tls_error', 'unreachable',
  ]);
  for (const c of RESULT_CLASSES) t.ok(RESULT_MEANING[c].meaning.length > 0, c);
  t.ok(isResultClass('timeout'));
  t.notOk(isResultClass('Timeout'));
});
