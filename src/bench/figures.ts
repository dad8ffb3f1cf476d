// The table rows from the section results, each with the target where it sets one.
import type { CpuRow } from './cpu-compare.js';
import type { NetpolResult } from './netpol-bench.js';
import type { ScaleResult } from './scale.js';
import type { FigureRow } from './table.js';

/** Issue 7 targets. */
export const TARGETS = { cpuRatio: 0.2, lagP99Ms: 5, processingErrP99Ms: 2, rssMiB: 150, metricsMs: 250, reloadLost: 0 };

export function figureRows(r: { cpu?: CpuRow[]; scale?: ScaleResult; netpol?: NetpolResult }): FigureRow[] {
  const rows: FigureRow[] = [];
  for (const c of r.cpu ?? []) {
    const s = `1 cpu ${c.check}`;
    rows.push({ section: s, figure: 'pathprobe CPU per probe', value: c.pathprobe.cpuMsPerProbe, unit: 'ms' });
    rows.push({ section: s, figure: 'blackbox_exporter CPU per probe', value: c.blackbox.cpuMsPerProbe, unit: 'ms' });
    rows.push({ section: s, figure: 'ratio pathprobe ÷ blackbox', value: c.ratio, unit: '', target: TARGETS.cpuRatio });
    rows.push({ section: s, figure: 'probes ok, pathprobe', value: c.pathprobe.ok / c.pathprobe.probes, unit: 'fraction' });
    rows.push({ section: s, figure: 'probes ok, blackbox_exporter', value: c.blackbox.ok / c.blackbox.probes, unit: 'fraction' });
    rows.push({ section: s, figure: 'bare Node.js exchange CPU per probe (floor)', value: c.floor.cpuMsPerProbe, unit: 'ms' });
    rows.push({ section: s, figure: 'ratio floor ÷ blackbox (best a Node.js prober can do)', value: c.floorRatio, unit: '' });
  }
  const sc = r.scale;
  if (sc) {
    const s = `2 scale ${sc.paths}`;
    rows.push({ section: s, figure: 'scheduler lag p50', value: sc.lagP50Ms, unit: 'ms' });
    rows.push({ section: s, figure: 'scheduler lag p99', value: sc.lagP99Ms, unit: 'ms', target: TARGETS.lagP99Ms });
    rows.push({ section: s, figure: 'resident memory', value: sc.rssMiB, unit: 'MiB', target: TARGETS.rssMiB });
    rows.push({ section: s, figure: 'peak resident memory', value: sc.peakRssMiB, unit: 'MiB' });
    rows.push({ section: s, figure: 'V8 heap used (end of window)', value: sc.agent.heapUsedMiB, unit: 'MiB' });
    rows.push({ section: s, figure: '/metrics response time (max of 5)', value: sc.metricsMs.max, unit: 'ms', target: TARGETS.metricsMs });
    rows.push({ section: s, figure: '/metrics size', value: sc.metricsBytes / 2 ** 20, unit: 'MiB' });
    rows.push({ section: s, figure: '/metrics size sent (gzip, as Prometheus asks)', value: sc.metricsWireBytes / 2 ** 20, unit: 'MiB' });
    rows.push({ section: s, figure: 'probes run / expected', value: sc.probes / sc.expectedProbes, unit: 'fraction' });
    rows.push({ section: s, figure: 'probes skipped', value: sc.skipped, unit: 'probes' });
    rows.push({ section: s, figure: 'agent CPU', value: sc.agent.cpuPercent, unit: '% of a core' });
    rows.push({ section: s, figure: 'event-loop delay max, agent thread (since start)', value: sc.agent.eventLoopLagMaxMs, unit: 'ms' });
    rows.push({ section: s, figure: 'GC pauses in the window, agent thread', value: Object.values(sc.agent.gcSeconds).reduce((a, b) => a + b, 0) * 1000, unit: 'ms' });
    const a = sc.accuracy;
    rows.push({ section: '3 accuracy', figure: 'processing-phase error p50', value: a.errP50Ms, unit: 'ms' });
    rows.push({ section: '3 accuracy', figure: 'processing-phase error p99', value: a.errP99Ms, unit: 'ms', target: TARGETS.processingErrP99Ms });
    rows.push({ section: '3 accuracy', figure: 'control: the target\'s own lateness p99', value: a.targetLateP99Ms, unit: 'ms' });
    rows.push({ section: '3 accuracy', figure: 'samples', value: a.samples, unit: 'probes' });
    const rl = sc.reload;
    rows.push({ section: '4 reload', figure: 'time to apply (rename → applied)', value: rl.applyMs, unit: 'ms' });
    rows.push({ section: '4 reload', figure: 'runs of unchanged paths expected', value: rl.expectedRuns, unit: 'probes' });
    rows.push({ section: '4 reload', figure: 'runs of unchanged paths seen', value: rl.actualRuns, unit: 'probes' });
    rows.push({ section: '4 reload', figure: 'probes lost', value: rl.lost, unit: 'probes', target: TARGETS.reloadLost });
    rows.push({ section: '4 reload', figure: 'runs started around the reload', value: rl.lateDuring.runs, unit: 'probes' });
    rows.push({ section: '4 reload', figure: 'of those, started > 25 ms late', value: rl.lateDuring.over25ms, unit: 'probes' });
    rows.push({ section: '4 reload', figure: 'latest start, lag under (bucket bound)', value: rl.lateDuring.latestUnderMs, unit: 'ms' });
  }
  const n = r.netpol;
  if (n) {
    rows.push({ section: '5 explainer', figure: `build (${n.model.policies} policies)`, value: n.buildMs, unit: 'ms' });
    rows.push({ section: '5 explainer', figure: `evaluate all ${n.paths} paths`, value: n.evaluateAllMs, unit: 'ms' });
    rows.push({ section: '5 explainer', figure: 'one changed policy, median', value: n.oneChangedPolicy.medianMs, unit: 'ms' });
    rows.push({ section: '5 explainer', figure: 'one changed policy, max', value: n.oneChangedPolicy.maxMs, unit: 'ms' });
    rows.push({ section: '5 explainer', figure: 'heap', value: n.heapMiB, unit: 'MiB' });
  }
  return rows;
}
