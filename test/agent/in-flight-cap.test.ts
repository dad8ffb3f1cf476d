// The default in-flight cap follows the process's open-files limit (min(1024, soft ÷ 2), 256 if
// unknown), is logged at start, and `run --max-in-flight N` overrides it; the agent never runs more.
import t from 'tap';
import { startAgentProcess, type Teardown } from '../reliability/helpers/agent-process.js';
import { until } from '../helpers/until.js';
import { parseSamples, sum } from '../helpers/prom-text.js';
import { generateCatalog, hungHttpServer, writeTempCatalog } from '../reliability/helpers/targets.js';
import { defaultMaxInFlight, FREE_DESCRIPTORS_TTL_MS, freeDescriptorsReader, maxInFlightFor, softNofileLimit } from '../../src/schedule/in-flight-cap.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             63581                63581                processes
Max open files            300                  4096                 files
Max locked memory         8388608              8388608              bytes
`;

t.test('free descriptors: the limit less those numbered below it, counted at most every 100 ms', async (t) => {
  let now = 0;
  let limits = LIMITS;
  let fds: string[] | NodeJS.ErrnoException = ['0', '1', '2', '250', '299', '300', '400'];
  let reads = 0;
  const free = freeDescriptorsReader({
    limits: () => limits,
    fds: () => {
      reads++;
      if (!Array.isArray(fds)) throw fds;
      return fds;
    },
    now: () => now,
  });
  t.equal(free(), 300 - 5, 'numbers 300 and 400 are above the limit of 300: they take no free number');
  fds = ['0', '1'];
  now += FREE_DESCRIPTORS_TTL_MS - 1;
  t.equal(free(), 294, 'reused within the TTL, less the one the last answer let a run take');
  t.equal(free(), 293, 'and one more per answer');
  for (let i = 0; i < 300; i++) free();
  t.equal(free(), 0, 'never below 0: a count used up answers 0, not 1');
  t.equal(reads, 1);
  now += 1;
  t.equal(free(), 298, 'counted again after it');
  limits = LIMITS.replace(/300 {18}4096/, '64                   4096');
  now += 500;
  t.equal(free(), 298, 'the limit is re-read once a second, not on every count');
  now += 500;
  t.equal(free(), 62, 'then the lowered limit counts (prlimit while running)');
  fds = Object.assign(new Error('too many open files'), { code: 'EMFILE' });
  now += FREE_DESCRIPTORS_TTL_MS;
  t.equal(free(), 0, 'EMFILE while counting: nothing is free');
  fds = Object.assign(new Error('no /proc'), { code: 'ENOENT' });
  now += FREE_DESCRIPTORS_TTL_MS;
  t.equal(free(), undefined, 'no /proc: unknown');
  limits = 'Max open files            unlimited            unlimited            files\n';
  now += 1000;
  t.equal(free(), undefined, 'no finite limit: unknown');
  // This process, for real: a number between 1 and its limit.
  const real = freeDescriptorsReader()();
  t.ok(real !== undefined && real > 0, `this process has ${real} descriptors free`);
});

t.test('the cap from a limits text', async (t) => {
  t.equal(softNofileLimit(LIMITS), 300, 'the soft limit, not the hard one');
  t.equal(softNofileLimit(LIMITS.replace(/300 {18}4096/, 'unlimited            unlimited')), undefined, 'unlimited is unknown');
  t.equal(softNofileLimit('Max processes 5 5 processes\n'), undefined, 'no line');
  t.equal(maxInFlightFor(300), 150);
  t.equal(maxInFlightFor(1_048_576), 1024, 'at most 1024');
  t.equal(maxInFlightFor(1), 1, 'at least 1');
  t.equal(maxInFlightFor(undefined), 256, 'fallback');
  t.equal(defaultMaxInFlight(() => LIMITS), 150);
  t.equal(defaultMaxInFlight(() => { throw new Error('ENOENT'); }), 256, 'unreadable /proc: fallback');
});

async function startedCap(t: Teardown, shellPrefix: string | undefined, args: string[] = []): Promise<{ cap: unknown; agent: Awaited<ReturnType<typeof startAgentProcess>> }> {
  const hung = await hungHttpServer(t);
  const file = await writeTempCatalog(t, generateCatalog({ count: 40, check: 'http', port: hung.port, interval: '1s', timeout: '900ms', prefix: 'cap' }));
  const agent = await startAgentProcess(t, { catalogPaths: [file], args, ...(shellPrefix ? { shellPrefix } : {}) });
  const line = await until('the start log line', () => agent.lines().find((l) => l.msg === 'catalog loaded; paths scheduled'));
  return { cap: line.maxInFlight, agent };
}

t.test('the agent derives the cap from its open-files limit and logs it', async (t) => {
  const { cap } = await startedCap(t, 'ulimit -n 300');
  t.equal(cap, 150, 'ulimit -n 300 → 150');
  const { cap: big } = await startedCap(t, 'ulimit -n 20000');
  t.equal(big, 1024, 'ulimit -n 20000 → 1024');
});

t.test('--max-in-flight overrides it and bounds the runs in flight', async (t) => {
  const { cap, agent } = await startedCap(t, 'ulimit -n 300', ['--max-in-flight', '5']);
  t.equal(cap, 5);
  // 40 paths each hanging 900 ms every second: far more than 5 want to run at once.
  const samples = await until('max_in_flight skips', async () => {
    const s = parseSamples(await (await fetch(new URL('/metrics', agent.url))).text());
    return sum(s, 'pathprobe_probes_skipped_total', { reason: 'max_in_flight' }) > 0 ? s : undefined;
  }, 15_000);
  t.ok(sum(samples, 'pathprobe_probes_in_flight') <= 5, 'never more than 5 in flight');
});
