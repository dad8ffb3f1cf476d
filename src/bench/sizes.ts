// Benchmark sizes: the full run (the figures) and the smoke run CI uses so the command cannot rot.
import type { CpuSizes } from './cpu-compare.js';
import type { ScaleSizes } from './scale.js';

export interface BenchSizes {
  cpu: CpuSizes;
  scale: ScaleSizes;
  netpol: { namespaces: number; podsPerNs: number; policiesPerNs: number; paths: number };
}

export const FULL: BenchSizes = {
  cpu: { rate: 200, seconds: 20, warmupS: 15, blackboxWarmupS: 1.25 },
  scale: { paths: 10_000, intervalS: 10, accuracyPaths: 20, windowS: 30, reloadWaitIntervals: 2 },
  netpol: { namespaces: 500, podsPerNs: 10, policiesPerNs: 20, paths: 2000 },
};

export const SMOKE: BenchSizes = {
  cpu: { rate: 5, seconds: 1, warmupS: 1.2, blackboxWarmupS: 0.6 },
  scale: { paths: 60, intervalS: 1, accuracyPaths: 2, windowS: 2, reloadWaitIntervals: 2 },
  netpol: { namespaces: 10, podsPerNs: 4, policiesPerNs: 4, paths: 40 },
};
