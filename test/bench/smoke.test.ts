// `npm run bench -- --smoke`: the benchmark at tiny sizes, so the command cannot rot. Checks the
// table and the JSON shape and that every figure is a number; not the figures themselves (CI is
// not a timed environment). Needs dist/ (npm test builds it first), blackbox_exporter and dnsmasq.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { BLACKBOX_BINARY } from '../../src/bench/blackbox.js';
import { findDnsmasq } from '../../src/bench/dnsmasq.js';
import { needPrograms } from '../helpers/need.js';

const HINT = 'apt-get install prometheus-blackbox-exporter dnsmasq-base (as .ci/run does)';

/** Whether chrt can put a child of ours in SCHED_FIFO, asked of a short-lived `sleep`. */
function mayRunRealTime(): boolean {
  const child = spawn('sleep', ['5'], { stdio: 'ignore' });
  try {
    return spawnSync('chrt', ['--fifo', '--pid', '1', String(child.pid)], { stdio: 'ignore' }).status === 0;
  } finally {
    child.kill();
  }
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/bench/main.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const kill = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    });
  });
}

interface Figure { section: string; figure: string; value: unknown; unit: string; target?: number }

t.test('npm run bench -- --smoke prints the table and writes the JSON', async (t) => {
  if (!needPrograms(t, [BLACKBOX_BINARY, findDnsmasq() ?? '/usr/sbin/dnsmasq'], HINT)) return;
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-bench-smoke-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const out = join(dir, 'results.json');
  const r = await run(['--smoke', '--out', out]);
  t.equal(r.code, 0, r.stderr);

  const lines = r.stdout.trimEnd().split('\n');
  t.match(lines[0], /^section\s+figure\s+value\s+unit\s+target$/);
  for (const section of ['1 cpu tcp', '1 cpu http', '1 cpu dns', '2 scale 60', '3 accuracy', '4 reload', '5 explainer']) {
    t.ok(lines.some((l) => l.startsWith(section)), `table has section ${section}`);
  }

  const result = JSON.parse(await readFile(out, 'utf8')) as {
    mode: string; machine: { cpus: number }; figures: Figure[]; slowTargetScheduling: string;
    sections: {
      cpu: { check: string; pathprobe: { probes: number; ok: number }; blackbox: { probes: number; ok: number }; ratio: number }[];
      scale: { accuracy: { samples: number; raw: { at: number; errMs: number }[]; targetLateP99Ms: number }; reload: { unchangedChecked: number; added: number; removed: number; changed: number } };
      netpol: { paths: number };
    };
  };
  t.equal(result.mode, 'smoke');
  t.type(result.machine.cpus, 'number');
  // Where this process may put a child in the real-time class (root with CAP_SYS_NICE; a
  // container may drop it), the 50 ms target must run there; elsewhere the bench says why not.
  if (mayRunRealTime()) t.equal(result.slowTargetScheduling, 'SCHED_FIFO 50');
  else t.match(result.slowTargetScheduling, /^normal \(chrt: .+\)$/);
  t.equal(result.figures.length, lines.length - 1, 'one table row per figure');
  // Every accuracy sample is kept with its time, and the 50 ms target reported its own lateness.
  const accuracy = result.sections.scale.accuracy;
  t.equal(accuracy.raw.length, accuracy.samples, 'every accuracy sample kept');
  t.ok(accuracy.raw.every((s) => s.at > Date.parse('2020-01-01') && Number.isFinite(s.errMs)), 'samples carry their time and error');
  t.ok(accuracy.targetLateP99Ms >= 0 && accuracy.targetLateP99Ms < 50, `the target's own lateness p99 is measured (${accuracy.targetLateP99Ms} ms)`);
  for (const f of result.figures) {
    t.ok(typeof f.value === 'number' && Number.isFinite(f.value), `${f.section} / ${f.figure} is a number (${String(f.value)})`);
  }
  const targets = result.figures.filter((f) => f.target !== undefined).map((f) => f.figure);
  t.same(new Set(targets), new Set(['ratio pathprobe ÷ blackbox', 'scheduler lag p99', 'resident memory', '/metrics response time (max of 5)', 'processing-phase error p99', 'probes lost']));

  t.same(result.sections.cpu.map((c) => c.check), ['tcp', 'http', 'dns']);
  for (const c of result.sections.cpu) {
    t.ok(c.pathprobe.probes > 0 && c.pathprobe.ok === c.pathprobe.probes, `${c.check}: every pathprobe probe ok (${c.pathprobe.ok}/${c.pathprobe.probes})`);
    t.ok(c.blackbox.probes > 0 && c.blackbox.ok === c.blackbox.probes, `${c.check}: every blackbox probe ok (${c.blackbox.ok}/${c.blackbox.probes})`);
  }
  t.ok(result.sections.scale.accuracy.samples > 0, 'processing-phase samples of the 50 ms target');
  t.match(result.sections.scale.reload, { added: 1, removed: 1, changed: 6, unchangedChecked: 51 });
  t.equal(result.sections.netpol.paths, 40);
});
