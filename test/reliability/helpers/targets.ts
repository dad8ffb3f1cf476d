// Loopback targets for the reliability tests, and generated catalogs pointing at them.
import { createServer as createHttpServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Teardown } from './agent-process.js';

/** An HTTP server on 127.0.0.1:0 answering 200 on every URL; counts requests. */
export async function countingHttpServer(t: Teardown): Promise<{ port: number; requests(): number }> {
  let requests = 0;
  const server: Server = createHttpServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  server.keepAliveTimeout = 1000;
  server.maxConnections = 100_000;
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, resolve));
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { port: (server.address() as { port: number }).port, requests: () => requests };
}

/** An HTTP server that accepts and never answers (probes end at their deadline). */
export async function hungHttpServer(t: Teardown): Promise<{ port: number }> {
  const server: Server = createHttpServer(() => undefined);
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, resolve));
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { port: (server.address() as { port: number }).port };
}

export interface GeneratedPaths {
  count: number;
  /** `tcp` (connect only) or `http` (GET /p/<name>). */
  check: 'tcp' | 'http';
  port: number;
  interval?: string;
  timeout?: string;
  /** Name prefix of the generated paths (default `load`). */
  prefix?: string;
}

/** A catalog of `count` paths from one source to a loopback port. */
export function generateCatalog(g: GeneratedPaths): string {
  const prefix = g.prefix ?? 'load';
  const lines: string[] = [];
  for (let i = 0; i < g.count; i++) {
    const name = `${prefix}-${i}`;
    const to = g.check === 'http' ? `http://127.0.0.1:${g.port}/p/${name}` : `127.0.0.1:${g.port}`;
    lines.push(`  - {name: ${name}, from: gen, to: "${to}", check: ${g.check}}`);
  }
  return `apiVersion: pathprobe/v1
kind: PathCatalog
defaults: {interval: ${g.interval ?? '1s'}, timeout: ${g.timeout ?? '900ms'}}
sources:
  gen: {namespace: reliability}
paths:
${lines.join('\n')}
`;
}

/** A fresh temporary directory (removed at teardown). */
export async function tempDir(t: Teardown, prefix = 'pathprobe-faults-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `text` to `name` in a fresh temporary directory; returns the file path. */
export async function writeTempCatalog(t: Teardown, text: string, name = 'catalog.yaml'): Promise<string> {
  const file = join(await tempDir(t), name);
  await writeFile(file, text);
  return file;
}

/**
 * The counting HTTP server in a child process of its own, so that a busy test process (50
 * scrapers) does not slow the targets down and make the agent's probes look slow.
 */
export async function childHttpServer(t: Teardown): Promise<{ port: number; seen(): Promise<Set<string>> }> {
  const { spawn } = await import('node:child_process');
  // GET /__seen answers the URLs requested so far (as JSON); everything else 200 ok.
  const code = `const seen = new Set();
const s = require('node:http').createServer((q, r) => {
  if (q.url === '/__seen') return r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([...seen]));
  seen.add(q.url);
  r.writeHead(200).end('ok');
});
s.keepAliveTimeout = 1000;
s.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => console.log(s.address().port));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: process.env.PATH ?? '' } });
  t.teardown(() => { child.kill('SIGKILL'); });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`target server exited ${code}`)));
  });
  return { port, seen: async () => new Set((await (await fetch(`http://127.0.0.1:${port}/__seen`)).json()) as string[]) };
}
