import t from 'tap';
import { bodyMatchProblem, compileBodyMatch } from '../../src/probe/body-match.js';

t.test('a pattern is compiled once, for the catalog check and every prepare()', async (t) => {
  const first = compileBodyMatch('"status":\\s*"ok-cache-test"');
  t.equal(compileBodyMatch('"status":\\s*"ok-cache-test"'), first, 'the same RegExp (no g or y flag: no state kept between tests)');
  t.equal(first.flags, '', 'no flags');
  t.ok(first.test('{"status": "ok-cache-test"}') && first.test('{"status": "ok-cache-test"}'), 'matches again and again');
  t.equal(bodyMatchProblem('"status":\\s*"ok-cache-test"'), undefined);
  t.match(bodyMatchProblem('(a)\\1'), /linear time/, 'a refused pattern keeps its reason');
  t.equal(bodyMatchProblem('(a)\\1'), bodyMatchProblem('(a)\\1'));
});
