// Runs a real dnsmasq on 127.0.0.1 at a random high port (dnsmasq cannot take port 0), for the
// benchmark and for tests that check the DNS client against a real server. Retries another port when one is taken.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { lookup } from '../probe/dns/resolver.js';
import { RESOLV_DEFAULTS } from '../probe/dns/resolv-conf.js';

export interface Dnsmasq {
  port: number;
  close(): Promise<void>;
}

/** The dnsmasq binary, if installed (Debian: dnsmasq-base puts it in /usr/sbin). */
export function findDnsmasq(): string | undefined {
  for (const candidate of ['/usr/sbin/dnsmasq', '/usr/bin/dnsmasq', 'dnsmasq']) {
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

/** Starts dnsmasq with `extraArgs` (e.g. --address=/svc.cluster.local/127.0.0.1); waits until it answers. */
export async function startDnsmasq(binary: string, extraArgs: string[]): Promise<Dnsmasq> {
  for (let tries = 0; tries < 5; tries++) {
    // Below Linux's ephemeral range (32768–60999): on a busy machine client sockets hold many
    // ports there, and dnsmasq's TCP listener on a port in use fails with EADDRINUSE.
    const port = 10_000 + Math.floor(Math.random() * 22_000);
    const child: ChildProcess = spawn(binary, [
      '--no-daemon', '--conf-file=/dev/null', `--port=${port}`, '--listen-address=127.0.0.1',
      '--bind-interfaces', '--no-resolv', '--no-hosts', '--pid-file=', '--log-facility=-', ...extraArgs,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
    // Never outlive the process that started it, even when that one ends abruptly.
    const killOnExit = (): void => void child.kill('SIGTERM');
    process.once('exit', killOnExit);
    const close = async (): Promise<void> => {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    };
    // Ready once dnsmasq says it started (after binding its sockets) and a query gets a DNS
    // answer (dnsmasq answers REFUSED); a socket error (nothing on the port) is not an answer.
    const until = performance.now() + 5000;
    while (performance.now() < until && child.exitCode === null) {
      if (!/started, version/.test(stderr)) {
        await sleep(20);
        continue;
      }
      const r = await lookup('ready.invalid.', 'A', {
        conf: { ...RESOLV_DEFAULTS, nameservers: [{ host: '127.0.0.1', port }], timeout: 1, attempts: 1 },
        signal: AbortSignal.timeout(200), deadline: performance.now() + 200,
      });
      if ((r.ok || (r.kind !== 'timeout' && !/ECONNREFUSED/.test(r.detail))) && child.exitCode === null) return { port, close };
      await sleep(50);
    }
    await close();
    if (!/Address already in use/i.test(stderr)) throw new Error(`dnsmasq did not start: ${stderr}`);
  }
  throw new Error('dnsmasq: no free port after 5 tries');
}
