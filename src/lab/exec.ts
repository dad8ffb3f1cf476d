// Runs the system programs the lab drives (ip, nft, sh) and fails loudly with their stderr.
import { spawn } from 'node:child_process';
import { PathprobeError } from '../errors.js';
import { findProgram } from './programs.js';

/** The `ip` binary (iproute2). */
export const IP = findProgram('ip') ?? 'ip';
/** The `nft` binary (nftables). */
export const NFT = findProgram('nft') ?? 'nft';

/** A lab command that exited non-zero or could not start. */
export class LabCommandError extends PathprobeError {
  constructor(command: string, detail: string) {
    super('PP_LAB_COMMAND', `${command}: ${detail}`, 'the lab needs root, iproute2, nftables and dnsmasq');
    this.name = 'LabCommandError';
  }
}

/** Runs `program args` to completion, feeding `input` on stdin; resolves with stdout. */
export function run(program: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const shown = [program, ...args].join(' ');
    const child = spawn(program, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', (e) => reject(new LabCommandError(shown, e.message)));
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new LabCommandError(shown, `exit ${code}: ${stderr.trim()}`));
    });
    child.stdin?.on('error', () => undefined); // a program that exits early: its exit status tells
    child.stdin?.end(input);
  });
}

/** Runs `ip args`. */
export function ip(...args: string[]): Promise<string> {
  return run(IP, args);
}

/** Runs `program args` inside network namespace `netns`. */
export function inNetns(netns: string, program: string, args: string[], input?: string): Promise<string> {
  return run(IP, ['netns', 'exec', netns, program, ...args], input);
}
