// What the image's runtime stage does, without Docker: pack the package, install it with production
// dependencies only into an empty directory, and run the installed CLI on the packed example catalogs.
import t from 'tap';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { VERSION } from '../../src/version.js';
import { requireBuiltMain } from '../helpers/run-main.js';

const execFileAsync = promisify(execFile);
// tap's process tracking re-injects NODE_OPTIONS (its loader hooks) into every child it spawns;
// `env -u` drops it so npm, tsc and the installed CLI run as they would in the image.
const run = (cmd: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeout: number }) =>
  execFileAsync('/usr/bin/env', ['-u', 'NODE_OPTIONS', cmd, ...args], options);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// `--prefer-offline` takes the tarballs `npm ci` already cached; only the registry metadata npm
// needs to resolve the packed package's ranges (which `npm ci` does not cache) is fetched.
const NPM_ENV: NodeJS.ProcessEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

// `npm test`'s pretest built dist/; rebuilding it here would rewrite files other test processes
// are importing at the same moment (one CI run saw a half-written module: "does not provide an
// export named ...").
t.before(requireBuiltMain);

t.test('npm pack + production install runs the CLI', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-pack-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await run(NPM, ['pack', '--pack-destination', dir], { cwd: ROOT, env: NPM_ENV, timeout: 120_000 });
  const tarball = (await readdir(dir)).find((f) => f.endsWith('.tgz'));
  t.equal(tarball, `pathprobe-${VERSION}.tgz`, 'packed');
  const app = join(dir, 'app');
  await mkdir(app);
  await writeFile(join(app, 'package.json'), '{"private": true}\n');
  await run(NPM, ['install', '--omit=dev', '--prefer-offline', '--ignore-scripts', join(dir, tarball!)], { cwd: app, env: NPM_ENV, timeout: 240_000 });
  const installed = join(app, 'node_modules', 'pathprobe');
  t.ok(existsSync(join(installed, 'probes', 'examples', 'platform.yaml')), 'the example catalogs are packed');
  t.notOk(existsSync(join(app, 'node_modules', 'typescript')), 'no dev dependency installed');
  t.notOk(existsSync(join(app, 'node_modules', 'kubernetes-models')), 'the schema package stays a dev dependency');

  t.test('pathprobe --version and validate', async (t) => {
    const bin = join(app, 'node_modules', '.bin', 'pathprobe');
    const version = await run(bin, ['--version'], { cwd: app, env: NPM_ENV, timeout: 30_000 });
    t.match(version.stdout, VERSION);
    const examples = (await readdir(join(installed, 'probes', 'examples'))).filter((f) => f.endsWith('.yaml'));
    t.ok(examples.length > 0);
    const valid = await run(bin, ['validate', ...examples.map((f) => join(installed, 'probes', 'examples', f))], { cwd: app, env: NPM_ENV, timeout: 30_000 });
    t.equal(valid.stderr.trim(), '', 'the packed examples validate');
  });
});
