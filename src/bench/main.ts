// `npm run bench [-- --smoke] [--out FILE] [--only cpu,scale,netpol] [--cpu-prof DIR] [--node-arg OPT]... [--agent-arg OPT]...`: starts its
// own loopback targets, measures pathprobe (and blackbox_exporter side by side), prints a table
// and writes the figures as JSON (docs/performance.md explains each figure).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { VERSION } from '../version.js';
import { cpuCompare } from './cpu-compare.js';
import { netpolBench } from './netpol-bench.js';
import { scaleBench } from './scale.js';
import { FULL, SMOKE } from './sizes.js';
import { figureRows } from './figures.js';
import { renderTable } from './table.js';
import { startTargets } from './targets.js';

const SECTIONS = ['cpu', 'scale', 'netpol'] as const;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench-results.json' },
      only: { type: 'string' },
      'cpu-prof': { type: 'string' },
      'node-arg': { type: 'string', multiple: true },
      'agent-arg': { type: 'string', multiple: true },
    },
  });
  const only = new Set(values.only ? values.only.split(',') : SECTIONS);
  for (const s of only) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only takes ${SECTIONS.join(',')}`);
  const sizes = values.smoke ? SMOKE : FULL;
  const agentOptions = { ...(values['cpu-prof'] ? { cpuProfDir: values['cpu-prof'] } : {}), ...(values['node-arg'] ? { nodeArgs: values['node-arg'] } : {}), ...(values['agent-arg'] ? { agentArgs: values['agent-arg'] } : {}) };
  const dir = mkdtempSync(join(tmpdir(), 'pathprobe-bench-'));
  const log = (msg: string): void => void process.stderr.write(`bench: ${msg}\n`);
  const targets = await startTargets();
  try {
    const startedAt = new Date().toISOString();
    // Other work on the machine shows in every figure: the 1-minute load average is recorded.
    const loadAtStart = loadavg()[0]!;
    const cpu = only.has('cpu') ? await (log(`section 1: CPU per probe at ${sizes.cpu.rate}/s for ${sizes.cpu.seconds} s, tcp http dns`), cpuCompare(sizes.cpu, targets, dir, agentOptions)) : undefined;
    const scale = only.has('scale')
      ? await (log(`sections 2-4: ${sizes.scale.paths} paths at ${sizes.scale.intervalS} s, window ${sizes.scale.windowS} s, then a reload`), scaleBench(sizes.scale, targets, dir, agentOptions))
      : undefined;
    const netpol = only.has('netpol') ? (log('section 5: policy explainer'), netpolBench(sizes.netpol)) : undefined;
    const rows = figureRows({ cpu, scale, netpol });
    const result = {
      version: VERSION,
      mode: values.smoke ? 'smoke' : 'full',
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', node: process.version, loadAverage1m: { start: loadAtStart, end: loadavg()[0]! } },
      slowTargetScheduling: targets.slowScheduling,
      sizes,
      figures: rows,
      sections: { cpu: cpu ?? null, scale: scale ?? null, netpol: netpol ?? null },
    };
    process.stdout.write(`${renderTable(rows)}\n`);
    log(`${result.machine.cpus} CPUs, 1-minute load average ${loadAtStart.toFixed(2)} at start, ${result.machine.loadAverage1m.end.toFixed(2)} at the end`);
    if (scale) log(`the 50 ms target ran at ${targets.slowScheduling} priority`);
    writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote ${values.out}`);
  } finally {
    await targets.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
