import t from 'tap';
import type { Command } from '../../src/cli/command.js';
import { dispatch, EXIT_INTERNAL, EXIT_USAGE } from '../../src/cli/dispatch.js';
import { PathprobeError, UsageError } from '../../src/errors.js';
import { VERSION } from '../../src/version.js';
import { captureIO } from '../helpers/capture-io.js';

const commands: Command[] = [
  { name: 'ok', summary: 'exits with what it is told', usage: 'Usage: pathprobe ok CODE', run: async (args) => Number(args[0] ?? 0) },
  { name: 'fault', summary: 'raises an operational fault', usage: 'Usage: pathprobe fault', run: async () => { throw new PathprobeError('PP_X', 'it broke', 'try this'); } },
  { name: 'usage', summary: 'raises a usage error', usage: 'Usage: pathprobe usage', run: async () => { throw new UsageError('bad flag'); } },
  { name: 'odd', summary: 'raises a fault naming outside text', usage: 'Usage: pathprobe odd', run: async () => { throw new PathprobeError('PP_X', 'cannot read catalog file a\u001b[2J\rb.yaml: ENOENT\n  second line', 'check\u0007 it'); } },
  { name: 'bug', summary: 'throws something else', usage: 'Usage: pathprobe bug', run: async () => { throw new TypeError('oops'); } },
];

t.test('global help, version, command help', async (t) => {
  let c = captureIO();
  t.equal(await dispatch(['--help'], c.io, commands), 0);
  t.match(c.stdout(), /Usage: pathprobe <command>/);
  t.match(c.stdout(), /^ {2}ok {5}exits with what it is told$/m, 'commands listed with their summary');
  c = captureIO();
  t.equal(await dispatch([], c.io, commands), EXIT_USAGE);
  t.match(c.stderr(), /Usage: pathprobe <command>/);
  c = captureIO();
  t.equal(await dispatch(['--version'], c.io, commands), 0);
  t.equal(c.stdout(), `${VERSION}\n`);
  c = captureIO();
  t.equal(await dispatch(['ok', '7', '--help'], c.io, commands), 0, '<cmd> --help does not run the command');
  t.equal(c.stdout(), 'Usage: pathprobe ok CODE\n');
});

t.test('exit statuses and error output', async (t) => {
  let c = captureIO();
  t.equal(await dispatch(['ok', '1'], c.io, commands), 1);
  c = captureIO();
  t.equal(await dispatch(['nope'], c.io, commands), EXIT_USAGE);
  t.match(c.stderr(), /^error: unknown command "nope"\nhint: commands are ok, fault, usage, odd, bug/);
  c = captureIO();
  t.equal(await dispatch(['fault'], c.io, commands), EXIT_USAGE);
  t.equal(c.stderr(), 'error: it broke\nhint: try this\n');
  c = captureIO();
  t.equal(await dispatch(['usage'], c.io, commands), EXIT_USAGE);
  t.equal(c.stderr(), 'error: bad flag\nhint: run `pathprobe --help`\n');
  c = captureIO();
  t.equal(await dispatch(['odd'], c.io, commands), EXIT_USAGE);
  t.equal(c.stderr(), 'error: cannot read catalog file a\\u001b[2J\\rb.yaml: ENOENT\n  second line\nhint: check\\u0007 it\n', 'ESC, CR and BEL escaped; the message\'s own line break kept');
  c = captureIO();
  t.equal(await dispatch(['bug'], c.io, commands), EXIT_INTERNAL);
  t.match(c.stderr(), /^error: internal error \(a bug in pathprobe\): TypeError: oops/);
});
