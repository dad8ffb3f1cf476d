// `pathprobe run`: the agent. Runs until SIGTERM/SIGINT, then stops scheduling, waits (bounded)
// for in-flight probes, closes the server and exits 0.
import { pino, type Level, type Logger } from 'pino';
import { startAgent, type Agent, type AgentOptions } from '../agent/agent.js';
import { isNiceValue, LOWEST_PRIORITY } from '../agent/thread-priority.js';
import { UsageError } from '../errors.js';
import { DEFAULT_LISTEN } from '../server/listen.js';
import type { Command, CommandIO } from './command.js';
import type { AgentDeps } from './agent-deps.js';
import { parseCommandArgs, required } from './parse-command-args.js';

const LEVELS: Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** How long shutdown waits for in-flight probes. */
export const SHUTDOWN_TIMEOUT_MS = 10_000;

/** `--serve-nice` when not given: the probe thread first, everything else after it. */
export const DEFAULT_SERVE_NICE = LOWEST_PRIORITY;

const USAGE = `Usage: pathprobe run --catalog PATH [--source NAME] [--listen ADDR] [--log-level LEVEL]
                    [--max-in-flight N] [--serve-nice N]

The agent: probes the paths of one source (every path without --source) on their intervals and
serves /metrics, /-/healthy, /-/ready, /api/v1/paths and the status page /. The catalog is
reloaded when its files change (ConfigMap updates included); an invalid new catalog is rejected
and the last good one keeps running.

Options:
  --catalog PATH     catalog file or directory (repeatable)
  --source NAME      run only this source's paths
  --listen ADDR      host:port to serve on (default ${DEFAULT_LISTEN})
  --log-level LEVEL  ${LEVELS.join(', ')} (default info); debug logs every probe
  --max-in-flight N  most probes running at once (default: min(1024, half the soft
                     open-files limit), 256 when the limit cannot be read; logged at start)
  --serve-nice N     nice value (0-19, default ${DEFAULT_SERVE_NICE}) of the serving thread and the threads
                     started after the probe thread (metrics rendering, catalog parsing), so that
                     probes start and are timed first when the CPUs are busy; 0 leaves them.
                     No privilege needed

Logs are JSON lines on stdout. Exit status: 0 after SIGTERM/SIGINT, 2 on a usage, catalog or listen error.`;

/** A JSON logger on the command's stdout. */
export function createLogger(io: CommandIO, level: string): Logger {
  if (!(LEVELS as string[]).includes(level)) throw new UsageError(`--log-level must be one of ${LEVELS.join(', ')}`);
  return pino({ level, base: { name: 'pathprobe' }, timestamp: pino.stdTimeFunctions.isoTime }, io.stdout);
}

/** A whole-number option's value, or a usage error with `message`. */
function wholeNumber(text: string, ok: (n: number) => boolean, message: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || !ok(n)) throw new UsageError(message);
  return n;
}

function parseMaxInFlight(text: string | undefined): number | undefined {
  return text === undefined ? undefined : wholeNumber(text, (n) => n >= 1, '--max-in-flight must be a whole number ≥ 1');
}

export function parseServeNice(text: string | undefined): number {
  return text === undefined ? DEFAULT_SERVE_NICE : wholeNumber(text, isNiceValue, `--serve-nice must be a whole number from 0 to ${LOWEST_PRIORITY}`);
}

/** Runs an agent until io.stopSignal aborts; shared by `run` and `demo`. */
export async function runAgentUntilStopped(options: AgentOptions, io: CommandIO, onStarted?: (agent: Agent) => void): Promise<number> {
  const agent = await startAgent(options);
  onStarted?.(agent);
  if (!io.stopSignal.aborted) {
    await new Promise<void>((resolve) => io.stopSignal.addEventListener('abort', () => resolve(), { once: true }));
  }
  options.logger.info({ signal: String((io.stopSignal.reason as Error | undefined)?.message ?? '') }, 'stopping');
  await agent.stop(SHUTDOWN_TIMEOUT_MS);
  return 0;
}

/** Builds the run command over the catalog loader and probers. */
export function createRunCommand(loadDeps: () => Promise<AgentDeps>): Command {
  return {
    name: 'run',
    stopsOnSignal: true,
    summary: 'the agent: probe paths continuously, serve metrics, health and the status page',
    usage: USAGE,
    async run(args, io) {
      const { values } = parseCommandArgs('run', args, {
        catalog: { type: 'string', multiple: true },
        source: { type: 'string' },
        listen: { type: 'string', default: DEFAULT_LISTEN },
        'log-level': { type: 'string', default: 'info' },
        'max-in-flight': { type: 'string' },
        'serve-nice': { type: 'string' },
      });
      const catalogPaths = required('run', 'catalog', values.catalog);
      const logger = createLogger(io, values['log-level']);
      const maxInFlight = parseMaxInFlight(values['max-in-flight']);
      const serveNice = parseServeNice(values['serve-nice']);
      const deps = await loadDeps();
      return runAgentUntilStopped({
        catalogPaths,
        ...(values.source === undefined ? {} : { source: values.source }),
        listen: values.listen,
        logger,
        ...(maxInFlight === undefined ? {} : { maxInFlight }),
        serveNice,
        ...deps,
      }, io);
    },
  };
}
