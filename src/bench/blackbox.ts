// Debian's prometheus-blackbox-exporter on a loopback port, with a config of the three modules
// the benchmark compares against (tcp_connect, http_2xx, dns), and a driver that calls /probe.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DNS_NAME } from './targets.js';
import { freePort } from './free-port.js';

/** Where Debian installs it. */
export const BLACKBOX_BINARY = '/usr/bin/prometheus-blackbox-exporter';

/** Module per check kind. */
export const BLACKBOX_MODULES = { tcp: 'tcp_connect', http: 'http_2xx', dns: 'dns' } as const;

/** The config file: the modules with the same timeout pathprobe's paths use (2 s). */
export function blackboxConfig(): string {
  return [
    'modules:',
    '  tcp_connect: {prober: tcp, timeout: 2s, tcp: {preferred_ip_protocol: ip4}}',
    '  http_2xx: {prober: http, timeout: 2s, http: {preferred_ip_protocol: ip4}}',
    `  dns: {prober: dns, timeout: 2s, dns: {query_name: "${DNS_NAME}", query_type: A, transport_protocol: udp, preferred_ip_protocol: ip4}}`,
    '',
  ].join('\n');
}

export interface Blackbox {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/** Starts the exporter with its config in `dir`; resolves once /-/healthy answers. */
export async function startBlackbox(dir: string): Promise<Blackbox> {
  const config = join(dir, 'blackbox.yml');
  writeFileSync(config, blackboxConfig());
  for (let tries = 0; tries < 5; tries++) {
    const port = await freePort();
    const child: ChildProcess = spawn(BLACKBOX_BINARY, [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    const url = `http://127.0.0.1:${port}/`;
    const until = Date.now() + 5000;
    while (Date.now() < until && child.exitCode === null) {
      const ok = await fetch(`${url}-/healthy`).then((r) => r.ok, () => false);
      if (ok) {
        return {
          pid: child.pid!,
          url,
          stop: async () => {
            if (child.exitCode !== null) return;
            const exited = once(child, 'exit');
            child.kill('SIGTERM');
            await exited;
          },
        };
      }
      await sleep(50);
    }
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    if (!/address already in use/i.test(stderr)) throw new Error(`blackbox_exporter did not start: ${stderr}`);
  }
  throw new Error('blackbox_exporter: no free port after 5 tries');
}

export interface DriveResult {
  sent: number;
  succeeded: number;
}

/**
 * Calls /probe?module=M&target=T `rate` times a second for `seconds`, requests evenly spaced
 * (fixed rate, not waiting for answers, as a Prometheus scraping many targets does); resolves
 * when every answer is in. A probe succeeded when the body holds `probe_success 1`.
 */
export async function driveBlackbox(url: string, module: string, target: string, rate: number, seconds: number): Promise<DriveResult> {
  const total = Math.round(rate * seconds);
  const probeUrl = `${url}probe?module=${encodeURIComponent(module)}&target=${encodeURIComponent(target)}`;
  const started = performance.now();
  const pending: Promise<boolean>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(fetch(probeUrl).then(async (r) => /^probe_success 1$/m.test(await r.text()), () => false));
  }
  const results = await Promise.all(pending);
  return { sent: total, succeeded: results.filter(Boolean).length };
}
