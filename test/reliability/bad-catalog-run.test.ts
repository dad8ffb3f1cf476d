// `pathprobe run` (the built binary) with an invalid catalog: it must refuse to start, exit
// non-zero and print the located problem, before listening. Reload keeping the last good catalog
// is held by test/agent/agent.test.ts.
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Generous: node starts slowly on a loaded CI machine; a hang still shows as a kill.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })));
  });
}

t.before(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} missing: run \`npm run build\` (npm test does)`);
});

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
    const dir = await mkdtemp(join(tmpdir(), 'pathprobe-rel-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'catalog.yaml');
    await writeFile(file, `apiVersion: pathprobe/v1\nkind: PathCatalog\n${c.text}`);
    const r = await run(['run', '--catalog', file, '--listen', '127.0.0.1:0']);
    t.not(r.code, 0, `exit status ${r.code}`);
    t.not(r.code, null, 'exited by itself (not killed)');
    t.match(r.stderr, c.at);
    t.notMatch(r.stdout, /"msg":"listening"|"url":"http/, 'never started serving');
  });
}
