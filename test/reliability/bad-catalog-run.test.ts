// `pathprobe run` (the built binary) with an invalid catalog: it must refuse to start, exit
// non-zero and print the located problem, before listening. Reload keeping the last good catalog
// is held by test/agent/agent.test.ts.
import t from 'tap';
import { requireBuiltMain, runMain } from '../helpers/run-main.js';
import { writeTempCatalog } from './helpers/targets.js';

t.before(requireBuiltMain);

/** Nine levels of ten-fold aliases under `from` (10^9 strings if expanded). */
function aliasBomb(): string {
  let s = 'paths:\n  - {name: p0, to: "c:1", check: tcp, from: &h0 [a]}\n';
  for (let i = 1; i <= 9; i++) s += `  - {name: p${i}, to: "c:1", check: tcp, from: &h${i} [${Array(10).fill(`*h${i - 1}`).join(', ')}]}\n`;
  return s;
}

const CASES = [
  { name: 'a wrong type', text: 'paths:\n  - {name: a, from: {namespace: x}, to: "127.0.0.1:1", check: ftp}\n', at: /catalog\.yaml:4:\d+: expected one of tcp, http, dns, got "ftp" \(at paths\[0\]\.check\)/ },
  { name: 'an alias bomb', text: aliasBomb(), at: /catalog\.yaml:5:50: expected a string, got a list \(at paths\[1\]\.from\[0\]\)/ },
  { name: 'binary garbage', text: '\u0000\u00ff\u0001paths: [\n', at: /catalog\.yaml:\d+:\d+: YAML: / },
];

for (const c of CASES) {
  t.test(`run refuses to start on ${c.name}: exit non-zero, located message`, async (t) => {
    const file = await writeTempCatalog(t, `apiVersion: pathprobe/v1\nkind: PathCatalog\n${c.text}`);
    const r = await runMain(['run', '--catalog', file, '--listen', '127.0.0.1:0'], 60_000); // generous: node starts slowly on a loaded CI machine
    t.not(r.code, 0, `exit status ${r.code}`);
    t.not(r.code, null, 'exited by itself (not killed)');
    t.match(r.stderr, c.at);
    t.notMatch(r.stdout, /"msg":"listening"|"url":"http/, 'never started serving');
  });
}
