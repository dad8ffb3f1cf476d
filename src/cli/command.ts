// The shape every `pathprobe <command>` implements. Commands return an exit status; only
// cli/main.ts calls process.exit. Each command lives in its own file and is listed in commands.ts.

/** Streams and environment a command may use (injected so tests can run commands in-process). */
export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Resolves when the process is asked to stop (SIGTERM/SIGINT); long-running commands await it. */
  stopSignal: AbortSignal;
}

/** One sub-command. */
export interface Command {
  name: string;
  /** One line for `pathprobe --help`. */
  summary: string;
  /** Full `--help` text of the command. */
  usage: string;
  /** Runs the command; resolves to the exit status. Throws only PathprobeError subclasses. */
  run(args: string[], io: CommandIO): Promise<number>;
  /**
   * True when the command stops on io.stopSignal by itself (a long-running one). For the others
   * the first SIGTERM/SIGINT ends the process at once (exit 128 + the signal's number).
   */
  stopsOnSignal?: boolean;
}
