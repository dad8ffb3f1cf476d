// Runs a real dnsmasq on 127.0.0.1 at a random port (dnsmasq cannot take port 0), for tests that
// check the DNS client against a real server. The port is picked below the kernel's ephemeral
// range: client sockets and their TIME_WAIT leftovers (thousands on a busy test machine) hold
// ports inside it, and dnsmasq cannot bind those. When the port is taken anyway, dnsmasq exits
// with "Address already in use" and another port is tried.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { lookup } from '../probe/dns/resolver.js';
import { RESOLV_DEFAULTS } from '../probe/dns/resolv-conf.js';
import { findProgram } from '../lab/programs.js';

export interface Dnsmasq {
  port: number;
  close(): Promise<void>;
}

export interface DnsmasqOptions {
  /** Picks the port of each try (tests of this helper force a taken one). */
  pickPort?: () => number;
  /** Ports tried before giving up. */
  tries?: number;
}

/** Longest wait for one dnsmasq to answer; a ceiling under load, not a delay. */
const START_TIMEOUT_MS = 10_000;
/** dnsmasq logs this once its sockets are bound (it exits before, when a bind fails). */
const STARTED = /started, version/;
/** Outcomes that mean a DNS server sent a DNS answer; ECONNREFUSED (nothing bound yet) is not one. */
const ANSWERED: ReadonlySet<string> = new Set(['nxdomain', 'nodata', 'servfail', 'refused', 'formerr']);

/** The first port the kernel uses for port 0 and client sockets (ip_local_port_range). */
export function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

/** A random port in [20000, ephemeral low); the whole 20000–60999 when the range starts lower. */
export function randomPortBelowEphemeral(): number {
  const low = ephemeralLow();
  const end = low > 21_000 ? low : 61_000;
  return 20_000 + Math.floor(Math.random() * (end - 20_000));
}

/** True when dnsmasq at `port` answers a query over `transport` with a DNS message. */
async function answers(port: number, transport: 'udp' | 'tcp'): Promise<boolean> {
  const r = await lookup('ready.invalid.', 'A', {
    conf: { ...RESOLV_DEFAULTS, nameservers: [{ host: '127.0.0.1', port }], timeout: 1, attempts: 1 },
    transport, signal: AbortSignal.timeout(500), deadline: performance.now() + 500,
  });
  return r.ok || ANSWERED.has(r.kind);
}

/**
 * Starts dnsmasq with `extraArgs` (e.g. --address=/svc.cluster.local/127.0.0.1). Returns once
 * it logged its start (its sockets are bound: the port is its own) and answers over UDP and TCP.
 */
export async function startDnsmasq(binary: string, extraArgs: string[], options: DnsmasqOptions = {}): Promise<Dnsmasq> {
  const tries = options.tries ?? 5;
  const taken: number[] = [];
  for (let attempt = 0; attempt < tries; attempt++) {
    const port = (options.pickPort ?? randomPortBelowEphemeral)();
    const child: ChildProcess = spawn(binary, [
      '--no-daemon', '--conf-file=/dev/null', `--port=${port}`, '--listen-address=127.0.0.1',
      '--bind-interfaces', '--no-resolv', '--no-hosts', '--pid-file=', '--log-facility=-', ...extraArgs,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let closed = false;
    child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    child.on('error', (e) => { stderr += `\n${e.message}`; });
    // 'close' (not 'exit'): stderr is complete, so the "Address already in use" line is in it.
    const exited = new Promise<void>((resolve) => child.once('close', () => { closed = true; resolve(); }));
    const close = async (): Promise<void> => {
      if (!closed) {
        child.kill('SIGTERM');
        const gone = await Promise.race([exited.then(() => true), sleep(3000, false, { ref: false })]);
        if (!gone) child.kill('SIGKILL');
      }
      await exited;
    };
    const until = performance.now() + START_TIMEOUT_MS;
    while (!closed && performance.now() < until) {
      if (STARTED.test(stderr) && await answers(port, 'udp') && await answers(port, 'tcp') && !closed) return { port, close };
      await sleep(25);
    }
    const why = closed ? 'exited' : `not answering after ${START_TIMEOUT_MS} ms`;
    await close();
    if (!/Address already in use/i.test(stderr)) throw new Error(`dnsmasq on port ${port} ${why}: ${stderr.trim()}`);
    taken.push(port);
  }
  throw new Error(`dnsmasq: ports ${taken.join(', ')} were all taken`);
}

/** The dnsmasq binary on PATH or in the sbin directories, or undefined when not installed. */
export function findDnsmasq(): string | undefined {
  return findProgram('dnsmasq');
}
