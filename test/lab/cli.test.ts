// `npm run lab` (dist/lab/cli.js) as a person uses it: the status page and metrics published on
// 127.0.0.1, a step applied on Enter, teardown on SIGTERM; and a crashed run (SIGKILL) whose
// leftovers the next run's sweep removes, processes included.
import t, { type Test } from 'tap';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ip } from '../../src/lab/exec.js';
import { LAB_PREFIX } from '../../src/lab/names.js';
import { labNetns } from '../../src/lab/sweep.js';
import { assertNothingSurvives, canRunLab, sample } from '../helpers/lab-scenario.js';
import { until } from '../helpers/until.js';

const CLI = fileURLToPath(new URL('../../dist/lab/cli.js', import.meta.url));

interface Started {
  child: ChildProcessWithoutNullStreams;
  runId: string;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

/** Waits for `re` in the output; on timeout the error carries the output. */
function waitFor(what: string, read: () => string, re: RegExp, ms = 20_000): Promise<RegExpExecArray> {
  return until(`${what}: ${re}`, () => re.exec(read()) ?? undefined, ms, 100)
    .catch((err: Error) => { throw new Error(`${err.message}; output:\n${read()}`); });
}

async function startCli(t: Test, scenario: string): Promise<Started> {
  const child = spawn(process.execPath, [CLI, scenario], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  const read = (): string => out;
  await waitFor('cli start', read, /Ctrl-C stops the lab/);
  const runId = (/run ([0-9a-f]{6})/.exec(out) as RegExpExecArray)[1] as string;
  const url = (/status page +(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out) as RegExpExecArray)[1] as string;
  return { child, runId, url, output: read, exited };
}

/** Pids of every process inside the run's namespaces. */
async function pidsOf(runId: string): Promise<number[]> {
  const pids: number[] = [];
  for (const netns of (await labNetns()).filter((n) => n.startsWith(`${LAB_PREFIX}${runId}-`))) {
    pids.push(...(await ip('netns', 'pids', netns)).split('\n').map(Number).filter((p) => p > 0));
  }
  return pids;
}

t.test('npm run lab: page and metrics on 127.0.0.1, a step on Enter, clean exit on SIGTERM', async (t) => {
  if (!canRunLab(t)) return;
  const lab = await startCli(t, 'ingress-drop');
  const page = await fetch(lab.url);
  t.equal(page.status, 200, 'status page answers on the host');
  t.match(await page.text(), /web-to-api/, 'the page lists the path');
  await waitFor('timeout', lab.output, /web-to-api +pending → down \(timeout\)/);
  t.equal(sample(await (await fetch(`${lab.url}metrics`)).text(), 'pathprobe_path_result', { path: 'web-to-api', result: 'timeout' }), 1, 'metrics on the host: timeout');
  const pids = await pidsOf(lab.runId);
  t.ok(pids.length >= 4, `processes in the lab namespaces: ${pids.length}`);
  lab.child.stdin.write('\n');
  await waitFor('step', lab.output, /web-to-api +down \(timeout\) → up \(ok\)/);
  t.pass('Enter applied the allow rule and the path turned ok');
  lab.child.kill('SIGTERM');
  t.equal(await lab.exited, 0, 'exit 0 after SIGTERM');
  t.match(lab.output(), /Lab removed\./);
  await assertNothingSurvives(t, lab.runId, pids);
});

t.test('a crashed lab run (SIGKILL) is swept by the next run: namespaces, processes, files', async (t) => {
  if (!canRunLab(t)) return;
  const lab = await startCli(t, 'isolation');
  const pids = await pidsOf(lab.runId);
  lab.child.kill('SIGKILL');
  await lab.exited;
  t.ok((await labNetns()).some((n) => n.startsWith(`${LAB_PREFIX}${lab.runId}-`)), 'the crash left namespaces behind');
  const clean = spawn(process.execPath, [CLI, '--clean'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  clean.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => clean.on('close', resolve));
  t.equal(code, 0, '--clean exits 0');
  t.match(out, new RegExp(`Removed the leftovers of \\d+ earlier lab run\\(s\\): .*${lab.runId}`));
  await assertNothingSurvives(t, lab.runId, pids);
});
