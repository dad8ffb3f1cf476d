// Turns argv into a command run: global --help/--version, `<cmd> --help`, and operational
// faults printed as `error:` + `hint:` with exit status 2. main.ts wires it to the process.
import type { Command, CommandIO } from './command.js';
import { PathprobeError } from '../errors.js';
import { oneLine } from '../one-line.js';
import { VERSION } from '../version.js';

/** Exit status of a usage or operational error. */
export const EXIT_USAGE = 2;
/** Exit status of a bug (an exception that is not a PathprobeError). */
export const EXIT_INTERNAL = 70;

/** `pathprobe --help`. */
export function globalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    'Usage: pathprobe <command> [options]',
    '',
    'Probes the network paths a default-deny Kubernetes cluster must keep open (and closed).',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `pathprobe <command> --help` for the options of a command; `pathprobe --version` for the version.',
    '',
  ].join('\n');
}

/** Runs the command `argv` names; resolves to the exit status. Never throws. */
export async function dispatch(argv: string[], io: CommandIO, commands: readonly Command[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.stderr.write(globalHelp(commands));
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(globalHelp(commands));
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`error: unknown command ${JSON.stringify(name)}\nhint: commands are ${commands.map((c) => c.name).join(', ')}; run \`pathprobe --help\`\n`);
    return EXIT_USAGE;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof PathprobeError) {
      // Messages may hold text from outside (a file name from a directory listing): every control
      // character but the message's own line breaks is escaped, so none reaches the terminal.
      io.stderr.write(`error: ${escapeLines(error.message)}\n${error.hint ? `hint: ${escapeLines(error.hint)}\n` : ''}`);
      return EXIT_USAGE;
    }
    io.stderr.write(`error: internal error (a bug in pathprobe): ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    return EXIT_INTERNAL;
  }
}

/** Each line of `text` with its control characters escaped (oneLine); the line breaks stay. */
function escapeLines(text: string): string {
  return text.split('\n').map(oneLine).join('\n');
}
